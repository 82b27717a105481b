//! The stdlib on disk, so that "go to definition" can open it.
//!
//! The compiler carries the stdlib's text inside it; definitions in it have spans
//! into files named `std::erc20` and so on. The server writes those exact texts to a
//! per-user cache folder, `$XDG_CACHE_HOME/nest/stdlib/<version>/` (else
//! `~/.cache/…`, else `$XDG_RUNTIME_DIR/…`), so the spans match the file the editor
//! opens, whatever the repository next to the binary holds. Without any of the three
//! there is no folder: a definition in the stdlib is answered without a location
//! rather than written to a shared folder such as `/tmp`.
//!
//! Writing is safe against other local users and planted links: the folders from
//! `nest/` down are created private (0o700 on unix) and must be real folders (a
//! symlink is refused, not followed); a file is written to a fresh temporary file in
//! the same folder (`create_new`, 0o600) and renamed over the target, and a symlink
//! at the target is refused.

use std::ffi::OsString;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// The per-user folder the cache lives under, from the environment (`var` reads a
/// variable): `$XDG_CACHE_HOME`, else `$HOME/.cache`, else `$XDG_RUNTIME_DIR`
/// (per-user and private by specification). Relative or empty values are ignored, as
/// the XDG specification asks. `None` when there is no per-user folder.
pub fn cache_root(var: impl Fn(&str) -> Option<OsString>) -> Option<PathBuf> {
    let absolute = |name: &str| var(name).map(PathBuf::from).filter(|p| p.is_absolute());
    absolute("XDG_CACHE_HOME")
        .or_else(|| absolute("HOME").map(|h| h.join(".cache")))
        .or_else(|| absolute("XDG_RUNTIME_DIR"))
}

/// The folders below the cache root, in order: `nest/stdlib/<version>`.
fn own_folders() -> [&'static str; 3] {
    ["nest", "stdlib", nest_driver::COMPILER_VERSION]
}

/// The folder the stdlib is written to for this compiler version, if there is a
/// per-user cache folder.
pub fn folder() -> Option<PathBuf> {
    let root = cache_root(|name| std::env::var_os(name))?;
    Some(own_folders().iter().fold(root, |p, f| p.join(f)))
}

/// The file holding module `std::a::b` (written if missing or stale), or `None` when
/// the name is not a stdlib module, there is no per-user cache folder, or the file
/// cannot be written safely.
pub fn file_for(source_name: &str) -> Option<PathBuf> {
    let module = source_name.strip_prefix("std::")?;
    let text = nest_check::stdlib::module(module)?;
    let root = cache_root(|name| std::env::var_os(name))?;
    write_module(&root, module, text).ok()
}

/// Writes `text` as module `module` (`a::b` → `a/b.ns`) under
/// `root/nest/stdlib/<version>/`, unless the file already holds it. Returns its path.
pub fn write_module(root: &Path, module: &str, text: &str) -> io::Result<PathBuf> {
    let parts: Vec<&str> = module.split("::").collect();
    if parts
        .iter()
        .any(|p| p.is_empty() || !p.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
    {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("not a stdlib module name: {module:?}"),
        ));
    }
    let (file_stem, subfolders) = parts.split_last().unwrap_or((&"", &[]));
    if !root.is_dir() {
        create_private_dir_all(root)?;
    }
    let mut dir = root.to_path_buf();
    for name in own_folders().iter().chain(subfolders.iter()) {
        dir.push(name);
        private_dir(&dir)?;
    }
    let path = dir.join(format!("{file_stem}.ns"));
    match fs::symlink_metadata(&path) {
        Ok(meta) if meta.file_type().is_symlink() || !meta.is_file() => {
            return Err(io::Error::new(
                io::ErrorKind::AlreadyExists,
                format!("{} is not a regular file; not followed", path.display()),
            ))
        }
        Ok(_) => {
            if fs::read(&path).ok().as_deref() == Some(text.as_bytes()) {
                return Ok(path);
            }
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(e) => return Err(e),
    }
    write_atomically(&dir, &path, text.as_bytes())?;
    Ok(path)
}

