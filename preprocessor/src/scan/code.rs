//! What in a code block is a claim.
//!
//! A reader sees every number in a code block, but not every one is a
//! claim. Numbers in executable code (`T = 0.5`, a string literal, a
//! format spec) are inputs: exempt by rule. Comments, docstrings and
//! printed output say what the code gives: claims. So:
//!
//! - in a known language, comments (line and block) and, in Python,
//!   docstrings are claims; the rest is code;
//! - a line after a prompt line (`>>> `, `... `, `$ `, `In [3]:`) that is not
//!   itself a prompt line is printed output: a claim; a prompt line is code
//!   (with its comments claims);
//! - any other block (untagged, indented, `text`, `console`, `pycon`,
//!   `output`, `markdown`, a language lemma does not know) is all claims,
//!   but for its prompt lines, the statements of a lemma block and the
//!   `tolerance:` line of an exercise block shown in it (a Markdown sample
//!   of lemma source);
//! - data (`json`, `csv`, `tsv`) is all input.

use std::ops::Range;

/// How a code block's language writes comments.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    /// Comments after `#`.
    Hash {
        /// Python: `"""` and `'''` docstrings are claims too.
        docstrings: bool,
    },
    /// `//` and `/* ... */`; `'` starts a string only as a char literal.
    Slash,
    /// `/* ... */` only (CSS).
    Css,
    /// `--` (SQL, Lua, Haskell).
    Dash,
    /// `%` (LaTeX, MATLAB).
    Percent,
    /// `;` (Lisp, assembly, INI).
    Semicolon,
    /// HTML and XML: the text between tags, and `title` and `alt`.
    Markup,
    /// Data: every number is an input.
    Data,
    /// Text: every number is a claim.
    Text,
}

impl Lang {
    /// The language of a code block, from its info string (`rust,ignore`,
    /// `Python`, `{.python}`); an indented block is text.
    pub fn of(info: &str, indented: bool) -> Lang {
        if indented {
            return Lang::Text;
        }
        let word = super::info_word(info).to_ascii_lowercase();
        match word.as_str() {
            "python" | "py" | "python3" | "ipython" => Lang::Hash { docstrings: true },
            "sh" | "bash" | "shell" | "zsh" | "fish" | "toml" | "yaml" | "yml" | "r" | "julia" | "jl" | "perl"
            | "pl" | "ruby" | "rb" | "make" | "makefile" | "dockerfile" | "nix" | "elixir" | "ex" | "cmake"
            | "powershell" | "ps1" | "awk" | "tcl" | "nim" | "crystal" | "coffeescript" => {
                Lang::Hash { docstrings: false }
            }
            "rust" | "rs" | "js" | "javascript" | "jsx" | "mjs" | "ts" | "typescript" | "tsx" | "c" | "h" | "cpp"
            | "c++" | "cc" | "cxx" | "hpp" | "java" | "go" | "kotlin" | "kt" | "swift" | "scala" | "cs" | "csharp"
            | "dart" | "zig" | "glsl" | "wgsl" | "cuda" | "cu" | "php" | "groovy" | "jsonc" | "json5" | "proto"
            | "protobuf" | "scss" | "less" | "solidity" | "d" | "objc" | "verilog" => Lang::Slash,
            "css" => Lang::Css,
            "sql" | "lua" | "haskell" | "hs" | "elm" | "ada" | "vhdl" | "purescript" => Lang::Dash,
            "tex" | "latex" | "matlab" | "octave" | "erlang" | "erl" | "prolog" => Lang::Percent,
            "lisp" | "clojure" | "clj" | "scheme" | "racket" | "elisp" | "asm" | "nasm" | "ini" => Lang::Semicolon,
            "html" | "xml" | "svg" | "xhtml" => Lang::Markup,
            "json" | "csv" | "tsv" => Lang::Data,
            _ => Lang::Text,
        }
    }
}

/// Whether a line starts with a REPL or shell prompt; the length of the
/// prompt.
fn prompt(line: &str) -> Option<usize> {
    let t = line.trim_start();
    let lead = line.len() - t.len();
    for p in [">>> ", "... ", "$ "] {
        if t.starts_with(p) || t.trim_end() == p.trim_end() {
            return Some(lead + p.len().min(t.len()));
        }
    }
    if let Some(rest) = t.strip_prefix("In [") {
        let n = rest.find("]:")?;
        if rest[..n].bytes().all(|c| c.is_ascii_digit()) {
            return Some(lead + 4 + n + 2);
        }
    }
    None
}

