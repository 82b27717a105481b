//! Codes for what this version cannot compile yet, and internal errors (E05xx).
//!
//! The compiler refuses what it cannot compile correctly rather than emit wrong code.

use super::CodeInfo;

/// The codes.
pub(super) const CODES: &[CodeInfo] = &[
    CodeInfo {
        code: "E0501",
        title: "helper functions are not supported (no longer reported)",
        explanation: r#"The compiler no longer reports this error; the code is kept so that it can
still be explained. Earlier versions refused `fn` items. Helper functions now
compile (as subroutines), so this script compiles:

```ns
fn double(x: uint256) -> uint256 {
    return x * 2
}
return double(21)
```
"#,
    },
    CodeInfo {
        code: "E0502",
        title: "interfaces from JSON ABI files are not supported (no longer reported)",
        explanation: r#"The compiler no longer reports this error; the code is kept so that it can
still be explained. Earlier versions could not read `interface I = abi("file.json")`.
Interfaces are now read from JSON ABI files (see `E0608` for files that cannot be
read), so this compiles when `vault.json` holds an ABI:

```ns,ignore
interface IVault = abi("./vault.json")
```
"#,
    },
    CodeInfo {
        code: "E0503",
        title: "returning a value that is not one word (no longer reported)",
        explanation: r#"The compiler no longer reports this error; the code is kept so that it can
still be explained.

Earlier versions could return only values of one 32-byte word each (integers,
amounts, addresses, `bool`s, `bytesN`) from a script or a function. Arrays,
tuples, strings and `bytes` are now returned with their standard ABI encoding.
This script used to fail with `E0503` and now compiles:

```ns
use std::ethereum::{USDC, WETH, UNISWAP_V2_ROUTER}
return UNISWAP_V2_ROUTER.getAmountsOut(1 USDC, [USDC, WETH])
```
"#,
    },
    CodeInfo {
        code: "E0504",
        title: "not supported by the code generator yet",
        explanation: r#"The script is well typed, but lowering it to the compiler's IR met a construct
that this version cannot generate code for. This is mostly found when compiling,
not by `nestc check`. The constructs are:

- call arguments and return data whose ABI types nest more than 8 deep;
- passing a fixed-size array returned by a call straight on as a dynamic array
  (bind it with `let` first), to an interface call or (found by `nestc check`) to
  a helper function's `T[]` parameter or a `T[]` variable;
- a field of a tuple literal whose other fields have effects;
- grants through annotated functions whose arguments are not words.

```ns,ignore
interface IPair {
    function pair() external view returns (uint256[2] memory);
    function sum(uint256[] calldata xs) external view returns (uint256);
}
const P: IPair = IPair(0x0000000000000000000000000000000000000001)
return P.sum(P.pair())         // error: a `uint256[2]` result passed as `uint256[]`
```

Bind the result with `let` first:

```ns
interface IPair {
    function pair() external view returns (uint256[2] memory);
    function sum(uint256[] calldata xs) external view returns (uint256);
}
const P: IPair = IPair(0x0000000000000000000000000000000000000001)
let pair = P.pair()
return P.sum(pair)
```

(`**` on signed integers was in this list until it became checked signed
exponentiation.)
"#,
    },
    CodeInfo {
        code: "E0505",
        title: "cannot generate code",
        explanation: r#"The code generator refused a script that is otherwise correct because a limit
of the generated code would be exceeded. The limit today is the grant journal.
When a grant is made inside an `if` or a range loop (`for i in a..b`), which
grants are held at an exit is known only at run time, so every grant is recorded
in a journal in memory when it is made and revoked from it at every exit. The
journal's memory is laid out at compile time for the most entries any run can
record, and that number may be at most 1024. It is worked out from the loops'
bounds: a grant inside `for i in 0..2000` counts 2000 times, and nested loops
multiply.

This is found when compiling, not by `nestc check`.

```ns,ignore
use std::ethereum::{USDC, UNISWAP_V2_ROUTER}
for i in 0..2000 {
    approve(USDC, UNISWAP_V2_ROUTER, 1 USDC)   // error: may record 2000 grants
}
```

Grant once, before the loop, for the whole amount (or lower the loop's bounds):

```ns
use std::ethereum::{USDC, UNISWAP_V2_ROUTER}
approve(USDC, UNISWAP_V2_ROUTER, 2000 USDC)
for i in 0..2000 { }
```
"#,
    },
    CodeInfo {
        code: "E0506",
        title: "loop unrolling too large",
        explanation: r#"A `for` loop over an array literal is compiled as one copy of its body per
element (so each element can be a different token, contract or type). Nested
loops multiply the copies: twenty nested loops over two elements would make a
million copies of the innermost body. All the unrolled copies of a script may make
at most 20,000 IR nodes (statements and expression nodes; the largest script in
the repository needs under 200). The error points at the outermost loop.

This is found when compiling, not by `nestc check`.

```ns,ignore
let mut x = 0
for a in [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] {      // error: unrolled too far
    for b in [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] {
        for c in [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] {
            for d in [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] { x = x + a * b * c * d }
        }
    }
}
return x
```

Loop at run time over an index instead: a range loop is compiled once, whatever
its bounds.

```ns
let xs = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
let mut x = 0
for i in 0..10 {
    for j in 0..10 {
        x = x + xs[i] * xs[j]
    }
}
return x
```
"#,
    },
    CodeInfo {
        code: "E0507",
        title: "too many revocations at exits",
        explanation: r#"When every grant of a script is made outside `if`s and range loops, the
compiler knows which grants are held at each exit and revokes them right there:
each `return`, and the end of the script, gets one revocation per grant held. The
number of grants times the number of exits may be at most 4,096 (the scripts in
the repository need at most 6); more would make a payload of hundreds of
kilobytes. Grants unrolled by a loop over an array literal count once per copy.
The error points at the first grant past the limit.

This is found when compiling, not by `nestc check`.

```ns,ignore
use std::ethereum::{USDC, UNISWAP_V2_ROUTER}
param stop_early: bool = false
for a in [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40] {
    for b in [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40] {
        approve(USDC, UNISWAP_V2_ROUTER, 1 USDC)   // error: 1,600 grants times 3 exits
    }
}
if stop_early {
    return 0
}
return 1
```

Grant once, for the total amount; or put grants in `with` blocks, which revoke
them at their end; or return from fewer places:

```ns
use std::ethereum::{USDC, UNISWAP_V2_ROUTER}
approve(USDC, UNISWAP_V2_ROUTER, 100 USDC)
```
"#,
    },
    CodeInfo {
        code: "E0599",
        title: "internal compiler error",
        explanation: r#"A bug in `nestc`, not in the script: a check the compiler runs on its own
output failed. The IR verifier rejected the output of a pass (for example, a
path that leaves a grant unrevoked), the assembler failed, or the generated
bytecode failed the safety check (an opcode outside the HyVM-safe set, a jump to
a bad destination). No bytecode is produced: the compiler refuses rather than
emit code that might be wrong.

Please report it with the script (and `--param` values) that triggered it, and
the full message. Rewriting the construct named in the message differently may
work around it meanwhile.
"#,
    },
];