/// Creates `dir` and its missing parents, private on unix.
fn create_private_dir_all(dir: &Path) -> io::Result<()> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)
}

/// Makes sure `dir` is a real folder (not a symlink) that only its owner may use,
/// creating it if missing. On unix a folder that is more open than 0o700 is
/// tightened, which only its owner can do: a folder of another user is refused.
fn private_dir(dir: &Path) -> io::Result<()> {
    match fs::symlink_metadata(dir) {
        Ok(meta) if meta.file_type().is_symlink() || !meta.is_dir() => Err(io::Error::new(
            io::ErrorKind::AlreadyExists,
            format!("{} is not a folder; not followed", dir.display()),
        )),
        Ok(_meta) => {
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                if _meta.permissions().mode() & 0o777 != 0o700 {
                    fs::set_permissions(dir, fs::Permissions::from_mode(0o700))?;
                }
            }
            Ok(())
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            let mut builder = fs::DirBuilder::new();
            #[cfg(unix)]
            std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
            builder.create(dir)?;
            // Another process may have made it meanwhile; check what is there now.
            let meta = fs::symlink_metadata(dir)?;
            if meta.file_type().is_symlink() || !meta.is_dir() {
                return Err(io::Error::other(format!(
                    "{} is not a folder",
                    dir.display()
                )));
            }
            Ok(())
        }
        Err(e) => Err(e),
    }
}

/// Writes `bytes` to a new temporary file in `dir` (never an existing file or link)
/// and renames it to `path`; the temporary file is removed on failure.
fn write_atomically(dir: &Path, path: &Path, bytes: &[u8]) -> io::Result<()> {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut attempt = 0;
    let (tmp, mut file) = loop {
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let tmp = dir.join(format!(".{name}.{}.{n}.tmp", std::process::id()));
        match open_new(&tmp) {
            Ok(f) => break (tmp, f),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists && attempt < 16 => attempt += 1,
            Err(e) => return Err(e),
        }
    };
    let written = file
        .write_all(bytes)
        .and_then(|()| file.sync_all())
        .and_then(|()| fs::rename(&tmp, path));
    if written.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    written
}

