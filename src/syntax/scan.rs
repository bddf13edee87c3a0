//! Hand-written scanners for the parts of a token that a regular expression describes badly:
//! numeric literals (separators, legacy octal, the "no identifier right after a number" rule),
//! string and template escapes, regular expression bodies, block comments and Unicode
//! identifiers. logos callbacks call the first few; the adapter in [`super::lexer`] calls the
//! others directly on the source text.

use logos::Lexer;

use super::token::{LexErrorKind, RawTok, ScanError, TemplateChunk, Utf16};

/// A numeric literal's value.
#[derive(Debug, Clone, PartialEq)]
pub enum NumLit {
    Num(f64),
    /// Digits of a BigInt literal (without the `n`), with any `0x` prefix kept.
    BigInt(Box<str>),
}

pub fn is_line_terminator(c: char) -> bool {
    matches!(c, '\n' | '\r' | '\u{2028}' | '\u{2029}')
}

pub fn is_id_start(c: char) -> bool {
    c == '$'
        || c == '_'
        || c.is_ascii_alphabetic()
        || (!c.is_ascii() && unicode_ident::is_xid_start(c))
}

pub fn is_id_continue(c: char) -> bool {
    c == '$'
        || c == '_'
        || c.is_ascii_alphanumeric()
        || c == '\u{200C}'
        || c == '\u{200D}'
        || (!c.is_ascii() && unicode_ident::is_xid_continue(c))
}

/// logos callback for `/*`: skips to the closing `*/`; the value says whether the comment
/// contains a line terminator (which counts as one for ASI).
pub fn block_comment(lex: &mut Lexer<RawTok>) -> Result<bool, ScanError> {
    let rest = lex.remainder();
    match rest.find("*/") {
        Some(end) => {
            let body = &rest[..end];
            lex.bump(end + 2);
            Ok(body.chars().any(is_line_terminator))
        }
        None => {
            let start = lex.span().start;
            lex.bump(rest.len());
            Err(ScanError::at(
                LexErrorKind::UnterminatedComment,
                start,
                lex.source().len(),
            ))
        }
    }
}

/// logos callback for a numeric literal: the match is its first digit (or `.digit`).
pub fn number(lex: &mut Lexer<RawTok>) -> Result<NumLit, ScanError> {
    let start = lex.span().start;
    let src = lex.source();
    let (lit, end) = scan_number(src, start)?;
    lex.bump(end - lex.span().end);
    Ok(lit)
}

fn digits_with_separators(
    b: &[u8],
    mut i: usize,
    is_digit: impl Fn(u8) -> bool,
) -> Result<usize, ScanError> {
    // Precondition: b[i] may or may not be a digit; returns the end of the digit run.
    let start = i;
    while i < b.len() {
        if is_digit(b[i]) {
            i += 1;
        } else if b[i] == b'_' {
            let sep = |m| ScanError::at(LexErrorKind::NumericSeparator(m), i + 1, i + 2);
            if i == start {
                return Err(ScanError::at(
                    LexErrorKind::NumericSeparator("Numeric separators are not allowed here"),
                    i,
                    i + 1,
                ));
            }
            if i + 1 < b.len() && b[i + 1] == b'_' {
                return Err(sep("Only one underscore is allowed as numeric separator"));
            }
            if i + 1 >= b.len() || !is_digit(b[i + 1]) {
                return Err(sep(
                    "Numeric separators are not allowed at the end of numeric literals",
                ));
            }
            i += 1;
        } else {
            break;
        }
    }
    Ok(i)
}

