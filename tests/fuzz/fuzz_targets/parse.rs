//! Arbitrary bytes must never panic, hang or overflow the stack: every input parses or gives a
//! SyntaxError / RangeError with a span inside the input.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let src = String::from_utf8_lossy(data);
    if let Err(e) = minijs::syntax::parse(&src) {
        assert!(e.span.start as usize <= src.len());
        let _ = e.message();
    }
});
