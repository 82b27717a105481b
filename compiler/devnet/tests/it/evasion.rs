//! Payloads built to fool the dry run: ones that grant only when the transaction looks real
//! (a tip above the base fee, a later block, another builder), and grants the report could
//! miss (no event, families without events). Each must show: as a permission left behind,
//! or as a warning that the payload's path depended on the environment.

use crate::support::*;

use alloy_primitives::{keccak256, B256};
use nest_devnet::deploy::{BASE_FEE, COINBASE, PRIORITY_FEE};
use nest_permissions::{all_granting, Arg, Granting, Live, Read, ERC721_APPROVED_READ};

// Opcodes used below.
const GASPRICE: u8 = 0x3a;
const BASEFEE: u8 = 0x48;
const NUMBER: u8 = 0x43;
const COINBASE_OP: u8 = 0x41;
const EQ: u8 = 0x14;
const GT: u8 = 0x11;
const ISZERO: u8 = 0x15;

/// Bytes of one call in [`gated_payload`].
const CALL_LEN: usize = CALL_CODE_LEN;

/// `prefix` leaves a condition on the stack; when it is non-zero the guest jumps over
/// `gated` (calls made only when it is zero), then makes `after` in every case.
fn gated_payload(
    prefix: &[u8],
    gated: &[(Address, Vec<u8>)],
    after: &[(Address, Vec<u8>)],
) -> Vec<u8> {
    let skip = prefix.len() + 4 + gated.len() * CALL_LEN;
    let code_len = skip + 1 + after.len() * CALL_LEN + 1;
    let mut code = prefix.to_vec();
    code.push(0x61); // PUSH2 skip
    code.extend_from_slice(&u16::try_from(skip).unwrap_or(0).to_be_bytes());
    code.push(0x57); // JUMPI
    let mut data = Vec::new();
    let mut call = |code: &mut Vec<u8>, target: Address, calldata: &[u8]| {
        let len = u8::try_from(calldata.len()).unwrap_or_else(|_| panic!("calldata too long"));
        let offset = u16::try_from(code_len + data.len()).unwrap_or_else(|_| panic!("too long"));
        // CODECOPY(0, offset, len); CALL(GAS, target, 0, 0, len, 0, 32); POP
        code.extend_from_slice(&[0x60, len, 0x61]);
        code.extend_from_slice(&offset.to_be_bytes());
        code.extend_from_slice(&[0x5f, 0x39, 0x60, 0x20, 0x5f, 0x60, len, 0x5f, 0x5f, 0x73]);
        code.extend_from_slice(target.as_slice());
        code.extend_from_slice(&[0x5a, 0xf1, 0x50]);
        data.extend_from_slice(calldata);
    };
    for (target, calldata) in gated {
        call(&mut code, *target, calldata);
    }
    assert_eq!(code.len(), skip);
    code.push(0x5b); // JUMPDEST
    for (target, calldata) in after {
        call(&mut code, *target, calldata);
    }
    code.push(0x00);
    assert_eq!(code.len(), code_len);
    code.extend_from_slice(&data);
    code
}

fn unlimited_approve() -> (Address, Vec<u8>) {
    (USDC, approve_calldata(FRIEND, U256::MAX))
}

fn balance_query() -> (Address, Vec<u8>) {
    (USDC, IToken::balanceOfCall { owner: VAULT }.abi_encode())
}

#[test]
fn the_transaction_pays_a_tip_to_a_real_builder() {
    // BASEFEE GASPRICE SUB, COINBASE: returned as two words.
    let payload = [
        BASEFEE,
        GASPRICE,
        0x03,
        0x5f,
        0x52,
        COINBASE_OP,
        0x60,
        0x20,
        0x52,
        0x60,
        0x40,
        0x5f,
        0xf3,
    ];
    let report = run(&payload, &RunContext::default());
    assert!(report.success, "{}", report.render(false));
    let data = alloy_primitives::hex::decode(&report.return_data).unwrap_or_default();
    assert_eq!(data.len(), 64);
    assert_eq!(U256::from_be_slice(&data[..32]), U256::from(PRIORITY_FEE));
    const { assert!(PRIORITY_FEE > 0 && BASE_FEE > 0) };
    assert_eq!(Address::from_slice(&data[44..]), COINBASE);
    assert!(!COINBASE.is_zero());
}

