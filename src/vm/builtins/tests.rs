//! Tests of the library through small scripts. Fixtures under tests/js/run cover what the
//! compiler can run end to end; these reach what it cannot yet (`new`, try/catch).

use std::rc::Rc;

use crate::source::SourceFile;
use crate::vm::interp::Vm;
use crate::vm::value::Value;

/// Runs `src` and returns `String(r)` for the global `r`, or `throws Name: message`.
pub fn run(src: &str) -> String {
    let program = crate::syntax::parse(src).expect("the test script parses");
    let proto = crate::vm::compiler::compile_script(&program).expect("the test script compiles");
    let mut vm = Vm::new();
    let source = Rc::new(SourceFile::new("test.js", src.to_string()));
    let code = vm.load(&source, proto);
    match vm.run_script(code) {
        Ok(_) => {
            let k = vm.intern("r");
            let g = Value::heap(vm.global);
            let v = vm.get(g, k).expect("r");
            vm.to_rust_string(v).expect("String(r)")
        }
        Err(t) => {
            let h = super::core::error_header(&mut vm, t.value).unwrap_or_default();
            format!("throws {h}")
        }
    }
}

#[test]
fn string_errors() {
    assert_eq!(
        run("r = 'a'.repeat(-1)"),
        "throws RangeError: Invalid count value: -1"
    );
    assert_eq!(
        run("r = 'a'.repeat(Infinity)"),
        "throws RangeError: Invalid count value: Infinity"
    );
    assert_eq!(
        run("r = String.prototype.trim.call(null)"),
        "throws TypeError: String.prototype.trim called on null or undefined"
    );
    assert_eq!(
        run("r = String.fromCodePoint(1.5)"),
        "throws RangeError: Invalid code point 1.5"
    );
    assert_eq!(
        run("r = 'a'.normalize('x')"),
        "throws RangeError: The normalization form should be one of NFC, NFD, NFKC, NFKD."
    );
}

#[test]
fn string_methods() {
    assert_eq!(
        run("r = 'Hello'.toUpperCase() + 'ÀB'.toLowerCase() + 'ß'.toUpperCase()"),
        "HELLOàbSS"
    );
    assert_eq!(
        run("r = '  x \\n'.trim() + '|' + ' y '.trimStart() + '|' + ' z '.trimEnd() + '|'"),
        "x|y | z|"
    );
    assert_eq!(run("r = 'a-b-c'.split('-', 2).join('+')"), "a+b");
    assert_eq!(run("r = 'abc'.replace('b', '[$&$`$\\'$$]')"), "a[bac$]c");
    assert_eq!(
        run("r = 'aaa'.replaceAll('a', function (m, i) { return i })"),
        "012"
    );
    assert_eq!(
        run("r = '😀x'.codePointAt(0) + ',' + '😀x'.at(-1)"),
        "128512,x"
    );
}

#[test]
fn array_errors() {
    assert_eq!(
        run("r = [1].forEach(undefined)"),
        "throws TypeError: undefined is not a function"
    );
    assert_eq!(
        run("r = [1].map({})"),
        "throws TypeError: #<Object> is not a function"
    );
    assert_eq!(
        run("r = [].reduce(function (a, b) { return a })"),
        "throws TypeError: Reduce of empty array with no initial value"
    );
    assert_eq!(
        run("r = [].sort(3)"),
        "throws TypeError: The comparison function must be either a function or undefined"
    );
    assert_eq!(
        run("r = Array.prototype.map.call(null, function () {})"),
        "throws TypeError: Array.prototype.map called on null or undefined"
    );
    assert_eq!(
        run("r = [1].flatMap(3)"),
        "throws TypeError: flatMap mapper function is not callable"
    );
    assert_eq!(
        run("r = [1, 2, 3].with(5, 1)"),
        "throws RangeError: Invalid index : 5"
    );
}

#[test]
fn sort_survives_a_comparator_that_empties_the_array() {
    assert_eq!(
        run("var a = [3, 1, 2]; a.sort(function (x, y) { a.length = 0; return x - y }); r = a.join()"),
        "1,2,3"
    );
}

#[test]
fn number_errors() {
    assert_eq!(
        run("r = (1).toFixed(101)"),
        "throws RangeError: toFixed() digits argument must be between 0 and 100"
    );
    assert_eq!(
        run("r = (1).toString(1)"),
        "throws RangeError: toString() radix must be between 2 and 36"
    );
    assert_eq!(
        run("r = (1).toPrecision(0)"),
        "throws RangeError: toPrecision() argument must be between 1 and 100"
    );
    assert_eq!(
        run("r = Number.prototype.toFixed.call('1')"),
        "throws TypeError: Number.prototype.toFixed requires that 'this' be a Number"
    );
}
