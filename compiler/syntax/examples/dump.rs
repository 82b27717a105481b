//! Parses a file and prints its tree and rendered diagnostics (a development aid).
// A test, benchmark or example target sees all of its crate's dependencies and
// dev-dependencies, so some go unused here (the lint is exact on the library and binary
// builds); and it may read fixtures and write results, which the pipeline may not.
#![allow(
    unused_crate_dependencies,
    clippy::disallowed_methods,
    clippy::disallowed_types
)]

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        return;
    };
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    let mut map = nest_diagnostics::SourceMap::new();
    let file = map.add(path, text.clone());
    let (tree, diags) = nest_syntax::parse(file, &text);
    print!("{}", nest_syntax::sexpr::to_sexpr(&tree));
    print!("{}", nest_diagnostics::render_plain(&diags, &map));
}
