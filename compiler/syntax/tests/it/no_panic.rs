//! Parsing never fails: mutated and truncated real scripts all come back with a
//! tree covering the text and diagnostics that point inside it.

use nest_diagnostics::{render_plain, FileId};

/// A small deterministic PRNG (xorshift64*), so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

/// Real scripts to mutate: the design's blocks, the fixtures, the stdlib.
fn seeds() -> Vec<String> {
    let mut seeds = crate::common::ns_blocks(crate::common::LANGUAGE_MD);
    seeds.push(include_str!("../fixtures/representative.ns").to_string());
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../stdlib/std");
    if let Ok(entries) = std::fs::read_dir(dir) {
        let mut paths: Vec<_> = entries.flatten().map(|e| e.path()).collect();
        paths.sort();
        seeds.extend(paths.iter().filter_map(|p| std::fs::read_to_string(p).ok()));
    }
    seeds
}

/// Parses and checks the invariants; returns the number of diagnostics.
fn check(text: &str) -> usize {
    let (tree, diags) = nest_syntax::parse(FileId(0), text);
    assert_eq!(tree.span.end as usize, text.len());
    for d in &diags {
        assert!(
            d.code.starts_with("E01"),
            "non-syntax code {} for {text:?}",
            d.code
        );
        for label in &d.labels {
            assert!(
                label.span.start <= label.span.end && label.span.end as usize <= text.len(),
                "{d:?} in {text:?}"
            );
        }
    }
    diags.len()
}

const FRAGMENTS: [&str; 24] = [
    "(", ")", "[", "]", "{", "}", "\"", "/*", "*/", "//", "#[", ";", ",", ".", "..", "=", "<",
    "**", "0x", "1_000 ", " as ", "let ", "while ", "hex\"",
];

fn mutate(rng: &mut Rng, seed: &str) -> String {
    let mut bytes = seed.as_bytes().to_vec();
    for _ in 0..1 + rng.below(3) {
        let at = rng.below(bytes.len() + 1);
        match rng.below(4) {
            0 => {
                let len = rng.below(8).min(bytes.len() - at.min(bytes.len()));
                bytes.drain(at..at + len);
            }
            1 => {
                let fragment = FRAGMENTS[rng.below(FRAGMENTS.len())].as_bytes();
                bytes.splice(at..at, fragment.iter().copied());
            }
            2 => {
                let end = (at + rng.below(40)).min(bytes.len());
                let copy: Vec<u8> = bytes[at..end].to_vec();
                let to = rng.below(bytes.len() + 1);
                bytes.splice(to..to, copy);
            }
            _ => {
                let byte = (rng.next() & 0xff) as u8;
                bytes.insert(at, byte);
            }
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

#[test]
fn mutated_scripts_parse() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut with_errors = 0;
    for seed in seeds() {
        for _ in 0..300 {
            let text = mutate(&mut rng, &seed);
            if check(&text) > 0 {
                with_errors += 1;
            }
        }
    }
    // The mutations do break things: the test is not vacuous.
    assert!(with_errors > 100, "only {with_errors} mutants had errors");
}

#[test]
fn truncations_at_every_byte_parse() {
    for seed in seeds().iter().take(3) {
        for cut in 0..=seed.len() {
            let text = String::from_utf8_lossy(&seed.as_bytes()[..cut]);
            check(&text);
        }
    }
}

#[test]
fn rendering_mutants_does_not_panic() {
    let mut rng = Rng(42);
    let seed = include_str!("../fixtures/representative.ns");
    for _ in 0..100 {
        let text = mutate(&mut rng, seed);
        let (_, diags, map) = crate::common::parse_named("mutant.ns", &text);
        let _ = render_plain(&diags, &map);
        let _ = nest_diagnostics::render_json(&diags, &map);
    }
}

#[test]
fn deep_nesting_and_odd_inputs() {
    let deep = format!("let x = {}1{}\n", "(".repeat(500), ")".repeat(500));
    assert_eq!(check(&deep), 0);
    check(&"[".repeat(2000));
    check(&"{".repeat(2000));
    check("");
    check("\u{feff}let x = 1");
    check("\"\\");
    check("hex\"");
    check("0x");
    check("/*/*");
    check("}}}))]]");
    check("#[");
    check("let é = 1");
}
