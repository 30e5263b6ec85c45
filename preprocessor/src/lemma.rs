//! The `lemma` kind: fenced ```` ```lemma ```` blocks of statements and
//! inline `{{lemma ...}}` forms. Names bind per chapter, in document order;
//! each form is evaluated, its stated numbers checked, and its value, table
//! or widget rendered.

use crate::chapter::Cx;
use crate::check;
use crate::diagnostics::Diag;
use crate::eval::{self, Value};
use crate::forms::{Body, Closing, Found, InlineSyntax, Kind};
use crate::parse::lang::{self, Column, Expr, Parsed, Span, StatedValue, Stmt};
use crate::parse::markdown::{Block, Context, Line};
use crate::render::{self, Table};
use crate::splice::Edit;

/// The kind.
pub const KIND: Kind = Kind {
    name: "lemma form",
    fence: Some("lemma"),
    inline: Some(InlineSyntax { keyword: "lemma", closing: Closing::Lemma, in_code: true }),
    body: Body::Lemma,
    process,
};

fn process(cx: &mut Cx, src: &str, found: &[&Found], edits: &mut Vec<Edit>) {
    for f in found {
        match &f.block {
            Some(b) => edits.push(cx.block(b)),
            None => {
                if let Some(e) = cx.inline(src, f) {
                    edits.push(e);
                }
            }
        }
    }
}

trait SpanMap {
    fn map(&self, s: &Span) -> std::ops::Range<usize>;
}

struct Offset(usize);

impl SpanMap for Offset {
    fn map(&self, s: &Span) -> std::ops::Range<usize> {
        self.0 + s.start..self.0 + s.end
    }
}

impl SpanMap for Line {
    fn map(&self, s: &Span) -> std::ops::Range<usize> {
        Line::map(self, s)
    }
}

impl Cx {
    fn error(&mut self, m: &dyn SpanMap, span: &Span, message: String, label: &str) {
        self.diags.push(Diag::error(m.map(span), message, label));
    }

    /// Records a diagnostic whose range is a span of the parsed text.
    fn located(&mut self, m: &dyn SpanMap, mut d: Diag) {
        d.range = m.map(&d.range);
        // A suggested replacement is located in the same text.
        if let Some(s) = d.number.as_mut().and_then(|w| w.suggestion.as_mut()) {
            s.range = m.map(&s.range);
        }
        self.diags.push(d);
    }

    /// Evaluates, unless the expression uses a name whose binding failed.
    fn eval(&mut self, m: &dyn SpanMap, e: &Expr) -> Option<Value> {
        if !self.poisoned.is_empty() && eval::names(e).iter().any(|n| self.poisoned.contains(*n)) {
            return None;
        }
        match self.env.eval(e) {
            Ok(v) => Some(v),
            Err(d) => {
                self.located(m, d);
                None
            }
        }
    }

    fn bind(&mut self, name: &str, v: Option<Value>) {
        match v {
            Some(v) => {
                if !self.poisoned.is_empty() {
                    self.poisoned.remove(name);
                }
                self.env.set(name, v);
            }
            None => {
                self.poisoned.insert(name.to_string());
            }
        }
    }

    fn check_stated(&mut self, m: &dyn SpanMap, v: &Value, stated: &StatedValue) {
        self.stats.checked += stated.items.len();
        if let Err(ds) = check::check_stated(v, stated) {
            for d in ds {
                self.located(m, d);
            }
        }
    }

    fn check_bool(&mut self, m: &dyn SpanMap, src: &str, e: &Expr, v: &Value) {
        match v {
            Value::Bool(true) => self.stats.asserted += 1,
            Value::Bool(false) => {
                let mut d = Diag::error(
                    m.map(&e.span),
                    format!("check failed: `{}` is false", &src[e.span.clone()]),
                    "is false",
                );
                if let lang::ExprKind::Binary(_, a, b) = &e.kind {
                    for side in [a, b] {
                        if matches!(side.kind, lang::ExprKind::Num(_)) {
                            continue;
                        }
                        if let Ok(sv) = self.env.eval(side) {
                            d.notes.push(format!("`{}` = {sv}", &src[side.span.clone()]));
                        }
                    }
                }
                self.diags.push(d);
            }
            other => self.error(
                m,
                &e.span,
                format!("`check` without `≈` needs a comparison, but this is {}", other.type_name()),
                "not a comparison",
            ),
        }
    }

