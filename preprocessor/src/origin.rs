//! Where each byte of a chapter came from: the chapter's own file or a
//! file it `{{#include}}`s.
//!
//! mdBook's `links` preprocessor expands `{{#include PATH}}` and
//! `{{#include PATH:START:END}}` (recursively), removes `{{#title ...}}` and
//! unescapes `\{{#...}}` before lemma sees the chapter. [`trace`] repeats
//! that expansion on the files on disk, remembering which file and offset
//! each piece of the result is a copy of, so that a diagnostic is reported
//! at the included file's own line (and `mdbook-lemma fix` can edit that
//! file). It gives up (and the caller falls back to placing diagnostics by
//! line text) on anything it does not reproduce exactly: anchors,
//! `{{#rustdoc_include}}`, `{{#playground}}`, files with CRLF line ends,
//! files it cannot read; and the caller uses the trace only when the
//! expansion equals the chapter it received, byte for byte.
//!
//! Pure: files are read through the function the caller passes.

use std::ops::Range;
use std::path::{Component, Path, PathBuf};

/// How deep includes nest before mdBook stops expanding them.
const MAX_DEPTH: usize = 10;

/// A piece of the expanded chapter that is a verbatim copy of a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    /// Where it is in the expanded chapter.
    pub content: Range<usize>,
    /// Which file (an index into [`Trace::files`]).
    pub file: usize,
    /// Where it starts in that file.
    pub at: usize,
}

/// The expansion of a chapter and where each piece came from.
#[derive(Debug, Clone, Default)]
pub struct Trace {
    /// The expanded chapter.
    pub expanded: String,
    /// Each file read, by its path relative to the book's source
    /// directory (lexically normalized), with its text. The chapter's own
    /// file is first.
    pub files: Vec<(PathBuf, String)>,
    /// Every piece of `expanded`, in order.
    pub pieces: Vec<Piece>,
    /// Each include directive: the index of the file it includes.
    pub includes: Vec<usize>,
}

impl Trace {
    /// Places `range` of the expanded chapter in one file: the file's
    /// index and the range there. `None` when the range spans pieces.
    pub fn place(&self, range: &Range<usize>) -> Option<(usize, Range<usize>)> {
        let i = self.pieces.partition_point(|p| p.content.end <= range.start);
        let p = self.pieces.get(i)?;
        if range.start < p.content.start || range.end > p.content.end {
            return None;
        }
        let off = p.at + (range.start - p.content.start);
        Some((p.file, off..off + (range.end - range.start)))
    }
}

/// Expands `text`, the chapter at `path` (relative to the source
/// directory), reading included files with `read` (given a path relative
/// to the source directory). `None` when the expansion uses something this
/// module does not reproduce.
pub fn trace(path: &Path, text: &str, read: &dyn Fn(&Path) -> Option<String>) -> Option<Trace> {
    let mut t = Trace { files: vec![(normalize(path), text.to_string())], ..Trace::default() };
    expand(&mut t, 0, 0..text.len(), 0, read)?;
    Some(t)
}

/// The include directives of `text`, as paths relative to the source
/// directory (for counting how often a file is included).
pub fn includes(path: &Path, text: &str) -> Vec<PathBuf> {
    let dir = path.parent().unwrap_or(Path::new(""));
    links(text)
        .into_iter()
        .filter_map(|l| match l.kind {
            Kind::Include(p, _) => Some(normalize(&dir.join(p))),
            _ => None,
        })
        .collect()
}

