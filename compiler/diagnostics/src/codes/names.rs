//! Name codes (E02xx): something is not defined, or defined twice.

use super::CodeInfo;

/// The codes.
pub(super) const CODES: &[CodeInfo] = &[
    CodeInfo {
        code: "E0201",
        title: "cannot find a name",
        explanation: r#"A name is used that nothing in scope defines: a variable, a module item
(token, interface, constant, parameter), a function, or the unit after a number.
When a standard library module defines the name, the help line gives the `use`
that imports it.

```ns,ignore
let b = balance(USDC)      // error: cannot find `USDC` in this scope
```

```ns
use std::ethereum::{USDC}
let b = balance(USDC)
```

The same code is reported when:

- a function is neither a builtin (`balance`, `eth_balance`, `min`, `max`,
  `address`, `require`, `revert`, `approve`) nor an interface;
- a unit is neither `ether`, `gwei`, `wei` nor a token (`10 USDC` needs `USDC`
  imported or defined);
- `block` or `chain` is used without a field: write `block.timestamp`,
  `block.number` or `chain.id`;
- an assignment's left side is not a local variable: items (constants,
  parameters, tokens) cannot be assigned, and a variable must be declared with
  `let mut` before it is assigned.

```ns,ignore
total = 5                  // error: cannot find variable `total`
```

```ns
let mut total = 0
total = 5
```
"#,
    },
    CodeInfo {
        code: "E0202",
        title: "defined twice",
        explanation: r#"Two items of one module, or two variables of one block, have the same name.
The error points at the second definition and shows the first; a name used
before it is defined would otherwise be ambiguous. An imported name counts as
an item of the importing module.

```ns,ignore
let x = 1
let x = 2                  // error: `x` is defined twice in this block
```

Use another name, or declare the variable `let mut` and assign it:

```ns
let mut x = 1
x = 2
```

A variable of an inner block (an `if`, `for` or `with` body) may reuse the name of
one outside it. An item that clashes with an import can be kept by renaming the
import with `as`:

```ns
use std::ethereum::{USDC as MAINNET_USDC}
token USDC = 0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48, decimals 6
return balance(USDC)
```

Two `error` declarations of one name in one interface are refused too: as in
Solidity, errors are not overloaded, so the name alone must say which one a revert
is.
"#,
    },
    CodeInfo {
        code: "E0203",
        title: "module has no such item",
        explanation: r#"A `use` names an item that the module does not define. Every imported name is
checked, whether the script uses it or not; the help line lists (up to twelve of)
the names the module does define.

```ns,ignore
use std::ethereum::{USDC, WBTC}    // error: module `std::ethereum` has no item `WBTC`
return balance(USDC)
```

Import only what the module defines, and define the rest yourself:

```ns
use std::ethereum::{USDC}
token WBTC = 0x2260fac5e5542a773aa44fbcfedf7c193bc2c599, decimals 8
return balance(WBTC)
```
"#,
    },
    CodeInfo {
        code: "E0204",
        title: "constant or parameter depends on itself",
        explanation: r#"A `const`'s value, or a `param`'s value (its default or its `--param`
override), refers back to itself, directly or through other constants and
parameters. They are computed once, when the script compiles, so a cycle has no
value.

```ns,ignore
const A = B + 1            // error: constant `A` depends on itself
const B = A + 1
return A
```

Give one of the constants a value that does not depend on the other:

```ns
const A = 1
const B = A + 1
return B
```
"#,
    },
    CodeInfo {
        code: "E0205",
        title: "interface has no such function",
        explanation: r#"A call `c.f(…)` names a function that the contract instance's interface does
not declare. A script can call only what its interface declares, because the
compiler needs the function's Solidity signature to compute its selector and to
encode the arguments. The help line lists the functions the interface has.

```ns,ignore
use std::ethereum::{UNISWAP_V2_ROUTER}
UNISWAP_V2_ROUTER.swap(1, 2)   // error: `IUniswapV2Router` has no function `swap`
```

Call a function the interface declares:

```ns
use std::ethereum::{UNISWAP_V2_ROUTER}
return UNISWAP_V2_ROUTER.factory()
```

or, to call a function the interface lacks, declare it (with its Solidity
signature) in an interface of your own and make an instance of that interface at
the contract's address.
"#,
    },
    CodeInfo {
        code: "E0206",
        title: "recursive function",
        explanation: r#"A helper function calls itself, directly or through other functions. Nest
scripts have no unbounded work: loops have bounds known at compile time, and
functions may not recurse, so the worst case of every script is known when it
compiles (and each function's variables can live at fixed places in memory).

```ns,ignore
fn fact(n: uint256) -> uint256 {   // error: `fact` calls itself
    if n == 0 {
        return 1
    }
    return n * fact(n - 1)
}
```

Use a `for` loop with constant bounds instead:

```ns
let mut f = 1
for i in 1..6 {
    f *= i
}
return f
```
"#,
    },
];
