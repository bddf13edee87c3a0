//! `--dump-ast`: the tree as indented S-expressions, one statement per line, every node with its
//! span (`@start..end`, byte offsets). Stable, so insta snapshots of it are reviewable.
//!
//! ```text
//! (var @0..10 (let (decl @4..9 (id x @4..5) (num 1 @8..9))))
//! ```

use std::fmt::Write;

use super::ast::*;

pub fn program(p: &Program) -> String {
    let mut d = Dumper {
        out: String::new(),
        indent: 0,
    };
    for s in &p.body {
        d.stmt(s);
    }
    d.out
}

struct Dumper {
    out: String,
    indent: usize,
}

fn sp(s: Span) -> String {
    format!("@{}..{}", s.start, s.end)
}

fn quote(u: &Utf16) -> String {
    format!("{:?}", u.to_string_lossy())
}

impl Dumper {
    fn line(&mut self, text: &str) {
        for _ in 0..self.indent {
            self.out.push_str("  ");
        }
        self.out.push_str(text);
        self.out.push('\n');
    }

    fn block(&mut self, head: String, body: &[Stmt]) {
        if body.is_empty() {
            self.line(&format!("{head})"));
            return;
        }
        self.line(&head);
        self.indent += 1;
        for s in body {
            self.stmt(s);
        }
        self.indent -= 1;
        self.line(")");
    }

    fn stmt(&mut self, s: &Stmt) {
        let at = sp(s.span);
        match &s.kind {
            StmtKind::Expr(e) => self.line(&format!("(expr {at} {})", expr(e))),
            StmtKind::Var(d) => self.line(&format!("(var {at} {})", var_decl(d))),
            StmtKind::Function(f) => self.function(&format!("(function-decl {at}"), f),
            StmtKind::Class(c) => self.class(&format!("(class-decl {at}"), c),
            StmtKind::Return(e) => self.line(&format!("(return {at}{})", opt(e))),
            StmtKind::If(c, a, b) => {
                self.line(&format!("(if {at} {}", expr(c)));
                self.indent += 1;
                self.stmt(a);
                if let Some(b) = b {
                    self.line("else");
                    self.stmt(b);
                }
                self.indent -= 1;
                self.line(")");
            }
            StmtKind::Block(b) => self.block(format!("(block {at}"), b),
            StmtKind::For {
                init,
                test,
                update,
                body,
            } => {
                let init = match init.as_deref() {
                    None => "_".to_string(),
                    Some(ForInit::Var(d)) => var_decl(d),
                    Some(ForInit::Expr(e)) => expr(e),
                };
                let t = test.as_deref().map_or("_".into(), expr);
                let u = update.as_deref().map_or("_".into(), expr);
                self.nested(format!("(for {at} {init} {t} {u}"), body);
            }
            StmtKind::ForIn(h, e, body) => {
                self.nested(format!("(for-in {at} {} {}", for_head(h), expr(e)), body)
            }
            StmtKind::ForOf {
                head,
                iterable,
                body,
                is_await,
            } => {
                let kw = if *is_await { "for-await-of" } else { "for-of" };
                self.nested(
                    format!("({kw} {at} {} {}", for_head(head), expr(iterable)),
                    body,
                )
            }
            StmtKind::While(c, body) => self.nested(format!("(while {at} {}", expr(c)), body),
            StmtKind::DoWhile(body, c) => {
                self.line(&format!("(do-while {at} {}", expr(c)));
                self.indent += 1;
                self.stmt(body);
                self.indent -= 1;
                self.line(")");
            }
            StmtKind::Break(l) => self.line(&format!("(break {at}{})", label(l))),
            StmtKind::Continue(l) => self.line(&format!("(continue {at}{})", label(l))),
            StmtKind::Throw(e) => self.line(&format!("(throw {at} {})", expr(e))),
            StmtKind::Try {
                block,
                handler,
                finalizer,
            } => {
                self.block(format!("(try {at}"), block);
                if let Some(h) = handler {
                    let p = h
                        .param
                        .as_ref()
                        .map_or(String::new(), |p| format!(" {}", pattern(p)));
                    self.block(format!("(catch {}{p}", sp(h.span)), &h.body);
                }
                if let Some(f) = finalizer {
                    self.block("(finally".to_string(), f);
                }
            }
            StmtKind::Switch(d, cases) => {
                self.line(&format!("(switch {at} {}", expr(d)));
                self.indent += 1;
                for c in cases {
                    let head = match &c.test {
                        Some(t) => format!("(case {} {}", sp(c.span), expr(t)),
                        None => format!("(default {}", sp(c.span)),
                    };
                    self.block(head, &c.body);
                }
                self.indent -= 1;
                self.line(")");
            }
            StmtKind::Labeled(l, body) => self.nested(format!("(label {at} {}", l.name), body),
            StmtKind::With(o, body) => self.nested(format!("(with {at} {}", expr(o)), body),
            StmtKind::Empty => self.line(&format!("(empty {at})")),
            StmtKind::Debugger => self.line(&format!("(debugger {at})")),
        }
    }

