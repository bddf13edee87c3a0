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
        "throws RangeError: toString() radix argument must be between 2 and 36"
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

#[test]
fn json_parse_errors_read_as_v8s() {
    let cases: &[(&str, &str)] = &[
        (
            "\"{\\\"a\\\":}\"",
            "SyntaxError: Unexpected token '}', \"{\"a\":}\" is not valid JSON",
        ),
        ("\"\"", "SyntaxError: Unexpected end of JSON input"),
        (
            "\"{\"",
            "SyntaxError: Expected property name or '}' in JSON at position 1",
        ),
        (
            "\"[1,]\"",
            "SyntaxError: Unexpected token ']', \"[1,]\" is not valid JSON",
        ),
        (
            "\"{\\\"a\\\":1,}\"",
            "SyntaxError: Expected double-quoted property name in JSON at position 7",
        ),
        ("\"tru\"", "SyntaxError: Unexpected end of JSON input"),
        ("\"nul\"", "SyntaxError: Unexpected end of JSON input"),
        (
            "\"\\\"abc\"",
            "SyntaxError: Unterminated string in JSON at position 4",
        ),
        (
            "\"\\\"a\\\\x01\\\"\"",
            "SyntaxError: Bad escaped character in JSON at position 3",
        ),
        (
            "\"01\"",
            "SyntaxError: Unexpected number in JSON at position 1",
        ),
        (
            "\"1.\"",
            "SyntaxError: Unterminated fractional number in JSON at position 2",
        ),
        (
            "\"-\"",
            "SyntaxError: No number after minus sign in JSON at position 1",
        ),
        (
            "\"{\\\"a\\\" 1}\"",
            "SyntaxError: Expected ':' after property name in JSON at position 5",
        ),
        (
            "\"[1 2]\"",
            "SyntaxError: Expected ',' or ']' after array element in JSON at position 3",
        ),
        (
            "\"\\\"\\\\q\\\"\"",
            "SyntaxError: Bad escaped character in JSON at position 2",
        ),
        (
            "\"\\\"\\\\u12\\\"\"",
            "SyntaxError: Bad Unicode escape in JSON at position 5",
        ),
        (
            "\"1 2\"",
            "SyntaxError: Unexpected non-whitespace character after JSON at position 2",
        ),
        (
            "\"undefined\"",
            "SyntaxError: \"undefined\" is not valid JSON",
        ),
        (
            "\"{a:1}\"",
            "SyntaxError: Expected property name or '}' in JSON at position 1",
        ),
        (
            "\"{'a':1}\"",
            "SyntaxError: Expected property name or '}' in JSON at position 1",
        ),
        ("\"   \"", "SyntaxError: Unexpected end of JSON input"),
        ("\"[\"", "SyntaxError: Unexpected end of JSON input"),
        (
            "\"{\\\"a\\\":1\"",
            "SyntaxError: Expected ',' or '}' after property value in JSON at position 6",
        ),
        (
            "\"1e\"",
            "SyntaxError: Exponent part is missing a number in JSON at position 2",
        ),
        ("\"NaN\"", "SyntaxError: \"NaN\" is not valid JSON"),
        (
            "\"[1,2\"",
            "SyntaxError: Expected ',' or ']' after array element in JSON at position 4",
        ),
        (
            "\"{\\\"a\\\":[}\"",
            "SyntaxError: Unexpected token '}', \"{\"a\":[}\" is not valid JSON",
        ),
        (
            "\"trux\"",
            "SyntaxError: Unexpected token 'x', \"trux\" is not valid JSON",
        ),
        (
            "\"nulL\"",
            "SyntaxError: Unexpected token 'L', \"nulL\" is not valid JSON",
        ),
        (
            "\"[1,2,3,4,5,6,7,8,9,10,11,12,x]\"",
            "SyntaxError: Unexpected token 'x', ...\",10,11,12,x]\" is not valid JSON",
        ),
        (
            "\"[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,x,1,2,3,4,5,6,7,8,9,10,11,12]\"",
            "SyntaxError: Unexpected token 'x', ...\",18,19,20,x,1,2,3,4,\"... is not valid JSON",
        ),
        (
            "\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"",
            "SyntaxError: Unexpected token 'x', \"xxxxxxxxxx\"... is not valid JSON",
        ),
        (
            "\"\\\"a\\tb\\\"\"",
            "SyntaxError: Bad control character in string literal in JSON at position 2",
        ),
        (
            "\"[1,\\\"a\\\"]x\"",
            "SyntaxError: Unexpected non-whitespace character after JSON at position 7",
        ),
        (
            "\"[-x]\"",
            "SyntaxError: No number after minus sign in JSON at position 2",
        ),
        (
            "\"[1.e5]\"",
            "SyntaxError: Unterminated fractional number in JSON at position 3",
        ),
        (
            "\"[1e+]\"",
            "SyntaxError: Exponent part is missing a number in JSON at position 4",
        ),
        (
            "\"[-01]\"",
            "SyntaxError: Unexpected number in JSON at position 3",
        ),
        (
            "\"[0x1]\"",
            "SyntaxError: Expected ',' or ']' after array element in JSON at position 2",
        ),
        (
            "\"[.5]\"",
            "SyntaxError: Unexpected token '.', \"[.5]\" is not valid JSON",
        ),
        (
            "\"[+1]\"",
            "SyntaxError: Unexpected token '+', \"[+1]\" is not valid JSON",
        ),
        (
            "\"[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20]]\"",
            "SyntaxError: Unexpected non-whitespace character after JSON at position 52",
        ),
        (
            "\"{\\\"a\\\":1 \\\"b\\\"}\"",
            "SyntaxError: Expected ',' or '}' after property value in JSON at position 7",
        ),
        (
            "\"[tr1]\"",
            "SyntaxError: Unexpected number in JSON at position 3",
        ),
    ];
    for (src, want) in cases {
        let got = run(&format!("r = JSON.parse({src})"));
        assert_eq!(got, format!("throws {want}"), "JSON.parse({src})");
    }
}

