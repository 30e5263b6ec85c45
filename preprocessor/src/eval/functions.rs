//! The built-in functions: one table, [`FUNCTIONS`], of names, typed
//! parameters ([`Signature`], whose binding widgets share), documentation,
//! examples and implementations.
//!
//! A new function is one entry of [`FUNCTIONS`]: its arity and type errors,
//! the "did you mean" hints, the authoring reference
//! ([`reference_markdown`]) and the test of its example all come from it.

mod helpers;
mod table;

pub use table::FUNCTIONS;

use super::data::Data;
use std::borrow::Cow;

use super::signature::{Args, Signature, Slots, Who};
use super::{EResult, Value, edit_distance};
use crate::diagnostics::Diag;
use crate::parse::lang::Span;

/// A built-in function: one entry of [`FUNCTIONS`].
#[derive(Debug, Clone, Copy)]
pub struct Function {
    /// Name and parameters.
    pub sig: Signature,
    /// What it gives, in one line of Markdown.
    pub doc: &'static str,
    /// A call, in lemma syntax...
    pub example: &'static str,
    /// ...and its value, as a stated value: the test and the book check the
    /// example against it at the digits written.
    pub gives: &'static str,
    /// The implementation, on arguments bound to `sig`.
    pub imp: Imp,
}

/// A function's implementation: pure (almost all), or reading data files
/// through the chapter's [`Data`] (`load`), which records them.
#[derive(Debug, Clone, Copy)]
pub enum Imp {
    /// A function of its arguments alone.
    Pure(fn(&Args) -> EResult<Value>),
    /// A function of its arguments and the book's data files.
    Data(fn(&Args, &Data) -> EResult<Value>),
}

impl Function {
    /// The function's name.
    pub fn name(&self) -> &'static str {
        self.sig.name
    }

    /// Binds the evaluated arguments of a call (the positional ones in
    /// order, each `Some`) and runs it; `data` is where `load` reads.
    pub fn call<'a, 'n>(
        &self,
        data: &Data,
        call: &Span,
        positional: &mut Slots<'a>,
        named: impl IntoIterator<Item = (&'n str, Cow<'a, Value>, Span)>,
    ) -> EResult<Value> {
        let who = Who::Function(self.sig.name);
        let args = self.sig.bind_values(who, call, positional, named)?;
        match self.imp {
            Imp::Pure(f) => f(&args),
            Imp::Data(f) => f(&args, data),
        }
    }
}

/// The function called `name`.
pub fn lookup(name: &str) -> Option<&'static Function> {
    FUNCTIONS.iter().find(|f| f.sig.name == name)
}

/// The error for a call of an unknown function, with the closest name.
pub fn unknown(name: &str, span: &Span) -> Diag {
    let close = FUNCTIONS
        .iter()
        .map(|f| (edit_distance(name, f.sig.name), f.sig.name))
        .filter(|(d, _)| *d <= 2)
        .min_by_key(|(d, _)| *d);
    let hint = match close {
        Some((_, c)) => format!(" (did you mean `{c}`?)"),
        None => format!(" (known functions: {})", FUNCTIONS.iter().map(|f| f.sig.name).collect::<Vec<_>>().join(", ")),
    };
    Diag::error(span.clone(), format!("unknown function `{name}`{hint}"), "here")
}

/// The function reference, a Markdown table generated from [`FUNCTIONS`]:
/// the book's authoring chapter holds it between `<!-- functions:start -->`
/// and `<!-- functions:end -->` (`tests/tidy.rs` keeps it in step). Each
/// example's value is a lemma form, so the book checks the value it states.
pub fn reference_markdown() -> String {
    let mut out = String::from("| Function | Gives | Example |\n|---|---|---|\n");
    for f in FUNCTIONS {
        // The call's numbers are the inputs of the checked form beside it:
        // exempt (a number in a lemma string would be a claim).
        out.push_str(&format!(
            "| `{}` | {} | `{{{{exempt {}}}}}` → {{{{lemma {} ≈ {}}}}} |\n",
            f.sig, f.doc, f.example, f.example, f.gives
        ));
    }
    out
}