    fn nested(&mut self, head: String, body: &Stmt) {
        self.line(&head);
        self.indent += 1;
        self.stmt(body);
        self.indent -= 1;
        self.line(")");
    }

    fn function(&mut self, head: &str, f: &Function) {
        self.block(format!("{head} {}", function_head(f)), &f.body);
    }

    fn class(&mut self, head: &str, c: &Class) {
        self.line(&format!("{head} {}", class_head(c)));
        self.indent += 1;
        for m in &c.members {
            self.member(m);
        }
        self.indent -= 1;
        self.line(")");
    }

    fn member(&mut self, m: &ClassMember) {
        let st = if m.is_static { "static " } else { "" };
        let at = sp(m.span);
        match &m.kind {
            ClassMemberKind::Method(k, f) => {
                let kind = match k {
                    MethodKind::Method => "method",
                    MethodKind::Get => "get",
                    MethodKind::Set => "set",
                };
                self.function(&format!("({st}{kind} {at} {}", key(&m.key)), f);
            }
            ClassMemberKind::Field(e) => {
                self.line(&format!("({st}field {at} {}{})", key(&m.key), opt(e)))
            }
            ClassMemberKind::StaticBlock(b) => self.block(format!("(static-block {at}"), b),
        }
    }
}

fn opt(e: &Option<Expr>) -> String {
    e.as_ref()
        .map_or(String::new(), |e| format!(" {}", expr(e)))
}

fn label(l: &Option<Ident>) -> String {
    l.as_ref().map_or(String::new(), |l| format!(" {}", l.name))
}

fn var_decl(d: &VarDecl) -> String {
    let kind = match d.kind {
        VarKind::Var => "var",
        VarKind::Let => "let",
        VarKind::Const => "const",
    };
    let mut s = format!("({kind}");
    for v in &d.decls {
        let _ = write!(
            s,
            " (decl {} {}{})",
            sp(v.span),
            pattern(&v.target),
            v.init
                .as_deref()
                .map_or(String::new(), |e| format!(" {}", expr(e)))
        );
    }
    s.push(')');
    s
}

fn for_head(h: &ForHead) -> String {
    match h {
        ForHead::Decl(k, p) => format!("({k:?} {})", pattern(p)).to_lowercase_kw(),
        ForHead::Target(p) => pattern(p),
    }
}

trait LowerKw {
    fn to_lowercase_kw(self) -> String;
}

impl LowerKw for String {
    /// `(Var x)` → `(var x)`: only the keyword is lowercased.
    fn to_lowercase_kw(self) -> String {
        match self.find(' ') {
            Some(i) => self[..i].to_lowercase() + &self[i..],
            None => self.to_lowercase(),
        }
    }
}

