//! The provenance trailer appended after the code, data and `0x00` separator:
//! `b"NEST"` ‖ version (1 byte) ‖ fingerprint (32 bytes) ‖ trailer length (2 bytes,
//! big-endian, counting the whole trailer), so a reader finds it from the end.

use std::fmt;

use alloy_primitives::B256;

/// The tag a trailer starts with.
pub const MAGIC: [u8; 4] = *b"NEST";
/// The format version this crate writes.
pub const VERSION: u8 = 1;
/// The length of a version-1 trailer: magic, version, fingerprint, length.
pub const TRAILER_LEN: usize = MAGIC.len() + 1 + 32 + 2;

/// A decoded trailer and the payload part before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Trailer<'a> {
    /// The format version.
    pub version: u8,
    /// The build's fingerprint.
    pub fingerprint: B256,
    /// The payload before the trailer: code, data, and the `0x00` separator it ends with.
    pub code: &'a [u8],
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

/// Reads the trailer at the end of `payload`.
pub fn decode(payload: &[u8]) -> Result<Trailer<'_>, TrailerError> {
    let len = payload.len();
    if len < TRAILER_LEN + 1 {
        return Err(TrailerError::TooShort { len });
    }
    let declared = usize::from(u16::from_be_bytes([payload[len - 2], payload[len - 1]]));
    if declared != TRAILER_LEN {
        return Err(TrailerError::BadLength { declared });
    }
    let start = len - TRAILER_LEN;
    let trailer = &payload[start..];
    if trailer[..MAGIC.len()] != MAGIC {
        return Err(TrailerError::BadMagic);
    }
    let version = trailer[MAGIC.len()];
    if version != VERSION {
        return Err(TrailerError::UnsupportedVersion { version });
    }
    let code = &payload[..start];
    if code.last() != Some(&0x00) {
        return Err(TrailerError::MissingSeparator);
    }
    let fingerprint = B256::from_slice(&trailer[MAGIC.len() + 1..MAGIC.len() + 33]);
    Ok(Trailer {
        version,
        fingerprint,
        code,
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
        bytes[at] = 2;
        assert_eq!(
            decode(&bytes),
            Err(TrailerError::UnsupportedVersion { version: 2 })
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
