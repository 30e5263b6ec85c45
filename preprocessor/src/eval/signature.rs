//! Parameters and the binding of a call's arguments to them: the one
//! implementation of arity, keyword and type errors, for the built-in
//! functions ([`super::functions`]) and for widgets
//! ([`crate::widget::SOFTMAX`]).

use std::borrow::Cow;
use std::fmt;

use super::{EResult, Value, edit_distance};
use crate::diagnostics::Diag;
use crate::numeric::NumError;
use crate::parse::lang::Span;

/// What a parameter accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Type {
    /// A number.
    Number,
    /// A vector of numbers.
    Vector,
    /// A number or a vector of numbers (element-wise functions).
    NumberOrVector,
    /// A matrix of numbers.
    Matrix,
    /// A vector, or a matrix whose rows the function takes one by one.
    VectorOrMatrix,
    /// A vector of strings.
    Strings,
    /// One string.
    Str,
}

impl Type {
    /// Whether `v` is of this type.
    pub fn accepts(self, v: &Value) -> bool {
        matches!(
            (self, v),
            (Type::Number | Type::NumberOrVector, Value::Num(_))
                | (Type::Vector | Type::NumberOrVector | Type::VectorOrMatrix, Value::Vector(_))
                | (Type::Matrix | Type::VectorOrMatrix, Value::Matrix(_))
                | (Type::Strings, Value::Strings(_))
                | (Type::Str, Value::Str(_))
        )
    }

    /// The type as messages name it ("a vector").
    pub fn noun(self) -> &'static str {
        match self {
            Type::Number => "a number",
            Type::Vector => "a vector",
            Type::NumberOrVector => "a number or a vector",
            Type::Matrix => "a matrix",
            Type::VectorOrMatrix => "a vector or a matrix",
            Type::Strings => "a vector of strings",
            Type::Str => "a string",
        }
    }
}

/// What an omitted argument is.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Omitted {
    /// This number.
    Num(f64),
    /// Whatever the callee makes of its absence, as the signature shows it
    /// (`labels=["class 0", ...]`).
    Computed(&'static str),
}

/// One parameter.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Param {
    /// Its name, for keywords and messages.
    pub name: &'static str,
    /// What it accepts.
    pub ty: Type,
    /// `None` when it must be given.
    pub default: Option<Omitted>,
    /// Given only by name (`T=...`), never by position.
    pub named_only: bool,
}

impl Param {
    /// A parameter that must be given.
    pub const fn required(name: &'static str, ty: Type) -> Param {
        Param { name, ty, default: None, named_only: false }
    }

    /// A number parameter with a default.
    pub const fn number(name: &'static str, default: f64) -> Param {
        Param { name, ty: Type::Number, default: Some(Omitted::Num(default)), named_only: false }
    }

    /// The same parameter, given only by name.
    pub const fn named(self) -> Param {
        Param { named_only: true, ..self }
    }
}

/// The parameters of a function or widget.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Signature {
    /// The name it is called by.
    pub name: &'static str,
    /// The parameters, in positional order.
    pub params: &'static [Param],
    /// Any number of further positional arguments (`max(a, b, ...)`).
    pub rest: Option<Param>,
}

impl fmt::Display for Signature {
    /// As written in a call, defaults shown: `softmax(z, T=1)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}(", self.name)?;
        for (i, p) in self.params.iter().enumerate() {
            let sep = if i > 0 { ", " } else { "" };
            match p.default {
                None => write!(f, "{sep}{}", p.name)?,
                Some(Omitted::Num(d)) => write!(f, "{sep}{}={}", p.name, crate::format::full(d))?,
                Some(Omitted::Computed(shown)) => write!(f, "{sep}{}={shown}", p.name)?,
            }
        }
        if let Some(r) = &self.rest {
            write!(f, "{}{}, ...", if self.params.is_empty() { "" } else { ", " }, r.name)?;
        }
        write!(f, ")")
    }
}

