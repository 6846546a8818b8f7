//! Moving a byte offset onto a character boundary, for windows cut out of text by length.

/// The largest character boundary of `text` at or below `at` (`text.len()` past the end).
pub(crate) fn floor_char(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// The smallest character boundary of `text` at or above `at` (`text.len()` past the end).
pub(crate) fn ceil_char(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at += 1;
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_inside_a_character_move_to_its_edges() {
        let t = "aé€b"; // a: 0, é: 1..3, €: 3..6, b: 6
        assert_eq!((floor_char(t, 2), ceil_char(t, 2)), (1, 3));
        assert_eq!((floor_char(t, 4), ceil_char(t, 5)), (3, 6));
        assert_eq!((floor_char(t, 3), ceil_char(t, 3)), (3, 3));
        assert_eq!((floor_char(t, 99), ceil_char(t, 99)), (7, 7));
    }
}