/// Expands `range` of file `file` onto `t.expanded`.
fn expand(
    t: &mut Trace,
    file: usize,
    range: Range<usize>,
    depth: usize,
    read: &dyn Fn(&Path) -> Option<String>,
) -> Option<()> {
    let text = t.files[file].1.get(range.clone())?.to_string();
    let dir = t.files[file].0.parent().map(Path::to_path_buf).unwrap_or_default();
    let mut prev = 0;
    for link in links(&text) {
        copy(t, file, range.start + prev, &text[prev..link.range.start]);
        prev = link.range.end;
        match link.kind {
            Kind::Escaped => {
                copy(t, file, range.start + link.range.start + 1, &text[link.range.start + 1..link.range.end])
            }
            Kind::Title => {}
            Kind::Other => return None,
            Kind::Include(p, lines) => {
                let target = normalize(&dir.join(p));
                let body = read(&target)?;
                if body.contains('\r') {
                    return None;
                }
                let slice = line_slice(&body, lines)?;
                let idx = match t.files.iter().position(|(f, b)| *f == target && *b == body) {
                    Some(i) => i,
                    None => {
                        t.files.push((target, body));
                        t.files.len() - 1
                    }
                };
                t.includes.push(idx);
                if depth < MAX_DEPTH {
                    expand(t, idx, slice, depth + 1, read)?;
                } else {
                    return None;
                }
            }
        }
    }
    copy(t, file, range.start + prev, &text[prev..]);
    Some(())
}

/// Appends `piece`, a copy of file `file` at `at`.
fn copy(t: &mut Trace, file: usize, at: usize, piece: &str) {
    if piece.is_empty() {
        return;
    }
    let start = t.expanded.len();
    t.expanded.push_str(piece);
    t.pieces.push(Piece { content: start..t.expanded.len(), file, at });
}

/// The lines `lines` (0-based, end exclusive; `None` for unbounded) of
/// `body` as mdBook takes them (joined with `\n`, no final newline): with
/// `\n` line ends, one contiguous range of `body`.
fn line_slice(body: &str, (start, end): (Option<usize>, Option<usize>)) -> Option<Range<usize>> {
    let mut starts = vec![0];
    starts.extend(body.match_indices('\n').map(|(i, _)| i + 1));
    // `str::lines` has no empty last line after a final newline.
    if body.ends_with('\n') {
        starts.pop();
    }
    let n = starts.len();
    let first = start.unwrap_or(0).min(n);
    let last = end.unwrap_or(n).min(n);
    if first >= last {
        return Some(0..0);
    }
    let from = starts[first];
    let to = if last < n { starts[last] - 1 } else { body.strip_suffix('\n').map_or(body.len(), str::len) };
    Some(from..to)
}

enum Kind<'a> {
    /// `\{{#...}}`: written without the backslash.
    Escaped,
    /// `{{#title ...}}`: removed.
    Title,
    /// `{{#include PATH[:RANGE]}}`, with its 0-based line range.
    Include(&'a str, (Option<usize>, Option<usize>)),
    /// Anything else mdBook expands (anchors, `rustdoc_include`,
    /// `playground`): not reproduced.
    Other,
}

struct Link<'a> {
    range: Range<usize>,
    kind: Kind<'a>,
}

/// The links mdBook's `links` preprocessor expands, in order (its pattern:
/// `\{{#` up to the last `}}` of the line, or `{{ #TYPE ARGS}}` with no
/// `}` in the arguments).
fn links(text: &str) -> Vec<Link<'_>> {
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(j) = text[i..].find("{{").map(|j| i + j) {
        if j > 0 && text.as_bytes()[j - 1] == b'\\' && text[j + 2..].starts_with('#') {
            let line_end = text[j..].find('\n').map_or(text.len(), |k| j + k);
            if let Some(k) = text[j..line_end].rfind("}}") {
                out.push(Link { range: j - 1..j + k + 2, kind: Kind::Escaped });
                i = j + k + 2;
                continue;
            }
        }
        i = j + 2;
        let rest = &text[j + 2..];
        let lead = rest.len() - rest.trim_start().len();
        let Some(body) = rest[lead..].strip_prefix('#') else { continue };
        let name_len = body.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(body.len());
        let (name, after) = body.split_at(name_len);
        let ws = after.len() - after.trim_start().len();
        if name.is_empty() || ws == 0 {
            continue;
        }
        let args = &after[ws..];
        let Some(close) = args.find('}') else { continue };
        if !args[close..].starts_with("}}") || close == 0 {
            continue;
        }
        let end = j + 2 + lead + 1 + name_len + ws + close + 2;
        let args = &args[..close];
        let kind = match name {
            "title" => Kind::Title,
            "include" => match args.split_whitespace().next() {
                Some(p) => include(p),
                None => continue,
            },
            "rustdoc_include" | "playground" | "playpen" => Kind::Other,
            _ => continue, // left as it is by mdBook
        };
        out.push(Link { range: j..end, kind });
        i = end;
    }
    out
}