fn function_head(f: &Function) -> String {
    let mut s = String::new();
    if f.is_async {
        s.push_str("async ");
    }
    if f.is_generator {
        s.push_str("* ");
    }
    if let Some(n) = &f.name {
        let _ = write!(s, "{} ", n.name);
    }
    let kind = match f.kind {
        FunctionKind::Normal | FunctionKind::Arrow | FunctionKind::Method => "",
        FunctionKind::Getter => "getter ",
        FunctionKind::Setter => "setter ",
        FunctionKind::ClassConstructor => "constructor ",
        FunctionKind::DerivedConstructor => "derived-constructor ",
    };
    s.push_str(kind);
    s.push_str(&sp(f.span));
    s.push_str(" (params");
    for p in &f.params {
        s.push(' ');
        s.push_str(&param(p));
    }
    s.push(')');
    s
}

fn param(p: &Param) -> String {
    let rest = if p.rest { "..." } else { "" };
    match &p.default {
        Some(d) => format!("{rest}(= {} {})", pattern(&p.target), expr(d)),
        None => format!("{rest}{}", pattern(&p.target)),
    }
}

fn class_head(c: &Class) -> String {
    let mut s = String::new();
    if let Some(n) = &c.name {
        let _ = write!(s, "{} ", n.name);
    }
    s.push_str(&sp(c.span));
    if let Some(e) = &c.superclass {
        let _ = write!(s, " (extends {})", expr(e));
    }
    s
}

fn key(k: &PropKey) -> String {
    match k {
        PropKey::Ident(n) => n.to_string(),
        PropKey::String(s) => quote(s),
        PropKey::Number(n) => format!("{n}"),
        PropKey::Computed(e) => format!("[{}]", expr(e)),
        PropKey::Private(n) => format!("#{n}"),
    }
}

fn pattern(p: &Pattern) -> String {
    match &p.kind {
        PatternKind::Ident(i) => format!("(id {} {})", i.name, sp(p.span)),
        PatternKind::Expr(e) => expr(e),
        PatternKind::Object { props, rest } => {
            let mut s = format!("(object-pattern {}", sp(p.span));
            for prop in props {
                let t = pattern(&prop.target);
                let d = prop
                    .default
                    .as_ref()
                    .map_or(String::new(), |d| format!(" = {}", expr(d)));
                if prop.shorthand {
                    let _ = write!(s, " {t}{d}");
                } else {
                    let _ = write!(s, " ({}: {t}{d})", key(&prop.key));
                }
            }
            if let Some(r) = rest {
                let _ = write!(s, " ...{}", pattern(r));
            }
            s.push(')');
            s
        }
        PatternKind::Array { elems, rest } => {
            let mut s = format!("(array-pattern {}", sp(p.span));
            for e in elems {
                match e {
                    None => s.push_str(" _"),
                    Some(e) => {
                        let d = e
                            .default
                            .as_ref()
                            .map_or(String::new(), |d| format!(" = {}", expr(d)));
                        let _ = write!(s, " {}{d}", pattern(&e.target));
                    }
                }
            }
            if let Some(r) = rest {
                let _ = write!(s, " ...{}", pattern(r));
            }
            s.push(')');
            s
        }
    }
}

fn args(a: &[Arg]) -> String {
    a.iter()
        .map(|a| match a {
            Arg::Expr(e) => format!(" {}", expr(e)),
            Arg::Spread(e) => format!(" ...{}", expr(e)),
        })
        .collect()
}

fn member_prop(p: &MemberProp) -> String {
    match p {
        MemberProp::Name(n) => n.name.to_string(),
        MemberProp::Private(n) => format!("#{}", n.name),
        MemberProp::Computed(e) => format!("[{}]", expr(e)),
    }
}

