//! Tokens: the raw logos tokens and the parser-facing [`Tok`].
//!
//! logos recognises the context-free part of JavaScript's lexical grammar (punctuators, keywords,
//! ASCII identifiers, comments, line terminators) and hands numbers and strings to small
//! hand-written scanners in [`super::scan`]. Everything that needs context — regular expression
//! literals versus `/`, template literals nested through `${ }`, and the line-terminator facts
//! that automatic semicolon insertion needs — lives in the stateful adapter in [`super::lexer`],
//! which turns [`RawTok`]s into [`Tok`]s.

use logos::Logos;

use super::scan;

/// A scanner error with the byte range V8 marks for it (`None`: the logos token's span).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ScanError {
    pub kind: LexErrorKind,
    pub span: Option<(usize, usize)>,
}

impl ScanError {
    pub fn at(kind: LexErrorKind, start: usize, end: usize) -> ScanError {
        ScanError {
            kind,
            span: Some((start, end)),
        }
    }
}

impl From<LexErrorKind> for ScanError {
    fn from(kind: LexErrorKind) -> ScanError {
        ScanError { kind, span: None }
    }
}

/// Why a piece of source text is not a token. Rendered in V8's words by
/// [`super::error::SyntaxErrorKind`].
#[derive(Debug, Clone, PartialEq, Default)]
pub enum LexErrorKind {
    /// Any character or sequence that starts no token (`#`, `@`, a bad escape, …).
    #[default]
    InvalidToken,
    UnterminatedString,
    UnterminatedTemplate,
    UnterminatedRegExp,
    UnterminatedComment,
    /// `1__0`, `1_`: "Numeric separators are not allowed …" in V8's words.
    NumericSeparator(&'static str),
    /// `"\u{110000}"`.
    UndefinedUnicodeCodePoint,
    InvalidHexEscape,
    InvalidUnicodeEscape,
    /// `0b2`, `3in`: an identifier start or digit straight after a numeric literal.
    InvalidNumber,
    /// Legacy octal escapes / literals are fine in sloppy scripts; kept for strict code.
    OctalInTemplate,
    InvalidUtf8,
    /// `\u0069f`: a keyword spelled with escapes.
    EscapedKeyword,
    BadRegExpFlags,
}

/// A string literal's value: JavaScript strings are sequences of UTF-16 code units, which may
/// hold lone surrogates that no Rust `String` can.
#[derive(Clone, PartialEq, Eq, Hash, Default)]
pub struct Utf16(pub Box<[u16]>);

impl Utf16 {
    pub fn from_utf8_str(s: &str) -> Self {
        Utf16(s.encode_utf16().collect())
    }
    /// Lossy conversion for display (lone surrogates become U+FFFD).
    pub fn to_string_lossy(&self) -> String {
        String::from_utf16_lossy(&self.0)
    }
    pub fn as_str_if_valid(&self) -> Option<String> {
        String::from_utf16(&self.0).ok()
    }
}

impl std::fmt::Debug for Utf16 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?}", self.to_string_lossy())
    }
}

impl TemplateChunk {
    pub fn empty() -> TemplateChunk {
        TemplateChunk {
            cooked: None,
            raw: Utf16::default(),
            invalid_escape: None,
        }
    }
}

/// One template chunk: `cooked` is `None` when the chunk has an escape that is invalid in a
/// cooked string (allowed only in tagged templates).
#[derive(Debug, Clone, PartialEq)]
pub struct TemplateChunk {
    pub cooked: Option<Utf16>,
    pub raw: Utf16,
    /// Why `cooked` is `None`: the first invalid escape, reported if the template is untagged.
    pub invalid_escape: Option<ScanError>,
}

/// The raw tokens logos recognises. Whitespace other than line terminators is skipped here;
/// line terminators and comments are tokens so the adapter can record them for ASI.
#[derive(Logos, Debug, Clone, PartialEq)]
#[logos(error = ScanError)]
#[logos(skip r"[ \t\u{000B}\u{000C}\u{00A0}\u{FEFF}\u{1680}\u{2000}-\u{200A}\u{202F}\u{205F}\u{3000}]+")]
pub enum RawTok {
    #[regex(r"\r\n|[\n\r\u{2028}\u{2029}]")]
    Newline,
    #[regex(r"//[^\n\r\u{2028}\u{2029}]*", allow_greedy = true)]
    LineComment,
    #[token("/*", scan::block_comment)]
    BlockComment(bool), // true when it contains a line terminator
    #[regex(r"[A-Za-z_$][A-Za-z0-9_$]*", priority = 1)]
    AsciiIdent,
    /// A non-ASCII character or a backslash: maybe the start of an identifier, which the
    /// adapter scans by hand with Unicode ID_Start/ID_Continue.
    #[regex(r"[^\x00-\x7F]|\\", priority = 0)]
    IdentStartOther,
    #[regex(r"[0-9]|\.[0-9]", scan::number)]
    Number(scan::NumLit),
    #[token("\"", |lex| scan::string(lex, b'"'))]
    #[token("'", |lex| scan::string(lex, b'\''))]
    String(Utf16),
    #[token("`")]
    Backtick,

