//! The provenance fingerprint: keccak256 over the compiler's name and version, the
//! hash of the sources, the resolved parameters and the code bytes.
//!
//! File names are not hashed except stdlib module names: the same sources give the
//! same fingerprint whatever folder they are compiled from and however the path is
//! spelled. Sources are hashed in the order the compiler loads them, which depends
//! only on the sources themselves.

use alloy_primitives::{keccak256, B256};
use nest_check::hir::ParamValue;
use nest_diagnostics::SourceMap;

/// The hash of every source file of a compilation (not `--param` values).
pub fn source_hash(sources: &SourceMap) -> B256 {
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
        buf.extend(keccak256(name.as_bytes()));
        buf.extend(keccak256(f.text.as_bytes()));
    }
    keccak256(&buf)
}

/// The fingerprint of a payload.
pub fn fingerprint(source_hash: &B256, params: &[ParamValue], code: &[u8]) -> B256 {
    let mut buf = Vec::new();
    buf.extend(keccak256(crate::COMPILER_NAME.as_bytes()));
    buf.extend(keccak256(crate::COMPILER_VERSION.as_bytes()));
    buf.extend(source_hash.as_slice());
    for p in params {
        buf.extend(keccak256(p.name.as_bytes()));
        buf.extend(p.value.to_be_bytes::<32>());
    }
    buf.extend(keccak256(code));
    keccak256(&buf)
}