fn template(t: &Template) -> String {
    let mut s = String::new();
    for (i, q) in t.quasis.iter().enumerate() {
        match &q.cooked {
            Some(c) => s.push_str(&quote(c)),
            None => s.push_str("<invalid>"),
        }
        if let Some(e) = t.exprs.get(i) {
            let _ = write!(s, " ${{{}}} ", expr(e));
        }
    }
    s
}

fn binop(op: BinOp) -> &'static str {
    use BinOp::*;
    match op {
        Add => "+",
        Sub => "-",
        Mul => "*",
        Div => "/",
        Rem => "%",
        Exp => "**",
        Shl => "<<",
        Shr => ">>",
        UShr => ">>>",
        BitAnd => "&",
        BitOr => "|",
        BitXor => "^",
        Eq => "==",
        Ne => "!=",
        StrictEq => "===",
        StrictNe => "!==",
        Lt => "<",
        Gt => ">",
        Le => "<=",
        Ge => ">=",
        In => "in",
        Instanceof => "instanceof",
    }
}

fn logop(op: LogicalOp) -> &'static str {
    match op {
        LogicalOp::And => "&&",
        LogicalOp::Or => "||",
        LogicalOp::Coalesce => "??",
    }
}

fn fn_inline(kw: &str, f: &Function) -> String {
    // Functions inside expressions are dumped on one line, their body as a list.
    let mut d = Dumper {
        out: String::new(),
        indent: 0,
    };
    for s in &f.body {
        d.stmt(s);
    }
    let body = d.out.lines().map(str::trim).collect::<Vec<_>>().join(" ");
    let exprbody = if f.expression_body { " =>" } else { "" };
    format!("({kw} {}{exprbody} {{{body}}})", function_head(f))
}

