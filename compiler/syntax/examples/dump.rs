//! Parses a file and prints its tree and rendered diagnostics (a development aid).
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
