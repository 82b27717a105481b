//! Codes of this stage.

use super::CodeInfo;

/// The codes.
pub const CODES: &[CodeInfo] = &[];
