//! Print the parsed structure of cable files: `cargo run --example cable_dump FILE...`.

fn main() -> std::io::Result<()> {
    for path in std::env::args().skip(1) {
        let bytes = std::fs::read(&path)?;
        let cable = redline::cable::Cable::parse(&bytes);
        let show =
            |r: &std::ops::Range<usize>| String::from_utf8_lossy(&bytes[r.clone()]).into_owned();
        println!("== {path}\n{cable:?}");
        if let Some(r) = &cable.routing {
            println!("routing: {:?}", show(&r.range));
        }
        println!(
            "head ends: {:?}",
            show(&(cable.head.end.saturating_sub(60)..cable.head.end))
        );
    }
    Ok(())
}
