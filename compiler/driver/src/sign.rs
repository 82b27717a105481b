//! Signed payloads: a platform that compiles scripts signs what it compiles, so that anyone
//! can tell later, without the sources, that a payload came from it.
//!
//! **What is signed**: the payload as it is without a signature, `[code][data][0x00]` ‖
//! the version-1 trailer (`"NEST"` ‖ `0x01` ‖ fingerprint ‖ `0x0027`) — exactly what
//! `nestc compile` prints without a key — as an EIP-191 personal message (`personal_sign`,
//! `cast wallet sign`): keccak256(`"\x19Ethereum Signed Message:\n"` ‖ the payload's length
//! in decimal ‖ the payload). The message is the payload's bytes themselves, not their hash.
//! The signed payload replaces the version-1 trailer with the version-2 one, which carries
//! the same fingerprint and the 65-byte signature (r ‖ s ‖ v, v = 27 or 28). The signing
//! and the recovery are alloy's (`alloy-signer-local`, `alloy-primitives`); nothing here is
//! hand-written cryptography. No IO: the key comes in as text or bytes.

use alloy_primitives::{Address, Signature, B256};
use alloy_signer::SignerSync;
use alloy_signer_local::PrivateKeySigner;
use nest_evm::trailer;
use std::fmt;

/// A secp256k1 private key to sign payloads with. Its `Debug` shows only its address.
#[derive(Clone)]
pub struct SigningKey(PrivateKeySigner);

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SigningKey({})", self.0.address())
    }
}

/// Why a key or a signing was refused. The messages never include key material.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignError {
    /// The key text is not 64 hex digits (with an optional `0x`).
    MalformedKey(String),
    /// 32 bytes that are not a secp256k1 private key (zero, or not below the curve order).
    InvalidKey,
    /// The payload to sign has no valid unsigned trailer.
    NotUnsigned(String),
    /// The signer failed.
    Signing(String),
}

impl fmt::Display for SignError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SignError::MalformedKey(why) => write!(
                f,
                "not a private key: {why}; write the key as 64 hex digits (32 bytes), \
                 with or without `0x`, and nothing else"
            ),
            SignError::InvalidKey => f.write_str(
                "not a valid secp256k1 private key (zero, or not below the curve order); \
                 generate one with `cast wallet new` or another wallet",
            ),
            SignError::NotUnsigned(why) => write!(
                f,
                "only a payload with an unsigned (version-1) Nest trailer can be signed: {why}"
            ),
            SignError::Signing(why) => write!(f, "signing failed: {why}"),
        }
    }
}

impl std::error::Error for SignError {}

impl SigningKey {
    /// A key from its 32 bytes.
    pub fn from_bytes(bytes: &[u8; 32]) -> Result<SigningKey, SignError> {
        PrivateKeySigner::from_bytes(&B256::from(*bytes))
            .map(SigningKey)
            .map_err(|_| SignError::InvalidKey)
    }

    /// A key from a key file's contents: 64 hex digits, `0x`-prefixed or not, surrounded by
    /// whitespace or not.
    pub fn from_hex(text: &[u8]) -> Result<SigningKey, SignError> {
        let text = std::str::from_utf8(text)
            .map_err(|_| SignError::MalformedKey("the text is not UTF-8".into()))?
            .trim();
        let digits = text
            .strip_prefix("0x")
            .or_else(|| text.strip_prefix("0X"))
            .unwrap_or(text);
        if let Some(bad) = digits.chars().position(|c| !c.is_ascii_hexdigit()) {
            return Err(SignError::MalformedKey(format!(
                "character {} is not a hex digit",
                bad + 1 + (text.len() - digits.len())
            )));
        }
        if digits.len() != 64 {
            return Err(SignError::MalformedKey(format!(
                "{} hex digits instead of 64",
                digits.len()
            )));
        }
        let mut bytes = [0u8; 32];
        for (i, byte) in bytes.iter_mut().enumerate() {
            *byte = u8::from_str_radix(&digits[2 * i..2 * i + 2], 16)
                .map_err(|_| SignError::MalformedKey("not hex".into()))?;
        }
        SigningKey::from_bytes(&bytes)
    }

    /// The address of the key: what `nestc inspect` shows as the signer.
    pub fn address(&self) -> Address {
        self.0.address()
    }
}

/// Signs an unsigned payload (what [`crate::compile`] returns in `bytes`) and returns the
/// signed one: the same bytes with the version-1 trailer replaced by the version-2 trailer
/// that carries the signature.
pub fn sign_payload(payload: &[u8], key: &SigningKey) -> Result<Vec<u8>, SignError> {
    let t = trailer::decode(payload).map_err(|e| SignError::NotUnsigned(e.to_string()))?;
    if t.signature.is_some() {
        return Err(SignError::NotUnsigned("it is already signed".into()));
    }
    let signature = key
        .0
        .sign_message_sync(payload)
        .map_err(|e| SignError::Signing(e.to_string()))?;
    let mut out = t.code.to_vec();
    out.extend(trailer::encode_signed(t.fingerprint, &signature.as_bytes()));
    Ok(out)
}

