//! The dry-run report: what a run did, in the shape `nestc run --json` prints (the book's
//! report page describes it). Addresses are checksummed strings, amounts decimal strings in
//! base units.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

use super::values::NamedValue;

fn no_unit(units: &[Option<crate::amount::Unit>]) -> bool {
    units.iter().all(Option::is_none)
}

/// What a dry run did.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Report {
    /// Whether the transaction succeeded.
    pub success: bool,
    /// Why and where it reverted, when it did.
    pub revert: Option<RevertInfo>,
    /// Where the gas went.
    pub gas: GasBreakdown,
    /// Guest instructions the HyVM dispatched.
    pub guest_instructions: u64,
    /// The calls the script made, each with the calls it caused.
    pub calls: Vec<CallReport>,
    /// The vault's balances that changed: ETH first, then tokens.
    pub asset_changes: Vec<AssetChange>,
    /// The vault's lending positions that changed (Aave V3, Compound III, Morpho Blue), in
    /// the markets the run touched.
    pub position_changes: Vec<PositionChange>,
    /// Permissions the vault holds at the end that it did not hold at the start.
    pub allowances_left: Vec<AllowanceLeft>,
    /// The slots of the vault's own storage the run changed (a Nest script never writes
    /// them: the payload runs in the vault's context, so this is the payload rewriting the
    /// vault).
    pub vault_storage_changes: Vec<StorageChange>,
    /// The return data decoded with the compiler's return types (`None` without types, or when
    /// the data does not match them).
    #[serde(rename = "return")]
    pub return_values: Option<Vec<Value>>,
    /// The token each returned value is an amount of (`null` for a value that is not an
    /// amount), index for index with `return`, as the compiler's artifact says; absent
    /// when no returned value is an amount. `return` keeps the base units.
    #[serde(skip_serializing_if = "no_unit")]
    pub return_units: Vec<Option<crate::amount::Unit>>,
    /// The raw return (or revert) data, `0x` hex.
    pub return_data: String,
    /// The logs emitted (none when the run reverted), decoded where the event is known.
    pub events: Vec<EventReport>,
    /// What the dry run could not vouch for (payloads from outside the compiler only): the
    /// payload's path or a call's arguments depended on the environment before a call.
    pub warnings: Vec<Warning>,
    /// The chain a fork-mode run ran against (`None` on the devnet): chain id, block number
    /// and hash, and how the code at the HyVM address was checked.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub chain: Option<ChainInfo>,
    /// Known names of addresses (checksummed), so the human form can say `USDC`.
    #[serde(skip)]
    pub(crate) names: BTreeMap<String, String>,
    /// The vault (checksummed), so the human form can flag what the vault itself did.
    #[serde(skip)]
    pub(crate) vault: String,
}

/// A slot of the vault's storage the run changed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StorageChange {
    /// The slot, `0x` and 64 hex digits.
    pub slot: String,
    /// Its value before the run, `0x` and 64 hex digits.
    pub before: String,
    /// Its value after the run.
    pub after: String,
}

/// Why and where a run reverted.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RevertInfo {
    /// The decoded reason: an `Error(string)` message, `panic 0x11 (arithmetic overflow)`, a
    /// custom error (`InsufficientAllowance(amount: 5)`), the raw hex, or the interpreter's
    /// own (`refused opcode CALLCODE at pc 12`).
    pub reason: String,
    /// The custom error the revert data encodes, decoded, when its selector is known (from
    /// the devnet's contracts or the script's interfaces).
    pub error: Option<CustomError>,
    /// The failing call, `USDC.transfer(address,uint256)`, when a call failed.
    pub call: Option<String>,
    /// `file:line:col` in the script, when the source map tells.
    pub location: Option<String>,
    /// The guest pc the location was looked up for.
    pub pc: Option<usize>,
    /// What the report found out about the cause, beyond the revert data: the script
    /// reverted by itself right after its last call went to an address without code,
    /// returned data that does not decode, or did not set an allowance; or a call sent
    /// more ETH than the vault held.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// When the failure happened inside a helper function: `fn name`, called at
    /// `file:line:col` (the call that led there, the innermost function's).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub in_function: Option<FunctionCall>,
}

/// The helper function a failure happened in, and where it was called.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FunctionCall {
    /// The function's name.
    pub name: String,
    /// `file:line:col` of the call, when the source map tells.
    pub called_at: Option<String>,
}