/// The callee, as messages name it: a function (`` `softmax` ``, written
/// only when a message is) or any other text ("the softmax widget").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Who<'a> {
    /// A built-in function, named in backticks.
    Function(&'static str),
    /// This text.
    Text(&'a str),
}

impl fmt::Display for Who<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Who::Function(name) => write!(f, "`{name}`"),
            Who::Text(text) => f.write_str(text),
        }
    }
}

/// Arguments matched to parameters, before their types are checked: each
/// parameter's argument if it was given (with its span), and the rest.
#[derive(Debug, Clone, PartialEq)]
pub struct Matched<T> {
    /// One slot per parameter.
    pub params: Vec<Option<(T, Span)>>,
    /// Further positional arguments (only with [`Signature::rest`]).
    pub rest: Vec<(T, Span)>,
}

impl<T> Matched<T> {
    /// Maps every argument, or returns `None` if `f` does for any (after
    /// calling it on all, so that every failure is reported).
    pub fn try_map<U>(self, mut f: impl FnMut(T) -> Option<U>) -> Option<Matched<U>> {
        let params: Vec<Option<(Option<U>, Span)>> =
            self.params.into_iter().map(|p| p.map(|(t, s)| (f(t), s))).collect();
        let rest: Vec<(Option<U>, Span)> = self.rest.into_iter().map(|(t, s)| (f(t), s)).collect();
        Some(Matched {
            params: params
                .into_iter()
                .map(|p| match p {
                    None => Some(None),
                    Some((u, s)) => u.map(|u| Some((u, s))),
                })
                .collect::<Option<_>>()?,
            rest: rest.into_iter().map(|(u, s)| u.map(|u| (u, s))).collect::<Option<_>>()?,
        })
    }
}

pub(super) fn fail<T>(span: &Span, message: String, label: &str) -> EResult<T> {
    Err(Diag::error(span.clone(), message, label))
}

/// One parameter's value, if given (or defaulted), and where it is.
pub type Slot<'a> = Option<(Cow<'a, Value>, Span)>;

/// How many slots [`Slots`] holds without allocating: as many as the
/// built-in function with the most parameters has.
pub const INLINE_SLOTS: usize = 4;

/// The slots of a call's values: in place for up to [`INLINE_SLOTS`] (a
/// built-in function's call allocates nothing for its arguments), in a
/// vector beyond (a widget's many parameters, `max(...)`'s rest).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Slots<'a> {
    /// The slots, while there are at most [`INLINE_SLOTS`] and `heap` is
    /// empty.
    inline: [Slot<'a>; INLINE_SLOTS],
    /// How many of `inline` are in use.
    len: usize,
    /// Every slot, once there are more than [`INLINE_SLOTS`].
    heap: Vec<Slot<'a>>,
}

impl<'a> Slots<'a> {
    /// No slots.
    pub fn new() -> Slots<'a> {
        Slots::default()
    }

    /// Appends a slot.
    #[inline]
    pub fn push(&mut self, slot: Slot<'a>) {
        match self.inline.get_mut(self.len) {
            Some(free) if self.heap.is_empty() => {
                *free = slot;
                self.len += 1;
            }
            _ => self.push_heap(slot),
        }
    }

    /// Appends a slot past the inline ones (moving them to the heap first).
    #[cold]
    fn push_heap(&mut self, slot: Slot<'a>) {
        if self.heap.is_empty() {
            self.heap = self.inline.iter_mut().map(Option::take).collect();
        }
        self.heap.push(slot);
    }

    /// The slots, in order.
    #[inline]
    pub fn as_slice(&self) -> &[Slot<'a>] {
        if self.heap.is_empty() { self.inline.get(..self.len).unwrap_or_default() } else { &self.heap }
    }

    /// The slots, in order, to fill.
    #[inline]
    fn as_mut_slice(&mut self) -> &mut [Slot<'a>] {
        if self.heap.is_empty() { self.inline.get_mut(..self.len).unwrap_or_default() } else { &mut self.heap }
    }

    /// The number of slots.
    #[inline]
    pub fn len(&self) -> usize {
        if self.heap.is_empty() { self.len } else { self.heap.len() }
    }

    /// Whether there are no slots.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Takes the given values out, in order (the slots left empty).
    pub fn drain(&mut self) -> impl Iterator<Item = (Cow<'a, Value>, Span)> + '_ {
        // Once on the heap, the inline slots are all empty.
        self.inline.iter_mut().take(self.len).filter_map(Option::take).chain(self.heap.drain(..).flatten())
    }

    /// The slots as a vector.
    fn into_vec(self) -> Vec<Slot<'a>> {
        if self.heap.is_empty() { self.inline.into_iter().take(self.len).collect() } else { self.heap }
    }
}

