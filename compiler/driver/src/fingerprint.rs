//! The provenance fingerprint: keccak256 over the compiler's name and version, the
//! hash of the sources, the resolved parameters and the code bytes.
//!
//! File names are not hashed except stdlib module names: the same sources give the
//! same fingerprint whatever folder they are compiled from and however the path is
//! spelled. Sources are hashed in the order the compiler loads them, which depends
//! only on the sources themselves.

use alloy_primitives::{keccak256, B256, KECCAK256_EMPTY};
use nest_check::hir::ParamValue;
use nest_diagnostics::SourceMap;

/// The hash of every source file of a compilation (not `--param` values).
pub(crate) fn source_hash(sources: &SourceMap) -> B256 {
    let mut buf = Vec::new();
    for (_, f) in sources.files() {
        if f.name.starts_with("--param ") {
            continue;
        }
        let name = if f.name.starts_with("std::") {
            f.name.as_str()
        } else {
            ""
        };
        let (name_hash, text_hash) = file_hashes(name, &f.text);
        buf.extend(name_hash);
        buf.extend(text_hash);
    }
    keccak256(&buf)
}

/// keccak256 of a file's name and of its text; a built-in stdlib module's are computed
/// once per process.
fn file_hashes(name: &str, text: &str) -> (B256, B256) {
    static STDLIB: std::sync::OnceLock<Vec<(B256, B256)>> = std::sync::OnceLock::new();
    let builtin = name.strip_prefix("std::").and_then(|path| {
        nest_check::stdlib::MODULES
            .iter()
            .position(|(p, source)| *p == path && *source == text)
    });
    match builtin {
        Some(i) => STDLIB.get_or_init(|| {
            nest_check::stdlib::MODULES
                .iter()
                .map(|(path, source)| {
                    (
                        keccak256(format!("std::{path}").as_bytes()),
                        keccak256(source.as_bytes()),
                    )
                })
                .collect()
        })[i],
        None if name.is_empty() => (KECCAK256_EMPTY, keccak256(text.as_bytes())),
        None => (keccak256(name.as_bytes()), keccak256(text.as_bytes())),
    }
}

/// The fingerprint of a payload.
pub(crate) fn fingerprint(source_hash: &B256, params: &[ParamValue], code: &[u8]) -> B256 {
    // The compiler's part, hashed once per process.
    static COMPILER: std::sync::OnceLock<[B256; 2]> = std::sync::OnceLock::new();
    let mut buf = Vec::new();
    for part in COMPILER.get_or_init(|| {
        [
            keccak256(crate::COMPILER_NAME.as_bytes()),
            keccak256(crate::COMPILER_VERSION.as_bytes()),
        ]
    }) {
        buf.extend(part);
    }
    buf.extend(source_hash.as_slice());
    for p in params {
        buf.extend(keccak256(p.name.as_bytes()));
        buf.extend(p.value.to_be_bytes::<32>());
    }
    buf.extend(keccak256(code));
    keccak256(&buf)
}
