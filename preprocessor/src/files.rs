//! The data files `load` reads ([`crate::eval::data::Source`]): files under
//! the book root, never outside it. The one place the pipeline reads a
//! file on behalf of a chapter's forms; evaluation itself stays pure.

use std::path::{Path, PathBuf};

use crate::eval::data::Source;

/// The largest data file `load` reads.
pub const MAX_DATA_BYTES: u64 = 64 << 20;

/// The files under a book root.
#[derive(Debug, Clone)]
pub struct BookFiles {
    root: PathBuf,
}

impl BookFiles {
    /// The files under `root` (the directory with `book.toml`).
    pub fn new(root: &Path) -> BookFiles {
        BookFiles { root: root.to_path_buf() }
    }
}

impl Source for BookFiles {
    fn read(&self, path: &str) -> Result<Vec<u8>, String> {
        let full = self.root.join(path);
        let meta = std::fs::metadata(&full).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => "there is no such file under the book root".to_string(),
            _ => format!("it cannot be read ({e})"),
        })?;
        if meta.is_dir() {
            return Err("it is a directory, not a file".into());
        }
        if meta.len() > MAX_DATA_BYTES {
            return Err(format!("it has {} bytes, more than lemma reads ({MAX_DATA_BYTES})", meta.len()));
        }
        // A symbolic link may lead out of the book: the file must be inside
        // the book root once both are resolved.
        let root = self.root.canonicalize().map_err(|e| format!("the book root cannot be resolved ({e})"))?;
        let real = full.canonicalize().map_err(|e| format!("it cannot be resolved ({e})"))?;
        if !real.starts_with(&root) {
            return Err("it leads outside the book root (through a symbolic link)".into());
        }
        std::fs::read(&real).map_err(|e| format!("it cannot be read ({e})"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_inside_the_root_only() {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path().join("book");
        std::fs::create_dir_all(root.join("data")).expect("dirs");
        std::fs::write(root.join("data/a.csv"), "x\n1\n").expect("writes");
        std::fs::write(dir.path().join("secret.csv"), "x\n2\n").expect("writes");
        let files = BookFiles::new(&root);
        assert_eq!(files.read("data/a.csv").expect("reads"), b"x\n1\n");
        assert_eq!(files.read("data/b.csv").expect_err("missing"), "there is no such file under the book root");
        assert_eq!(files.read("data").expect_err("a directory"), "it is a directory, not a file");
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(dir.path().join("secret.csv"), root.join("data/link.csv")).expect("links");
            let e = files.read("data/link.csv").expect_err("leads out");
            assert!(e.contains("outside the book root"), "{e}");
            std::os::unix::fs::symlink(root.join("data/a.csv"), root.join("data/inside.csv")).expect("links");
            assert_eq!(files.read("data/inside.csv").expect("reads"), b"x\n1\n");
        }
    }
}
