//! `nestc verify` and `nestc inspect`: recompiling and comparing a payload, reading its
//! trailer (and signature), and what an artifact says about its parameters.

use super::*;
use nest_driver::Artifact;

pub(crate) fn verify(
    bytecode: &str,
    source: &Path,
    params: &[String],
    json: bool,
    signer: Option<alloy_primitives::Address>,
) -> u8 {
    let (given, artifact) = match payload_or_artifact(bytecode) {
        Ok(p) => p,
        Err(e) => return output::usage(&e),
    };
    let c = match build(source, params, json) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let mut problems = Vec::new();
    // A signed payload is compared in its unsigned form: the bytes its signature covers.
    let mut compared = given.clone();
    let mut signed_by = None;
    match nest_evm::trailer::decode(&given) {
        Ok(t) => {
            let expected = format!("{}", t.fingerprint);
            if expected != c.artifact.fingerprint {
                problems.push(format!(
                    "fingerprint differs: payload has {expected}, the source gives {}",
                    c.artifact.fingerprint
                ));
            }
            match nest_driver::provenance(&t) {
                nest_driver::Provenance::Unsigned => {
                    if let Some(want) = signer {
                        problems.push(format!(
                            "the payload is not signed, but `--signer {want}` requires a \
                             signature by {want}"
                        ));
                    }
                }
                nest_driver::Provenance::Signed { signer: got, .. } => {
                    signed_by = Some(got);
                    if let Some(want) = signer.filter(|want| *want != got) {
                        problems.push(format!(
                            "signed by {got}, not by {want} as `--signer` requires (a damaged \
                             signature also recovers to another address)"
                        ));
                    }
                }
                nest_driver::Provenance::BadSignature { why, .. } => problems.push(format!(
                    "the payload's signature is not valid: {why}; re-sign the payload with \
                     `nestc compile --sign-key-file`"
                )),
            }
            compared = t.unsigned_payload();
        }
        Err(e) => problems.push(format!("the payload has no valid trailer: {e}")),
    }
    if compared != c.bytes {
        if let Some(why) = params_differ(artifact.as_ref(), &c) {
            problems.push(why);
        } else if artifact.is_none() {
            problems.push(
                "if the sources are the same, the parameters may differ: pass the artifact \
                 (`--emit artifact`) instead of the payload to compare them"
                    .to_string(),
            );
        }
        let n = compared.len().min(c.bytes.len());
        match (0..n).find(|&i| compared[i] != c.bytes[i]) {
            Some(i) => problems.push(format!("bytes differ first at offset {i} (0x{i:04x})")),
            None => problems.push(format!(
                "lengths differ: payload {} bytes, recompiled {} bytes",
                compared.len(),
                c.bytes.len()
            )),
        }
    }
    let signer_text = signed_by.map(|a| a.to_checksum(None));
    if json {
        let v = serde_json::json!({
            "verified": problems.is_empty(),
            "fingerprint": c.artifact.fingerprint,
            "signer": signer_text,
            "problems": problems,
        });
        println!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
    } else if problems.is_empty() {
        println!(
            "verified: the payload is exactly the compilation of `{}` (fingerprint {})",
            source.display(),
            c.artifact.fingerprint
        );
        match (&signer_text, signer) {
            (Some(s), Some(_)) => println!("signed by {s}, as required"),
            (Some(s), None) => println!(
                "signed by {s} (not compared with an expected signer: pass `--signer ADDRESS` \
                 to require one)"
            ),
            (None, _) => {}
        }
    } else {
        eprintln!("not verified:");
        for p in &problems {
            eprintln!("  - {}", output::inert(p));
        }
    }
    if problems.is_empty() {
        0
    } else {
        INPUT_ERROR
    }
}

/// An artifact (`--emit artifact`) given where a payload is expected: a JSON file
/// with a `bytecode` string. `Ok(None)` for a payload (hex or binary) or anything else;
/// an error for a JSON file with a `bytecode` that does not read as an artifact.
fn artifact_file(arg: &str) -> Result<Option<Artifact>, String> {
    if arg.starts_with("0x") || arg.starts_with("0X") {
        return Ok(None);
    }
    let Ok(meta) = std::fs::metadata(arg) else {
        return Ok(None);
    };
    if !meta.is_file() || meta.len() > 32 << 20 {
        return Ok(None);
    }
    let Some(v) = std::fs::read_to_string(arg)
        .ok()
        .and_then(|text| serde_json::from_str::<serde_json::Value>(&text).ok())
    else {
        return Ok(None);
    };
    if !v.get("bytecode").is_some_and(serde_json::Value::is_string) {
        return Ok(None);
    }
    serde_json::from_value(v).map(Some).map_err(|e| {
        let shown: String = arg.chars().take(60).collect();
        let more = if arg.chars().count() > 60 { "…" } else { "" };
        format!("`{shown}{more}` has a `bytecode` but is not an artifact (`--emit artifact`): {e}")
    })
}

