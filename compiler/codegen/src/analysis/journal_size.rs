//! Journal sizing: whether a module records grants in a journal, the bytes of an entry,
//! and the most entries a run may record (loops multiply, each helper's body counted
//! once). Pure analysis of the IR; the journal's code is `crate::journal`.

use alloy_primitives::U256;
use nest_ir::visit::{walk_expr, walk_stmt, Visitor};
use nest_ir::{Block, Expr, GrantId, Module, Operand, Revocation, Stmt, Var};

/// The most entries a journal may need; more is refused at compile time.
pub const MAX_ENTRIES: u64 = 1024;

/// The variables among a revocation's operands, in order: only they are recorded in
/// an entry. Constant operands are pushed from code when the entry is revoked.
pub(crate) fn recorded(r: &Revocation) -> Vec<Var> {
    r.operands()
        .into_iter()
        .filter_map(|o| match o {
            Operand::Var(v) => Some(v),
            Operand::Const(_) => None,
        })
        .collect()
}

/// The journal's shape in memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct JournalSize {
    /// Whether the module records grants in a journal (journal mode).
    pub on: bool,
    /// Bytes per entry: the grant id, then the recorded operands.
    pub entry: u64,
    /// The most entries any run can record; a push beyond it reverts.
    pub capacity: u64,
}

impl JournalSize {
    /// The bytes the journal occupies: its length word, the revoking cursor, the
    /// entries. Never zero in journal mode, whatever the capacity.
    pub(crate) fn bytes(&self) -> u64 {
        if self.on {
            64 + self.entry * self.capacity
        } else {
            0
        }
    }
}

/// The journal's shape for a module.
pub(crate) fn size(m: &Module) -> JournalSize {
    let entry = 32
        * (1 + m
            .grants
            .iter()
            .map(|g| recorded(&g.revoke).len() as u64)
            .max()
            .unwrap_or(0));
    let on = uses_journal(&m.body) || m.functions.iter().any(|f| uses_journal(&f.body));
    JournalSize {
        on,
        entry,
        capacity: if on {
            tally(m).entries.min(MAX_ENTRIES)
        } else {
            0
        },
    }
}

/// What counting a module's journal entries finds.
#[derive(Default, Clone, Copy)]
struct Tally {
    /// The most entries a run may record.
    entries: u64,
    /// The grant recorded the most times, and how many.
    heaviest: Option<(GrantId, u64)>,
}

impl Tally {
    /// Adds `t`, run `mult` times.
    fn add(&mut self, t: Tally, mult: u64) {
        self.entries = self.entries.saturating_add(t.entries.saturating_mul(mult));
        if let Some((g, k)) = t.heaviest {
            let k = k.saturating_mul(mult);
            if self.heaviest.is_none_or(|(_, h)| h < k) {
                self.heaviest = Some((g, k));
            }
        }
    }
}

/// Counts the most entries a run of the script may record. Each helper function's body
/// is counted once (functions never recurse, and one only calls functions defined
/// before it is counted or counts them first), so counting is linear in program size.
fn tally(m: &Module) -> Tally {
    let mut memo: Vec<Option<Tally>> = vec![None; m.functions.len()];
    let mut t = Tally::default();
    count(m, &m.body, 1, &mut t, &mut memo, 0);
    t
}

/// Adds to `n` how many journal entries `b` may record, run `mult` times.
fn count(
    m: &Module,
    b: &Block,
    mult: u64,
    n: &mut Tally,
    memo: &mut Vec<Option<Tally>>,
    depth: u32,
) {
    // Functions never recurse (the checker refuses it); a deeper chain than any
    // real script has is counted as too big rather than trusted.
    if depth > 64 {
        n.entries = u64::MAX;
        return;
    }
    Counter {
        m,
        mult,
        n,
        memo,
        depth,
    }
    .visit_block(b);
}

/// Counts journal entries: each `journal` statement once per run of its block, and the
/// entries of every helper function an expression calls.
struct Counter<'m, 'c> {
    m: &'m Module,
    /// How many times the block being visited runs.
    mult: u64,
    n: &'c mut Tally,
    memo: &'c mut Vec<Option<Tally>>,
    depth: u32,
}

impl<'a> Visitor<'a> for Counter<'_, '_> {
    fn visit_stmt(&mut self, s: &'a Stmt) {
        match s {
            Stmt::Journal(g) => self.n.add(
                Tally {
                    entries: 1,
                    heaviest: Some((*g, 1)),
                },
                self.mult,
            ),
            Stmt::Loop {
                start, end, body, ..
            } => {
                let trips = end
                    .saturating_sub(*start)
                    .min(U256::from(u64::MAX))
                    .to::<u64>();
                let outer = self.mult;
                self.mult = outer.saturating_mul(trips);
                self.visit_block(body);
                self.mult = outer;
            }
            // Every other statement: its expressions (helper calls) and nested blocks.
            _ => walk_stmt(self, s),
        }
    }

