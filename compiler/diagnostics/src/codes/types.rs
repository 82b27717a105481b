//! Type and value codes (E03xx), and the warnings of the checker (W03xx).

use super::CodeInfo;

/// The codes.
pub(super) const CODES: &[CodeInfo] = &[
    CodeInfo {
        code: "E0301",
        title: "unknown type",
        explanation: r#"A type name is none of: a Solidity elementary type (`uint8` … `uint256` in
steps of 8, `int8` … `int256`, `uint`, `int`, `address`, `bool`, `bytes1` …
`bytes32`, `bytes`, `string`), a token (whose type is its amount), or an
interface.

```ns,ignore
let x: uint7 = 1           // error: unknown type `uint7`
```

```ns
let x: uint8 = 1
```

In an interface signature the same code is reported for a fixed array length that
is not a positive integer literal (`uint256[0]`, `uint256[N]`): the length is part
of the function's ABI signature, so it must be written out.

```ns,ignore
interface I {
    function f(uint256[N] xs);   // error: array length must be an integer literal
}
```
"#,
    },
    CodeInfo {
        code: "E0302",
        title: "mismatched types",
        explanation: r#"A value does not have the type its place expects, or an operator does not
apply to its operands. The error points at the expression with the wrong type.

Amounts carry their token so that a script cannot add USDC to WETH, or pass a
DAI amount where a USDC amount is declared, by mistake:

```ns,ignore
use std::ethereum::{USDC, WETH}
let total = 1 USDC + 1 WETH    // error: cannot apply `+` to `USDC` and `WETH`
```

```ns
use std::ethereum::{USDC}
let total = 1 USDC + 2 USDC
```

The same code covers the other mismatches:

- an amount where a plain integer is declared, or the reverse: convert with
  `as uint256` or `as USDC` (an amount does decay to `uint256` by itself when it
  is passed to an interface function's `uint256` parameter);
- an amount of one token where another's is declared (a `--param` too): converting
  needs a price; `at_par(amount, TOKEN)` restates the same number of units in the
  other token's decimals, exactly;
- a wider integer where a narrower one is expected: narrow it with `as uint8`,
  which reverts if the value does not fit;
- two amounts multiplied (the product has no unit), or `%`, `**`, bit operators
  and shifts applied to an amount;
- addresses compared with `<`, `<=`, `>` or `>=` (only `==` and `!=`), or values
  of different types compared;
- `!` on something that is not a `bool`, `~` on something that is not an integer
  or `bytesN`, `-` on something that is not a signed integer;
- `balance(…)` or `approve(…)` given something that is not a token.

```ns,ignore
use std::ethereum::{USDC}
param amount: USDC = 10 USDC
let a: uint256 = amount        // error: expected `uint256`, found `USDC`
```

```ns
use std::ethereum::{USDC}
param amount: USDC = 10 USDC
let a: uint256 = amount as uint256
```
"#,
    },
    CodeInfo {
        code: "E0303",
        title: "wrong EIP-55 checksum",
        explanation: r#"An address literal written in mixed case must match its EIP-55 checksum. The
checksum is how a mistyped address is caught before the script sends funds to
it. An address written all in lower case (or all in upper case) carries no
checksum and is accepted as written. The help line shows the checksummed
spelling.

```ns,ignore
token USDC = 0xA0B86991c6218b36c1d19D4a2e9Eb0cE3606eB48, decimals 6   // error
```

Check that the address is the one you meant, then use the checksummed spelling:

```ns
token USDC = 0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48, decimals 6
return balance(USDC)
```
"#,
    },
    CodeInfo {
        code: "E0304",
        title: "invalid token definition",
        explanation: r#"A `token` item is an address literal and a number of decimals, both written
out: the address must be `0x` and 40 hex digits, and the decimals an integer from
0 to 77 (10^78 does not fit in 256 bits). The decimals scale every amount literal
of the token at compile time, so they cannot be computed.

```ns,ignore
token T = 0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48, decimals 99   // error
```

```ns
token T = 0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48, decimals 6
return balance(T)
```
"#,
    },
    CodeInfo {
        code: "E0305",
        title: "value not known at compile time",
        explanation: r#"The value of a `const` or of a `param` must be known when the script compiles:
both are baked into the bytecode, because a script receives no calldata. Literals,
addresses, amounts, contract instances, other constants and arithmetic on them
are known; anything read from the chain (`block.timestamp`, `balance(…)`, a call)
is computed only when the script runs.

```ns,ignore
const NOW = block.timestamp    // error: the value of `NOW` is not known at compile time
return NOW
```

Read run-time values into a `let` instead:

```ns
let now = block.timestamp
return now
```

`fixed(number, decimals)` scales a number written out, when the script compiles:
both its arguments are literals. To scale a value the script computes, multiply it.

```ns
let x = block.number
let hf = fixed(1.6, 18)
return hf, x * 10 ** 18
```
"#,
    },
    CodeInfo {
        code: "E0306",
        title: "no such field, or not indexable",
        explanation: r#"A `.field` names a field the value does not have, or `[i]` indexes a value
that is not an array. Fields exist on tuples (`t.0`, or the names of a function's
named return values) and on `block` (`block.timestamp`, `block.number`) and
`chain` (`chain.id`). Functions of a contract instance are called, not read:
`c.f(args)`.

```ns,ignore
let t = block.time             // error: `block` has no field `time`
```

```ns
let t = block.timestamp
```

Integer types and token amounts have `.max` and `.min` (`uint256.max`, `int8.min`,
`USDC.max`, the largest amount: what protocols read as "all of it"), and nothing
else; other types have neither.

```ns,ignore
let all = uint256.maximum      // error: a type has no `.maximum`
let b = bytes32.max            // error: `bytes32` has no `.max`
```

```ns
use std::ethereum::{USDC}
let all = uint256.max
let everything = USDC.max
return all, everything
```
"#,
    },
    CodeInfo {
        code: "E0307",
        title: "constant index out of bounds",
        explanation: r#"An index known at compile time is past the end of an array whose length is
known at compile time. Indexing such an array at run time would always revert,
so it is an error now. Indices start at 0.

```ns,ignore
let x = [10, 20, 30][3]        // error: index 3 is out of bounds for an array of 3
```

```ns
let x = [10, 20, 30][2]
```
"#,
    },
    CodeInfo {
        code: "E0308",
        title: "invalid literal value",
        explanation: r#"A number literal has no 256-bit value: the number itself does not fit in 256
bits, it overflows once scaled by its unit's decimals (`ether` and a token with
18 decimals multiply by 10^18), or it is an address or `bytes32` literal (`0x`
and 40 or 64 hex digits) followed by a unit.

```ns,ignore
let x = 1000000000000000000000000000000000000000000000000000000000000 ether   // error
```

Write a smaller amount, or drop the unit from a hex literal:

```ns
let x = 1000000000 ether
```
"#,
    },
    CodeInfo {
        code: "E0309",
        title: "too many fractional digits",
        explanation: r#"An amount has more fractional digits than its token has decimals. Amounts are
exact: a token with 6 decimals cannot hold a fraction smaller than 0.000001, and
Nest does not round silently.

```ns,ignore
use std::ethereum::{USDC}
param amount: USDC = 0.0000001 USDC   // error: `USDC` has 6 decimals
return amount
```

```ns
use std::ethereum::{USDC}
param amount: USDC = 0.000001 USDC
return amount
```

`fixed(number, decimals)` is exact too: `fixed(1.055, 2)` is this error, where
`fixed(1.055, 3)` is `1055`.
"#,
    },
    CodeInfo {
        code: "E0310",
        title: "number needs a unit",
        explanation: r#"A bare number where an amount is expected would be a guess between base units
and whole tokens (is `2500` USDC 2500 whole tokens, or 0.0025?), so the unit
must be written. `0` needs none: it is zero of any token. A decimal number such
as `0.5` has no meaning without a unit either.

```ns,ignore
use std::ethereum::{USDC}
param amount: USDC = 2500      // error: a `USDC` amount needs its unit
return amount
```

```ns
use std::ethereum::{USDC}
param amount: USDC = 2500 USDC
return amount
```

The same holds for `--param 'amount=2500'` on the command line: write
`--param 'amount=2500 USDC'`.

A decimal number that is not an amount, such as a health factor of 1.6 with 18
decimals, is written with its decimals: `fixed(1.6, 18)`.

```ns
let min_health = fixed(1.6, 18)
return min_health
```
"#,
    },
    CodeInfo {
        code: "E0311",
        title: "an interface is not a value",
        explanation: r#"An interface is a type: it says which functions a contract has, not where the
contract is. Make an instance at an address with `IERC20(address)`.

```ns,ignore
use std::erc20::IERC20
let x = IERC20                 // error: `IERC20` is an interface, not a value
```

```ns
use std::erc20::IERC20
use std::ethereum::{USDC}
return IERC20(USDC).totalSupply()
```
"#,
    },
    CodeInfo {
        code: "E0312",
        title: "cannot be called",
        explanation: r#"Something that is not a function is called. What can be called is a builtin
(`balance`, `min`, …), an interface (to make an instance at an address:
`IERC20(addr)`), and a function of a contract instance (`c.f(args)`). A token,
constant, parameter or plain value is not callable, and neither is a function
of a value that is not a contract instance. An interface's `error` is not callable
either: it is there so that a dry run can name a callee's revert, and a script
reverts with `require(c, "…")` or `revert("…")`.

```ns,ignore
use std::ethereum::{USDC}
let x = USDC(1)                // error: `USDC` cannot be called
```

To call the token's contract, make an instance of its interface:

```ns
use std::erc20::IERC20
use std::ethereum::{USDC}
return IERC20(USDC).balanceOf(self)
```
"#,
    },
    CodeInfo {
        code: "E0313",
        title: "invalid call option",
        explanation: r#"The only call option is `value` (the wei sent with the call), and only
functions declared `payable` take it: sending ETH to a function that does not
expect it would make the call revert.

```ns,ignore
use std::ethereum::{UNISWAP_V2_ROUTER}
let f = UNISWAP_V2_ROUTER.factory{value: 1 ether}()   // error: not payable
```

```ns
interface IWETH {
    function deposit() payable;
}
const WETH9 = IWETH(0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2)
WETH9.deposit{value: 1 ether}()
```
"#,
    },
    CodeInfo {
        code: "E0314",
        title: "wrong number of arguments",
        explanation: r#"A call passes more or fewer arguments than the function takes. For an
interface function the error names its signature; when an interface declares
several functions of one name, the one with as many parameters as arguments is
called.

```ns,ignore
let m = min(1, 2, 3)           // error: `min` takes 2 arguments, 3 given
```

```ns
let m = min(1, min(2, 3))
```
"#,
    },
    CodeInfo {
        code: "E0315",
        title: "statement used as a value",
        explanation: r#"`require`, `revert` and `approve` are statements: they produce no value, so
they cannot appear inside an expression.

```ns,ignore
let ok = require(true, "x")    // error: `require` is a statement, not a value
```

Write it on its own line:

```ns
let x = 5
require(x > 1, "too small")
```
"#,
    },
    CodeInfo {
        code: "E0316",
        title: "constant does not fit or divides by zero",
        explanation: r#"Arithmetic on values known at compile time is computed at compile time. If it
overflows its type, or divides by zero, it would revert every time the script
runs, so it is reported now. A literal or a parameter's value that does not fit
the type it is given (`let x: uint8 = 300`, `--param small=256`) is reported the
same way, with the type's range.

```ns,ignore
let x: uint8 = 200 + 100       // error: does not fit in `uint8`
```

Use a wider type, or fix the arithmetic:

```ns
let x: uint16 = 200 + 100
```

The largest `uint256` is `uint256.max`; `2**256 - 1` overflows while it is computed
(`2**256` does not fit). A fixed-point value must fit too: `fixed(x, d)` takes at
most 77 decimals, and `x × 10^d` must be below 2²⁵⁶.
"#,
    },
    CodeInfo {
        code: "E0317",
        title: "invalid conversion",
        explanation: r#"An `as` conversion that is not allowed. `as` converts between integer widths
(a narrowing `as` reverts when the value does not fit), between `uint256` and
amounts, and from tokens and contract instances to `address` and to interfaces.
Integers never convert to addresses, so that a number cannot be mistaken for an
account, and an amount of one token never converts directly to another.

```ns,ignore
let a = 1 as address           // error: cannot convert `uint256` to `address`
```

Converting an amount to another token needs a price: swap, or read an oracle.
Going through `as uint256` is not a conversion (it keeps the base units: `1_000 DAI`
would become 10¹⁵ USDC). To restate the same number of units in the other
token's decimals (stablecoins at par), use `at_par(amount, TOKEN)`, which is exact:
it refuses (`E0309`) a compile-time amount that would lose a fraction, and a
run-time amount going to fewer decimals (this code).

```ns
use std::ethereum::{USDC, DAI}
let target: USDC = at_par(1_000 DAI, USDC)
return target
```

`bytesN` converts only to and from `uintM` of the same size (M = 8 × N), as in
Solidity: the same bytes read as a big-endian number. Other sizes go through the
integer of the same size:

```ns,ignore
let s = 0x095ea7b3 as bytes4
let w = s as uint256           // error: cannot convert `bytes4` to `uint256`
```

```ns
let s = 0x095ea7b3 as bytes4
let w = (s as uint32) as uint256
return w
```

Write the address as an address literal, or convert a token or contract:

```ns
use std::ethereum::{USDC}
let a = USDC as address
```
"#,
    },
    CodeInfo {
        code: "E0318",
        title: "unreachable statement",
        explanation: r#"A statement follows a `return` or `revert` in the same block, so it never runs.
Such code is almost always a mistake (a statement meant to run before the
script stops).

```ns,ignore
return 1
let x = 2                      // error: unreachable statement
```

```ns
let x = 2
return x
```
"#,
    },
    CodeInfo {
        code: "E0319",
        title: "binding with no value",
        explanation: r#"A `let` binds the result of a call to a function that returns nothing.

```ns,ignore
interface IWETH {
    function deposit() payable;
}
const W = IWETH(0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2)
let x = W.deposit{value: 1 ether}()   // error: `x` would have no value
```

Make the call a statement of its own:

```ns
interface IWETH {
    function deposit() payable;
}
const W = IWETH(0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2)
W.deposit{value: 1 ether}()
```
"#,
    },
    CodeInfo {
        code: "E0320",
        title: "cannot assign",
        explanation: r#"Variables are immutable unless declared `let mut`: a value that cannot change
is one less thing to track when reading a script. Only whole variables can be
assigned; an element or field of one (`xs[0] = 1`, `t.0 = 1`) cannot.

```ns,ignore
let x = 1
x = 2                          // error: cannot assign twice to `x`
```

```ns
let mut x = 1
x = 2
```
"#,
    },
    CodeInfo {
        code: "E0321",
        title: "loop bounds not known at compile time",
        explanation: r#"Nest has no unbounded loops, so that the worst-case cost of a script is known
when it compiles. A `for` loops over an array literal written in place (not a
variable or a call's result), or over a range `a..b` whose bounds are literals,
constants or parameters.

```ns,ignore
for i in 0..block.number { }   // error: range bounds must be known at compile time
```

```ns
param n: uint256 = 3
for i in 0..n { }
```
"#,
    },
    CodeInfo {
        code: "E0322",
        title: "returns of different arity",
        explanation: r#"A script's return data is the ABI encoding of its returned values, and a
caller decodes it with one layout. So every `return` of a script returns the
same number of values (and, value by value, the types of the first `return`).

```ns,ignore
if block.number > 10 {
    return 1, 2
}
return 1                       // error: returns 1 value(s), the first returns 2
```

```ns
if block.number > 10 {
    return 1, 2
}
return 1, 0
```
"#,
    },
    CodeInfo {
        code: "E0323",
        title: "message must be a string literal",
        explanation: r#"The message of `require` and `revert` is encoded into the bytecode as an
`Error(string)` revert reason, so it must be a string literal.

```ns,ignore
let x = 5
require(x > 1, 42)             // error: the message must be a string literal
```

```ns
let x = 5
require(x > 1, "x must be more than 1")
```
"#,
    },
    CodeInfo {
        code: "E0324",
        title: "function may end without returning a value",
        explanation: r#"A function declared with a return type (`fn f() -> T`) must end every path
through its body with `return …` (or `revert(…)`): otherwise the caller would
read a value that was never set.

```ns,ignore
fn pick(a: uint256, b: uint256) -> uint256 {   // error: may end without returning
    if a > b {
        return a
    }
}
```

Return on every path:

```ns
fn pick(a: uint256, b: uint256) -> uint256 {
    if a > b {
        return a
    }
    return b
}
return pick(1, 2)
```
"#,
    },
    CodeInfo {
        code: "E0325",
        title: "nested too deeply",
        explanation: r#"An expression or a block is nested more than 64 levels deep — a sum of
hundreds of terms written on one line, brackets within brackets, `if` inside
`if` inside `if`. The compiler works on the script as a tree and bounds its depth,
so that no input can exhaust its stack; real strategies stay far below the limit.

```ns,ignore
return 1 + 1 + 1 + 1 + …   // error, with 200 terms: nested more than 64 levels deep
```

Split the expression with `let`, or move nested logic into helper functions:

```ns
let a = 1 + 1 + 1 + 1
let b = a + a + a
return b
```
"#,
    },
    CodeInfo {
        code: "E0330",
        title: "an amount of the wrong token for a bound parameter",
        explanation: r#"An interface function can say which token each of its amounts is in, with
`#[units]`: Aave's `supply(asset, amount)` takes `amount` in the token given as
`asset`, a Uniswap swap takes `amountIn` in `path[0]`, an ERC-4626 vault takes
`assets` in its `asset()`. Every amount in the standard library is bound. Passing an
amount of another token is an error that names both, also when the amount was made a
plain integer with `as uint256` on the way:

```ns,ignore
use std::ethereum::{USDC, WETH, AAVE_V3_POOL}
AAVE_V3_POOL.supply(USDC, 1 WETH, self, 0)   // error: `amount` is an amount of USDC, not of WETH
```

Pass an amount of the token the parameter is in. Turning one token into another takes
a price: a swap, or an oracle. For stablecoins, `at_par(x, USDC)` restates an amount
unit for unit in USDC's decimals, exactly:

```ns
use std::ethereum::{USDC, DAI, AAVE_V3_POOL}
param budget: DAI = 1_000 DAI
AAVE_V3_POOL.supply(USDC, at_par(budget, USDC), self, 0)
```
"#,
    },
    CodeInfo {
        code: "E0331",
        title: "a bare number for a bound amount",
        explanation: r#"A parameter bound to a token (`#[units]`) was given a number without a unit.
`supply(USDC, 1000, self, 0)` would supply 1000 base units, 0.001 USDC: whether a
bare number counts whole tokens or base units would be a guess, so it is refused.

```ns,ignore
use std::ethereum::{USDC, AAVE_V3_POOL}
AAVE_V3_POOL.supply(USDC, 1000, self, 0)   // error: a bare number for `amount`, an amount of USDC
```

Write the unit: `1_000 USDC` is a thousand whole USDC, `0.001 USDC` a thousand base
units. Two numbers need no unit, because they mean the same in every token: `0`, and
the parameter type's maximum (`~0`), which protocols read as "all of it" (Aave's
`withdraw` and `repay`):

```ns
use std::ethereum::{USDC, AAVE_V3_POOL}
AAVE_V3_POOL.supply(USDC, 1_000 USDC, self, 0)
let all = AAVE_V3_POOL.withdraw(USDC, ~0, self)
return all
```
"#,
    },
    CodeInfo {
        code: "E0332",
        title: "a plain integer for a bound amount",
        explanation: r#"A parameter bound to a token (`#[units]`) was given a plain integer (a
`uint256` computed or read from somewhere) whose unit the compiler cannot know.