/// `PATH`, `PATH:START`, `PATH:START:END`, `PATH::END`, `PATH:START:` as
/// mdBook reads them (1-based lines; a lone start is that one line); an
/// anchor name is [`Kind::Other`].
fn include(arg: &str) -> Kind<'_> {
    let (path, spec) = match arg.split_once(':') {
        Some((p, s)) => (p, Some(s)),
        None => (arg, None),
    };
    let mut parts = spec.unwrap_or("").splitn(3, ':');
    let first = parts.next();
    let start = match first {
        Some(v) if v.parse::<usize>().is_ok() => v.parse::<usize>().ok().map(|n| n.saturating_sub(1)),
        Some("") | None => None,
        Some(_) => return Kind::Other,
    };
    let end = parts.next().map(|s| s.parse::<usize>());
    let lines = match (start, end) {
        (Some(s), Some(Ok(e))) => (Some(s), Some(e)),
        (Some(s), Some(Err(_))) => (Some(s), None),
        (Some(s), None) => (Some(s), Some(s + 1)),
        (None, Some(Ok(e))) => (None, Some(e)),
        (None, _) => (None, None),
    };
    Kind::Include(path, lines)
}

/// `a/./b/../c` as `a/c`, without touching the file system.
pub fn normalize(p: &Path) -> PathBuf {
    let mut out: Vec<Component<'_>> = Vec::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => match out.last() {
                Some(Component::Normal(_)) => {
                    out.pop();
                }
                _ => out.push(c),
            },
            _ => out.push(c),
        }
    }
    out.iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(p: &Path) -> Option<String> {
        match p.to_str()? {
            "parts/a.md" => Some("A1\nA2 x\nA3\n".into()),
            "parts/nested.md" => Some("N {{#include a.md:2}} N\n".into()),
            "crlf.md" => Some("a\r\nb\r\n".into()),
            _ => None,
        }
    }

    #[test]
    fn traces_includes_ranges_titles_and_escapes() {
        let text = "# T\n{{#title Hi}}\n{{#include parts/a.md}}\n{{ #include parts/a.md:2:3 }}\n\\{{#include x}}\n{{#include parts/nested.md}}\n";
        let t = trace(Path::new("ch/../c.md"), text, &read).expect("traced");
        assert_eq!(t.expanded, "# T\n\nA1\nA2 x\nA3\nA2 x\nA3\n{{#include x}}\nN A2 x N\n");
        assert_eq!(
            t.files.iter().map(|f| f.0.to_string_lossy().to_string()).collect::<Vec<_>>(),
            ["c.md", "parts/a.md", "parts/nested.md"]
        );
        // `x` of the second A2 line: in parts/a.md at byte 6.
        let at = t.expanded.find("A2 x\nA3\n{{").expect("there") + 3;
        assert_eq!(t.place(&(at..at + 1)), Some((1, 6..7)));
        // The unescaped link is the chapter's own text.
        let at = t.expanded.find("{{#include x").expect("there");
        assert_eq!(
            t.place(&(at..at + 2)),
            Some((0, text.find("{{#include x").expect("there")..text.find("{{#include x").expect("there") + 2))
        );
        // Through two levels: the `x` in `N A2 x N`.
        let at = t.expanded.rfind(" x N").expect("there") + 1;
        assert_eq!(t.place(&(at..at + 1)), Some((1, 6..7)));
        assert_eq!(t.includes, [1, 1, 2, 1]);
        assert_eq!(includes(Path::new("c.md"), text).len(), 3);
    }

    #[test]
    fn gives_up_on_what_it_does_not_reproduce() {
        for text in [
            "{{#include parts/a.md:anchor}}",
            "{{#include crlf.md}}",
            "{{#include missing.md}}",
            "{{#playground a.rs}}",
        ] {
            assert!(trace(Path::new("c.md"), text, &read).is_none(), "{text}");
        }
        assert_eq!(normalize(Path::new("../a/./b/../c")), PathBuf::from("../a/c"));
    }
}