impl Signature {
    /// How many parameters can be given by position.
    fn by_position(&self) -> usize {
        self.params.iter().take_while(|p| !p.named_only).count()
    }

    /// The error for an argument past the positional parameters (at `s`),
    /// when there is no rest to take it.
    #[cold]
    fn extra_argument(&self, who: Who<'_>, by_position: usize, s: &Span) -> Diag {
        let plural = if by_position == 1 { "" } else { "s" };
        let by_name: Vec<String> = self.params[by_position..].iter().map(|p| format!("{}=...", p.name)).collect();
        let hint = if self.params[by_position..].iter().all(|p| p.named_only) && !by_name.is_empty() {
            format!("; give the others by name ({})", by_name.join(", "))
        } else {
            String::new()
        };
        Diag::error(
            s.clone(),
            format!("{who} takes at most {by_position} positional argument{plural}{hint}"),
            "extra argument",
        )
    }

    /// Puts the argument named `k` (at `s`) into its parameter's slot: an
    /// error for an unknown name or a parameter already given.
    #[inline]
    fn place<T>(&self, who: Who<'_>, slots: &mut [Option<(T, Span)>], k: &str, t: T, s: Span) -> EResult<()> {
        match self.params.iter().position(|p| p.name == k) {
            Some(i) if slots[i].is_none() => {
                slots[i] = Some((t, s));
                Ok(())
            }
            Some(_) => fail(&s, format!("{who} gets `{k}` twice, by position and by name"), "given twice"),
            None => Err(self.unknown_argument(who, k, &s)),
        }
    }

    /// The error for an argument named `k` (at `s`) that no parameter has.
    #[cold]
    fn unknown_argument(&self, who: Who<'_>, k: &str, s: &Span) -> Diag {
        let lower = k.to_lowercase();
        let close = self.params.iter().map(|p| (edit_distance(&lower, &p.name.to_lowercase()), p.name));
        let close = close.filter(|(d, _)| *d <= 1);
        let takes = match close.min_by_key(|(d, _)| *d) {
            Some((_, name)) => format!("did you mean `{name}`?"),
            None if self.params.is_empty() => "it takes only positional arguments".to_string(),
            None => format!("it takes {}", self.params.iter().map(|p| p.name).collect::<Vec<_>>().join(", ")),
        };
        Diag::error(s.clone(), format!("{who} has no argument `{k}` ({takes})"), "unknown argument")
    }

    /// The error for the first parameter with neither an argument nor a
    /// default, if there is one.
    #[inline]
    fn missing<T>(&self, who: Who<'_>, call: &Span, slots: &[Option<(T, Span)>]) -> EResult<()> {
        match self.params.iter().zip(slots).find(|(p, slot)| slot.is_none() && p.default.is_none()) {
            Some((p, _)) => fail(call, format!("{who} is missing its argument `{}`", p.name), "missing argument"),
            None => Ok(()),
        }
    }

    /// The error for value `v` (at `s`) given for `p`, unless `p` accepts
    /// it.
    #[inline]
    fn check_type(who: Who<'_>, p: &Param, v: &Value, s: &Span) -> EResult<()> {
        if p.ty.accepts(v) { Ok(()) } else { Err(Self::type_error(who, p, v, s)) }
    }

