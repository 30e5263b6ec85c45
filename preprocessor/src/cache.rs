//! Processed chapters kept between runs under `mdbook serve`.
//!
//! `mdbook serve` rebuilds the whole book on every save, and each rebuild
//! starts the preprocessor afresh. [`crate::chapter::process_in`] is a pure
//! function of the chapter's text, its [`Options`] and the content of the
//! data files its `load` calls read (the phases do no I/O; the files come
//! through [`Source`]; see `ARCHITECTURE.md`), so its result can be kept: a
//! rebuild then processes only the chapters whose text or data changed.
//!
//! # When it is used
//!
//! Only when the book is being served: mdBook's `serve` sets
//! `output.html.live-reload-endpoint` in the configuration it hands to
//! preprocessors, and [`Cache::for_book`] looks for it. `mdbook build`,
//! `mdbook-lemma build` and `check` never read or write a cache.
//!
//! # Why a kept result cannot be stale
//!
//! An entry stores the chapter text it was computed from, the options, and
//! the identity of the binary that computed it (its version, and the size
//! and modification time of its executable), and in the result the data
//! files the chapter loaded, each with a SHA-256 of its content (or none,
//! when it could not be read). It is used only when all three are equal to
//! the current ones, compared in full (the hash in the file name only finds
//! the file), and each listed file hashes as it did (a file that could not
//! be read still cannot). A chapter that loaded nothing lists nothing, so
//! checking it reads no file. Anything else, including a file that
//! cannot be read or parsed, is a miss, and the chapter is processed as if
//! there were no cache. Writing is best effort: a failure is ignored.
//!
//! # Where
//!
//! `$MDBOOK_LEMMA_CACHE_DIR` if set, else `mdbook-lemma/<hash of the book
//! root>` in the user's cache directory (`$XDG_CACHE_HOME`, else
//! `~/.cache`; with neither, no cache): one file per chapter. After each
//! run the files this run did not use are removed, so the directory holds
//! one entry per chapter of the book (a `$MDBOOK_LEMMA_CACHE_DIR` shared by
//! two books would only make each miss the other's entries).

use std::collections::HashSet;
use std::hash::{Hash as _, Hasher as _};
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::chapter::{Options, Processed};
use crate::eval::data::{Source, content_hash};

/// A cache directory and the identity of this binary.
#[derive(Debug, Clone)]
pub struct Cache {
    dir: PathBuf,
    version: String,
}

/// The name of the environment variable that chooses the cache directory.
pub const DIR_VAR: &str = "MDBOOK_LEMMA_CACHE_DIR";