pub fn expr(e: &Expr) -> String {
    let at = sp(e.span);
    match &e.kind {
        ExprKind::Ident(n) => format!("(id {n} {at})"),
        ExprKind::Number(n) => format!("(num {n} {at})"),
        ExprKind::String(s) => format!("(str {} {at})", quote(s)),
        ExprKind::BigInt(b) => format!("(bigint {b} {at})"),
        ExprKind::Bool(b) => format!("({b} {at})"),
        ExprKind::Null => format!("(null {at})"),
        ExprKind::This => format!("(this {at})"),
        ExprKind::RegExp { pattern, flags } => format!("(regexp /{pattern}/{flags} {at})"),
        ExprKind::Template(t) => format!("(template {at} {})", template(t)),
        ExprKind::TaggedTemplate(tag, t) => format!("(tagged {at} {} {})", expr(tag), template(t)),
        ExprKind::Array(elems) => {
            let mut s = format!("(array {at}");
            for el in elems {
                match el {
                    ArrayElem::Hole => s.push_str(" _"),
                    ArrayElem::Expr(x) => {
                        let _ = write!(s, " {}", expr(x));
                    }
                    ArrayElem::Spread(x) => {
                        let _ = write!(s, " ...{}", expr(x));
                    }
                }
            }
            s + ")"
        }
        ExprKind::Object(props) => {
            let mut s = format!("(object {at}");
            for p in props {
                match p {
                    Prop::Init(k, v) => {
                        let _ = write!(s, " ({}: {})", key(k), expr(v));
                    }
                    Prop::Shorthand(i) => {
                        let _ = write!(s, " {}", i.name);
                    }
                    Prop::Method(k, mk, f) => {
                        let kw = match mk {
                            MethodKind::Method => "method",
                            MethodKind::Get => "get",
                            MethodKind::Set => "set",
                        };
                        let _ = write!(s, " ({}: {})", key(k), fn_inline(kw, f));
                    }
                    Prop::Spread(x) => {
                        let _ = write!(s, " ...{}", expr(x));
                    }
                    Prop::CoverInit(i, x) => {
                        let _ = write!(s, " (cover-init {} {})", i.name, expr(x));
                    }
                }
            }
            s + ")"
        }
        ExprKind::Function(f) => fn_inline("function", f),
        ExprKind::Arrow(f) => fn_inline("arrow", f),
        ExprKind::Class(c) => {
            let members: Vec<String> = c
                .members
                .iter()
                .map(|m| {
                    let mut d = Dumper {
                        out: String::new(),
                        indent: 0,
                    };
                    d.member(m);
                    d.out.lines().map(str::trim).collect::<Vec<_>>().join(" ")
                })
                .collect();
            format!("(class {} {})", class_head(c), members.join(" "))
        }
        ExprKind::Unary(op, x) => {
            let o = match op {
                UnaryOp::Neg => "-",
                UnaryOp::Plus => "+",
                UnaryOp::Not => "!",
                UnaryOp::BitNot => "~",
                UnaryOp::Typeof => "typeof",
                UnaryOp::Void => "void",
                UnaryOp::Delete => "delete",
            };
            format!("({o} {at} {})", expr(x))
        }
        ExprKind::Update { op, prefix, target } => {
            let o = if *op == UpdateOp::Inc { "++" } else { "--" };
            let fix = if *prefix { "prefix" } else { "postfix" };
            format!("({fix}{o} {at} {})", expr(target))
        }
        ExprKind::Binary(op, a, b) => format!("({} {at} {} {})", binop(*op), expr(a), expr(b)),
        ExprKind::Logical(op, a, b) => format!("({} {at} {} {})", logop(*op), expr(a), expr(b)),
        ExprKind::Assign { op, target, value } => {
            let o = match op {
                AssignOp::Assign => "=".to_string(),
                AssignOp::Bin(b) => format!("{}=", binop(*b)),
                AssignOp::Logical(l) => format!("{}=", logop(*l)),
            };
            format!("({o} {at} {} {})", pattern(target), expr(value))
        }
        ExprKind::Conditional(c, a, b) => format!("(? {at} {} {} {})", expr(c), expr(a), expr(b)),
        ExprKind::Call {
            callee,
            args: a,
            optional,
        } => {
            let q = if *optional { "?." } else { "" };
            format!("(call{q} {at} {}{})", expr(callee), args(a))
        }
        ExprKind::New { callee, args: a } => format!("(new {at} {}{})", expr(callee), args(a)),
        ExprKind::Member {
            object,
            prop,
            optional,
        } => {
            let q = if *optional { "?." } else { "." };
            format!("({q} {at} {} {})", expr(object), member_prop(prop))
        }
        ExprKind::SuperMember(p) => format!("(super. {at} {})", member_prop(p)),
        ExprKind::SuperCall(a) => format!("(super-call {at}{})", args(a)),
        ExprKind::NewTarget => format!("(new.target {at})"),
        ExprKind::OptionalChain(x) => format!("(optional-chain {at} {})", expr(x)),
        ExprKind::Sequence(xs) => {
            let parts: Vec<String> = xs.iter().map(expr).collect();
            format!("(, {at} {})", parts.join(" "))
        }
        ExprKind::Paren(x) => format!("(paren {at} {})", expr(x)),
        ExprKind::Yield { arg, delegate } => {
            let star = if *delegate { "*" } else { "" };
            let a = arg
                .as_ref()
                .map_or(String::new(), |a| format!(" {}", expr(a)));
            format!("(yield{star} {at}{a})")
        }
        ExprKind::Await(x) => format!("(await {at} {})", expr(x)),
        ExprKind::CoverParams(ps) => {
            let parts: Vec<String> = ps.iter().map(param).collect();
            format!("(cover-params {at} {})", parts.join(" "))
        }
        ExprKind::ImportCall(x) => format!("(import {at} {})", expr(x)),
        ExprKind::PrivateIn(n, x) => format!("(#in {at} #{} {})", n.name, expr(x)),
        ExprKind::Invalid => format!("(invalid {at})"),
    }
}