#[test]
fn the_tip_and_builder_are_the_scenarios() {
    let scenario = scenario(
        "[block]\ncoinbase = \"0x4838B106FCe9647Bdf1E7877BF73cE8B0BAD5f97\"\n\
         base_fee_gwei = 20\npriority_fee_gwei = \"2.5\"\n",
    );
    assert_eq!(scenario.base_fee, 20_000_000_000);
    assert_eq!(scenario.priority_fee, 2_500_000_000);
    let devnet = Devnet::new(&scenario).unwrap_or_else(|e| panic!("{e}"));
    // GASPRICE, BASEFEE, COINBASE as three words.
    let payload = [
        GASPRICE,
        0x5f,
        0x52,
        BASEFEE,
        0x60,
        0x20,
        0x52,
        COINBASE_OP,
        0x60,
        0x40,
        0x52,
        0x60,
        0x60,
        0x5f,
        0xf3,
    ];
    let report = run_on(&devnet, &payload, &RunContext::default());
    let data = alloy_primitives::hex::decode(&report.return_data).unwrap_or_default();
    assert_eq!(data.len(), 96, "{}", report.render(false));
    assert_eq!(
        U256::from_be_slice(&data[..32]),
        U256::from(22_500_000_000u64)
    );
    assert_eq!(
        U256::from_be_slice(&data[32..64]),
        U256::from(20_000_000_000u64)
    );
    assert_eq!(
        Address::from_slice(&data[76..]),
        address!("0x4838B106FCe9647Bdf1E7877BF73cE8B0BAD5f97")
    );
    let bad = Scenario::from_toml("[block]\ncoinbase = \"builder\"\n");
    assert!(
        matches!(&bad, Err(e) if e.to_string().contains("`block.coinbase`")),
        "{bad:?}"
    );
}

#[test]
fn an_approve_skipped_when_the_gas_price_is_the_base_fee_is_left_behind() {
    // if GASPRICE == BASEFEE { skip } approve(FRIEND, max): the dry run pays a tip, so the
    // approve runs as it would on chain.
    let payload = gated_payload(&[GASPRICE, BASEFEE, EQ], &[unlimited_approve()], &[]);
    let report = run(&payload, &RunContext::default());
    assert!(report.success, "{}", report.render(false));
    assert_eq!(report.allowances_left.len(), 1, "{}", report.render(false));
    assert_eq!(report.allowances_left[0].kind, "erc20-allowance");
    assert_eq!(report.allowances_left[0].after, U256::MAX.to_string());
    // And the path to it depended on the price: a payload from elsewhere is warned of.
    let [warning] = report.warnings.as_slice() else {
        panic!("{:?}", report.warnings);
    };
    assert_eq!(warning.kind, "environment-dependent-branch");
    assert_eq!(warning.opcodes, ["GASPRICE", "BASEFEE"]);
    assert_eq!(
        (warning.source_pc, warning.pc, warning.taken),
        (0, 6, Some(false))
    );
    assert_eq!(warning.call, "USDC.approve(address,uint256)");
    let text = report.render(false);
    assert!(text.contains("depends on GASPRICE, BASEFEE"), "{text}");
    // One sentence, spaced as written (a lost line continuation once put runs of spaces in it).
    assert!(
        warning.message.contains(
            "(read at pc 0): the JUMPI at pc 6 was not taken in this dry run, but on chain it \
             may go the other way and do what this run did not show"
        ),
        "{}",
        warning.message
    );
    assert_eq!(
        report.to_json()["warnings"][0]["kind"],
        "environment-dependent-branch"
    );
}

