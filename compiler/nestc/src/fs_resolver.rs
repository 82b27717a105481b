//! Imports from the file system, relative to the importing file, and the bounded
//! reading of every script and ABI file `nestc` (and the language server, which
//! includes this file) reads.
//!
//! Only regular files are read, at most [`MAX_FILE_BYTES`] each, and the imports and
//! ABI files of one run together at most [`MAX_TOTAL_BYTES`]: a path that is (or is a
//! symlink to) a FIFO, a device such as `/dev/zero`, a socket or a directory is
//! refused without reading, so a script cannot make the compiler block forever or
//! read until memory runs out. The file is opened without blocking (a FIFO's open
//! would wait for a writer), then the open handle's metadata is checked, so a file
//! swapped after a check cannot slip through; the read itself stops one byte past the
//! limit whatever the metadata said (files in `/proc` claim a size of 0).
//!
//! This file is shared with `nest-lsp` (`#[path]`-included by its `resolver.rs`):
//! it depends only on `std` and `nest_driver`.

use std::io::Read;
use std::path::Path;

use nest_driver::Resolver;

/// The largest script or ABI file read: 4 MiB (the largest script in the repository
/// is under 20 KB; an ABI from a block explorer rarely reaches 200 KB).
pub(super) const MAX_FILE_BYTES: u64 = 4 << 20;

/// The most bytes that the imports and ABI files of one compilation may add up to:
/// 32 MiB.
pub(super) const MAX_TOTAL_BYTES: u64 = 32 << 20;

/// Reads `use "./x.ns"` and `abi("./x.json")` files from disk, relative to the
/// importing file's name, within [`MAX_FILE_BYTES`] each and [`MAX_TOTAL_BYTES`]
/// together for one resolver (use one per compiled script).
#[derive(Default)]
pub(super) struct FsResolver {
    /// Bytes read so far.
    used: std::cell::Cell<u64>,
}

impl Resolver for FsResolver {
    fn load(&self, importer: &str, path: &str) -> Result<(String, String), String> {
        let name = nest_driver::join_path(importer, path);
        let left = MAX_TOTAL_BYTES.saturating_sub(self.used.get());
        let text = read_bounded(Path::new(&name), left)
            .map_err(|why| format!("cannot read `{name}`: {why}"))?;
        self.used.set(self.used.get() + text.len() as u64);
        Ok((name, text))
    }
}

/// Reads a script named on the command line: a regular file of at most
/// [`MAX_FILE_BYTES`]; the error says why not.
pub(super) fn read_script(path: &Path) -> std::io::Result<String> {
    read_bounded(path, MAX_FILE_BYTES).map_err(std::io::Error::other)
}

/// Reads the regular file at `path` (symlinks followed) as UTF-8 text, at most
/// [`MAX_FILE_BYTES`] and at most `total_left` bytes; the error is the reason only
/// ("it is a named pipe (FIFO), not a regular file").
pub(super) fn read_bounded(path: &Path, total_left: u64) -> Result<String, String> {
    let file = open_nonblocking(path).map_err(|e| e.to_string())?;
    let meta = file.metadata().map_err(|e| e.to_string())?;
    if !meta.is_file() {
        return Err(format!(
            "it is {}, not a regular file",
            kind(&meta.file_type())
        ));
    }
    let limit = MAX_FILE_BYTES.min(total_left);
    let too_large = || {
        if limit < MAX_FILE_BYTES {
            format!(
                "the files imported together would exceed {} MiB",
                MAX_TOTAL_BYTES >> 20
            )
        } else {
            format!(
                "it is larger than the {} MiB a script or ABI file may have",
                MAX_FILE_BYTES >> 20
            )
        }
    };
    if meta.len() > limit {
        return Err(too_large());
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| e.to_string())?;
    if bytes.len() as u64 > limit {
        return Err(too_large());
    }
    String::from_utf8(bytes).map_err(|_| "it is not UTF-8 text".to_string())
}

/// What kind of file that is not a regular file, for the error.
fn kind(t: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a named pipe (FIFO)";
        }
        if t.is_char_device() {
            return "a character device";
        }
        if t.is_block_device() {
            return "a block device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    if t.is_dir() {
        "a directory"
    } else {
        "not a regular file"
    }
}

/// `O_NONBLOCK` where its value is known without `libc`: opening a FIFO for reading
/// then returns at once instead of waiting for a writer (regular files ignore it).
#[cfg(all(
    target_os = "linux",
    any(
        target_arch = "x86_64",
        target_arch = "x86",
        target_arch = "aarch64",
        target_arch = "arm",
        target_arch = "riscv64",
        target_arch = "s390x",
        target_arch = "loongarch64"
    )
))]
const O_NONBLOCK: Option<i32> = Some(0o4000);
#[cfg(any(
    target_os = "macos",
    target_os = "ios",
    target_os = "freebsd",
    target_os = "openbsd",
    target_os = "netbsd"
))]
const O_NONBLOCK: Option<i32> = Some(0x4);
#[cfg(all(
    unix,
    not(any(
        all(
            target_os = "linux",
            any(
                target_arch = "x86_64",
                target_arch = "x86",
                target_arch = "aarch64",
                target_arch = "arm",
                target_arch = "riscv64",
                target_arch = "s390x",
                target_arch = "loongarch64"
            )
        ),
        target_os = "macos",
        target_os = "ios",
        target_os = "freebsd",
        target_os = "openbsd",
        target_os = "netbsd"
    ))
))]
const O_NONBLOCK: Option<i32> = None;

/// Opens `path` for reading without waiting on a FIFO. Where `O_NONBLOCK` is not
/// known, a path whose metadata is not a regular file is refused before opening it
/// (the handle's metadata is checked again after).
fn open_nonblocking(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        match O_NONBLOCK {
            Some(flag) => {
                options.custom_flags(flag);
            }
            None => {
                let meta = std::fs::metadata(path)?;
                if !meta.is_file() {
                    return Err(std::io::Error::new(
                        std::io::ErrorKind::InvalidInput,
                        format!("it is {}, not a regular file", kind(&meta.file_type())),
                    ));
                }
            }
        }
    }
    options.open(path)
}