```ns,ignore
use std::ethereum::{USDC, AAVE_V3_POOL}
let room = AAVE_V3_POOL.getUserAccountData(self).availableBorrowsBase
AAVE_V3_POOL.borrow(USDC, room / 100, 2, 0, self)   // error: `amount` is an amount of USDC, and this is a plain `uint256`
```

Say what it counts: `x as USDC` when it is in USDC's base units, `x * 1 USDC` when it
counts whole USDC. An integer that came from an amount through `as uint256` is better
left an amount.

```ns
use std::ethereum::{USDC, AAVE_V3_POOL}
let room = AAVE_V3_POOL.getUserAccountData(self).availableBorrowsBase
AAVE_V3_POOL.borrow(USDC, (room / 100) as USDC, 2, 0, self)
```

Where the token is known only at run time (a loop over tokens), a bound amount is a
plain `uint256` and takes any integer, as it would without a binding.
"#,
    },
    CodeInfo {
        code: "E0333",
        title: "malformed `#[units]` or `#[views]` annotation",
        explanation: r#"`#[units(KEY = TOKEN, …)]` on an interface function binds each amount to its
token. A key is a `uintN` parameter, a `uintN` field of a tuple parameter, a named
return value, or `returns` for the only one; an array of amounts returned
(`uint256[] amounts`) is bound element by element to an `address[]` parameter. A
value is a parameter holding a token's address (`asset`), a field of a tuple parameter
(`params.tokenIn`), an element of an `address[]` or of a packed Uniswap V3 path
(`path[0]`; `path[-1]` is the last), `self` (the called contract is the token),
`self.view()` for a view of the interface that returns an address, or a token. On an
interface, `#[units(f, …)]` first names the function (for interfaces read from a JSON
ABI file). `#[views(view = TOKEN)]` goes on a token or a contract constant and says
what its view returns (`#[views(asset = DAI)] token SDAI = …`).

```ns,ignore
interface IVault {
    #[units(amount = shares)]   // error: `shares` is not a parameter of `deposit(uint256)` nor a token
    function deposit(uint256 amount) external;
}
```

```ns
use std::ethereum::{USDC}
#[grants(none)]
interface IVault {
    #[units(amount = asset, returns = asset)]
    function deposit(address asset, uint256 amount) external returns (uint256);
    #[units(amount = USDC)]
    function fee(uint256 amount) external view returns (bool);
}
const VAULT = IVault(0x0000000000000000000000000000000000000042)
let shares = VAULT.deposit(USDC, 1_000 USDC)
return shares
```
"#,
    },
    CodeInfo {
        code: "W0301",
        title: "`require` always fails",
        explanation: r#"The condition of a `require` is `false` at compile time, so the script reverts
every time it reaches it. The script still compiles.

```ns
require(1 > 2, "never")        // warning: this `require` always fails
```

If the script is meant to stop there, say so with `revert`:

```ns
revert("never")
```
"#,
    },
    CodeInfo {
        code: "W0302",
        title: "value not used",
        explanation: r#"An expression statement that is not a call computes a value and drops it,
which is usually a mistake (a missing `let`, `return` or `require`). The script
still compiles. Calls are not reported: a call is made for its effect.

```ns
let x = 1
x + 1                          // warning: this expression's value is not used
```

```ns
let x = 1
let y = x + 1
```
"#,
    },
];