#[test]
fn an_approve_made_only_when_the_transaction_tips_is_caught() {
    // if !(GASPRICE > BASEFEE) { skip } approve(FRIEND, max): the real-chain case only.
    let payload = gated_payload(
        &[BASEFEE, GASPRICE, GT, ISZERO],
        &[unlimited_approve()],
        &[],
    );
    let report = run(&payload, &RunContext::default());
    assert!(report.success, "{}", report.render(false));
    let kinds: Vec<&str> = report
        .allowances_left
        .iter()
        .map(|a| a.kind.as_str())
        .collect();
    assert_eq!(kinds, ["erc20-allowance"], "{}", report.render(false));
    assert_eq!(report.warnings.len(), 1, "{:?}", report.warnings);
}

#[test]
fn an_approve_gated_on_a_later_block_is_warned_of() {
    // if !(NUMBER > 21,000,000) { skip } approve; then balanceOf: this block skips it.
    let mut prefix = vec![0x63];
    prefix.extend_from_slice(&21_000_000u32.to_be_bytes());
    prefix.extend_from_slice(&[NUMBER, GT, ISZERO]);
    let payload = gated_payload(&prefix, &[unlimited_approve()], &[balance_query()]);
    let report = run(&payload, &RunContext::default());
    assert!(report.success, "{}", report.render(false));
    assert!(report.allowances_left.is_empty());
    let [warning] = report.warnings.as_slice() else {
        panic!("{:?}", report.warnings);
    };
    assert_eq!(warning.opcodes, ["NUMBER"]);
    assert_eq!((warning.source_pc, warning.taken), (5, Some(true)));
    assert_eq!(warning.pc, prefix.len() + 3);
    assert_eq!(warning.call, "USDC.balanceOf(address)");
    assert!(report.render(false).contains(&format!(
        "the JUMPI at pc {} was taken in this dry run",
        warning.pc
    )));
    // The compiler's own payloads depend on the environment only where the script says so.
    let compiled = RunContext {
        compiled: true,
        ..RunContext::default()
    };
    assert!(run(&payload, &compiled).warnings.is_empty());
}

#[test]
fn an_approve_gated_on_another_builder_is_warned_of() {
    // if COINBASE != titan { skip } approve; then balanceOf.
    let mut prefix = vec![0x73];
    prefix.extend_from_slice(address!("0x4838B106FCe9647Bdf1E7877BF73cE8B0BAD5f97").as_slice());
    prefix.extend_from_slice(&[COINBASE_OP, EQ, ISZERO]);
    let payload = gated_payload(&prefix, &[unlimited_approve()], &[balance_query()]);
    let report = run(&payload, &RunContext::default());
    assert!(report.success, "{}", report.render(false));
    let opcodes: Vec<&[String]> = report.warnings.iter().map(|w| &w.opcodes[..]).collect();
    assert_eq!(opcodes, [&["COINBASE".to_string()][..]]);
    // A payload whose path does not depend on the environment is not warned of.
    let plain = gated_payload(&[0x5f], &[unlimited_approve()], &[balance_query()]);
    let report = run(&plain, &RunContext::default());
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);
    assert!(!report.render(false).contains("depends on"));
}

// ---------------------------------------------------------------------------------------
// Permission families, granted on small contracts that emit no event.

/// A tiny assembler: bytes, and PUSH2s of labels resolved at the end.
#[derive(Default)]
struct Asm {
    code: Vec<u8>,
    labels: Vec<Option<usize>>,
    fixups: Vec<(usize, usize)>,
}

