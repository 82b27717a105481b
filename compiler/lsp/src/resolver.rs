//! Imports for the language server: open documents first (their unsaved text is
//! what the author sees), then the disk.
//!
//! Files on disk are read as `nestc` reads them (the same function: `nestc`'s
//! `fs_resolver.rs` is included below): regular files only, at most 4 MiB each and
//! 32 MiB for all the files one analysis reads, so an import of a FIFO or of a
//! symlink to `/dev/zero` is an `E0602` error, not a hung or exhausted server.

use std::cell::Cell;
use std::collections::HashMap;
use std::path::Path;

use nest_driver::Resolver;

// `FsResolver` and `read_script` are `nestc`'s; only `read_bounded` is used here.
#[allow(dead_code)]
#[path = "../../nestc/src/fs_resolver.rs"]
mod fs_read;

use fs_read::MAX_TOTAL_BYTES;

thread_local! {
    /// Bytes read from disk by the live [`DocumentResolver`] of this thread (one
    /// analysis at a time runs on a thread; the checker stays on the caller's thread).
    static READ_FROM_DISK: Cell<u64> = const { Cell::new(0) };
}

/// Resolves `use "./x.ns"` against the open documents, then the file system.
pub(crate) struct DocumentResolver<'a> {
    /// Open documents by name (their path).
    pub open: &'a HashMap<String, String>,
}

impl Resolver for DocumentResolver<'_> {
    fn load(&self, importer: &str, path: &str) -> Result<(String, String), String> {
        let name = nest_driver::join_path(importer, path);
        if let Some(text) = self.open.get(&name) {
            return Ok((name, text.clone()));
        }
        let used = READ_FROM_DISK.with(Cell::get);
        let text = fs_read::read_bounded(Path::new(&name), MAX_TOTAL_BYTES.saturating_sub(used))
            .map_err(|why| format!("cannot read `{name}`: {why}"))?;
        READ_FROM_DISK.with(|r| r.set(used.saturating_add(text.len() as u64)));
        Ok((name, text))
    }
}

impl Drop for DocumentResolver<'_> {
    /// The next analysis starts with the whole budget.
    fn drop(&mut self) {
        READ_FROM_DISK.with(|r| r.set(0));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use fs_read::MAX_FILE_BYTES;
    use std::time::{Duration, Instant};

    fn scratch(tag: &str) -> std::path::PathBuf {
        let dir =
            std::env::temp_dir().join(format!("nest-lsp-resolver-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("temp dir");
        dir
    }

    fn load(dir: &Path, path: &str) -> Result<(String, String), String> {
        let open = HashMap::new();
        let importer = dir.join("main.ns").display().to_string();
        let r = DocumentResolver { open: &open };
        r.load(&importer, path)
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_to_dev_zero_is_refused() {
        let dir = scratch("zero");
        std::os::unix::fs::symlink("/dev/zero", dir.join("zero.ns")).expect("symlink");
        let err = load(&dir, "./zero.ns").expect_err("refused");
        assert!(
            err.contains("a character device, not a regular file"),
            "{err}"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_is_refused_at_once() {
        let dir = scratch("fifo");
        let fifo = dir.join("pipe.ns");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if !made.is_ok_and(|s| s.success()) {
            eprintln!("skipped: mkfifo is not available");
            return;
        }
        let started = Instant::now();
        let err = load(&dir, "./pipe.ns").expect_err("refused");
        assert!(err.contains("a named pipe (FIFO)"), "{err}");
        assert!(started.elapsed() < Duration::from_secs(5));
    }

    #[test]
    fn large_files_and_directories_are_refused() {
        let dir = scratch("big");
        std::fs::write(dir.join("big.ns"), vec![b' '; MAX_FILE_BYTES as usize + 1]).expect("write");
        std::fs::create_dir(dir.join("sub.ns")).expect("dir");
        std::fs::write(dir.join("ok.ns"), "const A = 1\n").expect("write");
        let err = load(&dir, "./big.ns").expect_err("refused");
        assert!(err.contains("larger than the 4 MiB"), "{err}");
        let err = load(&dir, "./sub.ns").expect_err("refused");
        assert!(
            err.contains("directory") || err.contains("Is a directory"),
            "{err}"
        );
        assert_eq!(
            load(&dir, "./ok.ns").map(|(_, t)| t),
            Ok("const A = 1\n".to_string())
        );
    }

    #[test]
    fn the_total_is_bounded_per_analysis() {
        let dir = scratch("total");
        let size = MAX_FILE_BYTES as usize;
        let n = (MAX_TOTAL_BYTES / MAX_FILE_BYTES) as usize;
        for i in 0..=n {
            std::fs::write(dir.join(format!("f{i}.ns")), vec![b' '; size]).expect("write");
        }
        let open = HashMap::new();
        let importer = dir.join("main.ns").display().to_string();
        let r = DocumentResolver { open: &open };
        for i in 0..n {
            assert!(r.load(&importer, &format!("./f{i}.ns")).is_ok(), "file {i}");
        }
        let err = r
            .load(&importer, &format!("./f{n}.ns"))
            .expect_err("over the total");
        assert!(err.contains("together would exceed 32 MiB"), "{err}");
        drop(r);
        // A new analysis starts afresh.
        assert!(load(&dir, &format!("./f{n}.ns")).is_ok());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
