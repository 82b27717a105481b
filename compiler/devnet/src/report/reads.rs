//! Read-only calls the report makes on the chain before and after a run: balances, owners
//! of NFTs and token metadata (permissions are read with their family's view, in
//! `allowances.rs`).

use alloy_primitives::{Address, B256, U256};
use alloy_sol_types::{sol, SolCall};

use crate::deploy::World;

sol! {
    interface IErc20Read {
        function balanceOf(address owner) external view returns (uint256);
        function decimals() external view returns (uint256);
        function symbol() external view returns (string);
    }
    interface IBytes32Symbol {
        function symbol() external view returns (bytes32);
    }
    interface IErc721OwnerRead {
        function ownerOf(uint256 tokenId) external view returns (address);
    }
}

/// `token.ownerOf(token_id)` (ERC-721); `None` when it reverts (no such token, or burnt).
pub(crate) fn owner_of(world: &World, token: Address, token_id: U256) -> Option<Address> {
    read(
        world,
        token,
        IErc721OwnerRead::ownerOfCall { tokenId: token_id },
    )
}

/// The call [`owner_of`] makes, for fork mode's prefetching.
#[cfg(feature = "fork")]
pub(crate) fn owner_of_call(token_id: U256) -> Vec<u8> {
    IErc721OwnerRead::ownerOfCall { tokenId: token_id }.abi_encode()
}

/// The call [`decimals`] makes, for fork mode's prefetching.
#[cfg(feature = "fork")]
pub(crate) fn decimals_call() -> Vec<u8> {
    IErc20Read::decimalsCall {}.abi_encode()
}

/// The call [`symbol`] makes first, for fork mode's prefetching.
#[cfg(feature = "fork")]
pub(crate) fn symbol_call() -> Vec<u8> {
    IErc20Read::symbolCall {}.abi_encode()
}

/// Calls `to` read-only on `world` and decodes the answer; `None` when the call fails or the
/// answer does not decode (no code there, not that kind of contract).
fn read<C: SolCall>(world: &World, to: Address, call: C) -> Option<C::Return> {
    let output = world.view(to, call.abi_encode()).ok()?;
    C::abi_decode_returns(&output).ok()
}

/// `token.balanceOf(owner)`.
pub(crate) fn balance_of(world: &World, token: Address, owner: Address) -> Option<U256> {
    read(world, token, IErc20Read::balanceOfCall { owner })
}

/// `token.symbol()`, as a string or (older tokens) a NUL-padded `bytes32`.
pub(crate) fn symbol(world: &World, token: Address) -> Option<String> {
    if let Some(s) = read(world, token, IErc20Read::symbolCall {}) {
        return Some(s);
    }
    let word: B256 = read(world, token, IBytes32Symbol::symbolCall {})?;
    let bytes: Vec<u8> = word.iter().copied().take_while(|b| *b != 0).collect();
    String::from_utf8(bytes).ok().filter(|s| !s.is_empty())
}

/// `token.decimals()`, when it answers with a number that fits a `u8`.
pub(crate) fn decimals(world: &World, token: Address) -> Option<u8> {
    let value = read(world, token, IErc20Read::decimalsCall {})?;
    u8::try_from(value).ok()
}
