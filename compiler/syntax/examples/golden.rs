//! TEMPORARY equivalence check: hashes parse output over a corpus and mutants.
use std::hash::{Hash, Hasher};

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 { 0 } else { (self.next() % n as u64) as usize }
    }
}
const FRAGMENTS: [&str; 30] = [
    "(", ")", "[", "]", "{", "}", "\"", "/*", "*/", "//", "#[", ";", ",", ".", "..", "=", "<", "**", "0x", "1_000 ",
    " as ", "let ", "while ", "hex\"", "\n", " if ", " else ", "///", "::", ".0",
];
fn mutate(rng: &mut Rng, seed: &str) -> String {
    let mut bytes = seed.as_bytes().to_vec();
    for _ in 0..1 + rng.below(3) {
        let at = rng.below(bytes.len() + 1);
        match rng.below(4) {
            0 => { let len = rng.below(8).min(bytes.len() - at.min(bytes.len())); bytes.drain(at..at + len); }
            1 => { let f = FRAGMENTS[rng.below(FRAGMENTS.len())].as_bytes(); bytes.splice(at..at, f.iter().copied()); }
            2 => { let end = (at + rng.below(40)).min(bytes.len()); let copy: Vec<u8> = bytes[at..end].to_vec(); let to = rng.below(bytes.len() + 1); bytes.splice(to..to, copy); }
            _ => { let b = (rng.next() & 0xff) as u8; bytes.insert(at, b); }
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}
fn collect(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else { return };
    let mut v: Vec<_> = rd.flatten().map(|e| e.path()).collect();
    v.sort();
    for p in v {
        if p.is_dir() { if !p.ends_with("target") && !p.ends_with(".git") { collect(&p, out) } }
        else if p.extension().is_some_and(|e| e == "ns") { out.push(p) }
    }
}
fn blocks(md: &str) -> Vec<String> {
    let mut out = Vec::new(); let mut cur: Option<String> = None;
    for line in md.lines() {
        let t = line.trim_start();
        match &mut cur {
            None => if let Some(info) = t.strip_prefix("```") { if info == "ns" || info.starts_with("ns,") { cur = Some(String::new()) } },
            Some(b) => if t.starts_with("```") { out.push(std::mem::take(b)); cur = None } else { b.push_str(line); b.push('\n') },
        }
    }
    out
}
fn main() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut paths = Vec::new();
    collect(&root, &mut paths);
    let mut seeds: Vec<String> = paths.iter().filter_map(|p| std::fs::read_to_string(p).ok()).collect();
    for md in ["compiler/syntax/tests/fixtures/language.md"] {
        seeds.extend(blocks(&std::fs::read_to_string(root.join(md)).unwrap_or_default()));
    }
    let mut inputs: Vec<String> = seeds.clone();
    let mut rng = Rng(0x1234_5678_9abc_def1);
    for s in &seeds { for _ in 0..150 { inputs.push(mutate(&mut rng, s)); } }
    for s in seeds.iter().take(6) { for cut in 0..=s.len() { inputs.push(String::from_utf8_lossy(&s.as_bytes()[..cut]).into_owned()); } }
    let show: Option<usize> = std::env::args().nth(1).and_then(|a| a.parse().ok());
    if let Some(i) = show {
        let (tree, diags) = nest_syntax::parse(nest_diagnostics::FileId(0), &inputs[i]);
        println!("INPUT:\n{}\n---\n{:#?}\n{:#?}", inputs[i], tree, diags);
        return;
    }
    let t0 = std::time::Instant::now();
    for (i, text) in inputs.iter().enumerate() {
        let (tree, diags) = nest_syntax::parse(nest_diagnostics::FileId(0), text);
        let mut h = std::collections::hash_map::DefaultHasher::new();
        format!("{tree:?}{diags:?}").hash(&mut h);
        println!("{i} {:016x} {}", h.finish(), diags.len());
    }
    eprintln!("{} inputs, {} seeds, {:?}", inputs.len(), seeds.len(), t0.elapsed());
}