    // Punctuators.
    #[token("{")]
    LBrace,
    #[token("}")]
    RBrace,
    #[token("(")]
    LParen,
    #[token(")")]
    RParen,
    #[token("[")]
    LBracket,
    #[token("]")]
    RBracket,
    #[token(".")]
    Dot,
    #[token("...")]
    Ellipsis,
    #[token(";")]
    Semi,
    #[token(",")]
    Comma,
    #[token("<")]
    Lt,
    #[token(">")]
    Gt,
    #[token("<=")]
    Le,
    #[token(">=")]
    Ge,
    #[token("==")]
    EqEq,
    #[token("!=")]
    Ne,
    #[token("===")]
    EqEqEq,
    #[token("!==")]
    NeEq,
    #[token("+")]
    Plus,
    #[token("-")]
    Minus,
    #[token("*")]
    Star,
    #[token("/")]
    Slash,
    #[token("%")]
    Percent,
    #[token("**")]
    StarStar,
    #[token("++")]
    PlusPlus,
    #[token("--")]
    MinusMinus,
    #[token("<<")]
    Shl,
    #[token(">>")]
    Shr,
    #[token(">>>")]
    UShr,
    #[token("&")]
    Amp,
    #[token("|")]
    Pipe,
    #[token("^")]
    Caret,
    #[token("!")]
    Bang,
    #[token("~")]
    Tilde,
    #[token("&&")]
    AmpAmp,
    #[token("||")]
    PipePipe,
    #[token("??")]
    QQ,
    #[token("?")]
    Question,
    #[token("?.")]
    QDot,
    #[token(":")]
    Colon,
    #[token("=")]
    Eq,
    #[token("+=")]
    PlusEq,
    #[token("-=")]
    MinusEq,
    #[token("*=")]
    StarEq,
    #[token("/=")]
    SlashEq,
    #[token("%=")]
    PercentEq,
    #[token("**=")]
    StarStarEq,
    #[token("<<=")]
    ShlEq,
    #[token(">>=")]
    ShrEq,
    #[token(">>>=")]
    UShrEq,
    #[token("&=")]
    AmpEq,
    #[token("|=")]
    PipeEq,
    #[token("^=")]
    CaretEq,
    #[token("&&=")]
    AmpAmpEq,
    #[token("||=")]
    PipePipeEq,
    #[token("??=")]
    QQEq,
    #[token("=>")]
    Arrow,
    #[token("#")]
    Hash,
    /// `<!--`: an HTML-like comment opener (ECMA-262 Annex B), a comment to the end of the line.
    #[token("<!--")]
    HtmlOpen,
    /// `-->`: a comment at the start of a line (Annex B), else `--` followed by `>`.
    #[token("-->")]
    HtmlClose,
}

/// Parser-facing tokens. Identifier-like words are split into keywords and contextual words by
/// [`keyword`]; the adapter adds regex and template tokens.
#[derive(Debug, Clone, PartialEq)]
pub enum Tok {
    Ident(Box<str>),
    /// `#name` (private names); parsed so the error is a proper SyntaxError later.
    PrivateName(Box<str>),
    Number(f64),
    BigInt(Box<str>),
    String(Utf16),
    /// A template with no substitutions: `` `abc` ``.
    NoSubTemplate(Box<TemplateChunk>),
    /// `` `abc${ ``
    TemplateHead(Box<TemplateChunk>),
    /// `}abc${`
    TemplateMiddle(Box<TemplateChunk>),
    /// ``}abc` ``
    TemplateTail(Box<TemplateChunk>),
    /// Pattern and flags (boxed together, to keep tokens at three words).
    RegExp(Box<(Box<str>, Box<str>)>),

