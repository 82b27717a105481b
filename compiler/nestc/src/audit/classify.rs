//! Which payloads Nest made: the compilations of the scripts and artifacts in `--sources`, and
//! the signers in `--trusted-signer`.

use std::path::{Path, PathBuf};

use alloy_primitives::{Address, B256};
use nest_driver::CompileRequest;

use crate::fs_resolver::FsResolver;

/// The most files `--sources` may hold (scripts and artifacts).
const MAX_FILES: usize = 10_000;

/// A payload's classification.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Status {
    /// Recompiled to the same bytes, or signed by a trusted signer: why.
    Verified(String),
    /// Its trailer names the fingerprint of a known compilation, but the bytes differ.
    Mismatch(String),
    /// A Nest trailer, and nothing to check it against.
    Unverified(String),
    /// No Nest trailer.
    NotNest,
}

impl Status {
    /// `nest-verified`, `nest-mismatch`, `nest-unverified` or `not-nest`.
    pub(super) fn name(&self) -> &'static str {
        match self {
            Status::Verified(_) => "nest-verified",
            Status::Mismatch(_) => "nest-mismatch",
            Status::Unverified(_) => "nest-unverified",
            Status::NotNest => "not-nest",
        }
    }

    /// Why, in words.
    pub(super) fn why(&self) -> String {
        match self {
            Status::Verified(w) | Status::Mismatch(w) | Status::Unverified(w) => w.clone(),
            Status::NotNest => "no Nest provenance trailer".to_string(),
        }
    }
}

/// The compilations a payload may be checked against.
#[derive(Debug, Default)]
pub(super) struct Known {
    /// Unsigned payload bytes, the fingerprint, and where they come from.
    compiled: Vec<(Vec<u8>, B256, String)>,
    trusted: Vec<Address>,
    /// What could not be used, one sentence each.
    pub notes: Vec<String>,
}

impl Known {
    /// The scripts (`*.ns`, compiled with their default parameters) and artifacts (`*.json`
    /// from `nestc compile --emit artifact`, recompiled from the script with the same
    /// `source_hash` and the artifact's parameters) under `dir`, and the trusted signers.
    pub(super) fn load(dir: Option<&Path>, trusted: &[Address]) -> Result<Known, String> {
        let mut known = Known {
            trusted: trusted.to_vec(),
            ..Known::default()
        };
        let Some(dir) = dir else {
            return Ok(known);
        };
        let mut files = Vec::new();
        walk(dir, &mut files)?;
        files.sort();
        let (scripts, artifacts): (Vec<PathBuf>, Vec<PathBuf>) = files
            .into_iter()
            .partition(|f| f.extension().is_some_and(|e| e == "ns"));
        // Each script with its source hash, and its text, for the artifacts.
        let mut sources: Vec<(String, String, String)> = Vec::new();
        for path in &scripts {
            let name = path.to_string_lossy().replace('\\', "/");
            let text = match crate::fs_resolver::read_script(path) {
                Ok(t) => t,
                Err(e) => {
                    known.notes.push(format!("`{name}` cannot be read: {e}"));
                    continue;
                }
            };
            match compile(&name, &text, &[]) {
                Ok((bytes, fingerprint, hash)) => {
                    known.compiled.push((bytes, fingerprint, name.clone()));
                    sources.push((hash, name, text));
                }
                Err(why) => known.notes.push(format!(
                    "`{name}` does not compile with its default parameters ({why}): neither \
                     it nor its artifacts are used"
                )),
            }
        }
        for path in &artifacts {
            let name = path.to_string_lossy().replace('\\', "/");
            if let Err(why) = known.add_artifact(path, &sources) {
                known
                    .notes
                    .push(format!("artifact `{name}` not used: {why}"));
            }
        }
        Ok(known)
    }