impl Asm {
    fn op(&mut self, bytes: &[u8]) -> &mut Self {
        self.code.extend_from_slice(bytes);
        self
    }
    fn push(&mut self, value: &[u8]) -> &mut Self {
        let n = u8::try_from(value.len()).unwrap_or(32).clamp(1, 32);
        self.code.push(0x5f + n);
        self.code.extend_from_slice(value);
        self
    }
    fn push_u16(&mut self, value: usize) -> &mut Self {
        self.push(&u16::try_from(value).unwrap_or(0).to_be_bytes())
    }
    fn label(&mut self) -> usize {
        self.labels.push(None);
        self.labels.len() - 1
    }
    fn push_label(&mut self, label: usize) -> &mut Self {
        self.code.push(0x61);
        self.fixups.push((self.code.len(), label));
        self.code.extend_from_slice(&[0, 0]);
        self
    }
    fn here(&mut self, label: usize) -> &mut Self {
        self.labels[label] = Some(self.code.len());
        self.code.push(0x5b);
        self
    }
    fn finish(mut self) -> Vec<u8> {
        for (at, label) in &self.fixups {
            let target = self.labels[*label].unwrap_or(0);
            let bytes = u16::try_from(target).unwrap_or(0).to_be_bytes();
            self.code[*at..*at + 2].copy_from_slice(&bytes);
        }
        self.code
    }
}

/// Computes the storage key of a grant in the stand-in: `keccak256` of the read's calldata,
/// built in memory from `args` (each pushing its word) and left on the stack.
fn key(asm: &mut Asm, read: &Read, word: &dyn Fn(&mut Asm, &Arg)) {
    asm.push(&read.call.selector())
        .op(&[0x60, 224, 0x1b, 0x5f, 0x52]); // sel << 224 at 0
    for (k, arg) in read.call.args.iter().enumerate() {
        word(asm, arg);
        asm.push_u16(4 + 32 * k).op(&[0x52]);
    }
    asm.push_u16(4 + 32 * read.call.args.len())
        .op(&[0x5f, 0x20]);
}

/// A contract that keeps the permission `g` grants in storage, with no event: `g` grants
/// (or, with a zero where its revocation has one, revokes), `g.revoke` revokes, and
/// `read` reads it back as the family's view does.
fn stand_in(g: &Granting, read: Read) -> Bytes {
    let mut asm = Asm::default();
    let same = g.revoke.signature == g.signature;
    let handlers: Vec<([u8; 4], usize)> = {
        let mut h = vec![
            (g.selector(), asm.label()),
            (read.call.selector(), asm.label()),
        ];
        if !same {
            h.push((g.revoke.selector(), asm.label()));
        }
        h
    };
    for (selector, label) in &handlers {
        asm.push(selector).op(&[0x5f, 0x35, 0x60, 224, 0x1c, 0x14]);
        asm.push_label(*label).op(&[0x57]);
    }
    asm.op(&[0x5f, 0x5f, 0xfd]);
    let param = |asm: &mut Asm, i: usize| {
        asm.push_u16(4 + 32 * i).op(&[0x35]);
    };
    // The word that says how much is granted: the argument the revocation zeroes, else 1.
    let zeroed = g
        .revoke
        .args
        .iter()
        .position(|a| *a == Arg::Zero)
        .filter(|_| same);
    // Grant.
    asm.here(handlers[0].1);
    key(&mut asm, &read, &|asm, arg| match arg {
        Arg::Param(i) => param(asm, *i),
        Arg::Zero => {
            asm.op(&[0x5f]);
        }
        Arg::Owner => {
            asm.op(&[0x33]);
        }
    });
    match read.live {
        Live::NonZeroUnexpired => {
            // amount at key, expiration at key + 1: the two arguments the revocation zeroes.
            asm.op(&[0x80, 0x60, 0x01, 0x01]);
            param(&mut asm, 3);
            asm.op(&[0x90, 0x55]);
            param(&mut asm, 2);
        }
        Live::EqualsParam(i) => param(&mut asm, i),
        Live::NonZero => match zeroed {
            Some(j) => param(&mut asm, j),
            None => {
                asm.op(&[0x60, 0x01]);
            }
        },
    }
    asm.op(&[0x90, 0x55, 0x00]);
    // Read: the first two words at keccak256(calldata).
    asm.here(handlers[1].1);
    let len = 4 + 32 * read.call.args.len();
    asm.push_u16(len).op(&[0x5f, 0x5f, 0x37]);
    asm.push_u16(len).op(&[0x5f, 0x20]);
    asm.op(&[
        0x80, 0x54, 0x5f, 0x52, 0x60, 0x01, 0x01, 0x54, 0x60, 0x20, 0x52,
    ]);
    asm.op(&[0x60, 0x40, 0x5f, 0xf3]);
    // A separate revocation: its arguments name the grant's (the owner for the rest).
    if !same {
        asm.here(handlers[2].1);
        let place = |i: usize| g.revoke.args.iter().position(|a| *a == Arg::Param(i));
        key(&mut asm, &read, &|asm, arg| match arg {
            Arg::Param(i) => match place(*i) {
                Some(j) => param(asm, j),
                None => {
                    asm.op(&[0x33]);
                }
            },
            Arg::Zero => {
                asm.op(&[0x5f]);
            }
            Arg::Owner => {
                asm.op(&[0x33]);
            }
        });
        asm.op(&[0x5f, 0x90, 0x55, 0x00]);
    }
    Bytes::from(asm.finish())
}

