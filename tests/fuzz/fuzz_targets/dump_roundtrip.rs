//! Parsing is deterministic: the same text gives the same tree (dumped), and rendering an error
//! report never panics.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let src = String::from_utf8_lossy(data).into_owned();
    let a = minijs::syntax::parse(&src).map(|p| minijs::syntax::dump::program(&p));
    let b = minijs::syntax::parse(&src).map(|p| minijs::syntax::dump::program(&p));
    assert_eq!(a.is_ok(), b.is_ok());
    match (a, b) {
        (Ok(x), Ok(y)) => assert_eq!(x, y),
        (Err(e), _) => {
            let file = minijs::source::SourceFile::new("fuzz.js", src);
            let _ = minijs::diagnostics::syntax_error_report(&file, &e);
        }
        _ => unreachable!(),
    }
});
