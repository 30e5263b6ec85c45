//! One chapter through the whole pipeline: parse, eval, check, render,
//! splice.

use std::collections::HashSet;

use codespan_reporting::diagnostic::Severity;

use crate::check;
use crate::containers;
use crate::coverage::{self, Setting};
use crate::diagnostics::Diag;
use crate::eval::{self, Env, Value};
use crate::exercise::Answer;
use crate::parse::lang::{self, Column, Expr, Parsed, Span, StatedValue, Stmt};
use crate::parse::markdown::{Block, Form, Inline, Line};
use crate::render::{self, Table};
use crate::splice::{self, Edit};

/// Counts of what a chapter's forms did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Stats {
    /// Values written into the text by inline forms.
    pub computed: usize,
    /// Stated numbers checked (each component of a stated vector counts).
    pub checked: usize,
    /// Boolean `check` statements that held.
    pub asserted: usize,
    /// Tables rendered.
    pub tables: usize,
    /// Numbers exempted with `{{exempt ...}}`.
    pub exempted: usize,
    /// Numbers in the text that no lemma form computes or checks.
    pub unchecked: usize,
}

impl std::ops::AddAssign for Stats {
    fn add_assign(&mut self, o: Stats) {
        self.computed += o.computed;
        self.checked += o.checked;
        self.asserted += o.asserted;
        self.tables += o.tables;
        self.exempted += o.exempted;
        self.unchecked += o.unchecked;
    }
}

/// The result of processing one chapter.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Processed {
    /// The new chapter text (equal to the input when there is nothing to do).
    pub content: String,
    /// Errors and warnings, with ranges into the input.
    pub diags: Vec<Diag>,
    /// What was done.
    pub stats: Stats,
    /// The answers of the chapter's exercises.
    pub(crate) answers: Vec<Answer>,
}

/// Book-level settings for processing a chapter. Nothing here depends on
/// other chapters, so a chapter's result depends on its own text alone.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Options {
    /// What an unchecked number is (`unchecked-numbers`).
    pub unchecked: Setting,
}

/// Processes one chapter's Markdown with the default [`Options`].
pub fn process(src: &str) -> Processed {
    process_with(src, &Options::default())
}

/// Processes one chapter's Markdown.
pub fn process_with(src: &str, opts: &Options) -> Processed {
    // One scan of the chapter finds every form and every claim.
    let scan = crate::scan::scan(src);
    let mut cx = Cx {
        env: Env::new(),
        poisoned: HashSet::new(),
        diags: scan.errors.clone(),
        stats: Stats::default(),
        values: Vec::new(),
    };
    let mut edits = Vec::new();
    for form in &scan.forms {
        match form {
            Form::Escape(o) => edits.push(Edit { range: *o..*o + 1, text: String::new(), blank_after: false }),
            Form::Inline(i) => {
                if let Some(e) = cx.inline(src, i) {
                    edits.push(e);
                }
            }
            Form::Block(b) => edits.push(cx.block(b)),
        }
    }
    coverage(src, &scan, opts.unchecked, &mut edits, &mut cx);
    let (edits, answers) = containers::nest(src, &scan.math, &scan.exercises, edits, &cx.values, &mut cx.diags);
    let failed = cx.diags.iter().any(|d| d.severity == Severity::Error);
    let content = if failed { src.to_string() } else { splice::splice(src, &edits) };
    Processed { content, diags: cx.diags, stats: cx.stats, answers }
}