/// The arguments a test grant is made with: the grantee `FRIEND`, the vault for every other
/// address (an EVC account, a Balancer sender, a `permit`'s owner, a Permit2 token), 1 for
/// a `bool`, and a large number (an amount, an id, an expiration in 2096) for the rest.
fn grant_args(g: &Granting) -> Vec<B256> {
    let inner = g
        .signature
        .split_once('(')
        .map_or("", |(_, r)| r.trim_end_matches(')'));
    inner
        .split(',')
        .enumerate()
        .map(|(i, ty)| match ty {
            _ if i == g.grantee => FRIEND.into_word(),
            "address" => VAULT.into_word(),
            "bool" => B256::from(U256::from(1)),
            _ => B256::from(U256::from(4_000_000_000u64)),
        })
        .collect()
}

fn calldata(selector: [u8; 4], words: &[B256]) -> Vec<u8> {
    let mut data = selector.to_vec();
    for w in words {
        data.extend_from_slice(w.as_slice());
    }
    data
}

/// The revocation of a grant made with `args`.
fn revocation(g: &Granting, args: &[B256]) -> Vec<u8> {
    let words: Vec<B256> = g
        .revoke
        .args
        .iter()
        .map(|a| match a {
            Arg::Param(i) => args[*i],
            Arg::Zero => B256::ZERO,
            Arg::Owner => VAULT.into_word(),
        })
        .collect();
    calldata(g.revoke.selector(), &words)
}

/// A devnet with `code` at a fresh address.
fn with_stand_in(code: Bytes, n: u8) -> (Devnet, Address) {
    let mut devnet = devnet().clone();
    let at = Address::from_word(keccak256([n]));
    devnet.set_code(at, code);
    (devnet, at)
}