/// Scans a numeric literal starting at byte `start` of `src`; returns its value and end.
pub fn scan_number(src: &str, start: usize) -> Result<(NumLit, usize), ScanError> {
    // Malformed literals are marked from their start up to the offending character.
    let bad = |at: usize| ScanError::at(LexErrorKind::InvalidNumber, start, at.max(start + 1));
    let b = src.as_bytes();
    let mut i = start;
    let radix_prefix = if b[i] == b'0' && i + 1 < b.len() {
        match b[i + 1] {
            b'x' | b'X' => Some(16),
            b'o' | b'O' => Some(8),
            b'b' | b'B' => Some(2),
            _ => None,
        }
    } else {
        None
    };
    let lit;
    if let Some(radix) = radix_prefix {
        i += 2;
        let digits_start = i;
        i = digits_with_separators(b, i, |c| (c as char).is_digit(radix))?;
        if i == digits_start {
            return Err(bad(i));
        }
        let digits: String = src[digits_start..i].chars().filter(|&c| c != '_').collect();
        if i < b.len() && b[i] == b'n' {
            i += 1;
            lit = NumLit::BigInt(format!("{}{}", &src[start..start + 2], digits).into());
        } else {
            lit = NumLit::Num(parse_radix(&digits, radix));
        }
    } else if b[i] == b'0'
        && i + 1 < b.len()
        && b[i + 1].is_ascii_digit()
        && src[i + 1..]
            .bytes()
            .take_while(u8::is_ascii_digit)
            .all(|c| c < b'8')
    {
        // Legacy octal literal (sloppy mode): 010 === 8.
        i += 1;
        let ds = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i < b.len() && b[i] == b'_' {
            return Err(ScanError::at(
                LexErrorKind::NumericSeparator(
                    "Numeric separator can not be used after leading 0.",
                ),
                i,
                i + 1,
            ));
        }
        lit = NumLit::Num(parse_radix(&src[ds..i], 8));
    } else {
        // Decimal (including the legacy 08 / 09.5 "non-octal decimal" forms).
        let leading_zero = b[i] == b'0';
        if b[i] != b'.' {
            if leading_zero && i + 1 < b.len() && b[i + 1] == b'_' {
                return Err(ScanError::at(
                    LexErrorKind::NumericSeparator(
                        "Numeric separator can not be used after leading 0.",
                    ),
                    i + 1,
                    i + 2,
                ));
            }
            if leading_zero && b.get(i + 1).is_some_and(u8::is_ascii_digit) {
                // `08`, `09`: legacy non-octal decimals take no separators.
                i += 1;
                while i < b.len() && b[i].is_ascii_digit() {
                    i += 1;
                }
                if b.get(i) == Some(&b'_') {
                    return Err(ScanError::at(LexErrorKind::InvalidToken, i, i + 1));
                }
            } else {
                i = digits_with_separators(b, i, |c| c.is_ascii_digit())?;
            }
        }
        let int_end = i;
        let mut is_int = true;
        if i < b.len() && b[i] == b'n' {
            if leading_zero && int_end - start > 1 {
                return Err(bad(i));
            }
            let digits: String = src[start..int_end].chars().filter(|&c| c != '_').collect();
            i += 1;
            lit = NumLit::BigInt(digits.into());
            return finish_number(src, start, i).map(|end| (lit, end));
        }
        if i < b.len() && b[i] == b'.' {
            is_int = false;
            i += 1;
            if i < b.len() && b[i] == b'_' {
                return Err(ScanError::at(
                    LexErrorKind::NumericSeparator("Numeric separators are not allowed here"),
                    i,
                    i + 1,
                ));
            }
            i = digits_with_separators(b, i, |c| c.is_ascii_digit())?;
        }
        if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
            is_int = false;
            let mut j = i + 1;
            if j < b.len() && (b[j] == b'+' || b[j] == b'-') {
                j += 1;
            }
            if j >= b.len() || !b[j].is_ascii_digit() {
                return Err(bad(j));
            }
            i = digits_with_separators(b, j, |c| c.is_ascii_digit())?;
        }
        let _ = is_int;
        let text: String = src[start..i].chars().filter(|&c| c != '_').collect();
        let v: f64 = text.parse().map_err(|_| bad(i))?;
        lit = NumLit::Num(v);
    }
    finish_number(src, start, i).map(|end| (lit, end))
}

/// "The SourceCharacter immediately following a NumericLiteral must not be an IdentifierStart
/// or DecimalDigit."
fn finish_number(src: &str, start: usize, i: usize) -> Result<usize, ScanError> {
    match src[i..].chars().next() {
        Some(c) if is_id_start(c) || c.is_ascii_digit() || c == '\\' => {
            Err(ScanError::at(LexErrorKind::InvalidNumber, start, i))
        }
        _ => Ok(i),
    }
}

