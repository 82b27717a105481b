//! `nestc audit` against a local node: a vault's history of five payloads (a Nest script that
//! grants and revokes; a raw payload leaving an ERC-20 allowance; a copy of the first with one
//! code byte changed; a raw payload making an operator approval; a signed Nest payload), the
//! two live permissions, the five classifications, the clean-up script it writes (compiled and
//! run through the vault, after which nothing is live but the vault stays untrusted), and a
//! vault whose whole history is Nest-verified, which is trusted.
//!
//! The `#[ignore]`d tests need a node: `compiler/devnet/tests/fork/run.sh` installs Hardhat and
//! runs them (or set `NEST_FORK_URL`). The executor at `--hyvm` stands in for the HyVM: it
//! deploys the payload as code and DELEGATECALLs it, in the vault's context.

use crate::audit_chain::*;
use crate::common::{nestc_in, stderr, stdout};
use alloy_primitives::{address, hex, Address, U256};
use nest_devnet::fixtures::{fixture, Contract};
use serde_json::{json, Value};
use std::path::Path;

/// The spender of the Nest script's allowance (granted and revoked).
const SPENDER: Address = address!("0x00000000000000000000000000000000000A11CE");
/// The spender the raw payload leaves an allowance to.
const RAW_SPENDER: Address = address!("0x0000000000000000000000000000000000000B0B");
/// The operator the raw payload approves over the NFTs.
const OPERATOR: Address = address!("0x0000000000000000000000000000000000000123");
/// The spender of the signed payload's allowance (granted and revoked).
const SIGNED_SPENDER: Address = address!("0x0000000000000000000000000000000000005160");
/// The allowance the raw payload leaves: 500 NUSD.
const LEFT: u64 = 500_000_000;
/// The signing key of the platform that signs payloads (a test key).
const KEY: &str = "4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318";

struct Setup {
    dev: Address,
    token: Address,
    nft: Address,
    hyvm: Address,
}

fn deploy(url: &str) -> Setup {
    let dev = dev(url);
    let token_code = fixture(Contract::DevToken).expect("fixture");
    let mut init = token_code.creation_code().to_vec();
    init.extend(token_args("Nest USD", "NUSD", 6));
    let token = create(url, dev, init);
    let nft = create(
        url,
        dev,
        fixture(Contract::DevNft)
            .expect("fixture")
            .creation_code()
            .to_vec(),
    );
    let hyvm = create(url, dev, init_code(&executor_runtime()));
    Setup {
        dev,
        token,
        nft,
        hyvm,
    }
}

/// A vault owned by the dev account, holding 1,000 NUSD.
fn new_vault(url: &str, s: &Setup) -> Address {
    let vault = create(url, s.dev, init_code(&vault_runtime(s.dev, s.hyvm)));
    let mint = calldata(
        "mint(address,uint256)",
        &[addr_word(vault), word(U256::from(1_000_000_000u64))],
    );
    send(
        url,
        s.dev,
        json!({ "to": s.token, "data": hex::encode_prefixed(mint) }),
    );
    vault
}

/// The Nest script that grants and revokes an allowance of `amount` NUSD to `spender`.
fn grant_and_revoke(token: Address, spender: Address, amount: u64) -> String {
    format!(
        "token NUSD = {}, decimals 6\n\
         approve(NUSD, {}, {amount} NUSD)\n\
         require(balance(NUSD) > 0, \"empty\")\n\
         return balance(NUSD)\n",
        token.to_checksum(None),
        spender.to_checksum(None)
    )
}

/// `nestc compile` (with `extra` arguments): the payload's bytes.
fn compile(dir: &Path, file: &str, extra: &[&str]) -> Vec<u8> {
    let mut args = vec!["compile", file];
    args.extend_from_slice(extra);
    let out = nestc_in(dir, &args);
    assert!(out.status.success(), "{}", stderr(&out));
    hex::decode(stdout(&out).trim()).expect("hex")
}

fn audit(
    dir: &Path,
    url: &str,
    vault: Address,
    hyvm: Address,
    extra: &[&str],
) -> (i32, Value, String) {
    let (vault, hyvm) = (vault.to_string(), hyvm.to_string());
    let mut args = vec![
        "audit",
        "--fork-url",
        url,
        "--vault",
        &vault,
        "--hyvm",
        &hyvm,
        "--sources",
        "sources",
        "--json",
    ];
    args.extend_from_slice(extra);
    let out = nestc_in(dir, &args);
    let v: Value = serde_json::from_str(&stdout(&out))
        .unwrap_or_else(|e| panic!("{e}: {}\n{}", stdout(&out), stderr(&out)));
    (out.status.code().unwrap_or(-1), v, stderr(&out))
}