#[test]
fn every_family_granted_without_an_event_is_left_behind_until_revoked() {
    let mut checked = Vec::new();
    for (n, g) in all_granting().enumerate() {
        let family = g.family();
        let Some(read) = g.read else { continue };
        let (devnet, target) = with_stand_in(stand_in(g, read), n as u8);
        let args = grant_args(g);
        let grant = (target, calldata(g.selector(), &args));
        let report = run_on(
            &devnet,
            &calls_payload(std::slice::from_ref(&grant)),
            &RunContext::default(),
        );
        assert!(report.success, "{}: {}", g.signature, report.render(false));
        assert!(report.events.is_empty(), "{}", g.signature);
        let [left] = report.allowances_left.as_slice() else {
            panic!("{}: {}", g.signature, report.render(false));
        };
        assert_eq!(left.kind, family.id, "{}", g.signature);
        assert_eq!(left.what, family.what);
        assert_eq!(left.function.as_deref(), Some(g.signature));
        assert_eq!(left.spender, FRIEND.to_checksum(None), "{}", g.signature);
        assert_ne!(left.after, "unknown", "{}", g.signature);
        let text = report.render(false);
        assert!(text.contains("1 permission(s) left behind"), "{text}");

        let revoke = (target, revocation(g, &args));
        let report = run_on(
            &devnet,
            &calls_payload(&[grant, revoke]),
            &RunContext::default(),
        );
        assert!(report.success, "{}: {}", g.signature, report.render(false));
        assert!(
            report.allowances_left.is_empty(),
            "{}: {}",
            g.signature,
            report.render(false)
        );
        checked.push(family.id);
    }
    // Every family whose functions have a view was exercised.
    for id in [
        "erc20-allowance",
        "operator-approval",
        "permit2-allowance",
        "credit-delegation",
        "authorization",
        "erc777-operator",
        "comet-manager",
        "balancer-relayer",
        "erc6909-operator",
        "erc6909-allowance",
        "maker-hope",
        "evc-operator",
        "router-plugin",
    ] {
        assert!(checked.contains(&id), "{id} not exercised");
    }
}

#[test]
fn a_hope_is_described_in_its_own_words() {
    let g = nest_permissions::granting(nest_permissions::selector("hope(address)"))
        .unwrap_or_else(|| panic!("hope is known"));
    let read = g.read.unwrap_or_else(|| panic!("hope has a read"));
    let (devnet, vat) = with_stand_in(stand_in(g, read), 200);
    let grant = (vat, calldata(g.selector(), &[FRIEND.into_word()]));
    let report = run_on(&devnet, &calls_payload(&[grant]), &RunContext::default());
    let text = report.render(false);
    assert!(
        text.contains(&format!(
            "{FRIEND} holds a Maker `hope` (the grantee may move the vault's internal balances) \
             from the vault on {vat} (`hope(address)`)"
        )),
        "{text}"
    );
    assert_eq!(report.to_json()["allowances_left"][0]["kind"], "maker-hope");
}

#[test]
fn a_family_without_a_view_is_judged_by_its_last_call() {
    // `updateOperator(address,bool)`: nothing to read back. STOP accepts every call.
    let (devnet, target) = with_stand_in(Bytes::from_static(&[0x00]), 201);
    let g = nest_permissions::granting(nest_permissions::selector("updateOperator(address,bool)"))
        .unwrap_or_else(|| panic!("known"));
    let args = grant_args(g);
    let grant = (target, calldata(g.selector(), &args));
    let report = run_on(
        &devnet,
        &calls_payload(std::slice::from_ref(&grant)),
        &RunContext::default(),
    );
    let [left] = report.allowances_left.as_slice() else {
        panic!("{}", report.render(false));
    };
    assert_eq!(
        (left.kind.as_str(), left.after.as_str()),
        ("operator", "unknown")
    );
    assert!(report.render(false).contains("cannot be shown gone"));
    let revoke = (target, revocation(g, &args));
    let report = run_on(
        &devnet,
        &calls_payload(&[grant.clone(), revoke.clone()]),
        &RunContext::default(),
    );
    assert!(
        report.allowances_left.is_empty(),
        "{}",
        report.render(false)
    );
    // A revocation followed by a grant leaves it granted.
    let report = run_on(
        &devnet,
        &calls_payload(&[revoke, grant]),
        &RunContext::default(),
    );
    assert_eq!(report.allowances_left.len(), 1, "{}", report.render(false));
}

