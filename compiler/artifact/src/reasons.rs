//! The compiler's own revert messages. The code generator emits them in `Error(string)`
//! revert data; the dry run's report reads them back, because each means the script
//! stopped because of its last call, which the revert data alone does not name. Defined
//! once here, so the two cannot drift apart.

/// A call's return data failed validation against its declared return types.
pub const MALFORMED_RETURN: &str = "nest: malformed return data";
/// A call (an approve, or one whose result is unused) went to an address without code.
pub const NO_CODE: &str = "nest: call to an address without code";
/// `approve` could not set the allowance (the token answered `false`, even through zero).
pub const APPROVE_FAILED: &str = "nest: approve failed";

/// The reasons a call to an address without code produces (it succeeds with no return
/// data): a used result fails validation, an unread one the code check.
pub const NO_CODE_REASONS: [&str; 2] = [MALFORMED_RETURN, NO_CODE];

/// The reasons that blame the script's last call even when it has code and succeeded: its
/// return data did not decode, or the approve it made did not take.
pub const LAST_CALL_REASONS: [&str; 2] = [MALFORMED_RETURN, APPROVE_FAILED];