    fn inline(&mut self, src: &str, i: &Found) -> Option<Edit> {
        let body = &src[i.body.clone()];
        let m = Offset(i.body.start);
        let parsed = match lang::parse_inline(body) {
            Ok(p) => p,
            Err(e) => {
                self.located(&m, e);
                return None;
            }
        };
        let Parsed { stmt: Stmt::Inline { bind, expr, stated }, format } = parsed else {
            return None;
        };
        let v = self.eval(&m, &expr);
        let edit = v.as_ref().and_then(|v| {
            self.values.push((i.range.clone(), if let Value::Num(x) = v { Some(*x) } else { None }));
            let stated = stated.as_ref().map(|s| (s, &body[s.span.clone()]));
            self.inline_edit(&m, i, &expr, stated, format, v)
        });
        if let Some((name, _)) = &bind {
            self.bind(name, v);
        }
        edit
    }

    /// The edit that shows an inline form's value `v` (or its stated value,
    /// checked against `v`, as written).
    fn inline_edit(
        &mut self,
        m: &Offset,
        i: &Found,
        expr: &Expr,
        stated: Option<(&StatedValue, &str)>,
        format: Option<crate::format::Format>,
        v: &Value,
    ) -> Option<Edit> {
        let text: std::borrow::Cow<'_, str> = match stated {
            Some((s, written)) => {
                self.check_stated(m, v, s);
                // What was checked is what is shown: the tolerance too.
                written.into()
            }
            None => {
                if let Some(message) = v.unshown() {
                    self.error(m, &expr.span, message, "a matrix");
                    return None;
                }
                if let Some(message) = render::too_many(v.rows(), "this value") {
                    self.error(m, &expr.span, message, "too long to show");
                    return None;
                }
                self.stats.computed += 1;
                let format = format.unwrap_or_default();
                if matches!(i.context, Context::Prose)
                    && let Some(text) = render::prose_numbers(v, format)
                {
                    // Numbers need no check for code: written as prose.
                    return Some(Edit { range: i.range.clone(), text, blank_after: false });
                }
                render::value_text(v, format).into()
            }
        };
        if let Some(message) = render::code_conflict(&text, i.context) {
            self.error(m, &expr.span, message, "cannot be shown in code");
            return None;
        }
        Some(Edit { range: i.range.clone(), text: render::inline(&text, i.context), blank_after: false })
    }

    fn block(&mut self, b: &Block) -> Edit {
        let mut html = String::new();
        for line in &b.lines {
            let src = line.text.as_str();
            let parsed = match lang::parse_statement(src) {
                Ok(Some(p)) => p,
                Ok(None) => continue,
                Err(e) => {
                    self.located(line, e);
                    continue;
                }
            };
            let format = parsed.format.unwrap_or_default();
            match parsed.stmt {
                Stmt::Let { name, expr, .. } => {
                    let v = self.eval(line, &expr);
                    self.bind(&name, v);
                }
                Stmt::Check { expr, stated } => {
                    if let Some(v) = self.eval(line, &expr) {
                        match &stated {
                            Some(s) => self.check_stated(line, &v, s),
                            None => self.check_bool(line, src, &expr, &v),
                        }
                    }
                }
                Stmt::Show { rows, columns } => {
                    if let Some(t) = self.table(line, rows.as_ref(), &columns) {
                        self.stats.tables += 1;
                        html.push_str(&render::table_html(&t, format));
                    }
                }
                Stmt::Inline { .. } => {}
                Stmt::Widget { call } => match crate::widget::build(&call, &mut |e| self.eval(line, e)) {
                    Ok(Some(h)) => html.push_str(&h),
                    Ok(None) => {} // an argument failed to evaluate; that is reported already
                    Err(d) => self.located(line, d),
                },
                Stmt::Plot { call } => {
                    // Series are evaluated once per sample, with the sampled name bound to it.
                    let mut eval = |e: &Expr, at: Option<(&str, f64)>| {
                        let Some((name, x)) = at else { return self.eval(line, e) };
                        let saved = self.env.get(name).cloned();
                        self.env.set(name, Value::Num(x));
                        let v = self.eval(line, e);
                        match saved {
                            Some(s) => self.env.set(name, s),
                            None => self.env.remove(name),
                        }
                        v
                    };
                    match crate::plot::build(&call, &mut eval) {
                        Ok(Some(h)) => html.push_str(&h),
                        Ok(None) => {} // reported already
                        Err(d) => self.located(line, d),
                    }
                }
            }
        }
        let echo = b.attrs.iter().any(|a| a == "echo");
        let text = if echo {
            let lines: Vec<String> = b.lines.iter().map(|l| l.text.clone()).collect();
            let code = render::echo_source(&lines);
            if html.is_empty() { code } else { format!("{code}\n\n{html}") }
        } else {
            html
        };
        let blank_after = !text.is_empty();
        Edit { range: b.range.clone(), text, blank_after }
    }

    fn table(&mut self, line: &Line, rows: Option<&(String, Expr)>, columns: &[Column]) -> Option<Table> {
        let headers: Vec<String> = columns.iter().map(|c| c.label.clone()).collect();
        let formats: Vec<Option<crate::format::Format>> = columns.iter().map(|c| c.format).collect();
        match rows {
            None => {
                let mut cols = Vec::new();
                for c in columns {
                    let v = self.eval(line, &c.expr)?;
                    if let Some(message) = v.unshown() {
                        self.error(line, &c.expr.span, message, "a matrix");
                        return None;
                    }
                    cols.push((v, &c.expr.span));
                }
                let n = cols.first().map_or(0, |(v, _)| v.rows());
                if let Some((_, span)) = cols.first()
                    && let Some(message) = render::too_many(n * cols.len(), "this table")
                {
                    self.error(line, span, message, "too long to show");
                    return None;
                }
                for (v, span) in &cols {
                    if v.rows() != n || matches!(v, Value::Num(_) | Value::Str(_) | Value::Bool(_)) && n != 1 {
                        self.error(
                            line,
                            span,
                            format!("this column has {} row(s) but the first has {n}: every column of `show` needs the same length", v.rows()),
                            "different length",
                        );
                        return None;
                    }
                }
                let rows = (0..n)
                    .map(|i| {
                        cols.iter()
                            .map(|(v, _)| match v {
                                Value::Vector(xs) => Value::Num(xs[i]),
                                Value::Strings(xs) => Value::Str(xs[i].clone()),
                                other => other.clone(),
                            })
                            .collect()
                    })
                    .collect();
                Some(Table { headers, rows, formats })
            }
            Some((var, over)) => {
                let values: Vec<Value> = match self.eval(line, over)? {
                    Value::Vector(xs) => xs.into_iter().map(Value::Num).collect(),
                    Value::Strings(xs) => xs.into_iter().map(Value::Str).collect(),
                    other => {
                        self.error(
                            line,
                            &over.span,
                            format!("`show for` needs a vector to range over, got {}", other.type_name()),
                            "not a vector",
                        );
                        return None;
                    }
                };
                if let Some(message) = render::too_many(values.len() * columns.len(), "this table") {
                    self.error(line, &over.span, message, "too many rows");
                    return None;
                }
                let saved = self.env.get(var).cloned();
                let mut out = Vec::new();
                let mut ok = true;
                let mut shown = 0;
                for v in values {
                    self.env.set(var, v);
                    let mut row = Vec::new();
                    for c in columns {
                        match self.eval(line, &c.expr) {
                            Some(v) if v.unshown().is_some() => {
                                let message = v.unshown().unwrap_or_default();
                                self.error(line, &c.expr.span, message, "a matrix");
                                ok = false;
                                break;
                            }
                            Some(v) => {
                                shown += v.rows();
                                if let Some(message) = render::too_many(shown, "this table") {
                                    self.error(line, &c.expr.span, message, "too long to show");
                                    ok = false;
                                    break;
                                }
                                row.push(v);
                            }
                            None => ok = false,
                        }
                    }
                    if !ok {
                        break;
                    }
                    out.push(row);
                }
                match saved {
                    Some(s) => self.env.set(var, s),
                    None => self.env.remove(var),
                }
                ok.then_some(Table { headers, rows: out, formats })
            }
        }
    }
}