/// The payload of a payload argument, or of an artifact file.
fn payload_or_artifact(arg: &str) -> Result<(Vec<u8>, Option<Artifact>), String> {
    match artifact_file(arg)? {
        Some(a) => Ok((output::payload(&a.bytecode)?, Some(a))),
        None => Ok((output::payload(arg)?, None)),
    }
}

/// Parameters: `(name, type, value as written)`.
fn params_of(a: &Artifact) -> Vec<(String, String, String)> {
    a.params
        .iter()
        .map(|p| (p.name.clone(), p.ty.clone(), p.value.clone()))
        .collect()
}

/// When an artifact and the recompilation have the same sources and compiler but
/// other parameter values: which.
fn params_differ(artifact: Option<&Artifact>, c: &Compiled) -> Option<String> {
    let a = artifact?;
    let same_sources = a.source_hash == c.artifact.source_hash;
    let same_compiler = a.compiler.version == c.artifact.compiler.version;
    if !same_sources || !same_compiler {
        return None;
    }
    let theirs = params_of(a);
    let ours = params_of(&c.artifact);
    if theirs == ours {
        return None;
    }
    let mut diffs = Vec::new();
    for (name, _, value) in &ours {
        match theirs.iter().find(|(n, _, _)| n == name) {
            Some((_, _, v)) if v == value => {}
            Some((_, _, v)) => diffs.push(format!("`{name}` is {v} in the artifact, {value} here")),
            None => diffs.push(format!("`{name}` is not in the artifact")),
        }
    }
    Some(format!(
        "same sources and compiler, only the parameters differ: {}; pass the artifact's \
         values with `--param`",
        if diffs.is_empty() {
            "their order or types".to_string()
        } else {
            diffs.join(", ")
        }
    ))
}