impl Cache {
    /// The cache for the book at `root`, if the book is being served (its
    /// configuration has `output.html.live-reload-endpoint`) and the
    /// running executable can be identified.
    pub fn for_book(ctx: &mdbook_preprocessor::PreprocessorContext) -> Option<Cache> {
        let served = matches!(ctx.config.get::<String>("output.html.live-reload-endpoint"), Ok(Some(_)));
        if !served {
            return None;
        }
        let dir = match std::env::var_os(DIR_VAR) {
            Some(d) => PathBuf::from(d),
            None => {
                // The user's own cache directory, never a shared one such
                // as /tmp: there another user could plant an entry.
                let base = std::env::var_os("XDG_CACHE_HOME")
                    .map(PathBuf::from)
                    .filter(|p| p.is_absolute())
                    .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))?;
                let root = ctx.root.canonicalize().unwrap_or_else(|_| ctx.root.clone());
                let mut h = std::collections::hash_map::DefaultHasher::new();
                root.hash(&mut h);
                base.join("mdbook-lemma").join(format!("{:016x}", h.finish()))
            }
        };
        Some(Cache::new(dir, executable_identity()?))
    }

    /// A cache in `dir` for results computed by the code named `version`.
    pub fn new(dir: PathBuf, version: String) -> Cache {
        Cache { dir, version }
    }

    /// The file name of the entry for `src` and `opts`.
    pub fn key(&self, src: &str, opts: &Options) -> String {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        (&self.version, opts, src).hash(&mut h);
        format!("{:016x}.json", h.finish())
    }

    /// The kept result for `src` and `opts`, if there is one computed from
    /// exactly this text, with these options, by this binary, from data
    /// files whose content is unchanged: each file the chapter loaded is
    /// read again from `files` and its hash compared (a chapter that
    /// loaded nothing reads nothing).
    pub fn get(&self, key: &str, src: &str, opts: &Options, files: &dyn Source) -> Option<Processed> {
        let bytes = std::fs::read(self.dir.join(key)).ok()?;
        let e: Entry = serde_json::from_slice(&bytes).ok()?;
        let same = e.version == self.version && e.opts == *opts && e.input == src;
        let data_same = || e.output.loaded.iter().all(|l| files.read(&l.path).ok().map(|b| content_hash(&b)) == l.hash);
        (same && data_same()).then_some(e.output)
    }

    /// Keeps `out` as the result for `src` and `opts` (best effort).
    pub fn put(&self, key: &str, src: &str, opts: &Options, out: &Processed) {
        let e = Entry { version: self.version.clone(), opts: *opts, input: src.to_string(), output: out.clone() };
        let Ok(json) = serde_json::to_vec(&e) else { return };
        if std::fs::create_dir_all(&self.dir).is_err() {
            return;
        }
        // Written aside and renamed into place, so that a reader never sees
        // half a file (a half file would only be a miss, but a miss costs).
        let tmp = self.dir.join(format!("{key}.{}.tmp", std::process::id()));
        if std::fs::write(&tmp, json).is_ok() && std::fs::rename(&tmp, self.dir.join(key)).is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
    }

    /// Removes the entries not named in `keep`, and half-written files a
    /// crashed run left behind more than a minute ago (best effort).
    pub fn retain(&self, keep: &HashSet<String>) {
        let Ok(entries) = std::fs::read_dir(&self.dir) else { return };
        let stale_tmp = |e: &std::fs::DirEntry| {
            e.metadata()
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| t.elapsed().ok())
                .is_some_and(|age| age > std::time::Duration::from_secs(60))
        };
        for entry in entries.flatten() {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            let unused = name.ends_with(".json") && !keep.contains(name.as_ref());
            if unused || (name.ends_with(".tmp") && stale_tmp(&entry)) {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
}

/// This binary's version and its executable's size and modification time:
/// a rebuilt binary has another.
fn executable_identity() -> Option<String> {
    let exe = std::env::current_exe().ok()?;
    let meta = std::fs::metadata(&exe).ok()?;
    let mtime = meta.modified().ok()?.duration_since(std::time::UNIX_EPOCH).ok()?;
    Some(format!("{} {} {} {}", env!("CARGO_PKG_VERSION"), exe.display(), meta.len(), mtime.as_nanos()))
}

/// One kept result, with everything it was computed from.
#[derive(Serialize, Deserialize)]
struct Entry {
    version: String,
    opts: Options,
    input: String,
    output: Processed,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::coverage::Setting;

    fn processed(src: &str, opts: &Options) -> Processed {
        crate::chapter::process_with(src, opts)
    }

    /// What a result shows, for comparing a kept one with a computed one.
    fn show(p: &Processed) -> String {
        let diags: Vec<String> = p
            .diags
            .iter()
            .map(|d| format!("{} {:?} {} {} {:?}", d.is_error(), d.range, d.message, d.label, d.notes))
            .collect();
        let answers: Vec<String> = p.answers.iter().map(|a| format!("{} {}", a.n, a.text)).collect();
        format!("{}\n{:?}\n{:?}\n{:?}", p.content, diags, p.stats, answers)
    }

    /// A data source that counts its reads, over files in memory.
    #[derive(Debug, Default)]
    struct Counting {
        files: std::sync::Mutex<std::collections::HashMap<String, Vec<u8>>>,
        reads: std::sync::atomic::AtomicUsize,
    }

    impl Source for Counting {
        fn read(&self, path: &str) -> Result<Vec<u8>, String> {
            self.reads.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            self.files.lock().expect("lock").get(path).cloned().ok_or_else(|| "no such file".into())
        }
    }

    impl Counting {
        fn set(&self, path: &str, text: &str) {
            self.files.lock().expect("lock").insert(path.into(), text.as_bytes().to_vec());
        }
        fn reads(&self) -> usize {
            self.reads.load(std::sync::atomic::Ordering::SeqCst)
        }
    }

    /// A chapter that loads data is processed again when the data changes
    /// (or appears), and kept while it does not; a chapter that loads
    /// nothing reads no file to be kept.
    #[test]
    fn a_kept_result_follows_its_data_files() {
        let dir = tempfile::tempdir().expect("temp dir");
        let cache = Cache::new(dir.path().to_path_buf(), "v1".into());
        let opts = Options::default();
        let files = std::sync::Arc::new(Counting::default());
        let src = "Accuracy {{lemma accuracy(load(\"d/x.csv\", \"a:b\"), load(\"d/x.csv\", \"y\"))}}.\n";
        // Through the pipeline as `book.rs` runs it: kept, or processed and kept.
        let run = |files: &std::sync::Arc<Counting>| {
            let key = cache.key(src, &opts);
            cache.get(&key, src, &opts, files.as_ref()).unwrap_or_else(|| {
                let source: std::sync::Arc<dyn Source> = files.clone();
                let out = crate::chapter::process_in(src, &opts, Some(source));
                cache.put(&key, src, &opts, &out);
                out
            })
        };
        // No file yet: an error, kept while the file is still missing.
        let missing = run(&files);
        assert!(missing.diags.iter().any(|d| d.message.contains("no such file")), "{:?}", missing.diags);
        assert_eq!(missing.loaded, vec![crate::eval::data::Loaded { path: "d/x.csv".into(), hash: None }]);
        assert_eq!(show(&run(&files)), show(&missing));
        files.set("d/x.csv", "a,b,y\n2,1,0\n0,1,0\n");
        let half = run(&files);
        assert!(half.content.starts_with("Accuracy 0.500."), "{}", half.content);
        assert_eq!(show(&run(&files)), show(&half), "unchanged data: kept");
        files.set("d/x.csv", "a,b,y\n2,1,0\n2,1,0\n");
        let all = run(&files);
        assert!(all.content.starts_with("Accuracy 1."), "{}", all.content);
        // A chapter without `load` never reads a file, processed or kept.
        let before = files.reads();
        let plain = "Plain {{lemma 1 + 1}}.\n";
        let key = cache.key(plain, &opts);
        let source: std::sync::Arc<dyn Source> = files.clone();
        cache.put(&key, plain, &opts, &crate::chapter::process_in(plain, &opts, Some(source)));
        assert!(cache.get(&key, plain, &opts, files.as_ref()).is_some());
        assert_eq!(files.reads(), before);
    }

    const CHAPTER: &str = "Softmax gives {{lemma softmax([1.0, 2.0])[1] ≈ 0.731}}, and 0.5 is unchecked.\n\n```exercise\nanswer: {{lemma softmax([2, 1, 0])[0]; dp=3}}\nThe largest share.\n```\n";

    #[test]
    fn a_kept_result_is_the_computed_one() {
        let dir = tempfile::tempdir().expect("temp dir");
        let cache = Cache::new(dir.path().join("c"), "v1".into());
        let opts = Options { unchecked: Setting::Warn };
        let out = processed(CHAPTER, &opts);
        let key = cache.key(CHAPTER, &opts);
        assert!(cache.get(&key, CHAPTER, &opts, &Counting::default()).is_none(), "empty cache");
        cache.put(&key, CHAPTER, &opts, &out);
        let kept = cache.get(&key, CHAPTER, &opts, &Counting::default()).expect("kept");
        assert_eq!(show(&kept), show(&out));
        assert!(!out.diags.is_empty() && !out.answers.is_empty(), "the case covers warnings and answers");
    }

    #[test]
    fn anything_different_is_a_miss() {
        let dir = tempfile::tempdir().expect("temp dir");
        let cache = Cache::new(dir.path().to_path_buf(), "v1".into());
        let opts = Options { unchecked: Setting::Warn };
        let key = cache.key(CHAPTER, &opts);
        cache.put(&key, CHAPTER, &opts, &processed(CHAPTER, &opts));
        // Another text, other options, another binary: other keys, and the
        // same file read under another key's text is still refused.
        let other = CHAPTER.replace("2.0", "3.0");
        assert!(cache.get(&key, &other, &opts, &Counting::default()).is_none());
        let deny = Options { unchecked: Setting::Deny };
        assert!(cache.get(&key, CHAPTER, &deny, &Counting::default()).is_none());
        assert_ne!(cache.key(&other, &opts), key);
        assert_ne!(cache.key(CHAPTER, &deny), key);
        let rebuilt = Cache::new(dir.path().to_path_buf(), "v2".into());
        assert!(rebuilt.get(&key, CHAPTER, &opts, &Counting::default()).is_none());
        assert_ne!(rebuilt.key(CHAPTER, &opts), key);
        // A damaged file is a miss, not an error.
        std::fs::write(dir.path().join(&key), b"{\"version\": ").expect("writes");
        assert!(cache.get(&key, CHAPTER, &opts, &Counting::default()).is_none());
    }

    #[test]
    fn retain_removes_what_was_not_used() {
        let dir = tempfile::tempdir().expect("temp dir");
        let cache = Cache::new(dir.path().to_path_buf(), "v1".into());
        let opts = Options::default();
        let (a, b) = ("# A\n", "# B\n");
        let (ka, kb) = (cache.key(a, &opts), cache.key(b, &opts));
        cache.put(&ka, a, &opts, &processed(a, &opts));
        cache.put(&kb, b, &opts, &processed(b, &opts));
        let (fresh, old) = (dir.path().join("x.1.tmp"), dir.path().join("y.2.tmp"));
        std::fs::write(&fresh, b"{").expect("writes");
        std::fs::write(&old, b"{").expect("writes");
        let hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
        std::fs::File::open(&old).expect("opens").set_modified(hour_ago).expect("dates");
        cache.retain(&HashSet::from([ka.clone()]));
        assert!(cache.get(&ka, a, &opts, &Counting::default()).is_some());
        assert!(cache.get(&kb, b, &opts, &Counting::default()).is_none());
        assert!(fresh.exists(), "another run may be writing it");
        assert!(!old.exists(), "left behind by a crash");
    }
}
