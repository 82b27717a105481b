//! Syntax codes (E01xx): the text does not have the shape of a Nest script.

use super::CodeInfo;

/// The codes.
pub const CODES: &[CodeInfo] = &[
    CodeInfo {
        code: "E0101",
        title: "unexpected token",
        explanation: r#"The parser met a token that cannot appear where it is. The message lists what
could have come instead.

```ns,ignore
let x = 1 2        // error: a statement ends at the line break or a `;`
```

Statements need no `;`, but two statements on one line must be separated by one:

```ns
let x = 1; let y = 2
```
"#,
    },
    CodeInfo {
        code: "E0102",
        title: "unclosed delimiter",
        explanation: r#"A `(`, `[` or `{` is never closed. The error points at the opening character;
the end of input, where the parser gave up looking, is shown as a second label.

```ns,ignore
fn f() -> uint256 {
    return 1
// error: the `{` after `uint256` is never closed
```

Add the matching `)`, `]` or `}`.
"#,
    },
    CodeInfo {
        code: "E0103",
        title: "unterminated string",
        explanation: r#"A string literal has no closing `"`. The error points at the opening quote.

```ns,ignore
require(ok, "slippage)
```

Add the closing quote: `"slippage"`. A `"` inside a string is written `\"`.
"#,
    },
    CodeInfo {
        code: "E0104",
        title: "invalid number literal",
        explanation: r#"A number is not written as Nest reads numbers: decimal digits (`1000`), with
an optional fraction (`0.25`), or `0x` and hex digits (`0xff`, a 40-digit address,
a 64-digit `bytes32`). Underscores may separate digits (`1_000`, `1_000.5`) but
cannot start or end a number or touch the decimal point. A unit is a separate word.

```ns,ignore
let a = 10gwei     // error: write `10 gwei`
let b = 1__000     // error: one underscore between digits
let c = 0x         // error: no digits
```
"#,
    },
    CodeInfo {
        code: "E0105",
        title: "reserved keyword",
        explanation: r#"`while` and `loop` are reserved: Nest has no unbounded loops, so that the
worst-case cost of a script is known when it compiles.

```ns,ignore
while i < 3 { i += 1 }
```

Loop over a range whose bounds are compile-time constants, or over an array:

```ns
for i in 0..3 { }
```
"#,
    },
    CodeInfo {
        code: "E0106",
        title: "chained comparison",
        explanation: r#"Comparison operators do not chain: `a < b < c` would compare a `bool` with `c`.

```ns,ignore
require(0 < x < 10, "range")
```

Join two comparisons with `&&`:

```ns,ignore
require(0 < x && x < 10, "range")
```
"#,
    },
    CodeInfo {
        code: "E0107",
        title: "invalid character",
        explanation: r#"A character that starts no token (such as `@`, `$`, `?` or a non-ASCII letter
outside a string or comment).

```ns,ignore
let x = 1 @ 2
```

Remove it. Names are ASCII letters, digits and `_`; other text belongs in strings
or comments.
"#,
    },
    CodeInfo {
        code: "E0108",
        title: "invalid hex string",
        explanation: r#"A `hex"…"` literal must hold an even number of hex digits (whole bytes),
optionally separated by `_`.

```ns,ignore
let b = hex"abc"    // error: three digits
let c = hex"zz"     // error: not hex
```

```ns
let d = hex"dead_beef"
```
"#,
    },
    CodeInfo {
        code: "E0109",
        title: "mismatched closing delimiter",
        explanation: r#"A `)`, `]` or `}` does not close the innermost open delimiter, or closes
nothing at all.

```ns,ignore
let xs = [1, 2)
```

Close delimiters in the reverse order they were opened: `[1, 2]`.
"#,
    },
    CodeInfo {
        code: "E0110",
        title: "invalid escape in string",
        explanation: r#"A `\` in a string starts an escape; this one is not known. The escapes are
`\n`, `\t`, `\r`, `\0`, `\\`, `\"`, `\'`, `\x41` (ASCII) and `\u{1F600}`.

```ns,ignore
revert("bad \q")
```

Write `\\` for a backslash.
"#,
    },
    CodeInfo {
        code: "E0111",
        title: "unterminated block comment",
        explanation: r#"A `/*` comment has no matching `*/` (block comments nest, so each `/*` needs
its own `*/`).

```ns,ignore
/* a comment
let x = 1
```
"#,
    },
    CodeInfo {
        code: "E0112",
        title: "invalid assignment target",
        explanation: r#"The left side of `=`, `+=`, `-=` or `*=` must be a place: a `let mut`
variable, or an element or field of one.

```ns,ignore
balance(USDC) = 0
```

Bind the value to a mutable variable first:

```ns,ignore
let mut b = balance(USDC)
b = 0
```
"#,
    },
    CodeInfo {
        code: "E0113",
        title: "unsupported function modifier",
        explanation: r#"An interface function may carry `external` or `public` (accepted and
ignored) and one of `view`, `pure` or `payable`; other Solidity modifiers
(`internal`, `virtual`, `override`, …) mean nothing for a call from a script.

```ns,ignore
interface I {
    function f() external virtual;
}
```

Remove the modifier.
"#,
    },
];