pub(crate) fn inspect(bytecode: &str, json: bool) -> u8 {
    let (payload, artifact) = match payload_or_artifact(bytecode) {
        Ok(p) => p,
        Err(e) => return output::usage(&e),
    };
    match nest_evm::trailer::decode(&payload) {
        Ok(t) => {
            let provenance = nest_driver::provenance(&t);
            let hex = |b: &[u8]| alloy_primitives::hex::encode_prefixed(b);
            if json {
                let mut v = serde_json::json!({
                    "format_version": t.version,
                    "fingerprint": format!("{}", t.fingerprint),
                    "code_size": t.code.len().saturating_sub(1),
                    "payload_size": payload.len(),
                    "signed": t.signature.is_some(),
                });
                match &provenance {
                    nest_driver::Provenance::Unsigned => {}
                    nest_driver::Provenance::Signed { signer, signature } => {
                        v["signer"] = signer.to_checksum(None).into();
                        v["signature_valid"] = true.into();
                        v["signature"] = hex(signature).into();
                        v["signed_message"] = hex(&t.unsigned_payload()).into();
                    }
                    nest_driver::Provenance::BadSignature { why, signature } => {
                        v["signature_valid"] = false.into();
                        v["signature_error"] = why.clone().into();
                        v["signature"] = hex(signature).into();
                    }
                }
                if let Some(a) = &artifact {
                    v["params"] = serde_json::to_value(&a.params).unwrap_or_default();
                    v["artifact_fingerprint_matches"] =
                        (a.fingerprint == t.fingerprint.to_string()).into();
                }
                println!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
            } else {
                let kind = if t.signature.is_some() {
                    "signed"
                } else {
                    "unsigned"
                };
                println!("nest provenance trailer, format {} ({kind})", t.version);
                println!("fingerprint   {}", t.fingerprint);
                println!("code + data   {} bytes", t.code.len().saturating_sub(1));
                println!("payload       {} bytes", payload.len());
                match &provenance {
                    nest_driver::Provenance::Unsigned => {}
                    nest_driver::Provenance::Signed { signer, signature } => {
                        println!("signer        {}", signer.to_checksum(None));
                        println!("signature     valid (EIP-191 over the payload with the unsigned trailer; recovered signer shown)");
                        println!("              {}", hex(signature));
                    }
                    nest_driver::Provenance::BadSignature { why, signature } => {
                        println!("signature     INVALID: {why}");
                        println!("              {}", hex(signature));
                    }
                }
                if let Some(a) = &artifact {
                    let params = params_of(a);
                    if params.is_empty() {
                        println!("parameters    none");
                    }
                    for (i, (name, ty, value)) in params.iter().enumerate() {
                        let head = if i == 0 { "parameters" } else { "" };
                        println!(
                            "{head:<13} {} = {} ({})",
                            output::inert(name),
                            output::inert(value),
                            output::inert(ty)
                        );
                    }
                    if a.fingerprint != t.fingerprint.to_string() {
                        println!("warning       the artifact's fingerprint is not the payload's: its manifest may describe another compilation");
                    }
                }
            }
            if matches!(provenance, nest_driver::Provenance::BadSignature { .. }) {
                if !json {
                    output::error("the payload's signature is not valid");
                    eprintln!("  help: the trailer or the signature was damaged, or it was not signed by `nestc compile --sign-key-file`; re-sign it");
                }
                return INPUT_ERROR;
            }
            0
        }
        Err(e) => {
            if json {
                let v = serde_json::json!({ "error": format!("no Nest provenance trailer: {e}") });
                println!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
            } else {
                output::error(&format!("no Nest provenance trailer: {e}"));
                eprintln!("  help: a Nest payload ends with `NEST`, a version, its fingerprint and the trailer's length; was it cut short, or not made by nestc?");
            }
            INPUT_ERROR
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SCRIPT: &str = "param bps: uint256 = 10\nparam who: address = 0x000000000000000000000000000000000000dEaD\nreturn bps, who\n";

    fn compiled(params: &[(&str, &str)]) -> Compiled {
        let params: Vec<(String, String)> = params
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect();
        nest_driver::compile(&nest_driver::CompileRequest {
            name: "s.ns",
            text: SCRIPT,
            resolver: &nest_driver::MemoryResolver::new(),
            params: &params,
        })
        .unwrap_or_else(|f| panic!("{f}"))
    }

    #[test]
    fn verify_names_the_parameters_that_differ() {
        let deployed = compiled(&[("bps", "25")]).artifact;
        let here = compiled(&[]);
        assert_ne!(deployed.bytecode, here.artifact.bytecode);
        let why = params_differ(Some(&deployed), &here).expect("only the parameters differ");
        assert!(
            why.contains("only the parameters differ")
                && why.contains("`bps` is 25 in the artifact, 10 here"),
            "{why}"
        );
        assert!(!why.contains("`who`"), "{why}");
        // The same values: nothing to say; other sources: not a parameter question.
        let same = compiled(&[]).artifact;
        assert_eq!(params_differ(Some(&same), &here), None);
        let mut other = deployed.clone();
        other.source_hash = "0x00".into();
        assert_eq!(params_differ(Some(&other), &here), None);
        assert_eq!(params_differ(None, &here), None);
    }

    #[test]
    fn an_artifact_lists_its_parameters_as_written() {
        let a = compiled(&[("bps", "25")]).artifact;
        assert_eq!(
            params_of(&a),
            vec![
                ("bps".to_string(), "uint256".to_string(), "25".to_string()),
                (
                    "who".to_string(),
                    "address".to_string(),
                    "0x000000000000000000000000000000000000dEaD".to_string()
                ),
            ]
        );
    }

    #[test]
    fn only_json_with_a_bytecode_is_taken_for_an_artifact() {
        let dir = std::env::temp_dir().join(format!("nestc-artifact-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let write = |name: &str, text: &str| {
            let path = dir.join(name);
            std::fs::write(&path, text).unwrap();
            path.to_string_lossy().to_string()
        };
        let c = compiled(&[("bps", "25")]);
        let art = serde_json::to_string_pretty(&c.artifact).unwrap();
        let good = write("good.json", &format!("{art}\n"));
        let (payload, a) = payload_or_artifact(&good).unwrap();
        assert_eq!(payload, c.bytes);
        assert_eq!(a.as_ref(), Some(&c.artifact));
        // A payload in a file, JSON without a `bytecode`: not artifacts.
        let hex = write("payload.hex", &c.artifact.bytecode);
        assert_eq!(artifact_file(&hex), Ok(None));
        assert_eq!(artifact_file(&write("other.json", "{\"x\": 1}")), Ok(None));
        assert_eq!(artifact_file(&c.artifact.bytecode), Ok(None));
        // A `bytecode` without the rest of an artifact: said so, not read as a payload.
        let partial = write("partial.json", "{\"bytecode\": \"0x00\"}");
        let why = payload_or_artifact(&partial).unwrap_err();
        assert!(
            why.contains("has a `bytecode` but is not an artifact")
                && why.contains("missing field"),
            "{why}"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