fn parse_radix(digits: &str, radix: u32) -> f64 {
    if let Ok(v) = u64::from_str_radix(digits, radix) {
        return v as f64;
    }
    if let Ok(v) = u128::from_str_radix(digits, radix) {
        return v as f64;
    }
    // Very long literals: accumulate (rounding may differ from the spec's in the last bit).
    digits.chars().fold(0.0, |acc, c| {
        acc * radix as f64 + c.to_digit(radix).unwrap_or(0) as f64
    })
}

/// logos callback for a string literal: the match is the opening quote.
pub fn string(lex: &mut Lexer<RawTok>, quote: u8) -> Result<Utf16, ScanError> {
    let open = lex.span().start;
    let start = lex.span().end;
    let src = lex.source();
    let b = src.as_bytes();
    // An unterminated string is marked from its quote to the end of the line.
    let unterminated = |at: usize| {
        let end = src[at..].find(['\n', '\r']).map_or(src.len(), |k| at + k);
        ScanError::at(LexErrorKind::UnterminatedString, open, end)
    };
    let mut out = Vec::new();
    let mut i = start;
    loop {
        if i >= b.len() {
            lex.bump(i - start);
            return Err(unterminated(open));
        }
        let c = b[i];
        if c == quote {
            i += 1;
            break;
        }
        match c {
            b'\\' => match escape(src, i, &mut out, EscapeMode::String) {
                Ok(next) => i = next,
                Err(e) => {
                    lex.bump(i - start);
                    return Err(if e.kind == LexErrorKind::UnterminatedString {
                        unterminated(open)
                    } else {
                        e
                    });
                }
            },
            b'\n' | b'\r' => {
                lex.bump(i - start);
                return Err(unterminated(open));
            }
            _ if c < 0x80 => {
                out.push(c as u16);
                i += 1;
            }
            _ => {
                let ch = src[i..].chars().next().unwrap_or('\u{FFFD}');
                let mut buf = [0u16; 2];
                out.extend_from_slice(ch.encode_utf16(&mut buf));
                i += ch.len_utf8();
            }
        }
    }
    lex.bump(i - start);
    Ok(Utf16(out.into_boxed_slice()))
}

#[derive(Clone, Copy, PartialEq)]
enum EscapeMode {
    String,
    Template,
}

fn hex_val(c: u8) -> Option<u32> {
    (c as char).to_digit(16)
}