/// A custom error decoded from revert data.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CustomError {
    /// The error's name, `InsufficientAllowance`.
    pub name: String,
    /// Its canonical signature, `InsufficientAllowance(uint256)`.
    pub signature: String,
    /// Its arguments, named as declared.
    pub args: Vec<NamedValue>,
}

/// The gas of the transaction, split so that
/// `base + calldata + vault_overhead + execution + hyvm_overhead - refund + calldata_floor_topup
/// == total`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct GasBreakdown {
    /// What the owner pays for.
    pub total: u64,
    /// The transaction's base cost, 21000.
    pub base: u64,
    /// The payload as calldata: 4 gas per zero byte, 16 per other byte.
    pub calldata: u64,
    /// The script's own EVM gas as if it ran natively, the calls it makes included.
    pub execution: u64,
    /// What the HyVM adds: dispatch per instruction, PUSH and memory surcharges, jumps, entry.
    pub hyvm_overhead: u64,
    /// The vault's own code around the DELEGATECALL.
    pub vault_overhead: u64,
    /// Storage refund subtracted at the end.
    pub refund: u64,
    /// Added so the total reaches the EIP-7623 calldata floor (zero unless it binds).
    pub calldata_floor_topup: u64,
}

/// One call in the tree.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CallReport {
    /// `call`, `staticcall`, `delegatecall`, `callcode`, `create` or `create2`.
    pub kind: String,
    /// The callee (checksummed).
    pub to: String,
    /// The callee's known name (`USDC`, `UniswapV2Router02`, `UniswapV2Pair USDC/WETH`).
    pub name: Option<String>,
    /// The function's signature, `transfer(address,uint256)`, when the selector is known.
    pub signature: Option<String>,
    /// The decoded arguments, when the function is known and the calldata matches it.
    pub args: Option<Vec<NamedValue>>,
    /// The decoded return values, when the call succeeded and the output matches.
    pub returns: Option<Vec<NamedValue>>,
    /// Wei sent, decimal.
    pub value: String,
    /// The calldata, `0x` hex.
    pub input: String,
    /// The return or revert data, `0x` hex.
    pub output: String,
    /// Whether the call returned normally.
    pub success: bool,
    /// The decoded revert reason of a failed call.
    pub revert_reason: Option<String>,
    /// Gas the call spent, its own calls included.
    pub gas_used: u64,
    /// The guest pc of the instruction that made the call (the script's calls only).
    pub pc: Option<usize>,
    /// `file:line:col` of that instruction in the script, when the source map tells.
    pub location: Option<String>,
    /// The calls this call made.
    pub calls: Vec<CallReport>,
}

/// A balance of the vault that the run changed: of ETH, of an ERC-20 token, or of one
/// ERC-721 token (`token_id` set; `before` and `after` are `1` when the vault owns it, else
/// `0`, and `delta` is `1` for one that came in, `-1` for one that left).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AssetChange {
    /// `ETH`, or the token's address (checksummed).
    pub token: String,
    /// `ETH`, or the token's `symbol()`.
    pub symbol: String,
    /// 18 for ETH, or the token's `decimals()`.
    pub decimals: u8,
    /// Balance before the run, base units.
    pub before: String,
    /// Balance after the run, base units.
    pub after: String,
    /// `after - before`, base units, signed (`-1000000000`).
    pub delta: String,
    /// The id of an ERC-721 token that came in or left (absent for ETH and ERC-20 tokens).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token_id: Option<String>,
}

/// A lending position of the vault that the run changed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PositionChange {
    /// `aave-v3`, `compound-v3` or `morpho-blue`.
    pub protocol: String,
    /// The Aave pool or the Comet (checksummed), or the Morpho market id (`0x` and 64 hex
    /// digits).
    pub market: String,
    /// The asset's symbol (its address when it has none).
    pub asset: String,
    /// The asset's address (checksummed).
    pub asset_address: String,
    /// The asset's decimals, when it says.
    pub decimals: Option<u8>,
    /// `supply`, `debt` or `collateral`.
    pub kind: String,
    /// `assets` (base units of the asset), or `shares` (Morpho shares, when the market's
    /// totals could not be read to convert them).
    pub unit: String,
    /// The position before the run, base units.
    pub before: String,
    /// The position after the run, base units.
    pub after: String,
    /// `after - before`, signed.
    pub delta: String,
    /// Aave only: the account's health factor before the run (18 decimals), `null` when it
    /// had no debt.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub health_factor_before: Option<Option<String>>,
    /// Aave only: the health factor after the run, `null` without debt.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub health_factor_after: Option<Option<String>>,
}