#[test]
fn an_erc20_approve_on_a_contract_that_cannot_be_read_is_unknown() {
    // The contract accepts `approve` and answers nothing: not shown gone.
    let (devnet, target) = with_stand_in(Bytes::from_static(&[0x00]), 202);
    let report = run_on(
        &devnet,
        &calls_payload(&[(target, approve_calldata(FRIEND, U256::from(5)))]),
        &RunContext::default(),
    );
    let [left] = report.allowances_left.as_slice() else {
        panic!("{}", report.render(false));
    };
    assert_eq!(
        (left.kind.as_str(), left.after.as_str()),
        ("erc20-allowance", "unknown")
    );
    // Its revocation form is no grant.
    let report = run_on(
        &devnet,
        &calls_payload(&[(target, approve_calldata(FRIEND, U256::ZERO))]),
        &RunContext::default(),
    );
    assert!(
        report.allowances_left.is_empty(),
        "{}",
        report.render(false)
    );
}

#[test]
fn the_erc20_approve_selector_on_an_nft_without_events_reads_getapproved() {
    let g = nest_permissions::granting(nest_permissions::selector("approve(address,uint256)"))
        .unwrap_or_else(|| panic!("known"));
    let (devnet, nft) = with_stand_in(stand_in(g, ERC721_APPROVED_READ), 203);
    let id = U256::from(7);
    let report = run_on(
        &devnet,
        &calls_payload(&[(nft, approve_calldata(FRIEND, id))]),
        &RunContext::default(),
    );
    let [left] = report.allowances_left.as_slice() else {
        panic!("{}", report.render(false));
    };
    assert_eq!(left.kind, "erc721-approval");
    assert_eq!(left.token_id.as_deref(), Some("7"));
    assert_eq!(
        (left.before.as_str(), left.after.as_str()),
        ("false", "true")
    );
}

#[test]
fn an_approve_on_a_token_without_events_is_measured() {
    // ERC-20 `approve` on a token that emits no `Approval`: found from the vault's call.
    let g = nest_permissions::granting(nest_permissions::selector("approve(address,uint256)"))
        .unwrap_or_else(|| panic!("known"));
    let read = g.read.unwrap_or_else(|| panic!("approve has a read"));
    let (devnet, token) = with_stand_in(stand_in(g, read), 204);
    let report = run_on(
        &devnet,
        &calls_payload(&[(token, approve_calldata(FRIEND, U256::from(5)))]),
        &RunContext::default(),
    );
    assert!(report.events.is_empty());
    let [left] = report.allowances_left.as_slice() else {
        panic!("{}", report.render(false));
    };
    assert_eq!(
        (
            left.kind.as_str(),
            left.before.as_str(),
            left.after.as_str()
        ),
        ("erc20-allowance", "0", "5")
    );
}

#[test]
fn a_call_whose_value_depends_on_the_vaults_balance_is_warned_of_in_one_sentence() {
    // CALL(GAS, FRIEND, SELFBALANCE / 2^200, 0, 0, 0, 0): sends 0 wei here, but how much it
    // sends depends on the vault's balance.
    let mut payload = vec![0x5f, 0x5f, 0x5f, 0x5f, 0x47, 0x60, 200, 0x1c, 0x73];
    payload.extend_from_slice(FRIEND.as_slice());
    payload.extend_from_slice(&[0x5a, 0xf1, 0x50, 0x00]);
    let report = run(&payload, &RunContext::default());
    assert!(report.success, "{}", report.render(false));
    let [warning] = report.warnings.as_slice() else {
        panic!("{:?}", report.warnings);
    };
    assert_eq!(warning.kind, "environment-dependent-call");
    assert_eq!(warning.opcodes, ["SELFBALANCE"]);
    // One sentence, spaced as written (a lost line continuation once put runs of spaces in it).
    assert!(
        warning.message.ends_with(
            "depend on SELFBALANCE (read at pc 4): on chain it may be called with other \
             arguments than in this dry run"
        ),
        "{}",
        warning.message
    );
}