/// Decodes one escape sequence whose backslash is at `bs`. Returns the index after it. Error
/// ranges are V8's: `\x` and `\u` without enough digits mark a fixed 4 or 6 characters from the
/// backslash; a bad `\u{…}` marks its first bad character.
fn escape(src: &str, bs: usize, out: &mut Vec<u16>, mode: EscapeMode) -> Result<usize, ScanError> {
    let b = src.as_bytes();
    let mut i = bs + 1;
    if i >= b.len() {
        return Err(LexErrorKind::UnterminatedString.into());
    }
    let c = b[i];
    i += 1;
    match c {
        b'n' => out.push(0x0A),
        b't' => out.push(0x09),
        b'r' => out.push(0x0D),
        b'b' => out.push(0x08),
        b'f' => out.push(0x0C),
        b'v' => out.push(0x0B),
        b'0' if !(i < b.len() && b[i].is_ascii_digit()) => out.push(0),
        b'0'..=b'9' if mode == EscapeMode::Template => {
            // V8 marks the `0` of `\0d`, or nothing (at the digit) for `\1`…`\9`.
            let at = i - 1;
            let width = usize::from(c == b'0');
            return Err(ScanError::at(LexErrorKind::OctalInTemplate, at, at + width));
        }
        b'0'..=b'7' => {
            // Legacy octal escape (sloppy mode): up to three digits, value at most 0o377.
            let mut v = (c - b'0') as u32;
            let max_len = if c <= b'3' { 2 } else { 1 };
            let mut n = 0;
            while n < max_len && i < b.len() && (b'0'..=b'7').contains(&b[i]) {
                v = v * 8 + (b[i] - b'0') as u32;
                i += 1;
                n += 1;
            }
            out.push(v as u16);
        }
        b'8' | b'9' => out.push(c as u16),
        b'x' => {
            let h1 = b.get(i).copied().and_then(hex_val);
            let h2 = b.get(i + 1).copied().and_then(hex_val);
            match (h1, h2) {
                (Some(a), Some(d)) => {
                    out.push((a * 16 + d) as u16);
                    i += 2;
                }
                _ => return Err(ScanError::at(LexErrorKind::InvalidHexEscape, bs, bs + 4)),
            }
        }
        b'u' => {
            let (cp, next) = unicode_escape(src, bs)?;
            i = next;
            push_code_point(out, cp);
        }
        b'\r' => {
            if i < b.len() && b[i] == b'\n' {
                i += 1;
            }
        }
        b'\n' => {}
        _ if c >= 0x80 => {
            let ch = src[i - 1..].chars().next().unwrap_or('\u{FFFD}');
            i += ch.len_utf8() - 1;
            if ch != '\u{2028}' && ch != '\u{2029}' {
                let mut buf = [0u16; 2];
                out.extend_from_slice(ch.encode_utf16(&mut buf));
            }
        }
        _ => out.push(c as u16),
    }
    Ok(i)
}

fn push_code_point(out: &mut Vec<u16>, cp: u32) {
    if cp < 0x10000 {
        out.push(cp as u16);
    } else {
        let v = cp - 0x10000;
        out.push(0xD800 + (v >> 10) as u16);
        out.push(0xDC00 + (v & 0x3FF) as u16);
    }
}

/// A `\u` escape whose backslash is at `bs`: `\uXXXX` or `\u{X…}`. Returns the code point and
/// the index after the escape.
pub fn unicode_escape(src: &str, bs: usize) -> Result<(u32, usize), ScanError> {
    let b = src.as_bytes();
    let mut i = bs + 2;
    if b.get(i) == Some(&b'{') {
        i += 1;
        let mut v: u32 = 0;
        let ds = i;
        loop {
            match b.get(i) {
                Some(b'}') if i > ds => return Ok((v, i + 1)),
                Some(&c) if hex_val(c).is_some() => {
                    v = v.saturating_mul(16).saturating_add(hex_val(c).unwrap_or(0));
                    if v > 0x10FFFF {
                        return Err(ScanError::at(
                            LexErrorKind::UndefinedUnicodeCodePoint,
                            bs,
                            i + 1,
                        ));
                    }
                    i += 1;
                }
                _ => return Err(ScanError::at(LexErrorKind::InvalidUnicodeEscape, i, i + 1)),
            }
        }
    } else {
        let mut v = 0;
        for k in 0..4 {
            let d = b
                .get(i + k)
                .copied()
                .and_then(hex_val)
                .ok_or(ScanError::at(
                    LexErrorKind::InvalidUnicodeEscape,
                    bs,
                    bs + 6,
                ))?;
            v = v * 16 + d;
        }
        Ok((v, i + 4))
    }
}

/// Where a template chunk ended.
pub enum ChunkEnd {
    /// At the closing backtick.
    Tail,
    /// At `${`.
    Substitution,
}

