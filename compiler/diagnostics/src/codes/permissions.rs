//! Permission codes (E04xx): grants the compiler could not revoke safely.

use super::CodeInfo;

/// The codes.
pub const CODES: &[CodeInfo] = &[
    CodeInfo {
        code: "E0401",
        title: "permission-granting function without a revocation",
        explanation: r#"An interface declares a function whose signature is a well-known permission
grant, without saying how to revoke it. A script must leave no permission behind:
the compiler revokes every grant before the script ends, so it must know which
call undoes each one. The known signatures are `approve(address,uint256)`,
`increaseAllowance(address,uint256)`, `setApprovalForAll(address,bool)`,
`permit(address,address,uint256,uint256,uint8,bytes32,bytes32)`, Permit2's
`approve(address,address,uint160,uint48)`, `approveDelegation(address,uint256)`,
`setAuthorization(address,bool)`, `authorizeOperator(address)`,
`allow(address,bool)`, `setRelayerApproval(address,address,bool)` and
`updateOperator(address,bool)`. The error is reported at the declaration,
whether the script calls the function or not.

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
let ok = IERC20(USDC).approve(UNISWAP_V2_ROUTER, 1)   // error
```

```ns
use std::erc20::IERC20
use std::ethereum::{USDC, UNISWAP_V2_ROUTER}
IERC20(USDC).approve(UNISWAP_V2_ROUTER, 1)
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
];
