//! The provenance trailer appended after the code, data and `0x00` separator, read from
//! the end of the payload. Two versions:
//!
//! - version 1 (unsigned, the default): `b"NEST"` ‖ `0x01` ‖ fingerprint (32 bytes) ‖
//!   trailer length (2 bytes, big-endian, = 39);
//! - version 2 (signed): `b"NEST"` ‖ `0x02` ‖ fingerprint (32 bytes) ‖ signature (65
//!   bytes: r, s, v with v = 27 or 28) ‖ trailer length (2 bytes, big-endian, = 104).
//!
//! A version-2 signature covers the payload as it would be unsigned: the bytes before the
//! trailer followed by the version-1 trailer of the same fingerprint
//! ([`Trailer::unsigned_payload`]). This crate only stores and reads the signature; the
//! driver signs and checks it.

use std::fmt;

use alloy_primitives::B256;

/// The tag a trailer starts with.
pub const MAGIC: [u8; 4] = *b"NEST";
/// The format version of the unsigned trailer (the default).
pub const VERSION: u8 = 1;
/// The format version of the signed trailer.
pub const SIGNED_VERSION: u8 = 2;
/// The length of a signature: r (32 bytes), s (32 bytes), v (1 byte).
pub const SIGNATURE_LEN: usize = 65;
/// The length of a version-1 trailer: magic, version, fingerprint, length.
pub const TRAILER_LEN: usize = MAGIC.len() + 1 + 32 + 2;
/// The length of a version-2 trailer: magic, version, fingerprint, signature, length.
pub const SIGNED_TRAILER_LEN: usize = MAGIC.len() + 1 + 32 + SIGNATURE_LEN + 2;

/// A decoded trailer and the payload part before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Trailer<'a> {
    /// The format version.
    pub version: u8,
    /// The build's fingerprint.
    pub fingerprint: B256,
    /// The payload before the trailer: code, data, and the `0x00` separator it ends with.
    pub code: &'a [u8],
    /// The signature (r, s, v) of a version-2 trailer; `None` for version 1.
    pub signature: Option<[u8; SIGNATURE_LEN]>,
}

impl Trailer<'_> {
    /// The payload as it is without a signature: the bytes before the trailer and the
    /// version-1 trailer of this fingerprint. For a version-1 payload, the payload itself;
    /// for version 2, the bytes its signature covers.
    pub fn unsigned_payload(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.code.len() + TRAILER_LEN);
        out.extend_from_slice(self.code);
        out.extend(encode(self.fingerprint));
        out
    }
}

/// Why a payload's trailer could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TrailerError {
    /// The payload is shorter than any trailer.
    TooShort {
        /// The payload's length.
        len: usize,
    },
    /// The length field does not fit the payload or the version's layout.
    BadLength {
        /// The value of the length field.
        declared: usize,
    },
    /// The bytes where the trailer should start are not `NEST`.
    BadMagic,
    /// A format version this reader does not know.
    UnsupportedVersion {
        /// The version byte found.
        version: u8,
    },
    /// The part before the trailer does not end with the `0x00` separator.
    MissingSeparator,
}

impl fmt::Display for TrailerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TrailerError::TooShort { len } => {
                write!(f, "payload of {len} bytes is too short to hold a trailer")
            }
            TrailerError::BadLength { declared } => {
                write!(
                    f,
                    "trailer length field {declared} does not match the payload"
                )
            }
            TrailerError::BadMagic => f.write_str("no `NEST` trailer at the end of the payload"),
            TrailerError::UnsupportedVersion { version } => {
                write!(f, "trailer format version {version} is not supported")
            }
            TrailerError::MissingSeparator => {
                f.write_str("the code before the trailer does not end with the 0x00 separator")
            }
        }
    }
}

impl std::error::Error for TrailerError {}

/// The version-1 trailer for `fingerprint`, to append after the assembled bytes.
pub fn encode(fingerprint: B256) -> Vec<u8> {
    let mut out = Vec::with_capacity(TRAILER_LEN);
    out.extend_from_slice(&MAGIC);
    out.push(VERSION);
    out.extend_from_slice(fingerprint.as_slice());
    out.extend_from_slice(&(TRAILER_LEN as u16).to_be_bytes());
    out
}

