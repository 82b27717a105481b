//! Permission codes (E04xx): grants the compiler could not revoke safely.

use super::CodeInfo;

/// The codes.
pub(super) const CODES: &[CodeInfo] = &[
    CodeInfo {
        code: "E0401",
        title: "permission-granting function without a revocation",
        explanation: r#"An interface declares a function that is a well-known permission grant,
without saying how to revoke it. A script must leave no permission behind: the
compiler revokes every grant before the script ends, so it must know which call
undoes each one. Known grants are recognised by their 4-byte selector, from the
compiler's table of permission families: ERC-20 `approve`, `increaseAllowance`,
`increaseApproval` and `permit`; `setApprovalForAll` (ERC-721, ERC-1155); Permit2's
`approve(address,address,uint160,uint48)`; Aave's `approveDelegation`; Morpho's
`setAuthorization`; ERC-777 `authorizeOperator`; Compound III's `allow`; Balancer's
`setRelayerApproval`; `updateOperator`; ERC-6909 `setOperator` and
`approve(address,uint256,uint256)`; Maker's `hope`; the EVC's `setAccountOperator`;
and a router's `approvePlugin`. The error is reported at the declaration, whether
the script calls the function or not. For an interface read from a JSON ABI file,
the compiler uses the family's revocation itself, and this error means the ABI
lacks the revoking function.

```ns,ignore
interface IToken {
    function approve(address spender, uint256 amount) returns (bool);   // error
}
```

Annotate the function with the call that revokes the grant; the help line
suggests one:

```ns
interface IToken {
    #[grants(revoke = approve(spender, 0))]
    function approve(address spender, uint256 amount) returns (bool);
}
```
"#,
    },
    CodeInfo {
        code: "E0402",
        title: "malformed `#[grants]` annotation",
        explanation: r#"The annotation is `#[grants(revoke = f(arg, …))]`: `f` is a function of the
same interface with that many parameters, and each argument is a parameter name
of the granting function (its value when the grant is made), an integer or a
`bool`. The label says which part is wrong.

```ns,ignore
interface IERC721 {
    #[grants(revoke = setApprovalForAll(someone, false))]   // error: `someone` is not a parameter
    function setApprovalForAll(address operator, bool approved);
}
```

```ns
interface IERC721 {
    #[grants(revoke = setApprovalForAll(operator, false))]
    function setApprovalForAll(address operator, bool approved);
}
```
"#,
    },
    CodeInfo {
        code: "E0403",
        title: "granting call used as a value",
        explanation: r#"A call to a function annotated `#[grants(…)]` must be a statement of its own,
so that the grant is recorded at a known point of the script and revoked on every
exit after it. Its return value is not available.

```ns,ignore
use std::erc20::IERC20
use std::ethereum::{USDC, UNISWAP_V2_ROUTER}
let ok = IERC20(USDC).approve(UNISWAP_V2_ROUTER, 1 USDC)   // error
```

```ns
use std::erc20::IERC20
use std::ethereum::{USDC, UNISWAP_V2_ROUTER}
IERC20(USDC).approve(UNISWAP_V2_ROUTER, 1 USDC)
```

For ERC-20 allowances the builtin `approve(token, spender, amount)` is simpler: it
also copes with tokens that return nothing or refuse a non-zero to non-zero
change.
"#,
    },
    CodeInfo {
        code: "E0404",
        title: "grant inside a branch or loop (no longer reported)",
        explanation: r#"The compiler no longer reports this error; the code is kept so that it can
still be explained.

Earlier versions revoked grants only at fixed points of the script, so they
refused a grant (`approve(…)` or a call to an annotated function) made inside an
`if`, a `for` or a `with` block: a grant made only on some paths needs a record of
what was granted. The compiler now keeps that record, a journal in memory, for
such grants and revokes every entry, newest first, at each exit of the script.
This script used to fail with `E0404` and now compiles:

```ns
use std::ethereum::{USDC, UNISWAP_V2_ROUTER}
if block.number > 1 {
    approve(USDC, UNISWAP_V2_ROUTER, 1 USDC)
}
```

A loop may record only so many grants: see `E0505`.
"#,
    },
    CodeInfo {
        code: "E0405",
        title: "`with` needs a granting call",
        explanation: r#"A `with` block scopes a grant: it grants a permission, runs its body, and
revokes the permission when the body ends. So `with` takes a call that grants
one: the builtin `approve(token, spender, amount)`, or a call to a function
annotated `#[grants(revoke = …)]`.

```ns,ignore
use std::ethereum::{USDC}
with balance(USDC) { }         // error: this call grants nothing
```

```ns
use std::ethereum::{USDC, UNISWAP_V2_ROUTER}
with approve(USDC, UNISWAP_V2_ROUTER, 1 USDC) { }
```
"#,
    },
    CodeInfo {
        code: "E0406",
        title: "function whose selector is a known grant's",
        explanation: r#"A contract dispatches a call on its first four bytes, the selector
`keccak256(signature)[..4]`, not on the function's name. A function declared under
another signature whose selector equals a known grant's (a name chosen so that the
hashes collide) calls that grant: the compiler would neither know it grants a
permission nor revoke it. So the declaration is refused. The check is by selector
for declared interfaces and for JSON ABI files alike.

```ns,ignore
interface IThing {
    // keccak256("x1490487030(address,bool)") starts with 39509351, the selector
    // of increaseAllowance(address,uint256)
    function x1490487030(address operator, bool approved);   // error
}
```

Declare the function under its real signature, with its `#[grants]` annotation:

```ns
interface IThing {
    #[grants(revoke = approve(spender, 0))]
    function increaseAllowance(address spender, uint256 added);
    #[grants(revoke = approve(spender, 0))]
    function approve(address spender, uint256 amount);
}
```
"#,
    },
    CodeInfo {
        code: "E0407",
        title: "known grant annotated with another revocation",
        explanation: r#"A function of a known permission family (recognised by its selector) is
revoked the way its family is revoked: `approve(spender, 0)` for an ERC-20 allowance,
`setApprovalForAll(operator, false)` for an operator approval, `nope(usr)` for a
Maker `hope`, and so on. Its `#[grants]` annotation must be exactly that call, with
the same arguments (`0` and `false` are both zero); `#[grants(none)]` is refused
too, since the function does grant. The help line shows the canonical annotation.

```ns,ignore
interface IToken {
    #[grants(revoke = approve(spender, 1))]       // error: does not revoke
    function approve(address spender, uint256 amount) returns (bool);
}
```

```ns
interface IToken {
    #[grants(revoke = approve(spender, 0))]
    function approve(address spender, uint256 amount) returns (bool);
}
```
"#,
    },
    CodeInfo {
        code: "E0408",
        title: "revocation that does not revoke",
        explanation: r#"The call named in `#[grants(revoke = …)]` must take the permission back. A
`view` or `pure` function changes nothing, and the granting function called again
with the grant's own arguments (no constant among them) grants again. Both are
refused.

```ns,ignore
interface IRegistry {
    function isOperator(address op) external view returns (bool);
    #[grants(revoke = isOperator(op))]             // error: a view
    function addOperator(address op) external;
}
```

```ns
interface IRegistry {
    function removeOperator(address op) external;
    #[grants(revoke = removeOperator(op))]
    function addOperator(address op) external;
}
```
"#,
    },
    CodeInfo {
        code: "E0409",
        title: "`approve` on something that is not a token",
        explanation: r#"The builtin `approve(token, spender, amount)` grants an ERC-20 allowance and
revokes it with the ERC-20 `approve(spender, 0)`. On another contract the same
call means something else (on an ERC-721 it approves one token id, and
`approve(spender, 0)` does not undo it), so the first argument must be a token:
one declared with `token NAME = 0x…, decimals N` or imported from the standard
library, or a loop variable over a list of tokens. A plain address or a contract
instance is refused.

```ns,ignore
const THING = 0x0000000000000000000000000000000000000001
approve(THING, 0x0000000000000000000000000000000000000002, 5)   // error
```

```ns
use std::ethereum::{USDC, DAI, UNISWAP_V2_ROUTER}
for t in [USDC, DAI] {
    approve(t, UNISWAP_V2_ROUTER, 1)
}
```
"#,
    },
    CodeInfo {
        code: "E0410",
        title: "ERC-721 per-token approval",
        explanation: r#"`approve(address to, uint256 tokenId)` on an ERC-721 collection approves one
token, and has the same selector as the ERC-20 `approve`; it is cleared by a
transfer, and revoking it is not `approve(to, 0)`. The compiler cannot revoke it
safely, so calling it is refused. An interface is taken to be an ERC-721 when it
also declares `ownerOf(uint256)`, `getApproved(uint256)` or
`safeTransferFrom(address,address,uint256)`, or when the `approve`'s second
parameter is named `tokenId` or `id`; this holds for JSON ABI files too.

```ns,ignore
interface INft {
    function ownerOf(uint256 tokenId) external view returns (address);
    #[grants(revoke = approve(to, 0))]
    function approve(address to, uint256 tokenId) external;
}
const NFT = INft(0x0000000000000000000000000000000000000001)
NFT.approve(0x0000000000000000000000000000000000000002, 7)   // error
```

Grant an operator approval for the block that needs it; it is revoked when the
block ends:

```ns
use std::erc721::IERC721
const NFT = IERC721(0x0000000000000000000000000000000000000001)
with NFT.setApprovalForAll(0x0000000000000000000000000000000000000002, true) {
}
```
"#,
    },
    CodeInfo {
        code: "E0411",
        title: "call to the vault itself",
        explanation: r#"A script runs as the vault. A call whose target is the vault itself — `self`,
`IFoo(self)`, or a variable bound to one of them — would let the script
reconfigure the vault: enable a Safe module, add an owner, change a threshold,
approve a hash. Such changes outlive the script and are no permission the
compiler can revoke, so the call is refused. A `view` or `pure` function may be
called on the vault: it is called with STATICCALL, which cannot change state. (A
target known only at run time is checked when the script runs.)

```ns,ignore
interface ISafe {
    function enableModule(address module) external;
}
ISafe(self).enableModule(0x0000000000000000000000000000000000000001)   // error
```

Pass `self` as an argument instead, where a protocol needs the vault's address:

```ns
use std::ethereum::{USDC, AAVE_V3_POOL}
AAVE_V3_POOL.withdraw(USDC, 1 USDC, self)
```
"#,
    },
    CodeInfo {
        code: "E0412",
        title: "`revoke` around a call that revokes no known permission",
        explanation: r#"`revoke(CALL)` ends a permission that an earlier transaction granted (one
`nestc audit` found live, say). The call inside must be a permission family's
canonical revocation, with a constant zero where the family's revocation has
one — `approve(spender, 0)`, `setApprovalForAll(operator, false)`, Permit2's
`approve(token, spender, 0, 0)`, `revokeOperator(operator)`, `nope(usr)`… — or
the revocation an annotated granting function names. Anything else is refused:
`revoke` is not a way to call an arbitrary function.

