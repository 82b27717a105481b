//! Signed payloads (`nestc compile --sign-key-file`): the signer is what the key says,
//! the signature is an EIP-191 personal-message signature over the unsigned payload (what
//! `cast wallet verify` checks), any damaged byte fails `verify`, and unsigned payloads
//! behave as before.

use alloy_primitives::{hex, Address, Signature};
use alloy_signer_local::PrivateKeySigner;
use std::path::PathBuf;

use crate::common::{nestc, stderr, stdout};

/// A fixed test key (never used for anything else).
const KEY: &str = "0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318";
const SCRIPT: &str = "examples/swap.ns";

/// A fresh directory for one test's files.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("nestc-sign-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// Writes `text` as a key file readable only by its owner.
fn key_file(dir: &std::path::Path, text: &str) -> PathBuf {
    let path = dir.join("key.hex");
    std::fs::write(&path, text).expect("write key");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    }
    path
}

/// The test key's address, derived by alloy independently of nestc.
fn expected_signer() -> Address {
    KEY.parse::<PrivateKeySigner>().expect("test key").address()
}

fn unsigned_hex() -> String {
    let o = nestc(&["compile", SCRIPT]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    stdout(&o).trim().to_string()
}

fn signed_hex(dir: &std::path::Path) -> String {
    let key = key_file(dir, &format!("{KEY}\n"));
    let o = nestc(&["compile", SCRIPT, "--sign-key-file", key.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        !stderr(&o).contains("warning"),
        "a 0600 key file draws no warning: {}",
        stderr(&o)
    );
    stdout(&o).trim().to_string()
}

fn inspect_json(payload: &str) -> serde_json::Value {
    let o = nestc(&["inspect", payload, "--json"]);
    serde_json::from_str(&stdout(&o)).expect("inspect --json prints JSON")
}

#[test]
fn a_signed_payload_names_its_signer_and_verifies() {
    let dir = scratch("verifies");
    let signed = signed_hex(&dir);
    let unsigned = unsigned_hex();
    let signer = expected_signer();
    // The signed payload is the unsigned one with a 65-byte-longer trailer.
    assert_eq!(signed.len(), unsigned.len() + 2 * 65);
    let v = inspect_json(&signed);
    assert_eq!(v["format_version"], 2);
    assert_eq!(v["signed"], true);
    assert_eq!(v["signature_valid"], true);
    assert_eq!(v["signer"], signer.to_checksum(None));
    assert_eq!(v["signed_message"], unsigned);

    let human = nestc(&["inspect", &signed]);
    assert_eq!(human.status.code(), Some(0), "{}", stderr(&human));
    assert!(stdout(&human).contains(&signer.to_checksum(None)));
    assert!(stdout(&human).contains("valid"), "{}", stdout(&human));

    let ok = nestc(&[
        "verify",
        &signed,
        "--source",
        SCRIPT,
        "--signer",
        &signer.to_string(),
    ]);
    assert_eq!(ok.status.code(), Some(0), "{}", stderr(&ok));
    assert!(stdout(&ok).contains("as required"), "{}", stdout(&ok));
    // Without --signer it passes too, and says that no signer was required.
    let loose = nestc(&["verify", &signed, "--source", SCRIPT]);
    assert_eq!(loose.status.code(), Some(0), "{}", stderr(&loose));
    assert!(stdout(&loose).contains("--signer"), "{}", stdout(&loose));

    // The artifact names the signer and carries the signed bytecode.
    let key = dir.join("key.hex");
    let art = nestc(&[
        "compile",
        SCRIPT,
        "--emit",
        "artifact",
        "--sign-key-file",
        key.to_str().unwrap(),
    ]);
    let art: serde_json::Value = serde_json::from_str(&stdout(&art)).expect("artifact JSON");
    assert_eq!(art["signer"], signer.to_checksum(None));
    assert_eq!(art["bytecode"], signed);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_signature_is_an_eip191_signature_of_the_unsigned_payload() {
    // What `cast wallet verify --address SIGNER 0x<unsigned payload> 0x<signature>` does:
    // recover the signer from the EIP-191 personal message of the payload's bytes.
    let dir = scratch("eip191");
    let signed = signed_hex(&dir);
    let unsigned = hex::decode(unsigned_hex()).unwrap();
    let v = inspect_json(&signed);
    let sig = hex::decode(v["signature"].as_str().unwrap()).unwrap();
    assert_eq!(sig.len(), 65);
    assert!(sig[64] == 27 || sig[64] == 28);
    // The signature is in the trailer, right before the two length bytes.
    let signed_bytes = hex::decode(&signed).unwrap();
    let n = signed_bytes.len();
    assert_eq!(&signed_bytes[n - 67..n - 2], &sig[..]);
    assert_eq!(&signed_bytes[n - 2..], &[0x00, 104]);
    let signature = Signature::from_raw(&sig).unwrap();
    assert_eq!(
        signature.recover_address_from_msg(&unsigned).unwrap(),
        expected_signer()
    );
    // Not a signature of the signed bytes, nor of the payload's hash as a message.
    assert_ne!(
        signature.recover_address_from_msg(&signed_bytes).ok(),
        Some(expected_signer())
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_flipped_byte_anywhere_fails_verify() {
    let dir = scratch("flipped");
    let signed = hex::decode(signed_hex(&dir)).unwrap();
    let signer = expected_signer().to_string();
    let n = signed.len();
    let trailer = n - 104;
    let positions = [
        ("first code byte", 0),
        ("a byte of code or data", trailer / 2),
        ("the 0x00 separator", trailer - 1),
        ("the magic", trailer),
        ("the version", trailer + 4),
        ("the fingerprint", trailer + 20),
        ("the signature's r", trailer + 37),
        ("the signature's s", trailer + 80),
        ("the signature's v", trailer + 101),
        ("the length", n - 1),
    ];
    for (what, at) in positions {
        let mut bytes = signed.clone();
        bytes[at] ^= 0x01;
        let damaged = hex::encode_prefixed(&bytes);
        let o = nestc(&["verify", &damaged, "--source", SCRIPT, "--signer", &signer]);
        assert_eq!(o.status.code(), Some(1), "{what}: {}", stdout(&o));
        let err = stderr(&o);
        assert!(err.contains("not verified"), "{what}: {err}");
        assert!(
            err.contains("differ")
                || err.contains("trailer")
                || err.contains("signature")
                || err.contains("signed by"),
            "{what}: the message says what is wrong: {err}"
        );
        assert!(!err.contains("panicked"), "{what}: {err}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn another_signer_is_refused() {
    let dir = scratch("other");
    let signed = signed_hex(&dir);
    let other = "0x00000000000000000000000000000000000000aa";
    let o = nestc(&["verify", &signed, "--source", SCRIPT, "--signer", other]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains(&expected_signer().to_checksum(None)), "{err}");
    assert!(err.contains("--signer"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn unsigned_payloads_inspect_and_verify_as_before() {
    let unsigned = unsigned_hex();
    let v = inspect_json(&unsigned);
    assert_eq!(v["format_version"], 1);
    assert_eq!(v["signed"], false);
    assert!(v.get("signer").is_none());
    let human = nestc(&["inspect", &unsigned]);
    assert_eq!(human.status.code(), Some(0));
    assert!(stdout(&human).contains("format 1 (unsigned)"));
    assert!(!stdout(&human).contains("signer"));
    let ok = nestc(&["verify", &unsigned, "--source", SCRIPT]);
    assert_eq!(ok.status.code(), Some(0), "{}", stderr(&ok));
    assert!(!stdout(&ok).contains("signed by"));
    // Requiring a signer refuses an unsigned payload.
    let signer = expected_signer().to_string();
    let o = nestc(&["verify", &unsigned, "--source", SCRIPT, "--signer", &signer]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("not signed"), "{}", stderr(&o));
}

#[test]
fn a_signed_payload_still_dry_runs() {
    let dir = scratch("run");
    let signed = signed_hex(&dir);
    let unsigned = unsigned_hex();
    let a = nestc(&["run", "--bytecode", &signed, "--json"]);
    assert_eq!(a.status.code(), Some(0), "{}", stderr(&a));
    let b = nestc(&["run", "--bytecode", &unsigned, "--json"]);
    let a: serde_json::Value = serde_json::from_str(&stdout(&a)).unwrap();
    let b: serde_json::Value = serde_json::from_str(&stdout(&b)).unwrap();
    assert_eq!(a["success"], true);
    assert_eq!(a["asset_changes"], b["asset_changes"]);
    // The trailer is never executed: only the calldata part of the gas grows.
    assert_eq!(a["gas"]["execution"], b["gas"]["execution"]);
    assert!(a["gas"]["calldata"].as_u64() > b["gas"]["calldata"].as_u64());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn malformed_keys_are_refused_clearly() {
    let dir = scratch("malformed");
    for (text, says) in [
        ("", "0 hex digits"),
        ("0x1234", "4 hex digits"),
        (
            "not a key at all, not a key at all, not a key at all, not a key!!",
            "hex digit",
        ),
        (
            "0x0000000000000000000000000000000000000000000000000000000000000000",
            "not a valid secp256k1 private key",
        ),
    ] {
        let key = key_file(&dir, text);
        let o = nestc(&["compile", SCRIPT, "--sign-key-file", key.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(2), "{text}");
        let err = stderr(&o);
        assert!(err.contains(says), "{text}: {err}");
        assert!(
            err.contains("64 hex digits") || err.contains("cast wallet new"),
            "{err}"
        );
        assert!(stdout(&o).is_empty(), "no payload on a refused key");
    }
    let missing = nestc(&["compile", SCRIPT, "--sign-key-file", "/nonexistent/key"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(stderr(&missing).contains("cannot read the key file"));
    // Signing is for the payload: other emits refuse the key.
    let key = key_file(&dir, KEY);
    let asm = nestc(&[
        "compile",
        SCRIPT,
        "--emit",
        "asm",
        "--sign-key-file",
        key.to_str().unwrap(),
    ]);
    assert_eq!(asm.status.code(), Some(2));
    assert!(stderr(&asm).contains("--emit bytecode"), "{}", stderr(&asm));
    // Writing the output over the key file is refused.
    let over = nestc(&[
        "compile",
        SCRIPT,
        "--sign-key-file",
        key.to_str().unwrap(),
        "-o",
        key.to_str().unwrap(),
    ]);
    assert_eq!(over.status.code(), Some(2));
    assert_eq!(std::fs::read_to_string(&key).unwrap(), KEY);
    let _ = std::fs::remove_dir_all(&dir);
}

#[cfg(unix)]
#[test]
fn a_key_file_others_can_read_draws_a_warning() {
    use std::os::unix::fs::PermissionsExt;
    let dir = scratch("mode");
    let key = key_file(&dir, KEY);
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o644)).unwrap();
    let o = nestc(&["compile", SCRIPT, "--sign-key-file", key.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("chmod 600"), "{}", stderr(&o));
    assert!(!stderr(&o).contains(&KEY[2..]), "the key is never printed");
    let _ = std::fs::remove_dir_all(&dir);
}