/// A permission the vault holds after the run that it did not hold before.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AllowanceLeft {
    /// The permission's family, as `nest-permissions` names it: `erc20-allowance`,
    /// `erc721-approval`, `operator-approval` (ERC-721/1155 `setApprovalForAll`),
    /// `permit2-allowance`, `credit-delegation` (Aave), `authorization` (Morpho),
    /// `comet-manager` (Compound III `allow`), `erc777-operator`, `balancer-relayer`,
    /// `operator`, `erc6909-operator`, `erc6909-allowance`, `maker-hope`, `evc-operator` or
    /// `router-plugin`.
    pub kind: String,
    /// The family in words (`an ERC-20 allowance`).
    pub what: String,
    /// The granting function the vault called, when the grant was found from its call
    /// (`hope(address)`); absent when only an event announced it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub function: Option<String>,
    /// The contract the permission is over (checksummed): the token, or the protocol that
    /// holds the permission (for a Permit2 allowance, the token).
    pub token: String,
    /// Its known name or symbol.
    pub symbol: Option<String>,
    /// The spender or operator (checksummed).
    pub spender: String,
    /// The spender's known name.
    pub spender_name: Option<String>,
    /// The token id of an ERC-721 approval.
    pub token_id: Option<String>,
    /// The decimals of the amounts (`before`, `after`) of an allowance, Permit2 allowance or
    /// credit delegation, when the token says.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decimals: Option<u8>,
    /// The allowance before the run (`0`, or for approvals `false`/`true`; `unknown` for a
    /// family without a view).
    pub before: String,
    /// The allowance after the run, as measured on the post-run state (`unknown` when it
    /// cannot be read back: it cannot be shown to be gone).
    pub after: String,
}

/// The chain a fork-mode run ran against, as the node described it (its answers were checked:
/// the header is of the block asked for).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ChainInfo {
    /// The node's chain id.
    pub chain_id: u64,
    /// The block whose end state the run started from, and whose header it executed with.
    pub block_number: u64,
    /// That block's hash, `0x` and 64 hex digits.
    pub block_hash: String,
    /// The HyVM's address (checksummed).
    pub hyvm: String,
    /// What ran the payload: `embedded` (no code at that address: the embedded interpreter),
    /// `recognised` (the chain's code passed the probe), `unrecognised` (it failed the probe:
    /// the run cannot be vouched for), or `unchecked` (`--hyvm-unchecked`).
    pub hyvm_check: String,
}

/// Something the dry run cannot vouch for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Warning {
    /// `environment-dependent-branch` (a jump's condition or target) or
    /// `environment-dependent-call` (a call's target, value or calldata).
    pub kind: String,
    /// The warning in words.
    pub message: String,
    /// The environment opcodes the value came from (`GASPRICE`, `BASEFEE`, `NUMBER`, …).
    pub opcodes: Vec<String>,
    /// The guest pc of the earliest of them.
    pub source_pc: usize,
    /// The guest pc of the jump (or of the call, for `environment-dependent-call`).
    pub pc: usize,
    /// For a JUMPI: whether it was taken in this run.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub taken: Option<bool>,
    /// The call that followed: `USDC.approve(address,uint256)`, or its address.
    pub call: String,
    /// The guest pc of that call.
    pub call_pc: usize,
}

/// One log.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EventReport {
    /// The emitting contract (checksummed).
    pub address: String,
    /// Its known name.
    pub name: Option<String>,
    /// The event's signature, `Transfer(address,address,uint256)`, when known.
    pub event: Option<String>,
    /// The decoded fields, in declaration order.
    pub args: Option<Vec<NamedValue>>,
    /// The raw topics, `0x` hex.
    pub topics: Vec<String>,
    /// The raw data, `0x` hex.
    pub data: String,
}

impl Report {
    /// The report as JSON, the form `nestc run --json` prints.
    pub fn to_json(&self) -> Value {
        serde_json::to_value(self).unwrap_or(Value::Null)
    }
}