/// Adds the claims of a code block, given as `(start, end)` of each line in
/// the chapter, to `out`.
pub fn claims(src: &str, lang: Lang, lines: &[(usize, usize)], out: &mut Vec<Range<usize>>) {
    // A session: some line starts with `>>> `, `$ ` or `In [n]:`.
    let session = lines.iter().any(|&(s, e)| {
        let l = &src[s..e];
        let t = l.trim_start();
        t.starts_with(">>>") || t.starts_with("$ ") || (t.starts_with("In [") && prompt(l).is_some())
    });
    let mut block_comment = false;
    let mut docstring: Option<&str> = None;
    let mut markup = super::html::State::default();
    // Inside a lemma (`Some(true)`) or exercise (`Some(false)`) block shown
    // in a sample.
    let mut nested: Option<bool> = None;
    for &(s, e) in lines {
        let line = &src[s..e];
        if session {
            match prompt(line) {
                Some(p) => {
                    // Code after the prompt; its comments are claims.
                    let code = &line[p..];
                    if let Some(mark) = line_mark(lang)
                        && let Some(c) = comment_start(code, mark, lang == Lang::Slash)
                    {
                        out.push(s + p + c..e);
                    }
                }
                None => out.push(s..e), // printed output
            }
            continue;
        }
        match lang {
            Lang::Text => {
                // A lemma block shown in a Markdown sample: its statements
                // are lemma syntax, its comments claims.
                let t = line.trim_start_matches(|c: char| c == '>' || c.is_whitespace());
                let fence = t.starts_with("```") || t.starts_with("~~~");
                let word = super::info_word(t.trim_start_matches(['`', '~']));
                if fence && nested.is_some() {
                    nested = None;
                } else if fence && (word == "lemma" || word == "exercise") {
                    nested = Some(word == "lemma");
                } else if nested == Some(true) {
                    if let Some(c) = comment_start(line, "#", false) {
                        out.push(s + c..e);
                    }
                } else if !(nested == Some(false) && t.starts_with("tolerance:")) {
                    out.push(s..e);
                }
            }
            Lang::Data => {}
            Lang::Markup => markup.claims(src, s..e, out),
            Lang::Slash | Lang::Css => {
                let mut i = 0;
                while i < line.len() {
                    if block_comment {
                        match line[i..].find("*/") {
                            Some(j) => {
                                out.push(s + i..s + i + j);
                                block_comment = false;
                                i += j + 2;
                            }
                            None => {
                                out.push(s + i..e);
                                break;
                            }
                        }
                        continue;
                    }
                    let rest = &line[i..];
                    let line_c = if lang == Lang::Slash { comment_start(rest, "//", true) } else { None };
                    let block_c = comment_start(rest, "/*", lang == Lang::Slash);
                    match (line_c, block_c) {
                        (Some(l), b) if b.is_none_or(|b| l < b) => {
                            out.push(s + i + l..e);
                            break;
                        }
                        (_, Some(b)) => {
                            block_comment = true;
                            i += b + 2;
                        }
                        _ => break,
                    }
                }
            }
            Lang::Hash { docstrings } => {
                if let Some(q) = docstring {
                    out.push(s..e);
                    if line.contains(q) {
                        docstring = None;
                    }
                    continue;
                }
                if docstrings {
                    let t = line.trim_start();
                    if let Some(q) = ["\"\"\"", "'''"].into_iter().find(|q| t.starts_with(q)) {
                        out.push(s..e);
                        if !t[3..].contains(q) {
                            docstring = Some(q);
                        }
                        continue;
                    }
                }
                if let Some(c) = comment_start(line, "#", false) {
                    out.push(s + c..e);
                }
            }
            Lang::Dash | Lang::Percent | Lang::Semicolon => {
                if let Some(mark) = line_mark(lang)
                    && let Some(c) = comment_start(line, mark, false)
                {
                    out.push(s + c..e);
                }
            }
        }
    }
}

fn line_mark(lang: Lang) -> Option<&'static str> {
    match lang {
        Lang::Hash { .. } => Some("#"),
        Lang::Slash => Some("//"),
        Lang::Dash => Some("--"),
        Lang::Percent => Some("%"),
        Lang::Semicolon => Some(";"),
        Lang::Css | Lang::Markup | Lang::Data | Lang::Text => None,
    }
}

/// Where a comment starting with `mark` begins in `line`, outside string
/// literals. With `char_literals`, `'` opens a string only as a char
/// literal (`'a'`, `'\n'`, `'\u{1F600}'`), so a Rust lifetime (`&'static`)
/// or a `'` in a regular expression does not hide the comment; otherwise a
/// quote with no closing quote on the line opens no string either.
pub fn comment_start(line: &str, mark: &str, char_literals: bool) -> Option<usize> {
    let b = line.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if b[i..].starts_with(mark.as_bytes()) {
            return Some(i);
        }
        if c == b'"' || (c == b'\'' && !char_literals) {
            if let Some(end) = string_end(b, i) {
                i = end + 1;
                continue;
            }
        } else if c == b'\''
            && let Some(end) = char_literal_end(b, i)
        {
            i = end + 1;
            continue;
        }
        i += 1;
    }
    None
}

/// The closing quote of a string opened at `start`, on the line.
fn string_end(b: &[u8], start: usize) -> Option<usize> {
    let q = b[start];
    let mut i = start + 1;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 1,
            c if c == q => return Some(i),
            _ => {}
        }
        i += 1;
    }
    None
}

/// The closing quote of a char literal opened at `start`: one character or
/// an escape, then `'`.
fn char_literal_end(b: &[u8], start: usize) -> Option<usize> {
    let rest = &b[start + 1..];
    if rest.first() == Some(&b'\\') {
        let j = rest.iter().take(12).skip(1).position(|&c| c == b'\'')?;
        return Some(start + 2 + j);
    }
    // One UTF-8 character.
    let len = match rest.first()? {
        c if *c < 0x80 => 1,
        c if *c >= 0xf0 => 4,
        c if *c >= 0xe0 => 3,
        _ => 2,
    };
    (rest.get(len) == Some(&b'\'')).then_some(start + 1 + len)
}
