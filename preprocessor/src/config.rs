//! `[preprocessor.lemma]` in book.toml, read and validated: unknown keys
//! and values of the wrong type are errors, and lemma must run after
//! mdBook's `links` preprocessor.

use std::path::PathBuf;

use anyhow::{Context as _, bail};
use mdbook_preprocessor::PreprocessorContext;

use crate::{DEFAULT_TIMEOUT_SECS, NAME, coverage, python};

/// Keys mdBook itself reads from a preprocessor's table.
const MDBOOK_KEYS: &[&str] = &["command", "renderers", "before", "after", "optional"];
/// Keys `mdbook-lemma` reads.
const OWN_KEYS: &[&str] = &["unchecked-numbers", "run-code", "python", "run-code-timeout"];

/// How to run the book's Python samples (`[preprocessor.lemma]`).
#[derive(Debug, Clone)]
pub(crate) struct CodeConfig {
    /// `run-code = true`: `mdbook-lemma check` runs them.
    pub(crate) enabled: bool,
    /// The interpreter (`python`).
    pub(crate) python: String,
    /// The time limit per chapter (`run-code-timeout`).
    pub(crate) timeout: std::time::Duration,
    /// The book's root (the directory of book.toml): the samples run there,
    /// so they open the book's data files by the paths `load` takes.
    pub(crate) root: PathBuf,
}

/// Fails on a key of `[preprocessor.lemma]` that nobody reads (a typo would
/// otherwise be ignored silently) or a value of the wrong type. Returns the
/// `unchecked-numbers` setting and how to run the Python samples.
pub(crate) fn check_config(ctx: &PreprocessorContext) -> anyhow::Result<(coverage::Setting, CodeConfig)> {
    let table: Option<toml::Table> = ctx
        .config
        .get(&format!("preprocessor.{NAME}"))
        .with_context(|| format!("`[preprocessor.{NAME}]` in book.toml must be a table"))?;
    for key in table.iter().flat_map(|t| t.keys()) {
        if !MDBOOK_KEYS.contains(&key.as_str()) && !OWN_KEYS.contains(&key.as_str()) {
            bail!(
                "unknown key `{key}` in `[preprocessor.{NAME}]` of book.toml (known keys: {})",
                MDBOOK_KEYS.iter().chain(OWN_KEYS).copied().collect::<Vec<_>>().join(", ")
            );
        }
    }
    if let Some(table) = &table {
        check_order(ctx, table)?;
    }
    let key = "unchecked-numbers";
    let unchecked = match table.as_ref().and_then(|t| t.get(key)) {
        None => coverage::Setting::default(),
        Some(v) => v.as_str().and_then(coverage::Setting::parse).with_context(|| {
            format!("`{key}` in `[preprocessor.{NAME}]` of book.toml must be \"deny\", \"warn\" or \"allow\", got {v}")
        })?,
    };
    let get = |k: &str| table.as_ref().and_then(|t| t.get(k));
    let enabled = match get("run-code") {
        None => false,
        Some(v) => v.as_bool().with_context(|| {
            format!("`run-code` in `[preprocessor.{NAME}]` of book.toml must be true or false, got {v}")
        })?,
    };
    let python = match get("python") {
        None => python::default_interpreter(),
        Some(v) => v.as_str().filter(|s| !s.trim().is_empty()).map(str::to_string).with_context(|| {
            format!("`python` in `[preprocessor.{NAME}]` of book.toml must be an interpreter's name or path, got {v}")
        })?,
    };
    let timeout = match get("run-code-timeout") {
        None => DEFAULT_TIMEOUT_SECS,
        Some(v) => v.as_integer().and_then(|n| u64::try_from(n).ok()).filter(|&n| (1..=86_400).contains(&n)).with_context(
            || format!("`run-code-timeout` in `[preprocessor.{NAME}]` of book.toml must be a whole number of seconds from 1 to 86400, got {v}"),
        )?,
    };
    Ok((
        unchecked,
        CodeConfig { enabled, python, timeout: std::time::Duration::from_secs(timeout), root: ctx.root.clone() },
    ))
}

/// Fails when book.toml would run lemma before mdBook's `links`
/// preprocessor: the forms in `{{#include}}`d text would be left in the page
/// unevaluated (mdBook orders preprocessors without a dependency by name, and
/// `lemma` sorts before `links`).
fn check_order(ctx: &PreprocessorContext, table: &toml::Table) -> anyhow::Result<()> {
    let names = |v: Option<&toml::Value>| -> Vec<String> {
        v.and_then(toml::Value::as_array)
            .map(|a| a.iter().filter_map(|x| x.as_str().map(str::to_string)).collect())
            .unwrap_or_default()
    };
    let links: Option<toml::Table> = ctx.config.get("preprocessor.links").ok().flatten();
    if !ctx.config.build.use_default_preprocessors && links.is_none() {
        return Ok(()); // no `links` at all
    }
    let after = names(table.get("after"));
    let links_before = names(links.as_ref().and_then(|t| t.get("before")));
    if after.iter().any(|n| n == "links") || links_before.iter().any(|n| n == NAME) {
        return Ok(());
    }
    bail!(
        "`[preprocessor.{NAME}]` in book.toml must run after mdBook's `links` preprocessor, or forms in {{{{#include}}}}d text are left unevaluated: add `after = [\"links\"]`"
    )
}