    /// The error for value `v` (at `s`) given for `p`, which does not
    /// accept it.
    #[cold]
    fn type_error(who: Who<'_>, p: &Param, v: &Value, s: &Span) -> Diag {
        let message = format!("{who} needs {} for `{}`, got {}", p.ty.noun(), p.name, v.type_name());
        Diag::error(s.clone(), message, format!("not {}", p.ty.noun()))
    }

    /// Matches positional and named arguments (anything with a span: values,
    /// expressions) to the parameters. `who` names the callee in messages
    /// (`` `softmax` ``, "the softmax widget"); `call` is the whole call.
    pub fn arrange<T>(
        &self,
        who: Who<'_>,
        call: &Span,
        mut positional: Vec<(T, Span)>,
        named: Vec<(&str, T, Span)>,
    ) -> EResult<Matched<T>> {
        let by_position = self.by_position();
        // An argument past the positional parameters, unless a rest takes it.
        if let Some((_, s)) = positional.get(by_position)
            && self.rest.is_none()
        {
            return Err(self.extra_argument(who, by_position, s));
        }
        // The arguments past the parameters go to `rest`; the others fill
        // the first slots, in the vector they came in (a caller that gives
        // it room for every parameter saves an allocation).
        let rest = if positional.len() > by_position { positional.split_off(by_position) } else { Vec::new() };
        let mut params: Vec<Option<(T, Span)>> = positional.into_iter().map(Some).collect();
        params.resize_with(self.params.len(), || None);
        for (k, t, s) in named {
            self.place(who, &mut params, k, t, s)?;
        }
        self.missing(who, call, &params)?;
        Ok(Matched { params, rest })
    }

    /// Checks the types of matched values and fills in number defaults.
    /// A value may be borrowed (a name's, from the environment).
    pub fn bind<'a>(&self, who: Who<'a>, call: &Span, matched: Matched<Cow<'a, Value>>) -> EResult<Args<'a>> {
        let mut values = matched.params;
        self.check_and_default(who, call, &mut values)?;
        if let Some(r) = &self.rest {
            for (v, s) in &matched.rest {
                Self::check_type(who, r, v, s)?;
            }
        }
        let rest = matched.rest.into_iter().map(|(v, s)| (v.into_owned(), s)).collect();
        Ok(Args { who, call: call.clone(), params: self.params, values: Cow::Owned(values), rest })
    }

    /// Checks the types of the given values, in order, and fills in number
    /// defaults.
    #[inline]
    fn check_and_default<'a>(&self, who: Who<'_>, call: &Span, values: &mut [Slot<'a>]) -> EResult<()> {
        for (p, slot) in self.params.iter().zip(values.iter_mut()) {
            match (&*slot, p.default) {
                (Some((v, s)), _) => Self::check_type(who, p, v, s)?,
                (None, Some(Omitted::Num(d))) => *slot = Some((Cow::Owned(Value::Num(d)), call.clone())),
                (None, _) => {}
            }
        }
        Ok(())
    }

    /// [`Signature::arrange`] then [`Signature::bind`], for arguments that
    /// are values already (a built-in function's): the same errors in the
    /// same order, in one step. `positional` holds the positional arguments
    /// in order (every slot `Some`); it becomes the slots the [`Args`]
    /// borrow, where they are (nothing is moved or allocated for a call of
    /// up to [`INLINE_SLOTS`] parameters).
    pub fn bind_values<'s, 'a: 's, 'n>(
        &self,
        who: Who<'a>,
        call: &Span,
        positional: &'s mut Slots<'a>,
        named: impl IntoIterator<Item = (&'n str, Cow<'a, Value>, Span)>,
    ) -> EResult<Args<'s>> {
        if self.rest.is_some() {
            let given = std::mem::take(positional).into_vec().into_iter().flatten().collect();
            let matched = self.arrange(who, call, given, named.into_iter().collect())?;
            return self.bind(who, call, matched);
        }
        let by_position = self.by_position();
        if let Some(Some((_, s))) = positional.as_slice().get(by_position) {
            return Err(self.extra_argument(who, by_position, s));
        }
        // An empty slot for every parameter not given by position.
        while positional.len() < self.params.len() {
            positional.push(None);
        }
        for (k, v, s) in named {
            self.place(who, positional.as_mut_slice(), k, v, s)?;
        }
        self.missing(who, call, positional.as_slice())?;
        self.check_and_default(who, call, positional.as_mut_slice())?;
        Ok(Args {
            who,
            call: call.clone(),
            params: self.params,
            values: Cow::Borrowed(positional.as_slice()),
            rest: Vec::new(),
        })
    }
}