    // Keywords.
    Break,
    Case,
    Catch,
    Class,
    Const,
    Continue,
    Debugger,
    Default,
    Delete,
    Do,
    Else,
    Export,
    Extends,
    False,
    Finally,
    For,
    Function,
    If,
    Import,
    In,
    Instanceof,
    New,
    Null,
    Return,
    Super,
    Switch,
    This,
    Throw,
    True,
    Try,
    Typeof,
    Var,
    Void,
    While,
    With,
    Yield,
    Let,
    Await,
    Enum,
    // Contextual words: identifiers to the grammar, except where they introduce syntax.
    Async,
    Of,
    Get,
    Set,
    Static,

    // Punctuators.
    LBrace,
    RBrace,
    LParen,
    RParen,
    LBracket,
    RBracket,
    Dot,
    Ellipsis,
    Semi,
    Comma,
    Lt,
    Gt,
    Le,
    Ge,
    EqEq,
    Ne,
    EqEqEq,
    NeEq,
    Plus,
    Minus,
    Star,
    Slash,
    Percent,
    StarStar,
    PlusPlus,
    MinusMinus,
    /// `++` with a line terminator before it: only a prefix operator (the restricted
    /// production `LeftHandSideExpression [no LineTerminator here] ++`).
    PlusPlusNl,
    /// `yield` followed by a line terminator: a yield with no operand.
    YieldNl,
    MinusMinusNl,
    Shl,
    Shr,
    UShr,
    Amp,
    Pipe,
    Caret,
    Bang,
    Tilde,
    AmpAmp,
    PipePipe,
    QQ,
    Question,
    QDot,
    Colon,
    Eq,
    PlusEq,
    MinusEq,
    StarEq,
    SlashEq,
    PercentEq,
    StarStarEq,
    ShlEq,
    ShrEq,
    UShrEq,
    AmpEq,
    PipeEq,
    CaretEq,
    AmpAmpEq,
    PipePipeEq,
    QQEq,
    Arrow,
    /// `=>` after a line terminator: accepted by no production, so it is a syntax error.
    ArrowNl,
}

/// Keywords and contextual words, or `None` for a plain identifier.
pub fn keyword(word: &str) -> Option<Tok> {
    Some(match word {
        "break" => Tok::Break,
        "case" => Tok::Case,
        "catch" => Tok::Catch,
        "class" => Tok::Class,
        "const" => Tok::Const,
        "continue" => Tok::Continue,
        "debugger" => Tok::Debugger,
        "default" => Tok::Default,
        "delete" => Tok::Delete,
        "do" => Tok::Do,
        "else" => Tok::Else,
        "export" => Tok::Export,
        "extends" => Tok::Extends,
        "false" => Tok::False,
        "finally" => Tok::Finally,
        "for" => Tok::For,
        "function" => Tok::Function,
        "if" => Tok::If,
        "import" => Tok::Import,
        "in" => Tok::In,
        "instanceof" => Tok::Instanceof,
        "new" => Tok::New,
        "null" => Tok::Null,
        "return" => Tok::Return,
        "super" => Tok::Super,
        "switch" => Tok::Switch,
        "this" => Tok::This,
        "throw" => Tok::Throw,
        "true" => Tok::True,
        "try" => Tok::Try,
        "typeof" => Tok::Typeof,
        "var" => Tok::Var,
        "void" => Tok::Void,
        "while" => Tok::While,
        "with" => Tok::With,
        "yield" => Tok::Yield,
        "let" => Tok::Let,
        "await" => Tok::Await,
        "enum" => Tok::Enum,
        "async" => Tok::Async,
        "of" => Tok::Of,
        "get" => Tok::Get,
        "set" => Tok::Set,
        "static" => Tok::Static,
        _ => return None,
    })
}

impl Tok {
    /// The token without its payload (no allocation): what the lexer remembers of the previous
    /// token, where only the kind matters.
    pub fn kind_only(&self) -> Tok {
        match self {
            Tok::Ident(_) => Tok::Ident(Box::default()),
            Tok::PrivateName(_) => Tok::PrivateName(Box::default()),
            Tok::BigInt(_) => Tok::BigInt(Box::default()),
            Tok::String(_) => Tok::String(Utf16::default()),
            Tok::RegExp(_) => Tok::RegExp(Box::default()),
            Tok::NoSubTemplate(_) => Tok::NoSubTemplate(Box::new(TemplateChunk::empty())),
            Tok::TemplateHead(_) => Tok::TemplateHead(Box::new(TemplateChunk::empty())),
            Tok::TemplateMiddle(_) => Tok::TemplateMiddle(Box::new(TemplateChunk::empty())),
            Tok::TemplateTail(_) => Tok::TemplateTail(Box::new(TemplateChunk::empty())),
            t => t.clone(),
        }
    }

