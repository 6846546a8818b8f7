//! The repairs that garble findings suggest, pinned as a snapshot: for each damaged token of
//! a synthetic paragraph, the text found and the fix `redline check --fix` would apply (or
//! none, where no single candidate is clearly best).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use redline::rules::RuleSet;
use redline::scan::Scanner;

const DAMAGED: &str = r#"The mayorQs office said people were traffQked and she doesnQt know why. It hailed the QWater plan as a fine result.Q The regional CooQnator met Oslo,s envoy; the MINISTER,S visit in the 1990,s ended. He called it ""good,"" and a ""fair"" deal. Mayor Ana &Chispa8 Lind filed &Noted for Review.8 and their bid is ¬ as firm8 as before. The farmers? titles were lost in June ¶2011. Fines run from two ? nine hundred, the yearQs plan, and iQ is open. The FAQs and Qatar are fine. The ministerâ€™s note kept the terms ?core elements? as they were."#;

#[test]
fn garble_fixes() {
    let scanner = Scanner::new(&RuleSet::builtin().unwrap()).unwrap();
    let lines: Vec<String> = scanner
        .scan(DAMAGED.as_bytes())
        .iter()
        .filter(|f| scanner.rules()[f.rule].category == "garble")
        .map(|f| {
            let found = &DAMAGED[f.span.clone()];
            match &f.fix {
                Some(fix) => format!("{found}  ->  {fix}"),
                None => format!("{found}  (no fix)"),
            }
        })
        .collect();
    common::snapshots().bind(|| insta::assert_yaml_snapshot!("garble_fixes", lines));
}
