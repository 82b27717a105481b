//! The registry of diagnostic codes and their long explanations (`nestc explain`).
//!
//! Each stage keeps its codes in its own file here: `syntax` (E01xx), `names`
//! (E02xx), `types` (E03xx), `permissions` (E04xx), `backend` (E05xx),
//! `inputs` (E06xx: parameters, imports, files).

mod backend;
mod inputs;
mod names;
mod permissions;
mod syntax;
mod types;

/// A diagnostic code with its one-line title and long explanation.
#[derive(Debug)]
pub struct CodeInfo {
    /// The code, e.g. `E0101`.
    pub code: &'static str,
    /// A short title.
    pub title: &'static str,
    /// The long explanation, in Markdown, with an example.
    pub explanation: &'static str,
}

/// Every code the compiler can emit, in code order.
pub fn all() -> impl Iterator<Item = &'static CodeInfo> {
    [
        syntax::CODES,
        names::CODES,
        types::CODES,
        permissions::CODES,
        backend::CODES,
        inputs::CODES,
    ]
    .into_iter()
    .flatten()
}

/// Looks up a code (case-insensitive).
pub fn lookup(code: &str) -> Option<&'static CodeInfo> {
    all().find(|c| c.code.eq_ignore_ascii_case(code))
}
