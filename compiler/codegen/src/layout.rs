//! The memory layout of generated code.
//!
//! | range | use |
//! |---|---|
//! | `0x00..0x1c` | scratch: with the call buffer's first word, `approve` results, fused return words, revert payloads |
//! | `0x1c..` | the call buffer: the largest call data of the script whose size is known at compile time (its selector ends word 0, so one `PUSH0`-addressed MSTORE stores it, and its arguments are word-aligned); calls and returns encoded at run time save their run-time values here |
//! | next word | the heap pointer (only when calls return data or values are allocated) |
//! | then | one word per IR variable |
//! | then | the journal, in journal mode (even when no run can record an entry): its length, the revoking cursor, then room for its capacity of entries; a push beyond it reverts |
//! | then | the heap: copies of return data and `bytes`, string, array and tuple values, bump-allocated, never freed; call data and return data whose size is only known at run time are built at the heap pointer |

use crate::analysis::fused_match::fused_read;
use crate::analysis::journal_size;
use crate::options::Options;
use nest_ir::abi::{is_word, leaves, tuple_size};
use nest_ir::visit::for_each_expr;
use nest_ir::{Arg, Expr, Module, Revocation};

/// Where things live in memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Layout {
    /// Address of variable 0.
    pub vars: u64,
    /// The heap pointer's address.
    pub heap_ptr: u64,
    /// Start of the call buffer.
    pub call_buf: u64,
    /// The journal's length word (entries follow after a scratch word).
    pub journal: u64,
    /// Bytes per journal entry (grant id, then its revocation's variable operands).
    pub journal_entry: u64,
    /// How many entries the journal holds (a run recording more reverts).
    pub journal_capacity: u64,
    /// The journal's bytes: zero when the module uses no journal, else at least its
    /// length word and cursor.
    pub journal_bytes: u64,
    /// Start of the heap.
    pub heap: u64,
    /// Whether any call returns data (so the heap pointer must be set up).
    pub uses_heap: bool,
}

/// A fixed region of memory and what owns it: `[start, end)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Region {
    /// What the region holds.
    pub owner: &'static str,
    /// First byte.
    pub start: u64,
    /// One past the last byte.
    pub end: u64,
}

/// Where the call buffer starts: its selector is the last four bytes of word 0, so the
/// cheapest offset (`PUSH0`) stores the selector and receives an `approve` result.
pub(crate) const CALL_BUF: u64 = 0x1c;

impl Layout {
    /// Computes the layout of a module.
    pub fn of(m: &Module, opts: &Options) -> Layout {
        let mut max_call = 0x44u64; // force-approve's call data
        let mut uses_heap = false;
        // Calls whose single read is fused read their result in scratch memory.
        let mut fused_calls: std::collections::HashSet<*const nest_ir::CallExpr> =
            std::collections::HashSet::new();
        let mut visit = |e: &Expr| {
            if let Some(read) = fused_read(e, opts) {
                fused_calls.insert(read.call());
            }
            if let Expr::Call(c) = e {
                max_call = max_call.max(calldata_len(&c.args));
                let fused = fused_calls.contains(&(&**c as *const nest_ir::CallExpr));
                uses_heap |= (!c.outputs.is_empty() && !fused) || tuple_size(&c.args).is_none();
            }
            if let Expr::Encode(args) = e {
                // Values with effects are saved in the call buffer while encoding.
                max_call = max_call.max(32 * leaves(args).len() as u64);
                uses_heap = true;
            }
        };
        for_each_expr(&m.body, &mut visit);
        for f in &m.functions {
            for_each_expr(&f.body, &mut visit);
        }
        if m.returns.iter().any(|t| !is_word(t)) {
            uses_heap = true;
            max_call = max_call.max(32 * m.returns.len() as u64);
        }
        for g in &m.grants {
            if let Revocation::Call { args, .. } = &g.revoke {
                max_call = max_call.max(4 + 32 * args.len() as u64);
            }
        }
        let call_buf = CALL_BUF;
        let heap_ptr = (call_buf + max_call).div_ceil(32) * 32;
        let vars = heap_ptr + 32;
        let journal = vars + 32 * m.vars.len() as u64;
        let size = journal_size::size(m);
        let heap = journal + size.bytes();
        let layout = Layout {
            vars,
            heap_ptr,
            call_buf,
            journal,
            journal_entry: size.entry,
            journal_capacity: size.capacity,
            journal_bytes: size.bytes(),
            heap,
            uses_heap,
        };
        debug_assert_eq!(layout.overlaps(), None, "{layout:?}");
        layout
    }

    /// The fixed regions of memory, each with its owner, in address order. Scratch
    /// memory and the call buffer are rewritten by every call; the heap pointer,
    /// variables and journal persist for the whole run; the heap grows from its start.
    pub fn regions(&self) -> Vec<Region> {
        let region = |owner, start, end| Region { owner, start, end };
        vec![
            region("scratch", 0, self.call_buf),
            region("call buffer", self.call_buf, self.heap_ptr),
            region("heap pointer", self.heap_ptr, self.vars),
            region("variables", self.vars, self.journal),
            region("journal", self.journal, self.journal + self.journal_bytes),
            region("heap", self.heap, u64::MAX),
        ]
    }

    /// Two regions that overlap, if any (there never should be).
    pub fn overlaps(&self) -> Option<(Region, Region)> {
        let regions = self.regions();
        regions.iter().enumerate().find_map(|(i, a)| {
            regions[i + 1..]
                .iter()
                .find(|b| a.start < b.end && b.start < a.end && a.start < a.end && b.start < b.end)
                .map(|b| (*a, *b))
        })
    }

    /// The address of a variable.
    pub fn var(&self, v: nest_ir::Var) -> u64 {
        self.vars + 32 * v.0 as u64
    }
}

/// The bytes of the call buffer a call needs: its call data when its size is known
/// at compile time, else a word for each run-time value it saves there.
pub(crate) fn calldata_len(args: &[Arg]) -> u64 {
    match tuple_size(args) {
        Some(n) => 4 + n,
        None => 32 * leaves(args).len() as u64,
    }
}
