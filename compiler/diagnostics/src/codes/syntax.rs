//! Syntax codes (E01xx): the text does not have the shape of a Nest script.

use super::CodeInfo;

/// The codes.
pub(super) const CODES: &[CodeInfo] = &[
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
    CodeInfo {
        code: "E0114",
        title: "line break other than LF or CRLF",
        explanation: r#"A line of a script ends with a line feed (LF) or a carriage return and a line
feed (CRLF). Any other line break is refused: a carriage return alone (old Mac
line ends), a vertical tab, a form feed, NEXT LINE (U+0085), LINE SEPARATOR
(U+2028) or PARAGRAPH SEPARATOR (U+2029).

Tools disagree on whether these characters end a line: `cat` and some editors
show a lone carriage return as a line break, others show nothing or a symbol.
In Nest a line break ends a statement and a `//` comment, so the same bytes could
read as a comment to a reviewer and as code to the compiler (or the reverse):

```text
let limit = 100 // was 10<CR>limit = 10_000
```

The error points at the first such character; a note counts the others.

Save the file with LF (or CRLF) line ends: `nestc fmt` turns lone carriage
returns into line feeds (and CRLF into LF) when none is inside a string. In a
string, write a carriage return as the escape `\r` and the others as `\u{2028}`:

```ns
let mut limit = 10
// the old limit was 100
limit = 10_000
require(limit > 0, "line one\rline two")
return limit
```
"#,
    },
    CodeInfo {
        code: "E0115",
        title: "bidirectional control character",
        explanation: r#"The text holds a Unicode bidirectional control character: an embedding or
override (U+202A–U+202E), an isolate (U+2066–U+2069) or a mark (U+200E, U+200F,
U+061C). These change the order in which editors, terminals and code review
tools *display* the characters around them, but not the order in which the
compiler reads them, so a script can look different from what it compiles to —
code that looks commented out runs, or a string appears to end where it does not
("Trojan Source", CVE-2021-42574). They are refused everywhere: in code, in
strings and in comments.

The error names the character. Remove it. If a string really must hold one
(a message in a right-to-left language), write it as an escape, which is
visible:

```ns
let amount = 1
require(amount < 10, "too \u{202E}large")
return amount
```
"#,
    },
    CodeInfo {
        code: "E0116",
        title: "invisible character",
        explanation: r#"A string literal, or the code outside comments, holds a character that
displays as nothing: a zero-width space, non-joiner or joiner (U+200B–U+200D), a
word joiner or invisible operator (U+2060–U+2064), a soft hyphen (U+00AD), a
variation selector, a Hangul filler, a tag character, or a byte order mark
(U+FEFF) anywhere but at the very start of the file.

Strings are hashed (`keccak256`), ABI-encoded and compared: two strings that look
identical to a reviewer would give different bytes if one held such a character,
for example a function signature whose selector silently changes.

Remove the character. If a string must hold it, write it as an escape, which is
visible: `"a\u{200D}b"`. Comments may contain these characters (some scripts need
joiners), but not bidirectional controls (`E0115`). Names are ASCII letters,
digits and `_`, so no invisible or look-alike character can be part of one.

```ns
let selector = keccak256("transfer(address,uint256)")
return selector
```
"#,
    },
    CodeInfo {
        code: "E0117",
        title: "brackets nested too deep",
        explanation: r#"More than 1,024 `(`, `[` or `{` are open at once. The file is not parsed
further: the parser's memory grows with every level, and no script needs this
many (the checker refuses expressions and blocks nested more than 64 deep,
`E0325`). The error points at the first bracket past the limit.

```text
let x = [[[[[[ … 1,025 levels … ]]]]]]
```

Split the expression or the block: bind inner parts to names with `let` first:

```ns
let inner = [[1, 2], [3, 4]]
let outer = [inner, inner]
return outer[1][0][1]
```
"#,
    },
];