#[test]
fn json_stringify_cycles_read_as_v8s() {
    assert_eq!(
        run("var a = { x: { y: {} } }; a.x.y.z = a; r = JSON.stringify(a)"),
        "throws TypeError: Converting circular structure to JSON\n    --> starting at object with constructor 'Object'\n    |     property 'x' -> object with constructor 'Object'\n    |     property 'y' -> object with constructor 'Object'\n    --- property 'z' closes the circle"
    );
    assert_eq!(
        run("var b = [1, { k: [] }]; b[1].k.push(b); r = JSON.stringify(b)"),
        "throws TypeError: Converting circular structure to JSON\n    --> starting at object with constructor 'Array'\n    |     index 1 -> object with constructor 'Object'\n    |     property 'k' -> object with constructor 'Array'\n    --- index 0 closes the circle"
    );
    assert_eq!(
        run("var d = { a: { b: { c: { d: { e: {} } } } } }; d.a.b.c.d.e.f = d.a; r = JSON.stringify({ root: d })"),
        "throws TypeError: Converting circular structure to JSON\n    --> starting at object with constructor 'Object'\n    |     property 'b' -> object with constructor 'Object'\n    |     property 'c' -> object with constructor 'Object'\n    |     ...\n    |     property 'e' -> object with constructor 'Object'\n    --- property 'f' closes the circle"
    );
    assert_eq!(
        run("var n = Object.create(null); n.q = n; r = JSON.stringify(n)"),
        "throws TypeError: Converting circular structure to JSON\n    --> starting at object with constructor 'Object'\n    --- property 'q' closes the circle"
    );
    assert_eq!(
        run("var s = ''; for (var i = 0; i < 100000; i++) s += '['; r = JSON.parse(s)"),
        "throws RangeError: Maximum call stack size exceeded"
    );
}

