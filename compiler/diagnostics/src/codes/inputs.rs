//! Input codes (E06xx): parameters, imports, files.

use super::CodeInfo;

/// The codes.
pub(super) const CODES: &[CodeInfo] = &[
    CodeInfo {
        code: "E0601",
        title: "no such standard library module",
        explanation: r#"A `use std::…` names a module the standard library does not have. The
standard library is built into the compiler, so compiling never depends on where
`nestc` is installed; it has `std::erc20`, `std::uniswap_v2` and `std::ethereum`
(the help line lists them).

```ns,ignore
use std::aave::{POOL}          // error: no module `std::aave` in the standard library
```

Import from a module that exists, or declare what you need in your own file:

```ns
use std::ethereum::{USDC, UNISWAP_V2_ROUTER}
```
"#,
    },
    CodeInfo {
        code: "E0602",
        title: "cannot read an imported file",
        explanation: r#"A `use "path"::{…}` names a file that could not be loaded; the label gives the
reason (no such file, permission denied, …). Paths are relative to the folder of
the file that contains the `use`, not to the current directory. An absolute path
(`/…`, `C:\…`, `~/…`), or a file that is not a `.ns` script (a `.json` ABI for
`abi(…)`), is refused without being read.

```ns,ignore
// swaps/main.ns
use "./missing.ns"::{ROUTER}   // error: cannot read `./missing.ns`
```

Only regular files are read, following symlinks: a named pipe (FIFO), a device
such as `/dev/zero`, a socket or a directory is refused without reading it (the
file is opened without waiting and the open file's type is checked). A file may
have at most 4 MiB, and the imports and ABI files of one compilation together at
most 32 MiB. The label says which rule the file broke.

Fix the path, as seen from the importing file:

```ns,ignore
// swaps/main.ns, importing lib/common.ns
use "../lib/common.ns"::{ROUTER}
```
"#,
    },
    CodeInfo {
        code: "E0603",
        title: "import cycle",
        explanation: r#"Two modules import each other, directly or through others. A module's items
are resolved from the modules it imports, so a cycle has no starting point. The
note shows the cycle; the error points at the `use` that closes it.

```ns,ignore
// a.ns
use "./b.ns"::{B}
const A = 1

// b.ns
use "./a.ns"::{A}              // error: import cycle through `a.ns`
const B = A + 1
```

Move the shared items into a module that both can import:

```ns,ignore
// common.ns
const A = 1

// b.ns
use "./common.ns"::{A}
const B = A + 1
```
"#,
    },
    CodeInfo {
        code: "E0604",
        title: "`param` in an imported module",
        explanation: r#"Parameters belong to the script being compiled: `--param` sets them, and
their values are baked into that script's bytecode. An imported module cannot
declare one.

```ns,ignore
// common.ns, imported by main.ns
param slippage_bps: uint256 = 50   // error: `param slippage_bps` in an imported module
```

Declare the parameter in the main script instead:

```ns
param slippage_bps: uint256 = 50
require(slippage_bps <= 10_000, "slippage above 100%")
```
"#,
    },
    CodeInfo {
        code: "E0605",
        title: "invalid `--param`",
        explanation: r#"A `--param NAME=VALUE` on the command line names a parameter the script does
not declare, or its value is not one expression. The value is written as in
source: `2500 USDC`, `0.5 WETH`, `0x…`, `42`, `true`.

For this script:

```ns
use std::ethereum::{USDC}
param amount: USDC = 1000 USDC
return amount
```

`--param 'amout=2500 USDC'` is an error (the script has no parameter `amout`; the
help line lists the ones it has), and so is `--param 'amount=1 USDC; 2 USDC'`
(two values). Write `--param 'amount=2500 USDC'`. Quote the argument so the shell
passes the space through.
"#,
    },
    CodeInfo {
        code: "E0606",
        title: "parameter has no value",
        explanation: r#"A `param` declared without a default needs a value from `--param` when the
script is compiled or run: a script receives no calldata, so every input is baked
into its bytecode. `nestc check` accepts the script without one.

```ns,ignore
param recipient: address       // error when compiling without `--param recipient=…`
return recipient
```

Pass it (`--param 'recipient=0x…'`), or give the parameter a default:

```ns
param recipient: address = 0x000000000000000000000000000000000000dEaD
return recipient
```
"#,
    },
    CodeInfo {
        code: "E0607",
        title: "statements in an imported module",
        explanation: r#"An imported module contains a statement. Modules hold tokens, interfaces and
constants for scripts to share; only the script being compiled runs statements,
so a statement in a module would never run.

```ns,ignore
// common.ns, imported by main.ns
const ROUTER = 0x7a250d5630B4cF539739dF2C5dAcb4c659F2488D
require(true, "loaded")        // error: an imported module cannot contain statements
```

Keep items in the module and move statements into the script:

```ns
const ROUTER = 0x7a250d5630B4cF539739dF2C5dAcb4c659F2488D
require(ROUTER != 0x0000000000000000000000000000000000000000, "no router")
```
"#,
    },
    CodeInfo {
        code: "E0608",
        title: "not a JSON ABI",
        explanation: r#"`interface I = abi("file.json")` reads the interface's functions from a JSON
ABI file: the array that solc (`solc --abi`) and block explorers emit, or a build
artifact (Foundry, Hardhat) that holds it under `"abi"`. This error means the file
is not valid JSON, not an ABI, or uses a type Nest cannot read.

```ns,ignore
interface IPool = abi("./pool.txt")   // error: `./pool.txt` is not a JSON ABI
```

Point at the ABI itself, or declare the interface with Solidity signatures:

```ns
interface IPool {
    function supply(address asset, uint256 amount, address onBehalfOf, uint16 referralCode);
}
```
"#,
    },
];
