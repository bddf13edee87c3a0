//! Syntax errors: typed values with spans. The message text (V8's wording) is produced only by
//! [`SyntaxError::message`], at the border where errors are shown.

use super::ast::Span;
use super::token::{LexErrorKind, Tok};

#[derive(Debug, Clone, PartialEq)]
pub struct SyntaxError {
    pub kind: SyntaxErrorKind,
    pub span: Span,
}

/// The error's JavaScript class: almost always `SyntaxError`; a tree nested too deep is a
/// `RangeError`, as in V8.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorClass {
    SyntaxError,
    RangeError,
}

#[derive(Debug, Clone, PartialEq)]
pub enum SyntaxErrorKind {
    Lex(LexErrorKind),
    /// A token no production accepts here.
    UnexpectedToken(Tok),
    UnexpectedEnd,
    /// A call's argument list is not closed (`f(a b)`).
    MissingParenAfterArgs,
    MissingBraceInTemplate,
    MissingCatchOrFinally,
    NewlineAfterThrow,
    TooDeep,
    InvalidLhsAssign,
    InvalidLhsPrefix,
    InvalidLhsPostfix,
    InvalidLhsForIn,
    InvalidLhsForOf,
    InvalidDestructuringTarget,
    InvalidShorthandInit,
    AlreadyDeclared(Box<str>),
    IllegalReturn,
    IllegalBreak,
    IllegalContinue,
    UndefinedLabel(Box<str>),
    LabelRedeclared(Box<str>),
    DuplicateParam,
    LetInLexical,
    MissingInitializer {
        is_const: bool,
    },
    RestLast,
    RestInit,
    GetterArity,
    SetterArity,
    DuplicateProto,
    NewTargetOutsideFunction,
    SuperCallOutsideConstructor,
    SuperPropOutsideMethod,
    ForInOfMultipleDecls(&'static str),
    ForInOfInitializer(&'static str),
    ForOfStartsWithLet,
    MalformedArrowParams,
    OptionalChainFromNew,
    OptionalChainTemplate,
    SetterRest,
    RestNotAssignable,
    RestNotIdentifier,
    StrictReserved,
    UnaryBeforeExponent,
    DuplicateConstructor,
    ConstructorIsSpecial,
    ConstructorIsAsync,
    ConstructorIsGenerator,
    RestElementLast,
    RestParamLast,
    YieldOutsideGenerator,
    AwaitOutsideAsync,
    InvalidTemplateEscape,
    InvalidRegExp(String),
    InvalidUtf8,
    /// Constructs this parser does not support yet (`import`, `export`, `with` in strict code …).
    Unsupported(&'static str),
    // Early errors found on the finished tree (`early`).
    /// `continue L` where `L` does not label a loop.
    IllegalContinueLabel(Box<str>),
    /// A keyword or punctuator where V8's parser wanted something else, by its text.
    UnexpectedTokenText(Box<str>),
    /// `await` (or `for await`) where it is a reserved word.
    ReservedWord,
    LexicalInSingleStatement,
    StrictFunctionPosition,
    SloppyFunctionPosition,
    GeneratorPosition,
    AsyncFunctionPosition,
    StrictEvalArguments,
    StrictWith,
    StrictDelete,
    StrictOctalLiteral,
    StrictDecimalLeadingZero,
    StrictOctalEscape,
    Strict8Or9Escape,
    UseStrictNonSimple,
    YieldInParameter,
    AwaitInParameter,
    ArgumentsInClassField,
    /// A private name (without `#`) used where no enclosing class declares it.
    PrivateNotDeclared(Box<str>),
    PrivateDelete,
    StaticPrototype,
    ConstructorField,
    ConstructorPrivate,
    MultipleDefaults,
}

impl SyntaxError {
    pub fn new(kind: SyntaxErrorKind, span: Span) -> SyntaxError {
        SyntaxError { kind, span }
    }

    pub fn class(&self) -> ErrorClass {
        match self.kind {
            SyntaxErrorKind::TooDeep => ErrorClass::RangeError,
            _ => ErrorClass::SyntaxError,
        }
    }

    /// The message, in V8's words.
    pub fn message(&self) -> String {
        use SyntaxErrorKind::*;
        match &self.kind {
            Lex(k) => lex_message(k).to_string(),
            UnexpectedToken(t) => unexpected_token(t),
            UnexpectedEnd => "Unexpected end of input".into(),
            MissingParenAfterArgs => "missing ) after argument list".into(),
            MissingBraceInTemplate => "Missing } in template expression".into(),
            MissingCatchOrFinally => "Missing catch or finally after try".into(),
            NewlineAfterThrow => "Illegal newline after throw".into(),
            TooDeep => "Maximum call stack size exceeded".into(),
            InvalidLhsAssign => "Invalid left-hand side in assignment".into(),
            InvalidLhsPrefix => "Invalid left-hand side expression in prefix operation".into(),
            InvalidLhsPostfix => "Invalid left-hand side expression in postfix operation".into(),
            InvalidLhsForIn | InvalidLhsForOf => "Invalid left-hand side in for-loop".into(),
            InvalidDestructuringTarget => "Invalid destructuring assignment target".into(),
            InvalidShorthandInit => "Invalid shorthand property initializer".into(),
            AlreadyDeclared(n) => format!("Identifier '{n}' has already been declared"),
            IllegalReturn => "Illegal return statement".into(),
            IllegalBreak => "Illegal break statement".into(),
            IllegalContinue => "Illegal continue statement: no surrounding iteration statement".into(),
            UndefinedLabel(n) => format!("Undefined label '{n}'"),
            LabelRedeclared(n) => format!("Label '{n}' has already been declared"),
            DuplicateParam => "Duplicate parameter name not allowed in this context".into(),
            LetInLexical => "let is disallowed as a lexically bound name".into(),
            MissingInitializer { is_const: true } => "Missing initializer in const declaration".into(),
            MissingInitializer { is_const: false } => "Missing initializer in destructuring declaration".into(),
            RestLast => "Rest parameter must be last formal parameter".into(),
            RestInit => "Rest parameter may not have a default initializer".into(),
            GetterArity => "Getter must not have any formal parameters.".into(),
            SetterArity => "Setter must have exactly one formal parameter.".into(),
            DuplicateProto => "Duplicate __proto__ fields are not allowed in object literals".into(),
            NewTargetOutsideFunction => "new.target expression is not allowed here".into(),
            SuperCallOutsideConstructor => "'super' keyword unexpected here".into(),
            SuperPropOutsideMethod => "'super' keyword unexpected here".into(),
            ForInOfMultipleDecls(which) => {
                format!("Invalid left-hand side in {which} loop: Must have a single binding.")
            }
            MalformedArrowParams => "Malformed arrow function parameter list".into(),
            OptionalChainFromNew => "Invalid optional chain from new expression".into(),
            OptionalChainTemplate => "Invalid tagged template on optional chain".into(),
            SetterRest => "Setter function argument must not be a rest parameter".into(),
            RestNotAssignable => {
                "`...` must be followed by an assignable reference in assignment contexts".into()
            }
            RestNotIdentifier => {
                "`...` must be followed by an identifier in declaration contexts".into()
            }
            ForOfStartsWithLet => "The left-hand side of a for-of loop may not start with 'let'.".into(),
            ForInOfInitializer(which) => format!("{which} loop variable declaration may not have an initializer."),
            StrictReserved => "Unexpected strict mode reserved word".into(),
            UnaryBeforeExponent => "Unary operator used immediately before exponentiation expression. Parenthesis must be used to disambiguate operator precedence".into(),
            DuplicateConstructor => "A class may only have one constructor".into(),
            ConstructorIsSpecial => "Class constructor may not be an accessor".into(),
            ConstructorIsAsync => "Class constructor may not be an async method".into(),
            ConstructorIsGenerator => "Class constructor may not be a generator".into(),
            RestElementLast => "Rest element must be last element".into(),
            RestParamLast => "Rest parameter must be last formal parameter".into(),
            YieldOutsideGenerator => "Unexpected identifier 'yield'".into(),
            AwaitOutsideAsync => "await is only valid in async functions and the top level bodies of modules".into(),
            InvalidTemplateEscape => "Invalid escape sequence in template".into(),
            InvalidRegExp(m) => m.clone(),
            InvalidUtf8 => "Invalid or unexpected token".into(),
            Unsupported(what) => format!("Unexpected token '{what}'"),
            IllegalContinueLabel(n) => {
                format!("Illegal continue statement: '{n}' does not denote an iteration statement")
            }
            UnexpectedTokenText(t) => format!("Unexpected token '{t}'"),
            ReservedWord => "Unexpected reserved word".into(),
            LexicalInSingleStatement => "Lexical declaration cannot appear in a single-statement context".into(),
            StrictFunctionPosition => "In strict mode code, functions can only be declared at top level or inside a block.".into(),
            SloppyFunctionPosition => "In non-strict mode code, functions can only be declared at top level, inside a block, or as the body of an if statement.".into(),
            GeneratorPosition => "Generators can only be declared at the top level or inside a block.".into(),
            AsyncFunctionPosition => "Async functions can only be declared at the top level or inside a block.".into(),
            StrictEvalArguments => "Unexpected eval or arguments in strict mode".into(),
            StrictWith => "Strict mode code may not include a with statement".into(),
            StrictDelete => "Delete of an unqualified identifier in strict mode.".into(),
            StrictOctalLiteral => "Octal literals are not allowed in strict mode.".into(),
            StrictDecimalLeadingZero => "Decimals with leading zeros are not allowed in strict mode.".into(),
            StrictOctalEscape => "Octal escape sequences are not allowed in strict mode.".into(),
            Strict8Or9Escape => "\\8 and \\9 are not allowed in strict mode.".into(),
            UseStrictNonSimple => "Illegal 'use strict' directive in function with non-simple parameter list".into(),
            YieldInParameter => "Yield expression not allowed in formal parameter".into(),
            AwaitInParameter => "Illegal await-expression in formal parameters of async function".into(),
            ArgumentsInClassField => "'arguments' is not allowed in class field initializer or static initialization block".into(),
            PrivateNotDeclared(n) => format!("Private field '#{n}' must be declared in an enclosing class"),
            PrivateDelete => "Private fields can not be deleted".into(),
            StaticPrototype => "Classes may not have a static property named 'prototype'".into(),
            ConstructorField => "Classes may not have a field named 'constructor'".into(),
            ConstructorPrivate => "Class constructor may not be a private method".into(),
            MultipleDefaults => "More than one default clause in switch statement".into(),
        }
    }
}

fn lex_message(k: &LexErrorKind) -> &'static str {
    use LexErrorKind::*;
    match k {
        InvalidToken | UnterminatedString | InvalidNumber | InvalidUtf8 => {
            "Invalid or unexpected token"
        }
        UnterminatedTemplate => "Unexpected end of input",
        UnterminatedRegExp => "Invalid regular expression: missing /",
        UnterminatedComment => "Invalid or unexpected token",
        NumericSeparator(m) => m,
        UndefinedUnicodeCodePoint => "Undefined Unicode code-point",
        InvalidHexEscape => "Invalid hexadecimal escape sequence",
        InvalidUnicodeEscape => "Invalid Unicode escape sequence",
        OctalInTemplate => "Octal escape sequences are not allowed in template strings.",
        EscapedKeyword => "Keyword must not contain escaped characters",
        BadRegExpFlags => "Invalid regular expression flags",
    }
}

/// `Unexpected token ')'`, `Unexpected identifier 'x'`, `Unexpected number`, … as V8 words it.
pub fn unexpected_token(t: &Tok) -> String {
    match t {
        Tok::Ident(name) => format!("Unexpected identifier '{name}'"),
        Tok::Of | Tok::Get | Tok::Set | Tok::Static | Tok::Let | Tok::Yield => {
            format!("Unexpected identifier '{}'", t.text())
        }
        Tok::Number(_) | Tok::BigInt(_) => "Unexpected number".into(),
        Tok::String(_) => "Unexpected string".into(),
        Tok::NoSubTemplate(_)
        | Tok::TemplateHead(_)
        | Tok::TemplateMiddle(_)
        | Tok::TemplateTail(_) => "Unexpected template string".into(),
        // V8 scans a `/` as a regular expression only where one may stand, so where none may,
        // it reports the `/` itself.
        Tok::RegExp(..) => "Unexpected token '/'".into(),
        Tok::PrivateName(n) => format!("Unexpected identifier '#{n}'"),
        Tok::Enum | Tok::Await => "Unexpected reserved word".into(),
        _ => format!("Unexpected token '{}'", t.text()),
    }
}