/// The version-2 (signed) trailer for `fingerprint` and `signature` (r ‖ s ‖ v), to
/// append after the assembled bytes in place of the version-1 trailer.
pub fn encode_signed(fingerprint: B256, signature: &[u8; SIGNATURE_LEN]) -> Vec<u8> {
    let mut out = Vec::with_capacity(SIGNED_TRAILER_LEN);
    out.extend_from_slice(&MAGIC);
    out.push(SIGNED_VERSION);
    out.extend_from_slice(fingerprint.as_slice());
    out.extend_from_slice(signature);
    out.extend_from_slice(&(SIGNED_TRAILER_LEN as u16).to_be_bytes());
    out
}

/// Reads the trailer (version 1 or 2) at the end of `payload`.
pub fn decode(payload: &[u8]) -> Result<Trailer<'_>, TrailerError> {
    let len = payload.len();
    if len < TRAILER_LEN + 1 {
        return Err(TrailerError::TooShort { len });
    }
    let declared = usize::from(u16::from_be_bytes([payload[len - 2], payload[len - 1]]));
    let expected_version = match declared {
        TRAILER_LEN => VERSION,
        SIGNED_TRAILER_LEN => SIGNED_VERSION,
        _ => return Err(TrailerError::BadLength { declared }),
    };
    if len < declared + 1 {
        return Err(TrailerError::TooShort { len });
    }
    let start = len - declared;
    let trailer = &payload[start..];
    if trailer[..MAGIC.len()] != MAGIC {
        return Err(TrailerError::BadMagic);
    }
    let version = trailer[MAGIC.len()];
    if version != VERSION && version != SIGNED_VERSION {
        return Err(TrailerError::UnsupportedVersion { version });
    }
    if version != expected_version {
        // A known version whose layout has another length.
        return Err(TrailerError::BadLength { declared });
    }
    let code = &payload[..start];
    if code.last() != Some(&0x00) {
        return Err(TrailerError::MissingSeparator);
    }
    let fingerprint = B256::from_slice(&trailer[MAGIC.len() + 1..MAGIC.len() + 33]);
    let signature = if version == SIGNED_VERSION {
        let mut sig = [0u8; SIGNATURE_LEN];
        sig.copy_from_slice(&trailer[MAGIC.len() + 33..MAGIC.len() + 33 + SIGNATURE_LEN]);
        Some(sig)
    } else {
        None
    };
    Ok(Trailer {
        version,
        fingerprint,
        code,
        signature,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn payload() -> (Vec<u8>, B256) {
        let fingerprint = B256::repeat_byte(0xab);
        let mut bytes = vec![0x5f, 0x5f, 0xf3, 0xde, 0xad, 0x00];
        bytes.extend(encode(fingerprint));
        (bytes, fingerprint)
    }

    #[test]
    fn layout_is_as_documented() {
        let trailer = encode(B256::repeat_byte(0x11));
        assert_eq!(trailer.len(), 39);
        assert_eq!(&trailer[..5], b"NEST\x01");
        assert_eq!(&trailer[5..37], &[0x11; 32]);
        assert_eq!(&trailer[37..], &[0x00, 39]);
    }

    #[test]
    fn round_trip() {
        let (bytes, fingerprint) = payload();
        let trailer = decode(&bytes).unwrap();
        assert_eq!(trailer.fingerprint, fingerprint);
        assert_eq!(trailer.version, 1);
        assert_eq!(trailer.code, &[0x5f, 0x5f, 0xf3, 0xde, 0xad, 0x00]);
        assert_eq!(trailer.signature, None);
        assert_eq!(trailer.unsigned_payload(), bytes);
    }

    fn signed_payload() -> (Vec<u8>, Vec<u8>, [u8; 65]) {
        let (unsigned, fingerprint) = payload();
        let mut sig = [0x5a; 65];
        sig[64] = 27;
        let mut bytes = unsigned[..unsigned.len() - TRAILER_LEN].to_vec();
        bytes.extend(encode_signed(fingerprint, &sig));
        (bytes, unsigned, sig)
    }

    #[test]
    fn signed_layout_is_as_documented() {
        let mut sig = [0x22; 65];
        sig[64] = 28;
        let trailer = encode_signed(B256::repeat_byte(0x11), &sig);
        assert_eq!(trailer.len(), 104);
        assert_eq!(&trailer[..5], b"NEST\x02");
        assert_eq!(&trailer[5..37], &[0x11; 32]);
        assert_eq!(&trailer[37..102], &sig[..]);
        assert_eq!(&trailer[102..], &[0x00, 104]);
    }

    #[test]
    fn signed_round_trip_gives_the_unsigned_payload() {
        let (bytes, unsigned, sig) = signed_payload();
        let trailer = decode(&bytes).unwrap();
        assert_eq!(trailer.version, 2);
        assert_eq!(trailer.fingerprint, B256::repeat_byte(0xab));
        assert_eq!(trailer.code, &[0x5f, 0x5f, 0xf3, 0xde, 0xad, 0x00]);
        assert_eq!(trailer.signature, Some(sig));
        assert_eq!(trailer.unsigned_payload(), unsigned);
    }

    #[test]
    fn a_version_that_does_not_match_the_length_is_rejected() {
        // A version-2 length with a version-1 byte, and the reverse.
        let (mut bytes, _, _) = signed_payload();
        let at = bytes.len() - SIGNED_TRAILER_LEN + 4;
        bytes[at] = 1;
        assert_eq!(
            decode(&bytes),
            Err(TrailerError::BadLength { declared: 104 })
        );
        let (mut bytes, _) = payload();
        let at = bytes.len() - TRAILER_LEN + 4;
        bytes[at] = 2;
        assert_eq!(
            decode(&bytes),
            Err(TrailerError::BadLength { declared: 39 })
        );
    }

    #[test]
    fn a_signed_trailer_longer_than_the_payload_is_rejected() {
        let (bytes, _, _) = signed_payload();
        let short = &bytes[bytes.len() - SIGNED_TRAILER_LEN..];
        assert_eq!(decode(short), Err(TrailerError::TooShort { len: 104 }));
        let shorter = &bytes[bytes.len() - 60..];
        assert_eq!(decode(shorter), Err(TrailerError::TooShort { len: 60 }));
    }

    #[test]
    fn truncated_payload_is_rejected() {
        let (bytes, _) = payload();
        assert!(decode(&bytes[..bytes.len() - 1]).is_err());
        assert_eq!(
            decode(&bytes[..20]),
            Err(TrailerError::TooShort { len: 20 })
        );
        assert_eq!(decode(&[]), Err(TrailerError::TooShort { len: 0 }));
        // The trailer alone lacks the separator before it.
        assert_eq!(
            decode(&encode(B256::ZERO)),
            Err(TrailerError::TooShort { len: 39 })
        );
    }

    #[test]
    fn wrong_magic_is_rejected() {
        let (mut bytes, _) = payload();
        let start = bytes.len() - TRAILER_LEN;
        bytes[start] = b'M';
        assert_eq!(decode(&bytes), Err(TrailerError::BadMagic));
    }

    #[test]
    fn wrong_length_is_rejected() {
        let (mut bytes, _) = payload();
        let last = bytes.len() - 1;
        bytes[last] = 40;
        assert_eq!(
            decode(&bytes),
            Err(TrailerError::BadLength { declared: 40 })
        );
    }

    #[test]
    fn unknown_version_is_rejected() {
        let (mut bytes, _) = payload();
        let at = bytes.len() - TRAILER_LEN + 4;
        bytes[at] = 3;
        assert_eq!(
            decode(&bytes),
            Err(TrailerError::UnsupportedVersion { version: 3 })
        );
    }

    #[test]
    fn missing_separator_is_rejected() {
        let (mut bytes, _) = payload();
        let at = bytes.len() - TRAILER_LEN - 1;
        bytes[at] = 0x01;
        assert_eq!(decode(&bytes), Err(TrailerError::MissingSeparator));
    }

    #[test]
    fn a_payload_without_a_trailer_is_rejected() {
        let code = vec![0x60; 100];
        assert!(decode(&code).is_err());
    }
}