/// Opens a file that must not exist yet (`O_CREAT | O_EXCL`: a symlink there is not
/// followed), private on unix.
fn open_new(path: &Path) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("nest-lsp-stdlib-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap_or_default();
        dir
    }

    fn version_dir(root: &Path) -> PathBuf {
        own_folders()
            .iter()
            .fold(root.to_path_buf(), |p, f| p.join(f))
    }

    #[test]
    fn the_cache_root_is_per_user_and_never_the_temp_folder() {
        let env = |vars: &'static [(&'static str, &'static str)]| {
            move |name: &str| {
                vars.iter()
                    .find(|(k, _)| *k == name)
                    .map(|(_, v)| OsString::from(v))
            }
        };
        assert_eq!(
            cache_root(env(&[("XDG_CACHE_HOME", "/c"), ("HOME", "/h")])),
            Some(PathBuf::from("/c"))
        );
        assert_eq!(
            cache_root(env(&[("HOME", "/h")])),
            Some(PathBuf::from("/h/.cache"))
        );
        // Relative values are ignored (XDG), then the runtime folder, then nothing.
        assert_eq!(
            cache_root(env(&[
                ("XDG_CACHE_HOME", "rel"),
                ("XDG_RUNTIME_DIR", "/run/user/7")
            ])),
            Some(PathBuf::from("/run/user/7"))
        );
        assert_eq!(cache_root(env(&[])), None, "no HOME: no folder, not /tmp");
        assert_eq!(cache_root(env(&[("HOME", "")])), None);
    }

    #[test]
    fn files_are_written_private_and_rewritten_when_stale() {
        let root = scratch("private");
        let path = write_module(&root, "a::b", "one").expect("written");
        assert_eq!(path, version_dir(&root).join("a").join("b.ns"));
        assert_eq!(fs::read_to_string(&path).unwrap_or_default(), "one");
        fs::write(&path, "stale").unwrap_or_default();
        write_module(&root, "a::b", "two").expect("rewritten");
        assert_eq!(fs::read_to_string(&path).unwrap_or_default(), "two");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = |p: &Path| fs::metadata(p).map(|m| m.permissions().mode() & 0o777).ok();
            assert_eq!(mode(&path), Some(0o600));
            let mut dir = root.clone();
            for f in own_folders().iter().chain(["a"].iter()) {
                dir.push(f);
                assert_eq!(mode(&dir), Some(0o700), "{}", dir.display());
            }
        }
        // No temporary file is left behind.
        let leftovers = fs::read_dir(path.parent().unwrap_or(&root))
            .map(|d| d.count())
            .unwrap_or(0);
        assert_eq!(leftovers, 1);
        let _ = fs::remove_dir_all(&root);
    }

    #[cfg(unix)]
    #[test]
    fn an_open_folder_is_made_private() {
        use std::os::unix::fs::PermissionsExt;
        let root = scratch("open");
        let nest = root.join("nest");
        fs::create_dir_all(&nest).unwrap_or_default();
        fs::set_permissions(&nest, fs::Permissions::from_mode(0o777)).unwrap_or_default();
        write_module(&root, "m", "text").expect("written");
        let mode = fs::metadata(&nest)
            .map(|m| m.permissions().mode() & 0o777)
            .ok();
        assert_eq!(mode, Some(0o700));
        let _ = fs::remove_dir_all(&root);
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_at_the_file_is_refused_and_its_target_untouched() {
        let root = scratch("link-file");
        let victim = root.join("victim");
        fs::write(&victim, "precious").unwrap_or_default();
        let dir = version_dir(&root);
        create_private_dir_all(&dir).unwrap_or_default();
        std::os::unix::fs::symlink(&victim, dir.join("m.ns")).unwrap_or_default();
        assert!(write_module(&root, "m", "stdlib text").is_err());
        assert_eq!(fs::read_to_string(&victim).unwrap_or_default(), "precious");
        assert!(fs::symlink_metadata(dir.join("m.ns")).is_ok_and(|m| m.file_type().is_symlink()));
        let _ = fs::remove_dir_all(&root);
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_at_a_folder_is_refused_and_not_written_through() {
        for planted in ["nest", "stdlib", nest_driver::COMPILER_VERSION, "a"] {
            let root = scratch("link-dir");
            let elsewhere = root.join("elsewhere");
            fs::create_dir_all(&elsewhere).unwrap_or_default();
            // The real folders down to the planted one, then the link in its place.
            let mut dir = root.clone();
            for f in own_folders().iter().chain(["a"].iter()) {
                if *f == planted {
                    std::os::unix::fs::symlink(&elsewhere, dir.join(f)).unwrap_or_default();
                    break;
                }
                dir.push(f);
                create_private_dir_all(&dir).unwrap_or_default();
            }
            assert!(write_module(&root, "a::m", "text").is_err(), "{planted}");
            let written = fs::read_dir(&elsewhere).map(|d| d.count()).unwrap_or(0);
            assert_eq!(written, 0, "nothing is written through a link at {planted}");
            let _ = fs::remove_dir_all(&root);
        }
    }

    #[test]
    fn module_names_cannot_leave_the_folder() {
        let root = scratch("names");
        for bad in ["..::x", "a::", "a/b", ""] {
            assert!(write_module(&root, bad, "x").is_err(), "{bad:?}");
        }
        let _ = fs::remove_dir_all(&root);
    }
}