#[test]
fn collection_errors() {
    let cases: &[(&str, &str)] = &[
        ("Map()", "TypeError: Constructor Map requires 'new'"),
        ("WeakSet()", "TypeError: Constructor WeakSet requires 'new'"),
        (
            "Map.prototype.get.call({}, 1)",
            "TypeError: Method Map.prototype.get called on incompatible receiver #<Object>",
        ),
        (
            "Map.prototype.size",
            "TypeError: Method get Map.prototype.size called on incompatible receiver #<Map>",
        ),
        (
            "Set.prototype.add.call([], 1)",
            "TypeError: Method Set.prototype.add called on incompatible receiver [object Array]",
        ),
        (
            "Reflect.construct(WeakMap, []).set(1, 2)",
            "TypeError: Invalid value used as weak map key",
        ),
        (
            "Reflect.construct(WeakSet, []).add(1)",
            "TypeError: Invalid value used in weak set",
        ),
        (
            "Reflect.construct(Map, [[1]])",
            "TypeError: Iterator value 1 is not an entry object",
        ),
        (
            "Reflect.construct(Map, [[[1, 2]]]).forEach(3)",
            "TypeError: number 3 is not a function",
        ),
        (
            "Map.prototype.keys.call(Reflect.construct(Set, []))",
            "TypeError: Method Map.prototype.keys called on incompatible receiver #<Set>",
        ),
        ("Reflect.construct(1)", "TypeError: 1 is not a constructor"),
        (
            "Reflect.get(1)",
            "TypeError: Reflect.get called on non-object",
        ),
    ];
    for (src, want) in cases {
        assert_eq!(
            run(&format!("r = {src}")),
            format!("throws {want}"),
            "{src}"
        );
    }
}

#[test]
fn regexp_errors() {
    let cases: &[(&str, &str)] = &[
        (
            "RegExp('(')",
            "SyntaxError: Invalid regular expression: /(/: Unterminated group",
        ),
        (
            "RegExp('a', 'gg')",
            "SyntaxError: Invalid flags supplied to RegExp constructor 'gg'",
        ),
        (
            "RegExp('a', 'uv')",
            "SyntaxError: Invalid flags supplied to RegExp constructor 'uv'",
        ),
        (
            "RegExp.prototype.exec.call({}, 'a')",
            "TypeError: Method RegExp.prototype.exec called on incompatible receiver #<Object>",
        ),
        (
            "Object.getOwnPropertyDescriptor(RegExp.prototype, 'global').get.call({})",
            "TypeError: RegExp.prototype.global getter called on non-RegExp object",
        ),
        (
            "'x'.matchAll(RegExp('x'))",
            "TypeError: String.prototype.matchAll called with a non-global RegExp argument",
        ),
        (
            "'x'.replaceAll(RegExp('x'), '')",
            "TypeError: String.prototype.replaceAll called with a non-global RegExp argument",
        ),
        (
            "'x'.includes(RegExp('x'))",
            "TypeError: First argument to String.prototype.includes must not be a regular expression",
        ),
    ];
    for (src, want) in cases {
        assert_eq!(
            run(&format!("r = {src}")),
            format!("throws {want}"),
            "{src}"
        );
    }
    assert_eq!(
        run("r = RegExp.prototype.source + RegExp.prototype.flags + RegExp.prototype.global"),
        "(?:)undefined"
    );
}

#[test]
fn date_errors() {
    assert_eq!(
        run("r = Date.prototype.getTime.call({})"),
        "throws TypeError: this is not a Date object."
    );
    assert_eq!(
        run("r = Reflect.construct(Date, [NaN]).toISOString()"),
        "throws RangeError: Invalid time value"
    );
    assert_eq!(
        run("r = Date.prototype[Symbol.toPrimitive].call(Reflect.construct(Date, [0]), 'x')"),
        "throws TypeError: Invalid hint: x"
    );
}

#[test]
fn malformed_uris_throw_uri_errors() {
    for s in ["%", "%zz", "%E2%82", "%C0%80", "%ED%A0%80", "%F8%80%80%80"] {
        assert_eq!(
            run(&format!("r = decodeURIComponent('{s}')")),
            "throws URIError: URI malformed",
            "{s}"
        );
    }
    assert_eq!(
        run("r = encodeURIComponent(String.fromCharCode(0xd800))"),
        "throws URIError: URI malformed"
    );
}
