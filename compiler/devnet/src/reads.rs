//! Read-only calls the report makes on the chain before and after a run: balances,
//! allowances, approvals and token metadata.

use alloy_primitives::{Address, B256, U256};
use alloy_sol_types::{sol, SolCall};

use crate::deploy::World;

sol! {
    interface IErc20Read {
        function balanceOf(address owner) external view returns (uint256);
        function allowance(address owner, address spender) external view returns (uint256);
        function decimals() external view returns (uint256);
        function symbol() external view returns (string);
    }
    interface IBytes32Symbol {
        function symbol() external view returns (bytes32);
    }
    interface IErc721Read {
        function getApproved(uint256 tokenId) external view returns (address);
        function isApprovedForAll(address owner, address operator) external view returns (bool);
    }
    interface IPermit2Read {
        function allowance(address user, address token, address spender) external view returns (uint160 amount, uint48 expiration, uint48 nonce);
    }
    interface IDebtTokenRead {
        function borrowAllowance(address fromUser, address toUser) external view returns (uint256);
    }
    interface ICometRead {
        function isAllowed(address owner, address manager) external view returns (bool);
    }
    interface IErc721OwnerRead {
        function ownerOf(uint256 tokenId) external view returns (address);
    }
    interface IMorphoRead {
        function isAuthorized(address authorizer, address authorized) external view returns (bool);
    }
}

/// Permit2's `allowance(user, token, spender)`: the amount and its expiration.
pub fn permit2_allowance(
    world: &World,
    permit2: Address,
    user: Address,
    token: Address,
    spender: Address,
) -> Option<(U256, u64)> {
    read(
        world,
        permit2,
        IPermit2Read::allowanceCall {
            user,
            token,
            spender,
        },
    )
    .map(|r| (U256::from(r.amount), r.expiration.to::<u64>()))
}

/// An Aave debt token's `borrowAllowance(fromUser, toUser)` (credit delegation).
pub fn borrow_allowance(
    world: &World,
    debt_token: Address,
    from: Address,
    to: Address,
) -> Option<U256> {
    read(
        world,
        debt_token,
        IDebtTokenRead::borrowAllowanceCall {
            fromUser: from,
            toUser: to,
        },
    )
}

/// Morpho's `isAuthorized(authorizer, authorized)`.
pub fn is_authorized(
    world: &World,
    morpho: Address,
    authorizer: Address,
    authorized: Address,
) -> Option<bool> {
    read(
        world,
        morpho,
        IMorphoRead::isAuthorizedCall {
            authorizer,
            authorized,
        },
    )
}

/// Compound III's `isAllowed(owner, manager)`: whether `manager` may act for `owner`'s
/// account (`None` from anything that is not a Comet).
pub fn comet_is_allowed(
    world: &World,
    comet: Address,
    owner: Address,
    manager: Address,
) -> Option<bool> {
    read(world, comet, ICometRead::isAllowedCall { owner, manager })
}

/// `token.ownerOf(token_id)` (ERC-721); `None` when it reverts (no such token, or burnt).
pub fn owner_of(world: &World, token: Address, token_id: U256) -> Option<Address> {
    read(
        world,
        token,
        IErc721OwnerRead::ownerOfCall { tokenId: token_id },
    )
}

/// The call [`comet_is_allowed`] makes, for fork mode's prefetching.
pub fn comet_is_allowed_call(owner: Address, manager: Address) -> Vec<u8> {
    ICometRead::isAllowedCall { owner, manager }.abi_encode()
}

/// The call [`owner_of`] makes, for fork mode's prefetching.
pub fn owner_of_call(token_id: U256) -> Vec<u8> {
    IErc721OwnerRead::ownerOfCall { tokenId: token_id }.abi_encode()
}

/// The calls the functions above make, for fork mode's prefetching.
pub fn permission_read_calls(
    contract: Address,
    kind: &str,
    a: Address,
    b: Address,
    c: Address,
) -> Vec<u8> {
    match kind {
        "permit2" => IPermit2Read::allowanceCall {
            user: a,
            token: b,
            spender: c,
        }
        .abi_encode(),
        "credit-delegation" => IDebtTokenRead::borrowAllowanceCall {
            fromUser: a,
            toUser: b,
        }
        .abi_encode(),
        _ => {
            let _ = contract;
            IMorphoRead::isAuthorizedCall {
                authorizer: a,
                authorized: b,
            }
            .abi_encode()
        }
    }
}

/// Calls `to` read-only on `world` and decodes the answer; `None` when the call fails or the
/// answer does not decode (no code there, not that kind of contract).
fn read<C: SolCall>(world: &World, to: Address, call: C) -> Option<C::Return> {
    let output = world.view(to, call.abi_encode()).ok()?;
    C::abi_decode_returns(&output).ok()
}

/// `token.balanceOf(owner)`.
pub fn balance_of(world: &World, token: Address, owner: Address) -> Option<U256> {
    read(world, token, IErc20Read::balanceOfCall { owner })
}

/// `token.allowance(owner, spender)`.
pub fn allowance(world: &World, token: Address, owner: Address, spender: Address) -> Option<U256> {
    read(world, token, IErc20Read::allowanceCall { owner, spender })
}

/// `token.isApprovedForAll(owner, operator)`.
pub fn is_approved_for_all(
    world: &World,
    token: Address,
    owner: Address,
    operator: Address,
) -> Option<bool> {
    read(
        world,
        token,
        IErc721Read::isApprovedForAllCall { owner, operator },
    )
}

/// `token.getApproved(token_id)`.
pub fn get_approved(world: &World, token: Address, token_id: U256) -> Option<Address> {
    read(
        world,
        token,
        IErc721Read::getApprovedCall { tokenId: token_id },
    )
}

/// `token.symbol()`, as a string or (older tokens) a NUL-padded `bytes32`.
pub fn symbol(world: &World, token: Address) -> Option<String> {
    if let Some(s) = read(world, token, IErc20Read::symbolCall {}) {
        return Some(s);
    }
    let word: B256 = read(world, token, IBytes32Symbol::symbolCall {})?;
    let bytes: Vec<u8> = word.iter().copied().take_while(|b| *b != 0).collect();
    String::from_utf8(bytes).ok().filter(|s| !s.is_empty())
}

/// `token.decimals()`, when it answers with a number that fits a `u8`.
pub fn decimals(world: &World, token: Address) -> Option<u8> {
    let value = read(world, token, IErc20Read::decimalsCall {})?;
    u8::try_from(value).ok()
}
