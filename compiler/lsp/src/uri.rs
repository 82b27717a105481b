//! File paths to `file://` URIs and back.

use std::path::{Path, PathBuf};
use std::str::FromStr;

use lsp_types::Uri;
use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, CONTROLS};

/// Characters escaped in a path written into a URI.
const PATH: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}');

/// The file a `file://` URI names.
pub(crate) fn to_path(uri: &Uri) -> Option<PathBuf> {
    let rest = uri.as_str().strip_prefix("file://")?;
    let path = rest.get(rest.find('/')?..)?;
    Some(PathBuf::from(
        percent_decode_str(path).decode_utf8().ok()?.into_owned(),
    ))
}

/// The `file://` URI of an absolute path.
pub(crate) fn from_path(path: &Path) -> Option<Uri> {
    let text = path.to_str()?;
    Uri::from_str(&format!("file://{}", utf8_percent_encode(text, PATH))).ok()
}

/// The name a document goes by in diagnostics and imports: its path for files, the
/// URI itself otherwise (unsaved buffers).
pub(crate) fn document_name(uri: &Uri) -> String {
    to_path(uri)
        .and_then(|p| p.to_str().map(str::to_string))
        .unwrap_or_else(|| uri.as_str().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_round_trip() {
        let uri = from_path(Path::new("/tmp/my dir/a.ns")).map(|u| u.as_str().to_string());
        assert_eq!(uri.as_deref(), Some("file:///tmp/my%20dir/a.ns"));
        let back = Uri::from_str("file:///tmp/my%20dir/a.ns")
            .ok()
            .and_then(|u| to_path(&u));
        assert_eq!(back, Some(PathBuf::from("/tmp/my dir/a.ns")));
    }
}