fn statuses(v: &Value) -> Vec<String> {
    v["transactions"]
        .as_array()
        .expect("transactions")
        .iter()
        .map(|t| t["status"].as_str().unwrap_or_default().to_string())
        .collect()
}

#[test]
#[ignore = "needs a local node: run compiler/devnet/tests/fork/run.sh"]
fn audit_lists_live_permissions_classifies_history_and_cleans_up() {
    let node = Node::start();
    let url = node.url.as_str();
    let s = deploy(url);
    let vault = new_vault(url, &s);
    let dir = tempdir("audit");
    std::fs::create_dir_all(dir.join("sources")).expect("mkdir");
    std::fs::create_dir_all(dir.join("private")).expect("mkdir");

    // (1) A Nest script that grants and revokes; its source is kept for `--sources`.
    std::fs::write(
        dir.join("sources/spend.ns"),
        grant_and_revoke(s.token, SPENDER, 100),
    )
    .expect("write");
    let nest = compile(&dir, "sources/spend.ns", &[]);
    let tx1 = run_payload(url, s.dev, vault, &nest);
    // (2) A raw payload that leaves an allowance of 500 NUSD.
    let approve = calldata(
        "approve(address,uint256)",
        &[addr_word(RAW_SPENDER), word(U256::from(LEFT))],
    );
    let tx2 = run_payload(url, s.dev, vault, &raw_calls(&[(s.token, approve)]));
    // (3) The first payload with one code byte changed: 100 NUSD becomes 100.000001.
    let mut changed = nest.clone();
    let amount = 100_000_000u32.to_be_bytes();
    let at = changed
        .windows(4)
        .position(|w| w == amount)
        .expect("the amount is pushed");
    changed[at + 3] = 0x01;
    let tx3 = run_payload(url, s.dev, vault, &changed);
    // (4) A raw payload that makes an operator approval over the NFTs.
    let approve_all = calldata(
        "setApprovalForAll(address,bool)",
        &[addr_word(OPERATOR), word(U256::from(1))],
    );
    let tx4 = run_payload(url, s.dev, vault, &raw_calls(&[(s.nft, approve_all)]));
    // (5) A signed Nest payload, whose source the auditor does not have.
    std::fs::write(
        dir.join("private/signed.ns"),
        grant_and_revoke(s.token, SIGNED_SPENDER, 7),
    )
    .expect("write");
    let key = dir.join("private/key.hex");
    std::fs::write(&key, KEY).expect("write");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o600));
    }
    let signed = compile(
        &dir,
        "private/signed.ns",
        &["--sign-key-file", "private/key.hex"],
    );
    let tx5 = run_payload(url, s.dev, vault, &signed);
    let inspect = nestc_in(&dir, &["inspect", "--json", &hex::encode_prefixed(&signed)]);
    let signer: Value = serde_json::from_str(&stdout(&inspect)).expect("json");
    let signer = signer["signer"].as_str().expect("signed").to_string();

    let started = std::time::Instant::now();
    let (code, v, err) = audit(
        &dir,
        url,
        vault,
        s.hyvm,
        &["--trusted-signer", &signer, "--write-cleanup", "cleanup.ns"],
    );
    eprintln!("first audit took {:?}\n{err}", started.elapsed());
    assert_eq!(code, 1, "{v:#}\n{err}");
    assert_eq!(v["trusted"], json!(false));
    assert_eq!(
        statuses(&v),
        [
            "nest-verified",
            "not-nest",
            "nest-mismatch",
            "not-nest",
            "nest-verified"
        ],
        "{v:#}"
    );
    let hashes: Vec<&str> = v["transactions"]
        .as_array()
        .expect("list")
        .iter()
        .map(|t| t["hash"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(hashes, [&tx1, &tx2, &tx3, &tx4, &tx5].map(String::as_str));
    // The Nest payloads' fingerprints: the mismatch keeps the first's.
    let fp = |i: usize| v["transactions"][i]["fingerprint"].clone();
    assert_eq!(fp(0), fp(2));
    assert!(fp(0).is_string() && fp(1).is_null() && fp(4).is_string());
    assert_eq!(v["transactions"][4]["signer"], json!(signer));

    let perms = v["permissions"].as_array().expect("permissions");
    assert_eq!(perms.len(), 2, "{v:#}");
    let erc20 = perms
        .iter()
        .find(|p| p["kind"] == "erc20-allowance")
        .expect("the allowance");
    assert_eq!(erc20["token"], json!(s.token.to_checksum(None)));
    assert_eq!(erc20["spender"], json!(RAW_SPENDER.to_checksum(None)));
    assert_eq!(erc20["amount"], json!(LEFT.to_string()));
    assert_eq!(
        (erc20["symbol"].clone(), erc20["decimals"].clone()),
        (json!("NUSD"), json!(6))
    );
    assert_eq!(erc20["granted_tx"], json!(tx2));
    let operator = perms
        .iter()
        .find(|p| p["kind"] == "operator-approval")
        .expect("the operator approval");
    assert_eq!(operator["contract"], json!(s.nft.to_checksum(None)));
    assert_eq!(operator["spender"], json!(OPERATOR.to_checksum(None)));
    assert_eq!(operator["amount"], json!("true"));
    assert_eq!(operator["granted_tx"], json!(tx4));

    // The human output gives the verdict first.
    let human = nestc_in(
        &dir,
        &[
            "audit",
            "--fork-url",
            url,
            "--vault",
            &vault.to_string(),
            "--hyvm",
            &s.hyvm.to_string(),
            "--sources",
            "sources",
        ],
    );
    eprintln!("{}{}", stdout(&human), stderr(&human));
    assert_eq!(human.status.code(), Some(1));
    assert!(
        stdout(&human).starts_with("verdict: NOT trusted"),
        "{}",
        stdout(&human)
    );

    // The clean-up script compiles and, run through the vault, revokes both.
    let cleanup = std::fs::read_to_string(dir.join("cleanup.ns")).expect("written");
    assert_eq!(cleanup.matches("revoke(").count(), 2, "{cleanup}");
    let fmt = nestc_in(&dir, &["fmt", "--check", "cleanup.ns"]);
    assert!(
        fmt.status.success(),
        "not in the canonical layout:\n{cleanup}"
    );
    let check = nestc_in(&dir, &["check", "--strict", "cleanup.ns"]);
    assert!(check.status.success(), "{cleanup}\n{}", stderr(&check));
    assert!(!stderr(&check).contains("W0402"), "{}", stderr(&check));
    let payload = compile(&dir, "cleanup.ns", &[]);
    run_payload(url, s.dev, vault, &payload);
    let allowance = calldata(
        "allowance(address,address)",
        &[addr_word(vault), addr_word(RAW_SPENDER)],
    );
    assert_eq!(call_word(url, s.token, allowance), U256::ZERO);
    let approved = calldata(
        "isApprovedForAll(address,address)",
        &[addr_word(vault), addr_word(OPERATOR)],
    );
    assert_eq!(call_word(url, s.nft, approved), U256::ZERO);

    let (code, v, err) = audit(&dir, url, vault, s.hyvm, &["--trusted-signer", &signer]);
    assert_eq!(code, 1, "{v:#}\n{err}");
    assert_eq!(v["permissions"], json!([]), "{v:#}");
    assert_eq!(v["trusted"], json!(false));
    // The clean-up run is a Nest payload too, not in `--sources`: unverified.
    assert_eq!(
        statuses(&v),
        [
            "nest-verified",
            "not-nest",
            "nest-mismatch",
            "not-nest",
            "nest-verified",
            "nest-unverified"
        ]
    );
    let stats = &v["stats"];
    eprintln!(
        "scan: {} blocks in {:.3} s, {} transactions replayed in {:.3} s, {} requests",
        stats["blocks"],
        stats["scan_seconds"].as_f64().unwrap_or(0.0),
        stats["replayed"],
        stats["replay_seconds"].as_f64().unwrap_or(0.0),
        stats["requests"]
    );
}

#[test]
#[ignore = "needs a local node: run compiler/devnet/tests/fork/run.sh"]
fn a_vault_whose_history_is_all_nest_verified_is_trusted() {
    let node = Node::start();
    let url = node.url.as_str();
    let s = deploy(url);
    let vault = new_vault(url, &s);
    let dir = tempdir("trusted");
    std::fs::create_dir_all(dir.join("sources")).expect("mkdir");
    std::fs::write(
        dir.join("sources/spend.ns"),
        grant_and_revoke(s.token, SPENDER, 100),
    )
    .expect("write");
    let nest = compile(&dir, "sources/spend.ns", &[]);
    let first = run_payload(url, s.dev, vault, &nest);
    run_payload(url, s.dev, vault, &nest);
    // An artifact with other parameters is recompiled from the same script.
    std::fs::write(
        dir.join("sources/spend_param.ns"),
        format!(
            "token NUSD = {}, decimals 6\nparam amount: NUSD = 1 NUSD\napprove(NUSD, {}, amount)\nreturn 1\n",
            s.token.to_checksum(None),
            SPENDER.to_checksum(None)
        ),
    )
    .expect("write");
    let art = nestc_in(
        &dir,
        &[
            "compile",
            "sources/spend_param.ns",
            "--param",
            "amount=3 NUSD",
            "--emit",
            "artifact",
            "-o",
            "sources/spend_param.3.json",
        ],
    );
    assert!(art.status.success(), "{}", stderr(&art));
    let artifact: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("sources/spend_param.3.json")).expect("written"),
    )
    .expect("json");
    let bytes = hex::decode(artifact["bytecode"].as_str().expect("bytecode")).expect("hex");
    run_payload(url, s.dev, vault, &bytes);

    let (code, v, err) = audit(&dir, url, vault, s.hyvm, &[]);
    assert_eq!(code, 0, "{v:#}\n{err}");
    assert_eq!(v["trusted"], json!(true));
    assert_eq!(v["permissions"], json!([]));
    assert_eq!(statuses(&v), ["nest-verified"; 3]);
    // Without the block scan, only the transactions listed are replayed.
    std::fs::write(
        dir.join("txs.txt"),
        format!("# from an indexer\n{first}\n\n"),
    )
    .expect("write");
    let (code, v, err) = audit(
        &dir,
        url,
        vault,
        s.hyvm,
        &["--no-block-scan", "--txs", "txs.txt"],
    );
    assert_eq!(code, 0, "{v:#}\n{err}");
    assert_eq!(v["transactions"][0]["hash"], json!(first));
    assert_eq!(statuses(&v), ["nest-verified"]);
    // Without the sources the same history is unverified.
    let mut bare = dir.clone();
    bare.push("elsewhere");
    std::fs::create_dir_all(bare.join("sources")).expect("mkdir");
    let (code, v, _) = audit(&bare, url, vault, s.hyvm, &[]);
    assert_eq!(code, 1);
    assert_eq!(statuses(&v), ["nest-unverified"; 3]);
}

