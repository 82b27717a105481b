//! The registry of diagnostic codes and their long explanations (`nestc explain`).

/// A diagnostic code with its one-line title and long explanation.
pub struct CodeInfo {
    /// The code, e.g. `E0101`.
    pub code: &'static str,
    /// A short title.
    pub title: &'static str,
    /// The long explanation, in Markdown, with an example.
    pub explanation: &'static str,
}

/// Every code the compiler can emit.
pub const CODES: &[CodeInfo] = &[];

/// Looks up a code (case-insensitive).
pub fn lookup(code: &str) -> Option<&'static CodeInfo> {
    CODES.iter().find(|c| c.code.eq_ignore_ascii_case(code))
}
