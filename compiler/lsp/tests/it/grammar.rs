//! The VS Code package and its TextMate grammar, checked structurally: the JSON
//! parses, every keyword of the language is highlighted, every `include` names a
//! rule that exists, every `begin` has an `end`, and the package points at files
//! that exist. (The grammar's regexes are Oniguruma, which no crate here parses.)

use std::path::{Path, PathBuf};

use serde_json::Value;

fn vscode() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("editors/vscode")
}

fn load(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn walk<'a>(v: &'a Value, out: &mut Vec<&'a serde_json::Map<String, Value>>) {
    match v {
        Value::Object(map) => {
            out.push(map);
            map.values().for_each(|c| walk(c, out));
        }
        Value::Array(items) => items.iter().for_each(|c| walk(c, out)),
        _ => {}
    }
}

#[test]
fn grammar_covers_the_language() {
    let grammar = load(&vscode().join("syntaxes/nest.tmLanguage.json"));
    assert_eq!(grammar["scopeName"], "source.nest");
    let mut rules = Vec::new();
    walk(&grammar, &mut rules);
    let matches: Vec<&str> = rules
        .iter()
        .filter_map(|r| r.get("match").and_then(Value::as_str))
        .collect();
    for kw in nest_syntax::keywords().chain(nest_syntax::RESERVED) {
        let word = format!("|{kw}|");
        let found = matches.iter().any(|m| {
            let alternatives = m.replace(['(', ')'], "|").replace("\\b", "|");
            alternatives.contains(&word)
        });
        assert!(found, "keyword `{kw}` is not highlighted");
    }
    let repository = grammar["repository"].as_object().expect("a repository");
    for rule in rules.iter().filter(|r| !r.contains_key("scopeName")) {
        if let Some(include) = rule.get("include").and_then(Value::as_str) {
            let name = include.trim_start_matches('#');
            assert!(
                include.starts_with('#') && repository.contains_key(name),
                "unknown include {include}"
            );
        }
        assert_eq!(
            rule.contains_key("begin"),
            rule.contains_key("end"),
            "begin without end: {rule:?}"
        );
        if let Some(name) = rule.get("name").and_then(Value::as_str) {
            assert!(
                name.ends_with(".nest"),
                "scope `{name}` should end in `.nest`"
            );
        }
    }
}

#[test]
fn package_points_at_its_files() {
    let pkg = load(&vscode().join("package.json"));
    let language = &pkg["contributes"]["languages"][0];
    assert_eq!(language["id"], "nest");
    assert_eq!(language["extensions"][0], ".ns");
    let files = [
        language["configuration"].as_str(),
        pkg["contributes"]["grammars"][0]["path"].as_str(),
        pkg["main"].as_str(),
    ];
    for file in files {
        let file = file.expect("a path");
        assert!(vscode().join(file).is_file(), "{file} is missing");
    }
    load(&vscode().join("language-configuration.json"));
    assert_eq!(
        pkg["contributes"]["configuration"]["properties"]["nest.server.path"]["default"],
        "nestc"
    );
}

/// A workspace cannot choose the program the extension runs: the server settings are
/// machine-scoped, and untrusted workspaces are supported only with them restricted.
#[test]
fn the_server_binary_cannot_be_set_by_a_workspace() {
    let package = load(&vscode().join("package.json"));
    let properties = &package["contributes"]["configuration"]["properties"];
    for key in ["nest.server.path", "nest.server.extraArgs"] {
        assert_eq!(
            properties[key]["scope"], "machine",
            "{key} is machine-scoped"
        );
    }
    let untrusted = &package["capabilities"]["untrustedWorkspaces"];
    match &untrusted["supported"] {
        Value::Bool(false) => {}
        Value::String(s) if s == "limited" => {
            let restricted: Vec<&str> = untrusted["restrictedConfigurations"]
                .as_array()
                .map(|a| a.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            for key in ["nest.server.path", "nest.server.extraArgs"] {
                assert!(restricted.contains(&key), "{key} restricted: {untrusted}");
            }
        }
        other => panic!("untrustedWorkspaces.supported must be false or \"limited\": {other}"),
    }
    // The extension reads the user's value, never a workspace's.
    let js = std::fs::read_to_string(vscode().join("extension.js")).unwrap_or_default();
    assert!(
        !js.contains("workspaceValue") && js.contains("globalValue"),
        "extension.js"
    );
}
