//! Rendering is inert and bounded: hidden characters in excerpts are escaped with the
//! labels still under the right text, long lines are windowed, and at most
//! `MAX_PER_FILE` diagnostics are rendered per file (JSON keeps all).

/// The bounds of `render.rs` (not exported from the crate): diagnostics rendered per
/// file, the line length past which lines are windowed, the context around a label.
const MAX_PER_FILE: usize = 100;
const LONG_LINE: usize = 200;
const CONTEXT: usize = 60;
use nest_diagnostics::{render_json, render_plain, Diagnostic, SourceMap, Span};

fn one(text: &str, start: usize, end: usize) -> String {
    let mut sources = SourceMap::new();
    let file = sources.add("x.ns", text);
    let d = Diagnostic::error("E0201", "unknown name")
        .with_primary(Span::new(file, start, end), "here");
    render_plain(&[d], &sources)
}

/// The excerpt line of a rendering (the one after `│ `) and the label line below it.
fn excerpt(out: &str) -> (String, String) {
    let lines: Vec<&str> = out.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.trim_start().starts_with("1 │") || l.trim_start().starts_with("2 │"))
        .unwrap_or_else(|| panic!("no excerpt in\n{out}"));
    let cut = |l: &str| {
        l.split_once('│')
            .map_or(String::new(), |(_, r)| r.to_string())
    };
    (
        cut(lines[at]),
        cut(lines.get(at + 1).copied().unwrap_or("")),
    )
}

#[test]
fn bidi_and_control_characters_are_shown_escaped_with_labels_in_place() {
    // `let x = "…"` with a right-to-left override, a zero-width space, a BEL and an
    // ESC in a string, and the label on `bad` after them.
    let text = "let s = \"\u{202E}a\u{200B}\u{7}\u{1b}[2J\" + bad\n";
    let start = text.find("bad").unwrap_or(0);
    let out = one(text, start, start + 3);
    let header = format!("x.ns:1:{} ]", text[..start].chars().count() + 1);
    assert!(out.contains(&header), "{header} in\n{out}");
    for raw in ['\u{202E}', '\u{200B}', '\u{7}', '\u{1b}'] {
        assert!(!out.contains(raw), "{raw:?} printed raw:\n{out}");
    }
    let (line, labels) = excerpt(&out);
    assert!(
        line.contains("\"<U+202E>a<U+200B><U+0007><U+001B>[2J\" + bad"),
        "{line:?}"
    );
    // The label's underline starts under `bad` in the escaped line.
    let col = line.find("bad").unwrap_or(0);
    let underline = labels.find(|c| c != ' ').unwrap_or(usize::MAX);
    assert_eq!(
        labels[..underline].chars().count(),
        line[..col].chars().count(),
        "\n{line}\n{labels}"
    );
}

#[test]
fn a_label_on_an_escaped_character_covers_its_escape() {
    let text = "let a = 1\u{202E}\n";
    let start = text.find('\u{202E}').unwrap_or(0);
    let out = one(text, start, start + '\u{202E}'.len_utf8());
    let (line, labels) = excerpt(&out);
    let col = line.find("<U+202E>").unwrap_or(0);
    let underline = labels.find(|c| c != ' ').unwrap_or(usize::MAX);
    assert_eq!(
        labels[..underline].chars().count(),
        line[..col].chars().count()
    );
    assert_eq!(
        labels.trim().chars().filter(|&c| c != '┬').count() + 1,
        "<U+202E>".len(),
        "{out}"
    );
}

#[test]
fn crlf_line_endings_are_not_shown_as_escapes() {
    let out = one("let a = 1\r\nlet b = x\r\n", 19, 20);
    assert!(!out.contains("<U+000D>"), "{out}");
    assert!(out.contains("let b = x"), "{out}");
}

#[test]
fn long_lines_are_windowed_around_the_label() {
    let filler = "a + ".repeat(5_000);
    let text = format!("let x = {filler}bad + {filler}1\n");
    let start = text.find("bad").unwrap_or(0);
    let out = one(&text, start, start + 3);
    let (line, labels) = excerpt(&out);
    assert!(
        line.chars().count() <= 2 * CONTEXT + 10,
        "{} columns",
        line.chars().count()
    );
    assert!(line.starts_with(" …") && line.ends_with('…'), "{line}");
    // The header still gives the label's column in the file.
    let header = format!("x.ns:1:{} ]", start + 1);
    assert!(out.contains(&header), "{header} in\n{out}");
    let col = line.find("bad").unwrap_or(0);
    let underline = labels.find(|c| c != ' ').unwrap_or(usize::MAX);
    assert_eq!(
        labels[..underline].chars().count(),
        line[..col].chars().count()
    );
    // Short lines are shown whole.
    let short = format!("let x = {}bad\n", "a + ".repeat(LONG_LINE / 8));
    let at = short.find("bad").unwrap_or(0);
    assert!(!one(&short, at, at + 3).contains('…'));
}

#[test]
fn labels_far_apart_on_one_line_each_get_a_window() {
    let filler = "a + ".repeat(1_000);
    let text = format!("let x = first + {filler}second\n");
    let mut sources = SourceMap::new();
    let file = sources.add("x.ns", text.as_str());
    let at = |w: &str| text.find(w).unwrap_or(0);
    let d = Diagnostic::error("E0302", "mismatched")
        .with_primary(Span::new(file, at("second"), at("second") + 6), "this")
        .with_secondary(Span::new(file, at("first"), at("first") + 5), "that");
    let out = render_plain(&[d], &sources);
    let (line, _) = excerpt(&out);
    assert!(line.contains("first") && line.contains("second"), "{line}");
    assert!(line.chars().count() <= 4 * CONTEXT + 10, "{line}");
}

#[test]
fn ten_thousand_errors_on_one_long_line_render_the_first_hundred() {
    let text = format!("let x = {}1\n", "y + ".repeat(5_000));
    let mut sources = SourceMap::new();
    let file = sources.add("big.ns", text.as_str());
    let mut diags: Vec<Diagnostic> = (0..10_000)
        .map(|i| {
            let start = 8 + 4 * (i % 5_000);
            Diagnostic::error("E0201", "unknown name `y`")
                .with_primary(Span::new(file, start, start + 1), "here")
        })
        .collect();
    diags.push(Diagnostic::warning("W0301", "unused").with_primary(Span::new(file, 0, 3), "here"));
    let out = render_plain(&diags, &sources);
    assert_eq!(out.matches("unknown name").count(), MAX_PER_FILE);
    assert!(
        out.contains("9900 more errors and 1 more warning in `big.ns` not shown"),
        "{}",
        out.lines().last().unwrap_or("")
    );
    // Each rendered excerpt is windowed: the output is small.
    assert!(out.len() < MAX_PER_FILE * 1_000, "{} bytes", out.len());
    // JSON keeps them all.
    let json = render_json(&diags, &sources);
    assert_eq!(json.as_array().map(Vec::len), Some(10_001));
}

#[test]
fn the_cap_is_per_file() {
    let mut sources = SourceMap::new();
    let a = sources.add("a.ns", "let x = y\n");
    let b = sources.add("b.ns", "let x = y\n");
    let mk = |f| Diagnostic::error("E0201", "unknown").with_primary(Span::new(f, 8, 9), "here");
    let diags: Vec<Diagnostic> = (0..MAX_PER_FILE)
        .map(|_| mk(a))
        .chain([mk(b), mk(a)])
        .collect();
    let out = render_plain(&diags, &sources);
    assert_eq!(out.matches("b.ns").count(), 1, "b.ns shown");
    assert!(out.contains("1 more error in `a.ns` not shown"), "{out}");
}
