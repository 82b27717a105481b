//! `--sign-key-file`: reading the key file. Signing itself is the driver's
//! (`nest_driver::sign`), which takes the key's text.

use crate::output;
use nest_driver::SigningKey;
use std::io::Read;
use std::path::Path;

/// A key file is 64 hex digits and some whitespace; anything much larger is not one.
const MAX_KEY_FILE: u64 = 1024;

/// Reads a private key from `path` (64 hex digits, `0x` optional, whitespace trimmed).
/// Warns when other users can read the file. The error never quotes the file's contents.
pub(crate) fn read_key_file(path: &Path) -> Result<SigningKey, String> {
    let shown = path.display();
    let file = std::fs::File::open(path)
        .map_err(|e| format!("cannot read the key file `{shown}`: {e}"))?;
    let meta = file
        .metadata()
        .map_err(|e| format!("cannot read the key file `{shown}`: {e}"))?;
    if !meta.is_file() {
        return Err(format!(
            "the key file `{shown}` is not a regular file: give a file holding the private key \
             as 64 hex digits"
        ));
    }
    warn_if_readable_by_others(path, &meta);
    let mut text = Vec::new();
    file.take(MAX_KEY_FILE + 1)
        .read_to_end(&mut text)
        .map_err(|e| format!("cannot read the key file `{shown}`: {e}"))?;
    if text.len() as u64 > MAX_KEY_FILE {
        return Err(format!(
            "the key file `{shown}` is larger than {MAX_KEY_FILE} bytes: it should hold only \
             the private key as 64 hex digits"
        ));
    }
    let key = SigningKey::from_hex(&text).map_err(|e| format!("the key file `{shown}`: {e}"));
    // The key's text is not needed any more.
    text.iter_mut().for_each(|b| *b = 0);
    key
}

#[cfg(unix)]
fn warn_if_readable_by_others(path: &Path, meta: &std::fs::Metadata) {
    use std::os::unix::fs::PermissionsExt;
    let mode = meta.permissions().mode() & 0o777;
    if mode & 0o077 != 0 {
        output::warning(&format!(
            "the key file `{}` can be read or written by other users (mode {mode:03o}): \
             run `chmod 600 {}` so that only you can",
            path.display(),
            path.display()
        ));
    }
}

#[cfg(not(unix))]
fn warn_if_readable_by_others(_: &Path, _: &std::fs::Metadata) {}