```ns,ignore
use std::erc20::IERC20
const T = IERC20(0x0000000000000000000000000000000000000003)
revoke(T.approve(0x0000000000000000000000000000000000000004, 5))   // error: not zero
```

Revoke with the zero:

```ns
use std::erc20::IERC20
const T = IERC20(0x0000000000000000000000000000000000000003)
revoke(T.approve(0x0000000000000000000000000000000000000004, 0))
```

A script's own grants need no `revoke`: the compiler revokes them at every exit.
"#,
    },
    CodeInfo {
        code: "W0401",
        title: "unclassified function called",
        explanation: r#"The compiler vouches that a script leaves no permission behind. It can do
so for a call only when the function is classified: a known or annotated grant
(which it revokes), a function declared to grant nothing (`#[grants(none)]`, on the
function or on its interface), or a `view`/`pure` function (called with
STATICCALL, which cannot change state). A script that calls any other function
compiles with this warning, which names them, and the artifact lists them under
`unclassified`; `nestc compile --strict` (and `check`, `run`) makes it an error.
Functions read from JSON ABI files are classified by selector (known grants) and
mutability (views); the others are unclassified unless the interface says
`#[grants(none)]`.

```ns,ignore
interface IVault {
    function poke(uint256 x) external;
}
IVault(0x0000000000000000000000000000000000000001).poke(1)   // warning
```

```ns
#[grants(none)]
interface IVault {
    function poke(uint256 x) external;
}
IVault(0x0000000000000000000000000000000000000001).poke(1)
```
"#,
    },
    CodeInfo {
        code: "W0402",
        title: "revocation written by hand",
        explanation: r#"The compiler revokes every permission a script grants, on every exit, with
the grant's canonical revocation. A hand-written `approve(token, spender, 0)`, or a
call of an annotated grant function with the arguments of its own revocation
(`IERC20(t).approve(spender, 0)`, `IERC721(c).setApprovalForAll(operator, false)`),
repeats that work: it compiles, with this warning, and runs where it is written. A
call of an annotated function that is its own revocation is a plain call, not a new
grant, so the compiler does not revoke it again.

To end a permission before a later call, scope the grant instead: the revocation
then runs when the block ends.

```ns,ignore
use std::ethereum::{USDC, AAVE_V3_POOL}
approve(USDC, AAVE_V3_POOL, 1_000 USDC)
AAVE_V3_POOL.supply(USDC, 1_000 USDC, self, 0)
approve(USDC, AAVE_V3_POOL, 0)   // warning: the compiler revokes it anyway
```

```ns
use std::ethereum::{USDC, AAVE_V3_POOL}
with approve(USDC, AAVE_V3_POOL, 1_000 USDC) {
    AAVE_V3_POOL.supply(USDC, 1_000 USDC, self, 0)
}
```
"#,
    },
];