    fn add_artifact(
        &mut self,
        path: &Path,
        sources: &[(String, String, String)],
    ) -> Result<(), String> {
        let text = crate::fs_resolver::read_script(path).map_err(|e| e.to_string())?;
        let v: serde_json::Value =
            serde_json::from_str(&text).map_err(|e| format!("not JSON: {e}"))?;
        let a: nest_driver::Artifact =
            serde_json::from_value(v).map_err(|e| format!("not an artifact: {e}"))?;
        let given = crate::output::payload(&a.bytecode)?;
        let (_, name, source) = sources
            .iter()
            .find(|(h, _, _)| *h == a.source_hash)
            .ok_or("no script in the directory has its `source_hash`")?;
        let params: Vec<(String, String)> = a
            .params
            .iter()
            .map(|p| (p.name.clone(), p.value.clone()))
            .collect();
        let (bytes, fingerprint, _) = compile(name, source, &params)?;
        let unsigned = nest_evm::trailer::decode(&given)
            .map(|t| t.unsigned_payload())
            .map_err(|e| format!("its bytecode has no trailer: {e}"))?;
        if unsigned != bytes {
            return Err(format!(
                "recompiling `{name}` with its parameters gives other bytes (another compiler \
                 version?)"
            ));
        }
        let origin = format!(
            "{} (artifact {})",
            name,
            path.file_name().unwrap_or_default().to_string_lossy()
        );
        self.compiled.push((bytes, fingerprint, origin));
        Ok(())
    }

    /// The classification of a payload.
    pub(super) fn classify(&self, payload: &[u8]) -> (Status, Option<B256>, Option<Address>) {
        let t = match nest_evm::trailer::decode(payload) {
            Ok(t) => t,
            Err(_) => return (Status::NotNest, None, None),
        };
        let fp = t.fingerprint;
        let unsigned = t.unsigned_payload();
        let signer = match nest_driver::provenance(&t) {
            nest_driver::Provenance::Signed { signer, .. } => Some(signer),
            _ => None,
        };
        if let Some((_, _, origin)) = self.compiled.iter().find(|(b, _, _)| *b == unsigned) {
            let why = format!("recompiled from {origin} to the same bytes");
            return (Status::Verified(why), Some(fp), signer);
        }
        if let Some(s) = signer.filter(|s| self.trusted.contains(s)) {
            let why = format!("signed by the trusted signer {}", s.to_checksum(None));
            return (Status::Verified(why), Some(fp), signer);
        }
        if let Some((_, _, origin)) = self.compiled.iter().find(|(_, f, _)| *f == fp) {
            let why = format!(
                "its trailer names the fingerprint of {origin}, but its bytes are not that \
                 compilation's"
            );
            return (Status::Mismatch(why), Some(fp), signer);
        }
        let why = match (nest_driver::provenance(&t), signer) {
            (nest_driver::Provenance::BadSignature { why, .. }, _) => {
                format!("a Nest trailer with an invalid signature ({why})")
            }
            (_, Some(s)) => format!(
                "a Nest trailer signed by {}, who is not a trusted signer, and no source in \
                 `--sources` compiles to it",
                s.to_checksum(None)
            ),
            _ => "a Nest trailer, but no source in `--sources` compiles to it and it is not \
                  signed"
                .to_string(),
        };
        (Status::Unverified(why), Some(fp), signer)
    }
}

/// Compiles a script: its unsigned payload, fingerprint and source hash.
fn compile(
    name: &str,
    text: &str,
    params: &[(String, String)],
) -> Result<(Vec<u8>, B256, String), String> {
    let req = CompileRequest {
        name,
        text,
        resolver: &FsResolver::default(),
        params,
    };
    match nest_driver::compile_with(&req, &nest_driver::Options::default()) {
        Ok(c) => {
            let fp = nest_evm::trailer::decode(&c.bytes)
                .map(|t| t.fingerprint)
                .map_err(|e| e.to_string())?;
            Ok((c.bytes, fp, c.artifact.source_hash))
        }
        Err(f) => Err(f
            .diagnostics
            .first()
            .map(|d| format!("{}: {}", d.code, d.message))
            .unwrap_or_else(|| "it does not compile".to_string())),
    }
}

/// Every regular file under `dir`, at most [`MAX_FILES`].
fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), String> {
    let entries = std::fs::read_dir(dir)
        .map_err(|e| format!("cannot read the directory `{}`: {e}", dir.display()))?;
    for entry in entries.flatten() {
        let path = entry.path();
        let kind = entry.file_type().map_err(|e| e.to_string())?;
        if kind.is_dir() {
            walk(&path, out)?;
        } else if kind.is_file() && path.extension().is_some_and(|e| e == "ns" || e == "json") {
            out.push(path);
        }
        if out.len() > MAX_FILES {
            return Err(format!(
                "`{}` holds more than {MAX_FILES} scripts and artifacts",
                dir.display()
            ));
        }
    }
    Ok(())
}