/// Arguments bound to a signature's parameters, of the parameters' types.
#[derive(Debug, Clone, PartialEq)]
pub struct Args<'a> {
    who: Who<'a>,
    call: Span,
    params: &'static [Param],
    /// One slot per parameter (borrowed from a function's call, owned
    /// after [`Signature::bind`]).
    values: Cow<'a, [Slot<'a>]>,
    rest: Vec<(Value, Span)>,
}

impl Args<'_> {
    /// The callee, as messages name it.
    pub fn who(&self) -> Who<'_> {
        self.who
    }

    /// The whole call.
    pub fn call(&self) -> &Span {
        &self.call
    }

    /// Parameter `i`'s value, if it was given or has a number default.
    #[inline]
    pub fn get(&self, i: usize) -> Option<&Value> {
        self.values.get(i).and_then(|v| v.as_ref()).map(|(v, _)| &**v)
    }

    /// Where parameter `i`'s argument is (the call when it was omitted).
    pub fn span(&self, i: usize) -> &Span {
        self.values.get(i).and_then(|v| v.as_ref()).map_or(&self.call, |(_, s)| s)
    }

    /// Where the argument named `name` is (the call when it was omitted).
    pub fn span_of(&self, name: &str) -> &Span {
        self.params.iter().position(|p| p.name == name).map_or(&self.call, |i| self.span(i))
    }

    /// The value of the parameter named `name`, if it was given or has a
    /// number default.
    pub fn names_value(&self, name: &str) -> Option<&Value> {
        self.params.iter().position(|p| p.name == name).and_then(|i| self.get(i))
    }

    /// The number parameter named `name`, if it was given or has a default.
    pub fn num_named(&self, name: &str) -> Option<f64> {
        match self.names_value(name) {
            Some(Value::Num(x)) => Some(*x),
            _ => None,
        }
    }

    /// The further positional arguments.
    pub fn rest(&self) -> &[(Value, Span)] {
        &self.rest
    }

    #[cold]
    pub(super) fn unbound(&self, i: usize, noun: &str) -> Diag {
        // Binding checked the types: this is a table entry reading a
        // parameter of another type than it declared.
        Diag::error(self.call.clone(), format!("internal error: {} has no {noun} as argument {i}", self.who), "here")
    }

    /// Number parameter `i`.
    #[inline]
    pub fn num(&self, i: usize) -> EResult<f64> {
        match self.get(i) {
            Some(Value::Num(x)) => Ok(*x),
            _ => Err(self.unbound(i, "number")),
        }
    }

    /// Vector parameter `i`.
    #[inline]
    pub fn vector(&self, i: usize) -> EResult<&[f64]> {
        match self.get(i) {
            Some(Value::Vector(v)) => Ok(v),
            _ => Err(self.unbound(i, "vector")),
        }
    }

    /// Matrix parameter `i`.
    #[inline]
    pub fn matrix(&self, i: usize) -> EResult<&super::Matrix> {
        match self.get(i) {
            Some(Value::Matrix(m)) => Ok(m),
            _ => Err(self.unbound(i, "matrix")),
        }
    }

    /// A [`NumError`] of the numeric core, at the argument it is about.
    pub fn num_error(&self, e: NumError) -> Diag {
        let span = match &e {
            NumError::Empty | NumError::NonFinite { .. } | NumError::NotAProbability(_) => self.span(0),
            NumError::Temperature(_) => self.span_of("T"),
            NumError::Class { .. } => self.span_of("y"),
            NumError::Overflow(_) => &self.call,
        };
        Diag::error(span.clone(), e.to_string(), "here")
    }
}