/// Permit2 allowances (one live, one expired) and an ERC-721 per-token approval, on the
/// devnet's fixture contracts: audit reads each back as its family says; the clean-up script
/// revokes the Permit2 allowance and says it cannot revoke the per-token approval.
#[test]
#[ignore = "needs a local node: run compiler/devnet/tests/fork/run.sh"]
fn permit2_expiry_and_per_token_approvals_on_real_contracts() {
    let node = Node::start();
    let url = node.url.as_str();
    let s = deploy(url);
    let vault = new_vault(url, &s);
    let permit2 = create(
        url,
        s.dev,
        fixture(Contract::Permit2)
            .expect("fixture")
            .creation_code()
            .to_vec(),
    );
    // Minted to the dev account (a safe mint needs a receiver hook the vault lacks), then
    // moved to the vault.
    let mint = calldata(
        "mint(address,uint256)",
        &[addr_word(s.dev), word(U256::from(1))],
    );
    send(
        url,
        s.dev,
        json!({ "to": s.nft, "data": hex::encode_prefixed(mint) }),
    );
    let transfer = calldata(
        "transferFrom(address,address,uint256)",
        &[addr_word(s.dev), addr_word(vault), word(U256::from(1))],
    );
    send(
        url,
        s.dev,
        json!({ "to": s.nft, "data": hex::encode_prefixed(transfer) }),
    );
    let head = rpc(url, "eth_getBlockByNumber", json!(["latest", false]));
    let now = u64::from_str_radix(
        head["timestamp"]
            .as_str()
            .unwrap_or("0x0")
            .trim_start_matches("0x"),
        16,
    )
    .expect("a timestamp");
    let permit = |spender: Address, expiration: u64| {
        calldata(
            "approve(address,address,uint160,uint48)",
            &[
                addr_word(s.token),
                addr_word(spender),
                word(U256::from(1_000u64)),
                word(U256::from(expiration)),
            ],
        )
    };
    let per_token = calldata(
        "approve(address,uint256)",
        &[addr_word(OPERATOR), word(U256::from(1))],
    );
    run_payload(
        url,
        s.dev,
        vault,
        &raw_calls(&[
            (permit2, permit(RAW_SPENDER, now + 86_400)),
            (permit2, permit(SIGNED_SPENDER, 1)),
            (s.nft, per_token),
        ]),
    );
    let dir = tempdir("families");
    std::fs::create_dir_all(dir.join("sources")).expect("mkdir");
    let (code, v, err) = audit(&dir, url, vault, s.hyvm, &["--write-cleanup", "cleanup.ns"]);
    assert_eq!(code, 1, "{v:#}\n{err}");
    let perms = v["permissions"].as_array().expect("permissions");
    assert_eq!(perms.len(), 2, "{v:#}");
    let p2 = perms
        .iter()
        .find(|p| p["kind"] == "permit2-allowance")
        .expect("the live Permit2 allowance; the expired one is not listed");
    assert_eq!(p2["contract"], json!(permit2.to_checksum(None)));
    assert_eq!(p2["token"], json!(s.token.to_checksum(None)));
    assert_eq!(p2["symbol"], json!("NUSD"));
    assert_eq!(p2["spender"], json!(RAW_SPENDER.to_checksum(None)));
    assert_eq!(p2["amount"], json!("1000"));
    let nft = perms
        .iter()
        .find(|p| p["kind"] == "erc721-approval")
        .expect("the per-token approval");
    assert_eq!(nft["token_id"], json!("1"));
    assert_eq!(nft["spender"], json!(OPERATOR.to_checksum(None)));
    assert!(err.contains("cannot revoke"), "{err}");

    let cleanup = std::fs::read_to_string(dir.join("cleanup.ns")).expect("written");
    assert!(cleanup.contains("// Not revoked here:"), "{cleanup}");
    let payload = compile(&dir, "cleanup.ns", &[]);
    run_payload(url, s.dev, vault, &payload);
    let (_, v, _) = audit(&dir, url, vault, s.hyvm, &[]);
    let kinds: Vec<&str> = v["permissions"]
        .as_array()
        .expect("permissions")
        .iter()
        .map(|p| p["kind"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(kinds, ["erc721-approval"], "{v:#}");
}

#[test]
fn usage_errors_exit_2() {
    let dir = tempdir("usage");
    let out = nestc_in(
        &dir,
        &[
            "audit",
            "--fork-url",
            "localhost:8545",
            "--vault",
            "0x0000000000000000000000000000000000000001",
            "--hyvm",
            "0x0000000000000000000000000000000000000002",
        ],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("error:"), "{}", stderr(&out));
    std::fs::write(dir.join("txs.txt"), "0x1234\n").expect("write");
    let out = nestc_in(
        &dir,
        &[
            "audit",
            "--fork-url",
            "http://127.0.0.1:9",
            "--vault",
            "0x0000000000000000000000000000000000000001",
            "--hyvm",
            "0x0000000000000000000000000000000000000002",
            "--txs",
            "txs.txt",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("line 1"), "{}", stderr(&out));
}

/// A fresh directory under the target directory.
fn tempdir(name: &str) -> std::path::PathBuf {
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("audit-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("mkdir");
    dir
}

/// Scan speed on the local node: 100 Nest payloads among 1,000 more empty blocks. Prints
/// blocks per second and transactions replayed per second (the figures the book quotes).
#[test]
#[ignore = "needs a local node: run compiler/devnet/tests/fork/run.sh"]
fn scan_speed_on_the_local_node() {
    let node = Node::start();
    let url = node.url.as_str();
    let s = deploy(url);
    let vault = new_vault(url, &s);
    let dir = tempdir("speed");
    std::fs::create_dir_all(dir.join("sources")).expect("mkdir");
    std::fs::write(
        dir.join("sources/spend.ns"),
        grant_and_revoke(s.token, SPENDER, 100),
    )
    .expect("write");
    let nest = compile(&dir, "sources/spend.ns", &[]);
    const RUNS: usize = 100;
    for _ in 0..RUNS {
        run_payload(url, s.dev, vault, &nest);
    }
    rpc(url, "hardhat_mine", json!(["0x3e8"]));
    let started = std::time::Instant::now();
    let (code, v, err) = audit(&dir, url, vault, s.hyvm, &[]);
    let wall = started.elapsed();
    assert_eq!(code, 0, "{v:#}\n{err}");
    assert_eq!(statuses(&v), vec!["nest-verified"; RUNS]);
    let st = &v["stats"];
    let blocks = st["blocks"].as_f64().unwrap_or(0.0);
    let scan = st["scan_seconds"].as_f64().unwrap_or(0.0);
    let replayed = st["replayed"].as_f64().unwrap_or(0.0);
    let replay = st["replay_seconds"].as_f64().unwrap_or(0.0);
    assert!(blocks > 1_000.0 && replayed == RUNS as f64);
    eprintln!(
        "speed: {blocks} blocks in {scan:.2} s = {:.0} blocks/s; {replayed} transactions replayed \
         in {replay:.2} s = {:.1} tx/s; {} requests; whole audit {wall:?}",
        blocks / scan.max(1e-6),
        replayed / replay.max(1e-6),
        st["requests"]
    );
}
