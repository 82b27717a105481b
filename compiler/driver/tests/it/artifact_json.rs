//! Every example's artifact, as `nestc compile --emit artifact` writes it (pretty JSON and
//! a newline), unsigned and signed, reads back into `nest_artifact::Artifact` and writes
//! out to the same bytes; so does its compact form (the `artifact` a dry run is handed).

use nest_driver::{compile, Artifact, CompileRequest, MemoryResolver, SigningKey};

/// Every `examples/*.ns`: its file name and text, sorted by name.
fn examples() -> Vec<(String, String)> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples");
    let mut out: Vec<(String, String)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "ns"))
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().to_string();
            (name, std::fs::read_to_string(&p).unwrap())
        })
        .collect();
    out.sort();
    out
}

/// Reads `text` back and writes it out the way it was written.
fn round_trip(name: &str, text: &str, pretty: bool) {
    let back: Artifact = serde_json::from_str(text)
        .unwrap_or_else(|e| panic!("{name}: the artifact does not read back: {e}"));
    let again = if pretty {
        format!("{}\n", serde_json::to_string_pretty(&back).unwrap())
    } else {
        serde_json::to_string(&back).unwrap()
    };
    assert_eq!(
        again, text,
        "{name}: the artifact's JSON changed on a round trip"
    );
}

#[test]
fn every_examples_artifact_reads_back_to_the_same_bytes() {
    let key = SigningKey::from_bytes(&[7; 32]).unwrap();
    let r = MemoryResolver::new();
    let examples = examples();
    assert!(examples.len() > 10, "examples not found");
    for (name, text) in &examples {
        let req = CompileRequest {
            name,
            text,
            resolver: &r,
            params: &[],
        };
        let mut c = compile(&req).unwrap_or_else(|f| panic!("{name}: {f}"));
        for signed in [false, true] {
            if signed {
                c.sign(&key).unwrap();
                assert!(c.artifact.signer.is_some());
            }
            let pretty = format!("{}\n", serde_json::to_string_pretty(&c.artifact).unwrap());
            round_trip(name, &pretty, true);
            round_trip(name, &serde_json::to_string(&c.artifact).unwrap(), false);
            let back: Artifact = serde_json::from_str(&pretty).unwrap();
            assert_eq!(back, c.artifact, "{name}");
        }
    }
}