    fn visit_expr(&mut self, e: &'a Expr) {
        if let Expr::CallFn { func, .. } = e {
            let f = *func as usize;
            if let Some(func) = self.m.functions.get(f) {
                let t = match self.memo[f] {
                    Some(t) => t,
                    None => {
                        let mut t = Tally::default();
                        count(self.m, &func.body, 1, &mut t, self.memo, self.depth + 1);
                        self.memo[f] = Some(t);
                        t
                    }
                };
                self.n.add(t, self.mult);
            }
        }
        walk_expr(self, e);
    }
}

/// Whether a block records grants in, or revokes from, a journal (calls aside).
fn uses_journal(b: &Block) -> bool {
    struct Uses(bool);
    impl<'a> Visitor<'a> for Uses {
        fn visit_stmt(&mut self, s: &'a Stmt) {
            match s {
                Stmt::Journal(_) | Stmt::JournalMark(_) | Stmt::RevokeJournal(_) => self.0 = true,
                _ => walk_stmt(self, s),
            }
        }
        // Expressions hold no statements (a helper's body is checked on its own).
        fn visit_expr(&mut self, _: &'a Expr) {}
    }
    let mut uses = Uses(false);
    uses.visit_block(b);
    uses.0
}

/// A journal too big to compile: how many entries a run may record, and where the
/// grant recorded the most times is made.
#[derive(Debug, Clone, PartialEq)]
pub struct JournalOverflow {
    /// The most entries a run may record.
    pub entries: u64,
    /// The grant recorded the most times (inside the heaviest loop), where known.
    pub at: Option<nest_ir::Loc>,
}

impl std::fmt::Display for JournalOverflow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the script may record {} grants at run time; the limit is {MAX_ENTRIES}",
            self.entries
        )
    }
}

/// The journal's overflow, if the module may record more than [`MAX_ENTRIES`] grants.
pub fn journal_overflow(m: &Module) -> Option<JournalOverflow> {
    let t = tally(m);
    (t.entries > MAX_ENTRIES).then(|| JournalOverflow {
        entries: t.entries,
        at: t
            .heaviest
            .and_then(|(g, _)| m.grants.get(g.0 as usize))
            .and_then(|g| g.loc),
    })
}

/// Refuses modules whose journal would be unreasonably large.
pub(crate) fn check_bounds(m: &Module) -> Result<(), String> {
    match journal_overflow(m) {
        Some(o) => Err(o.to_string()),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Grant #0 (one variable operand) journaled 3 times by a loop; helper @0, which
    /// journals grant #1 twice, called 3 × 4 times in nested loops and once in an `if`'s
    /// condition.
    const NESTED: &str = "\
returns (uint256)
var %0 i
var %1 j
var %2 x
var %3 r
var %4 spender
grant #0 erc20-allowance dynamic revoke force_approve(0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48, %4, 0)
grant #1 erc20-allowance dynamic revoke force_approve(0x6b175474e89094c44da98b954eedeac495271d0f, 0x7a250d5630b4cf539739df2c5dacb4c659f2488d, 0)
---
%4 = 0x7a250d5630b4cf539739df2c5dacb4c659f2488d
loop %0 in 0..3 {
    journal #0
    loop %1 in 0..4 {
        %3 = call_fn @0(1)
    }
}
if call_fn @0(2) {
    revoke_journal
    stop
}
revoke_journal
return 1
--- fn @0 f(%2) -> %3
journal #1
journal #1
return %2
";

    #[test]
    fn loops_multiply_and_helpers_count_once_per_call() {
        let m = nest_ir::parse(NESTED).expect("IR text");
        let t = tally(&m);
        assert_eq!(t.entries, 3 + 3 * 4 * 2 + 2);
        // The heaviest single `journal` statement: each of the helper's two runs 12 times
        // (grant #0's runs 3 times).
        assert_eq!(t.heaviest, Some((GrantId(1), 12)));
        let size = size(&m);
        assert!(size.on);
        // The grant id and grant #0's one variable operand (grant #1's are constants).
        assert_eq!(size.entry, 64);
        assert_eq!(size.capacity, 29);
        assert_eq!(size.bytes(), 64 + 64 * 29);
        assert_eq!(journal_overflow(&m), None);
    }

    #[test]
    fn too_many_entries_overflow_and_no_journal_takes_no_room() {
        let big = NESTED.replace("loop %1 in 0..4", "loop %1 in 0..400");
        let m = nest_ir::parse(&big).expect("IR text");
        let overflow = journal_overflow(&m).expect("overflows");
        assert_eq!(overflow.entries, 3 + 3 * 400 * 2 + 2);
        assert!(check_bounds(&m).is_err());
        assert_eq!(size(&m).capacity, MAX_ENTRIES);

        let plain = nest_ir::parse("returns (uint256)\n---\nreturn 1\n").expect("IR text");
        let size = size(&plain);
        assert!(!size.on);
        assert_eq!((size.capacity, size.bytes()), (0, 0));
    }

    #[test]
    fn a_journal_used_only_in_a_helper_switches_journal_mode_on() {
        let m = nest_ir::parse(
            "returns (uint256)\n---\ncall_fn @0()\nreturn 1\n--- fn @0 g()\nrevoke_journal\n",
        )
        .expect("IR text");
        let size = size(&m);
        assert!(size.on);
        assert_eq!(size.capacity, 0);
        assert_eq!(size.bytes(), 64);
    }
}