/// Scans a template chunk starting at `i` (just after `` ` `` or `}`). Returns the chunk, how it
/// ended and the index after its terminator (`` ` `` or `${`). An unterminated template is an
/// error at the end of input, as V8 reports it ("Unexpected end of input").
pub fn template_chunk(
    src: &str,
    mut i: usize,
) -> Result<(TemplateChunk, ChunkEnd, usize), ScanError> {
    let b = src.as_bytes();
    let mut cooked: Option<Vec<u16>> = Some(Vec::new());
    let mut invalid_escape = None;
    let mut raw: Vec<u16> = Vec::new();
    let eof = || ScanError::at(LexErrorKind::UnterminatedTemplate, src.len(), src.len());
    loop {
        if i >= b.len() {
            return Err(eof());
        }
        match b[i] {
            b'`' => {
                let cooked = cooked.map(|v| Utf16(v.into_boxed_slice()));
                let chunk = TemplateChunk {
                    cooked,
                    raw: Utf16(raw.into_boxed_slice()),
                    invalid_escape,
                };
                return Ok((chunk, ChunkEnd::Tail, i + 1));
            }
            b'$' if b.get(i + 1) == Some(&b'{') => {
                let cooked = cooked.map(|v| Utf16(v.into_boxed_slice()));
                let chunk = TemplateChunk {
                    cooked,
                    raw: Utf16(raw.into_boxed_slice()),
                    invalid_escape,
                };
                return Ok((chunk, ChunkEnd::Substitution, i + 2));
            }
            b'\\' => {
                let mut tmp = Vec::new();
                let end = match escape(src, i, &mut tmp, EscapeMode::Template) {
                    Ok(end) => {
                        if let Some(c) = cooked.as_mut() {
                            c.extend_from_slice(&tmp);
                        }
                        end
                    }
                    Err(e) if e.kind == LexErrorKind::UnterminatedString => return Err(eof()),
                    Err(e) => {
                        // Invalid escape: the cooked value is undefined (legal only when tagged).
                        cooked = None;
                        invalid_escape.get_or_insert(e);
                        let ch = src[i + 1..].chars().next().map_or(1, char::len_utf8);
                        i + 1 + ch
                    }
                };
                // Raw text: the source, with CRLF and CR normalised to LF.
                push_raw(&src[i..end], &mut raw);
                i = end;
            }
            b'\r' => {
                let end = if b.get(i + 1) == Some(&b'\n') {
                    i + 2
                } else {
                    i + 1
                };
                if let Some(c) = cooked.as_mut() {
                    c.push(0x0A);
                }
                raw.push(0x0A);
                i = end;
            }
            c if c < 0x80 => {
                if let Some(v) = cooked.as_mut() {
                    v.push(c as u16);
                }
                raw.push(c as u16);
                i += 1;
            }
            _ => {
                let ch = src[i..].chars().next().unwrap_or('\u{FFFD}');
                let mut buf = [0u16; 2];
                let units = ch.encode_utf16(&mut buf);
                if let Some(v) = cooked.as_mut() {
                    v.extend_from_slice(units);
                }
                raw.extend_from_slice(units);
                i += ch.len_utf8();
            }
        }
    }
}

fn push_raw(text: &str, raw: &mut Vec<u16>) {
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\r' {
            if chars.peek() == Some(&'\n') {
                chars.next();
            }
            raw.push(0x0A);
        } else {
            let mut buf = [0u16; 2];
            raw.extend_from_slice(c.encode_utf16(&mut buf));
        }
    }
}

/// Scans a regular expression literal whose `/` is at `start`. Returns pattern, flags and end.
/// Errors mark the opening `/`, as V8 does.
pub fn regexp(src: &str, start: usize) -> Result<(Box<str>, Box<str>, usize), ScanError> {
    let unterminated = || ScanError::at(LexErrorKind::UnterminatedRegExp, start, start + 1);
    let mut i = start + 1;
    let mut in_class = false;
    let mut chars = src[i..].char_indices();
    let body_end;
    loop {
        let Some((off, c)) = chars.next() else {
            return Err(unterminated());
        };
        if is_line_terminator(c) {
            return Err(unterminated());
        }
        match c {
            '\\' => match chars.next() {
                Some((_, n)) if !is_line_terminator(n) => {}
                _ => return Err(unterminated()),
            },
            '[' => in_class = true,
            ']' => in_class = false,
            '/' if !in_class => {
                body_end = i + off;
                break;
            }
            _ => {}
        }
    }
    let pattern = &src[i..body_end];
    i = body_end + 1;
    let flags_start = i;
    for c in src[i..].chars() {
        if is_id_continue(c) || c == '\\' {
            i += c.len_utf8();
        } else {
            break;
        }
    }
    let flags = &src[flags_start..i];
    let mut seen = [false; 128];
    for c in flags.chars() {
        let ok = "dgimsuyv".contains(c) && !std::mem::replace(&mut seen[c as usize], true);
        if !ok {
            return Err(ScanError::at(
                LexErrorKind::BadRegExpFlags,
                start,
                start + 1,
            ));
        }
    }
    Ok((pattern.into(), flags.into(), i))
}