/// What a payload's trailer says about who made it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Provenance {
    /// A version-1 trailer: no signature.
    Unsigned,
    /// A version-2 trailer whose signature recovers to `signer` over the unsigned payload.
    Signed {
        /// The recovered signer.
        signer: Address,
        /// The signature, r ‖ s ‖ v.
        signature: [u8; 65],
    },
    /// A version-2 trailer whose signature is not a well-formed one.
    BadSignature {
        /// Why.
        why: String,
        /// The signature bytes as found.
        signature: [u8; 65],
    },
}

/// Reads a decoded trailer's signature: the address it recovers to over
/// [`trailer::Trailer::unsigned_payload`] as an EIP-191 message. The signature must have
/// v = 27 or 28 and a low `s` (as every signer since EIP-2 makes), so that one payload
/// has one signed form.
///
/// An ECDSA signature recovers to *some* address whatever the bytes: a damaged signature
/// recovers to a stranger, so only comparing the signer with the expected one (`nestc
/// verify --signer`) proves who signed.
pub fn provenance(t: &trailer::Trailer<'_>) -> Provenance {
    let Some(raw) = t.signature else {
        return Provenance::Unsigned;
    };
    let bad = |why: String| Provenance::BadSignature {
        why,
        signature: raw,
    };
    let v = raw[64];
    if v != 27 && v != 28 {
        return bad(format!("its v byte is {v}, not 27 or 28"));
    }
    let signature = match Signature::from_raw_array(&raw) {
        Ok(s) => s,
        Err(e) => return bad(e.to_string()),
    };
    if signature.normalize_s().is_some() {
        return bad("its s value is in the upper half of the curve order (not canonical)".into());
    }
    match signature.recover_address_from_msg(t.unsigned_payload()) {
        Ok(signer) => Provenance::Signed {
            signer,
            signature: raw,
        },
        Err(e) => bad(format!("no public key recovers from it ({e})")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318";

    fn unsigned() -> Vec<u8> {
        let mut bytes = vec![0x5f, 0x5f, 0xf3, 0x00];
        bytes.extend(trailer::encode(B256::repeat_byte(0x42)));
        bytes
    }

    #[test]
    fn keys_parse_in_every_documented_spelling() {
        let a = SigningKey::from_hex(KEY.as_bytes()).unwrap();
        let b = SigningKey::from_hex(format!("  {}\n", &KEY[2..]).as_bytes()).unwrap();
        assert_eq!(a.address(), b.address());
        assert!(!format!("{a:?}").contains(&KEY[2..]));
    }

    #[test]
    fn malformed_keys_are_refused_without_echoing_them() {
        for text in [
            "",
            "0x",
            "0x1234",
            &format!("{KEY}00"),
            &KEY.replace('c', "g"),
        ] {
            let e = SigningKey::from_hex(text.as_bytes()).unwrap_err();
            assert!(matches!(e, SignError::MalformedKey(_)), "{text}: {e}");
            assert!(!e.to_string().contains("4c0883a6"), "{e}");
        }
        let zero = format!("0x{}", "0".repeat(64));
        assert_eq!(
            SigningKey::from_hex(zero.as_bytes()).unwrap_err(),
            SignError::InvalidKey
        );
        let order = "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141";
        assert_eq!(
            SigningKey::from_hex(order.as_bytes()).unwrap_err(),
            SignError::InvalidKey
        );
    }

    #[test]
    fn a_signed_payload_recovers_its_signer_and_differs_only_in_the_trailer() {
        let key = SigningKey::from_hex(KEY.as_bytes()).unwrap();
        let payload = unsigned();
        let signed = sign_payload(&payload, &key).unwrap();
        assert_eq!(signed.len(), payload.len() + 65);
        let t = trailer::decode(&signed).unwrap();
        assert_eq!(t.unsigned_payload(), payload);
        match provenance(&t) {
            Provenance::Signed { signer, signature } => {
                assert_eq!(signer, key.address());
                let sig = Signature::from_raw_array(&signature).unwrap();
                assert_eq!(sig.recover_address_from_msg(&payload).unwrap(), signer);
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            sign_payload(&signed, &key),
            Err(SignError::NotUnsigned(_))
        ));
    }

    #[test]
    fn a_high_s_or_odd_v_signature_is_not_accepted() {
        let key = SigningKey::from_hex(KEY.as_bytes()).unwrap();
        let signed = sign_payload(&unsigned(), &key).unwrap();
        let t = trailer::decode(&signed).unwrap();
        let raw = t.signature.unwrap();
        let sig = Signature::from_raw_array(&raw).unwrap();
        // The same signature with s mirrored recovers the same key: refused.
        let high = Signature::new(
            sig.r(),
            alloy_primitives::U256::from_be_bytes(
                alloy_primitives::b256!(
                    "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141"
                )
                .0,
            ) - sig.s(),
            !sig.v(),
        );
        let mut mirrored = t;
        mirrored.signature = Some(high.as_bytes());
        assert!(matches!(
            provenance(&mirrored),
            Provenance::BadSignature { .. }
        ));
        let mut zero_v = t;
        let mut raw0 = raw;
        raw0[64] -= 27;
        zero_v.signature = Some(raw0);
        assert!(matches!(
            provenance(&zero_v),
            Provenance::BadSignature { .. }
        ));
    }
}