    /// Whether the token is an identifier or a reserved or contextual word.
    pub fn is_word(&self) -> bool {
        matches!(self, Tok::Ident(_))
            || self
                .text()
                .as_bytes()
                .first()
                .is_some_and(u8::is_ascii_lowercase)
    }

    /// The source spelling of a keyword or punctuator, as V8 quotes it in
    /// `Unexpected token 'x'`.
    pub fn text(&self) -> &'static str {
        use Tok::*;
        match self {
            Ident(_) | PrivateName(_) | Number(_) | BigInt(_) | String(_) | RegExp(..) => "",
            NoSubTemplate(_) | TemplateHead(_) | TemplateMiddle(_) | TemplateTail(_) => "",
            Break => "break",
            Case => "case",
            Catch => "catch",
            Class => "class",
            Const => "const",
            Continue => "continue",
            Debugger => "debugger",
            Default => "default",
            Delete => "delete",
            Do => "do",
            Else => "else",
            Export => "export",
            Extends => "extends",
            False => "false",
            Finally => "finally",
            For => "for",
            Function => "function",
            If => "if",
            Import => "import",
            In => "in",
            Instanceof => "instanceof",
            New => "new",
            Null => "null",
            Return => "return",
            Super => "super",
            Switch => "switch",
            This => "this",
            Throw => "throw",
            True => "true",
            Try => "try",
            Typeof => "typeof",
            Var => "var",
            Void => "void",
            While => "while",
            With => "with",
            Yield | YieldNl => "yield",
            Let => "let",
            Await => "await",
            Enum => "enum",
            Async => "async",
            Of => "of",
            Get => "get",
            Set => "set",
            Static => "static",
            LBrace => "{",
            RBrace => "}",
            LParen => "(",
            RParen => ")",
            LBracket => "[",
            RBracket => "]",
            Dot => ".",
            Ellipsis => "...",
            Semi => ";",
            Comma => ",",
            Lt => "<",
            Gt => ">",
            Le => "<=",
            Ge => ">=",
            EqEq => "==",
            Ne => "!=",
            EqEqEq => "===",
            NeEq => "!==",
            Plus => "+",
            Minus => "-",
            Star => "*",
            Slash => "/",
            Percent => "%",
            StarStar => "**",
            PlusPlus | PlusPlusNl => "++",
            MinusMinus | MinusMinusNl => "--",
            Shl => "<<",
            Shr => ">>",
            UShr => ">>>",
            Amp => "&",
            Pipe => "|",
            Caret => "^",
            Bang => "!",
            Tilde => "~",
            AmpAmp => "&&",
            PipePipe => "||",
            QQ => "??",
            Question => "?",
            QDot => "?.",
            Colon => ":",
            Eq => "=",
            PlusEq => "+=",
            MinusEq => "-=",
            StarEq => "*=",
            SlashEq => "/=",
            PercentEq => "%=",
            StarStarEq => "**=",
            ShlEq => "<<=",
            ShrEq => ">>=",
            UShrEq => ">>>=",
            AmpEq => "&=",
            PipeEq => "|=",
            CaretEq => "^=",
            AmpAmpEq => "&&=",
            PipePipeEq => "||=",
            QQEq => "??=",
            Arrow | ArrowNl => "=>",
        }
    }

    /// Whether a `/` after this token is a division (otherwise it starts a regex literal).
    /// This is the usual one-token look-behind: after something that ends an expression, `/`
    /// divides. `)` and `}` are taken as ending expressions; the rare `if (x) /re/.test(s)`
    /// form is the known exception.
    pub fn ends_expression(&self) -> bool {
        use Tok::*;
        matches!(
            self,
            Ident(_)
                | PrivateName(_)
                | Number(_)
                | BigInt(_)
                | String(_)
                | NoSubTemplate(_)
                | TemplateTail(_)
                | RegExp(..)
                | RParen
                | RBracket
                | RBrace
                | This
                | Super
                | Null
                | True
                | False
                | PlusPlus
                | MinusMinus
                | Async
                | Of
                | Get
                | Set
                | Static
                | Let
        )
    }
}