/// Scans the rest of an identifier from byte `i` (the identifier may already have started at
/// `start`). Handles non-ASCII letters and `\uXXXX` escapes. Returns the name, whether it had an
/// escape, and its end.
pub fn identifier(
    src: &str,
    start: usize,
    mut i: usize,
) -> Result<(String, bool, usize), ScanError> {
    let mut name = String::from(&src[start..i]);
    let mut escaped = false;
    while let Some(c) = src[i..].chars().next() {
        let first = name.is_empty();
        if c == '\\' {
            if src.as_bytes().get(i + 1) != Some(&b'u') {
                return Err(ScanError::at(LexErrorKind::InvalidToken, i, i + 1));
            }
            let (cp, end) = unicode_escape(src, i)?;
            let ok = char::from_u32(cp).filter(|&ch| {
                if first {
                    is_id_start(ch)
                } else {
                    is_id_continue(ch)
                }
            });
            let Some(ch) = ok else {
                return Err(ScanError::at(LexErrorKind::InvalidToken, i, end));
            };
            name.push(ch);
            escaped = true;
            i = end;
        } else if (first && is_id_start(c)) || (!first && is_id_continue(c)) {
            name.push(c);
            i += c.len_utf8();
        } else {
            break;
        }
    }
    if name.is_empty() {
        return Err(ScanError::at(LexErrorKind::InvalidToken, start, start + 1));
    }
    Ok((name, escaped, i))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn num(s: &str) -> Result<NumLit, LexErrorKind> {
        scan_number(s, 0).map(|(n, _)| n).map_err(|e| e.kind)
    }

    #[test]
    fn numbers() {
        assert_eq!(num("123"), Ok(NumLit::Num(123.0)));
        assert_eq!(num("1_000"), Ok(NumLit::Num(1000.0)));
        assert_eq!(num("0x1F"), Ok(NumLit::Num(31.0)));
        assert_eq!(num("0o17"), Ok(NumLit::Num(15.0)));
        assert_eq!(num("0b101"), Ok(NumLit::Num(5.0)));
        assert_eq!(num("010"), Ok(NumLit::Num(8.0)));
        assert_eq!(num("09.5"), Ok(NumLit::Num(9.5)));
        assert_eq!(num(".5"), Ok(NumLit::Num(0.5)));
        assert_eq!(num("1e3"), Ok(NumLit::Num(1000.0)));
        assert_eq!(num("1.5e-3"), Ok(NumLit::Num(0.0015)));
        assert_eq!(num("5."), Ok(NumLit::Num(5.0)));
        assert_eq!(num("10n"), Ok(NumLit::BigInt("10".into())));
        assert!(num("1__0").is_err());
        assert!(num("1_").is_err());
        assert!(num("0b2").is_err());
        assert!(num("3in").is_err());
        assert!(num("1e").is_err());
        assert!(num("0x").is_err());
    }

    #[test]
    fn templates() {
        let (c, _, end) = template_chunk("a\\nb${", 0).unwrap();
        assert_eq!(c.cooked.unwrap().to_string_lossy(), "a\nb");
        assert_eq!(c.raw.to_string_lossy(), "a\\nb");
        assert_eq!(end, 6);
        let (c, _, _) = template_chunk("\\unicode`", 0).unwrap();
        assert!(c.cooked.is_none());
    }

    #[test]
    fn regexps() {
        let (p, f, end) = regexp("/a[/]b\\//gi;", 0).unwrap();
        assert_eq!(&*p, "a[/]b\\/");
        assert_eq!(&*f, "gi");
        assert_eq!(end, 11);
        assert!(regexp("/abc\n/", 0).is_err());
    }
}
