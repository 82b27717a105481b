//! Neovim as a client: `nvim --headless` opens a script with a type error, starts
//! `nestc lsp` through `tests/nvim/init.lua`, and the diagnostic must arrive.
//!
//! Ignored by default (it needs `nvim` and a built `nestc`). CI runs it with:
//! `apt-get install -y neovim && cargo build -p nestc &&
//!  NESTC=$PWD/target/debug/nestc cargo test -p nest-lsp --test it -- --ignored nvim::`

use std::path::{Path, PathBuf};
use std::process::Command;

#[test]
#[ignore = "needs nvim and a built nestc (set NESTC)"]
fn neovim_shows_a_diagnostic() {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let nestc = std::env::var_os("NESTC")
        .map(PathBuf::from)
        .unwrap_or_else(|| manifest.join("../../target/debug/nestc"));
    assert!(
        nestc.is_file(),
        "no nestc at {}: build it with `cargo build -p nestc` or set NESTC",
        nestc.display()
    );

    let dir = std::env::temp_dir().join(format!("nest-nvim-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary folder");
    let script = dir.join("broken.ns");
    std::fs::write(&script, "use std::ethereum::{USDC, WETH}\nparam a: USDC = 10 USDC\nparam b: WETH = 1 WETH\nlet c = a + b\n")
        .expect("write the script");
    let out = dir.join("diagnostics.txt");

    let status = Command::new("nvim")
        .args(["--headless", "-n", "-i", "NONE", "-u"])
        .arg(manifest.join("tests/nvim/init.lua"))
        .arg(&script)
        .env("NESTC", &nestc)
        .env("NEST_NVIM_OUT", &out)
        .env("XDG_CACHE_HOME", dir.join("cache"))
        .current_dir(&dir)
        .status()
        .expect("nvim runs (apt-get install -y neovim)");
    let got = std::fs::read_to_string(&out).unwrap_or_default();
    let _ = std::fs::remove_dir_all(&dir);
    assert!(
        status.success(),
        "nvim exited with {status}; diagnostics: {got:?}"
    );
    assert!(
        got.starts_with("4:E0302:cannot apply `+` to `USDC` and `WETH`"),
        "{got}"
    );
}
