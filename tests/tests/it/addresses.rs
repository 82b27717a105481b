//! Every address written in the book (`book/src/**/*.md`) and the examples (`examples/*.ns`)
//! is one the project vouches for: a name of a stdlib chain module (`stdlib/std/*.ns`), an
//! address the devnet deploys a fixture or account at (`compiler/devnet/src/*.rs`), or
//! marked as an illustration — `illustration` written on the same line (e.g. a
//! `// illustration` comment), or listed in [`ILLUSTRATIONS`] with the reason. A wrong
//! address in the docs sends readers' funds to the wrong contract (issue 19).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Addresses that stand for "any address" wherever they appear, with why.
const ILLUSTRATIONS: &[(&str, &str)] = &[
    ("0x0000000000000000000000000000000000000003", "a placeholder recipient"),
    (
        "0x1E0049783F008A0085193E00003D00cd54003c71",
        "OpenSea's Seaport conduit: the operator the NFT approval examples grant to",
    ),
    (
        "0xB4e16d0168e52d35CaCD2c6185b44281Ec28C9Dc",
        "the Uniswap V2 USDC/WETH pair on Ethereum (the factory's CREATE2 address): items.md's hand-written interface example",
    ),
    (
        "0x0000000000000000000000000000000000000000",
        "the zero address",
    ),
    (
        "0x0000000000000000000000000000000000000001",
        "a placeholder recipient",
    ),
    (
        "0x0000000000000000000000000000000000000002",
        "a placeholder recipient",
    ),
    (
        "0x0000000000000000000000000000000000000004",
        "a placeholder recipient",
    ),
    (
        "0x000000000000000000000000000000000000dEaD",
        "the conventional burn address",
    ),
];

/// The marker that makes a line's addresses illustrations.
const MARKER: &str = "illustration";

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Every `0x` + 40 hex digits not part of a longer hex literal.
fn address_literals(text: &str) -> Vec<&str> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while i + 1 < bytes.len() {
        let starts = bytes[i] == b'0'
            && bytes[i + 1] == b'x'
            && (i == 0 || !bytes[i - 1].is_ascii_alphanumeric());
        if !starts {
            i += 1;
            continue;
        }
        let digits = bytes[i + 2..]
            .iter()
            .take_while(|b| b.is_ascii_hexdigit())
            .count();
        if digits == 40 && !bytes.get(i + 42).is_some_and(|b| b.is_ascii_alphanumeric()) {
            found.push(&text[i..i + 42]);
        }
        i += 2 + digits;
    }
    found
}

/// The devnet's `address!("…")` literals (written without `0x`).
fn devnet_literals(text: &str) -> Vec<String> {
    text.split("address!(\"")
        .skip(1)
        .filter_map(|rest| {
            let hex = rest.split('"').next()?.trim_start_matches("0x");
            (hex.len() == 40 && hex.chars().all(|c| c.is_ascii_hexdigit()))
                .then(|| format!("0x{hex}"))
        })
        .collect()
}

fn files(dir: &Path, ext: &str, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        panic!("cannot read {}", dir.display())
    };
    let mut entries: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            files(&path, ext, out);
        } else if path.extension().is_some_and(|e| e == ext) {
            out.push(path);
        }
    }
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// Lower-cased addresses the project vouches for.
fn known() -> BTreeSet<String> {
    let mut known = BTreeSet::new();
    let mut sources = Vec::new();
    files(&root().join("stdlib/std"), "ns", &mut sources);
    for path in sources {
        for a in address_literals(&read(&path)) {
            known.insert(a.to_ascii_lowercase());
        }
    }
    let mut devnet = Vec::new();
    files(&root().join("compiler/devnet/src"), "rs", &mut devnet);
    for path in devnet {
        for a in devnet_literals(&read(&path)) {
            known.insert(a.to_ascii_lowercase());
        }
    }
    for (a, _) in ILLUSTRATIONS {
        known.insert(a.to_ascii_lowercase());
    }
    known
}

#[test]
fn every_address_in_the_book_and_examples_is_vouched_for() {
    let known = known();
    let mut docs = Vec::new();
    files(&root().join("book/src"), "md", &mut docs);
    files(&root().join("examples"), "ns", &mut docs);
    let mut unknown = Vec::new();
    for path in &docs {
        for (n, line) in read(path).lines().enumerate() {
            if line.to_ascii_lowercase().contains(MARKER) {
                continue;
            }
            for a in address_literals(line) {
                if !known.contains(&a.to_ascii_lowercase()) {
                    let shown = path.strip_prefix(root()).unwrap_or(path);
                    unknown.push(format!("{}:{}: {a}", shown.display(), n + 1));
                }
            }
        }
    }
    assert!(
        unknown.is_empty(),
        "addresses that are neither a stdlib name, a devnet fixture nor marked as an \
         illustration (write `illustration` on the line, e.g. `// illustration`, or add it \
         to ILLUSTRATIONS with the reason; a real address belongs in the stdlib with its \
         source):\n{}",
        unknown.join("\n")
    );
}

#[test]
fn the_scanner_finds_whole_literals_only() {
    let text = "a 0x000000000000000000000000000000000000dEaD b 0x00 c 0x0000000000000000000000000000000000000000000000000000000000000001";
    assert_eq!(
        address_literals(text),
        vec!["0x000000000000000000000000000000000000dEaD"]
    );
    assert_eq!(
        devnet_literals("x address!(\"6869Cf306800396F7118d7610aB69a82aEC7DbbB\")"),
        vec!["0x6869Cf306800396F7118d7610aB69a82aEC7DbbB"]
    );
}