/// Accounts for the chapter's numbers ([`coverage`](mod@crate::coverage)):
/// exemptions become edits, unchecked numbers diagnostics.
fn coverage(src: &str, scan: &crate::scan::Scan, setting: Setting, edits: &mut Vec<Edit>, cx: &mut Cx) {
    // Lemma blocks hold no claims but the comments of an echoed one.
    let forms: Vec<std::ops::Range<usize>> = scan
        .forms
        .iter()
        .filter_map(|f| match f {
            Form::Inline(i) => Some(i.range.clone()),
            Form::Block(_) | Form::Escape(_) => None,
        })
        .collect();
    let unchecked = coverage::unchecked(src, scan, &forms);
    for e in &scan.exempt {
        cx.stats.exempted += e.numbers;
        edits.push(Edit { range: e.range.clone(), text: src[e.text.clone()].to_string(), blank_after: false });
    }
    edits.sort_by_key(|e| e.range.start);
    cx.stats.unchecked += unchecked.len();
    let severity = match setting {
        Setting::Allow => return,
        Setting::Warn => Severity::Warning,
        Setting::Deny => Severity::Error,
    };
    // A line with many unchecked numbers gets a few diagnostics and one
    // that counts the rest: each diagnostic shows its whole line, so one
    // per number would cost the square of a long line's length.
    let mut k = 0;
    while k < unchecked.len() {
        let line_end = src[unchecked[k].start..].find('\n').map_or(src.len(), |j| unchecked[k].start + j);
        let on_line = unchecked[k..].iter().take_while(|r| r.start < line_end).count();
        if on_line > PER_LINE {
            let rest = &unchecked[k + PER_LINE..k + on_line];
            let shown: Vec<String> = rest.iter().take(8).map(|r| format!("`{}`", &src[r.clone()])).collect();
            let more = if rest.len() > shown.len() { ", ..." } else { "" };
            let mut d = Diag::error(
                rest[0].clone(),
                format!("{} more numbers on this line are not computed or checked by lemma", rest.len()),
                "unchecked, and more after it",
            );
            d.severity = severity;
            d.notes.push(format!("they are {}{more}", shown.join(", ")));
            for r in unchecked[k..k + PER_LINE].iter().cloned() {
                cx.diags.push(unchecked_diag(src, r, severity));
            }
            cx.diags.push(d);
        } else {
            for r in unchecked[k..k + on_line].iter().cloned() {
                cx.diags.push(unchecked_diag(src, r, severity));
            }
        }
        k += on_line;
    }
}

/// How many unchecked numbers of one line get a diagnostic each.
const PER_LINE: usize = 3;

fn unchecked_diag(src: &str, r: std::ops::Range<usize>, severity: Severity) -> Diag {
    {
        let text = &src[r.clone()];
        let mut d = Diag::error(r, format!("the number `{text}` is not computed or checked by lemma"), "unchecked");
        d.severity = severity;
        d.notes.push(format!(
            "compute it (`{{{{lemma EXPR}}}}`), check it (`{{{{lemma EXPR ≈ {text}}}}}`), or exempt it (`{{{{exempt {text}}}}}`)"
        ));
        d
    }
}

struct Cx {
    env: Env,
    /// Names whose binding failed: later uses are not reported again.
    poisoned: HashSet<String>,
    diags: Vec<Diag>,
    stats: Stats,
    /// The value of each inline form, by its range.
    values: Vec<(std::ops::Range<usize>, Value)>,
}

/// Maps spans of a parsed text to chapter ranges.
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
        self.diags.push(d);
    }

    /// Evaluates, unless the expression uses a name whose binding failed.
    fn eval(&mut self, m: &dyn SpanMap, e: &Expr) -> Option<Value> {
        if eval::names(e).iter().any(|n| self.poisoned.contains(*n)) {
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
                self.poisoned.remove(name);
                self.env.set(name, v);
            }
            None => {
                self.poisoned.insert(name.to_string());
            }
        }
    }

    fn check_stated(&mut self, m: &dyn SpanMap, v: &Value, stated: &StatedValue) {
        self.stats.checked += stated.items.len();
        if let Err(ms) = check::check_stated(v, stated) {
            for mm in ms {
                let mut d = Diag::error(m.map(&mm.span), mm.message, mm.label).with_number(mm.computed, mm.suggestion);
                d.notes = mm.notes;
                self.diags.push(d);
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

    fn inline(&mut self, src: &str, i: &Inline) -> Option<Edit> {
        let body = &src[i.body.clone()];
        let m = Offset(i.body.start);
        let parsed = match lang::parse_inline(body) {
            Ok(p) => p,
            Err(e) => {
                self.error(&m, &e.range, e.message, "syntax error");
                return None;
            }
        };
        let Parsed { stmt: Stmt::Inline { bind, expr, stated }, format } = parsed else {
            return None;
        };
        let v = self.eval(&m, &expr);
        if let Some((name, _)) = &bind {
            self.bind(name, v.clone());
        }
        let v = v?;
        self.values.push((i.range.clone(), v.clone()));
        let text = match &stated {
            Some(s) => {
                self.check_stated(&m, &v, s);
                // What was checked is what is shown: the tolerance too.
                body[s.span.clone()].to_string()
            }
            None => {
                if let Some(message) = render::too_many(v.rows(), "this value") {
                    self.error(&m, &expr.span, message, "too long to show");
                    return None;
                }
                self.stats.computed += 1;
                render::value_text(&v, format.unwrap_or_default())
            }
        };
        if let Some(message) = render::code_conflict(&text, i.context) {
            self.error(&m, &expr.span, message, "cannot be shown in code");
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
                    // With its notes (the parser's hints).
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
                    cols.push((self.eval(line, &c.expr)?, &c.expr.span));
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
