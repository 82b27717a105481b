//! ABI encoding of call arguments and of the script's return values.
//!
//! When every size is known at compile time (words, literals, `bytes` constants,
//! static values copied from return data), the encoding is a constant template
//! copied with one CODECOPY and patched with the run-time words: offsets are
//! computed here. Otherwise (a returned `bytes` or `T[]` passed on) the encoding is
//! built at the heap pointer with offsets computed at run time: constant parts are
//! still CODECOPYed, dynamic values are re-encoded from their validated copies
//! (nested offsets are rewritten, so the result is canonical whatever the callee
//! sent), and memory is copied with the identity precompile.

use crate::abi_stack::{Slot, Stk};
use crate::emit::Gen;
use alloy_dyn_abi::DynSolType;
use alloy_primitives::U256;
use nest_evm::Opcode as O;
use nest_ir::abi::{arg_dynamic, arg_size, head_of, head_offsets, leaves, static_size, tuple_size};
use nest_ir::{Arg, Env, Expr};

/// Static copies up to this many words are unrolled; longer ones use the identity precompile.
const UNROLL_WORDS: u64 = 4;

/// The identity precompile.
const IDENTITY: u64 = 4;

/// Whether an expression gives the same value at any point of a call's argument
/// evaluation (so it need not be saved before the others are evaluated).
fn stable(e: &Expr) -> bool {
    match e {
        Expr::Const(_) | Expr::Var(_) => true,
        Expr::Env(env) => *env != Env::SelfBalance,
        Expr::Op(_, xs) => xs.iter().all(stable),
        Expr::Word { ptr, .. } | Expr::ArrayPtr { ptr, .. } => {
            !matches!(**ptr, Expr::Const(_)) && stable(ptr)
        }
        _ => false,
    }
}

/// What a template leaves to run time.
enum Patch<'a> {
    /// A word.
    Word(&'a Expr),
    /// A static value of this many bytes, copied from the pointer.
    Copy(&'a Expr, u64),
}

/// A constant encoding with holes for run-time values.
#[derive(Default)]
struct Template<'a> {
    bytes: Vec<u8>,
    patches: Vec<(u64, Patch<'a>)>,
}

impl<'a> Template<'a> {
    fn word(&mut self, at: u64, v: U256) {
        let at = at as usize;
        if self.bytes.len() < at + 32 {
            self.bytes.resize(at + 32, 0);
        }
        self.bytes[at..at + 32].copy_from_slice(&v.to_be_bytes::<32>());
    }

    fn reserve(&mut self, end: u64) {
        if self.bytes.len() < end as usize {
            self.bytes.resize(end as usize, 0);
        }
    }

    /// Lays out a tuple at `start`; returns where its encoding ends.
    fn tuple(&mut self, xs: &'a [Arg], start: u64) -> u64 {
        let mut tail = start + xs.iter().map(head_of).sum::<u64>();
        self.reserve(tail);
        let mut head = start;
        for x in xs {
            if arg_dynamic(x) {
                self.word(head, U256::from(tail - start));
                tail = self.value(x, tail);
            } else {
                self.value(x, head);
            }
            head += head_of(x);
        }
        tail
    }

    /// Lays out a value at `at`; returns where its encoding ends.
    fn value(&mut self, a: &'a Arg, at: u64) -> u64 {
        match a {
            Arg::Word(Expr::Const(v)) => {
                self.word(at, *v);
                at + 32
            }
            Arg::Word(e) => {
                self.reserve(at + 32);
                self.patches.push((at, Patch::Word(e)));
                at + 32
            }
            Arg::Tuple(xs) => self.tuple(xs, at),
            Arg::Array(xs) => {
                self.word(at, U256::from(xs.len()));
                self.tuple(xs, at + 32)
            }
            Arg::Bytes(b) => {
                self.word(at, U256::from(b.len()));
                let end = at + 32 + (b.len() as u64).div_ceil(32) * 32;
                self.reserve(end);
                let from = at as usize + 32;
                self.bytes[from..from + b.len()].copy_from_slice(b);
                end
            }
            Arg::Encoded { ptr, ty } => {
                let size = static_size(ty).unwrap_or(32);
                self.reserve(at + size);
                self.patches.push((at, Patch::Copy(ptr, size)));
                at + size
            }
        }
    }

    /// The byte ranges the run-time values overwrite after the copy: the blob's holes,
    /// which the data section may fill with other bytes (see `nest_evm::Program::holes`).
    fn holes(&self) -> Vec<std::ops::Range<usize>> {
        self.patches
            .iter()
            .map(|(at, p)| {
                let n = match p {
                    Patch::Word(_) => 32,
                    Patch::Copy(_, n) => *n,
                };
                *at as usize..(*at + n) as usize
            })
            .collect()
    }

    /// Whether the run-time values cover every byte (so nothing needs copying).
    fn covered(&self) -> bool {
        self.covered_from(0)
    }

    /// Whether the run-time values cover every byte from `start` on.
    fn covered_from(&self, start: usize) -> bool {
        let mut seen = vec![false; self.bytes.len()];
        seen.iter_mut().take(start).for_each(|b| *b = true);
        for (at, p) in &self.patches {
            let n = match p {
                Patch::Word(_) => 32,
                Patch::Copy(_, n) => *n,
            };
            seen[*at as usize..(*at + n) as usize]
                .iter_mut()
                .for_each(|b| *b = true);
        }
        seen.iter().all(|b| *b)
    }
}

/// Where a static copy goes: a constant address, or a stack item plus a constant.
#[derive(Clone, Copy)]
enum Dst {
    Const(u64),
    Slot(Slot, u64),
}

impl Dst {
    fn push(self, s: &mut Stk, k: u64) {
        match self {
            Dst::Const(a) => s.push(a + k),
            Dst::Slot(slot, off) => s.at(slot, off + k),
        }
    }

    fn plus(self, k: u64) -> Dst {
        match self {
            Dst::Const(a) => Dst::Const(a + k),
            Dst::Slot(slot, off) => Dst::Slot(slot, off + k),
        }
    }
}

impl Gen {
    /// Encodes `selector ‖ args` into the call buffer when every size is known at
    /// compile time; returns the call data's length, or None (nothing emitted).
    pub(crate) fn encode_static(&mut self, selector: [u8; 4], args: &[Arg]) -> Option<u64> {
        tuple_size(args)?;
        let buf = self.layout.call_buf;
        let mut t = Template {
            bytes: selector.to_vec(),
            patches: Vec::new(),
        };
        let len = t.tuple(args, 4);
        for (_, p) in &t.patches {
            match p {
                Patch::Word(e) | Patch::Copy(e, _) => self.expr(e),
            }
        }
        if self.opts.selector_store && t.covered_from(4) {
            // Only the selector is constant: one MSTORE ending at the buffer's 4th byte
            // (the 28 bytes before the buffer are padding).
            let mut word = [0u8; 32];
            word[28..].copy_from_slice(&selector);
            self.push(U256::from_be_bytes(word));
            self.pushn(buf - 28);
            self.op(O::MSTORE);
        } else {
            let holes = t.holes();
            let data = self.p.add_template(t.bytes, holes);
            self.pushn(len);
            self.push_data(data);
            self.pushn(buf);
            self.op(O::CODECOPY);
        }
        for (at, p) in t.patches.iter().rev() {
            match p {
                Patch::Word(_) => {
                    self.pushn(buf + at);
                    self.op(O::MSTORE);
                }
                Patch::Copy(_, size) => {
                    copy_static(&mut Stk::new(self, 1), *size, Dst::Const(buf + at))
                }
            }
        }
        Some(len)
    }

    /// Encodes `selector ‖ args` (or only `args`) at the heap pointer, with offsets
    /// computed at run time: `[..]` → `[.., base, len]`. The heap pointer is not
    /// moved: the encoding is consumed before anything is allocated.
    pub(crate) fn encode_runtime(&mut self, selector: Option<[u8; 4]>, args: &[Arg]) {
        self.encode_at_heap(selector.map_or(Head::Nothing, Head::Selector), args);
    }

    /// `abi.encode(args)`: allocates `bytes` holding the encoding of the arguments
    /// at the heap pointer and moves the pointer past it: `[..]` → `[.., ptr]`, a
    /// pointer to the length word.
    pub(crate) fn encode_bytes(&mut self, args: &[Arg]) {
        // [base, len]: the length word is at base, the encoding after it.
        self.encode_at_heap(Head::LengthWord, args);
        self.ops(&[O::DUP2, O::DUP2, O::ADD]);
        self.pushn(self.layout.heap_ptr);
        self.op(O::MSTORE);
        self.pushn(32);
        self.ops(&[O::SWAP1, O::SUB, O::DUP2, O::MSTORE]);
    }

    /// Encodes `head ‖ args` at the heap pointer: `[..]` → `[.., base, len]`.
    fn encode_at_heap(&mut self, head: Head, args: &[Arg]) {
        // Values with effects are evaluated first, in order, and saved in the call buffer.
        let spill = self.layout.call_buf;
        let mut sources = Vec::new();
        let mut saved = Vec::new();
        for e in leaves(args) {
            if stable(e) {
                sources.push(Leaf::Stable(e));
            } else {
                sources.push(Leaf::Saved(spill + 32 * saved.len() as u64));
                saved.push(e);
            }
        }
        for e in &saved {
            self.expr(e);
        }
        for k in (0..saved.len() as u64).rev() {
            self.pushn(spill + 32 * k);
            self.op(O::MSTORE);
        }
        let heap_ptr = self.layout.heap_ptr;
        let mut enc = Enc {
            s: Stk::new(self, 0),
            sources,
            next: 0,
        };
        enc.s.push(heap_ptr);
        enc.s.op(O::MLOAD);
        let base = enc.s.top();
        match head {
            Head::Selector(sel) => {
                let mut word = [0u8; 32];
                word[..4].copy_from_slice(&sel);
                enc.s.push_word(U256::from_be_bytes(word));
                enc.s.dup(base);
                enc.s.op(O::MSTORE);
                enc.s.at(base, 4);
            }
            Head::LengthWord => enc.s.at(base, 32),
            Head::Nothing => enc.s.dup(base),
        }
        enc.tuple(args);
        enc.s.dup(base);
        enc.s.op(O::SWAP1);
        enc.s.op(O::SUB);
    }
}

impl Gen {
    /// `return v1, v2`: stops with the ABI encoding of the values. Words are
    /// stored from memory address 0; with dynamic or tuple values (pointers to
    /// their validated encodings), the encoding is built at the heap pointer.
    pub(crate) fn return_values(&mut self, vs: &[Expr], types: &[DynSolType]) {
        if vs.is_empty() {
            self.op(O::STOP);
            return;
        }
        if types.len() != vs.len() || types.iter().all(nest_ir::abi::is_word) {
            for v in vs {
                self.expr(v);
            }
            for i in (0..vs.len()).rev() {
                self.pushn(32 * i as u64);
                self.op(O::MSTORE);
            }
            self.pushn(32 * vs.len() as u64);
            self.pushn(0);
            self.op(O::RETURN);
            return;
        }
        let args: Vec<Arg> = vs
            .iter()
            .zip(types)
            .map(|(v, t)| {
                if nest_ir::abi::is_word(t) {
                    Arg::Word(v.clone())
                } else {
                    Arg::Encoded {
                        ptr: v.clone(),
                        ty: t.clone(),
                    }
                }
            })
            .collect();
        // [base, len] → RETURN(base, len)
        self.encode_runtime(None, &args);
        self.ops(&[O::SWAP1, O::RETURN]);
    }
}

/// What precedes an encoding built at the heap pointer.
enum Head {
    /// A function selector (call data).
    Selector([u8; 4]),
    /// A length word (a `bytes` value); the length does not count it.
    LengthWord,
    /// Nothing (return data).
    Nothing,
}

/// Where a run-time value comes from when the encoder needs it.
enum Leaf<'a> {
    /// Evaluated where it is used.
    Stable(&'a Expr),
    /// Saved at this address before encoding started.
    Saved(u64),
}

/// The run-time encoder.
struct Enc<'g, 'a> {
    s: Stk<'g>,
    sources: Vec<Leaf<'a>>,
    next: usize,
}

impl Enc<'_, '_> {
    /// Pushes the next run-time value.
    fn leaf(&mut self) {
        let source = self.sources.get(self.next);
        debug_assert!(
            source.is_some(),
            "the encoder visits more values than the arguments have"
        );
        self.next += 1;
        match source {
            Some(Leaf::Stable(e)) => {
                self.s.g.expr(e);
                self.s.h += 1;
            }
            Some(Leaf::Saved(addr)) => {
                self.s.push(*addr);
                self.s.op(O::MLOAD);
            }
            None => self.s.op(O::PUSH0),
        }
    }

    /// `[.., start]` → `[.., end]`: encodes a tuple at `start`.
    fn tuple(&mut self, xs: &[Arg]) {
        let start = self.s.top();
        self.s.at(start, xs.iter().map(head_of).sum());
        let end = self.s.top();
        let mut head = 0;
        for x in xs {
            if arg_dynamic(x) {
                self.s.dup(start);
                self.s.dup(end);
                self.s.op(O::SUB);
                self.s.at(start, head);
                self.s.op(O::MSTORE);
                self.s.dup(end);
                self.value(x);
                self.s.nip(1);
            } else {
                self.fixed(x, Dst::Slot(start, head));
            }
            head += head_of(x);
        }
        self.s.nip(1);
    }

    /// `[.., dst]` → `[.., end]`: encodes a value at `dst`.
    fn value(&mut self, x: &Arg) {
        let dst = self.s.top();
        if let Some(size) = arg_size(x) {
            self.fixed(x, Dst::Slot(dst, 0));
            self.s.add(size);
            return;
        }
        match x {
            Arg::Tuple(xs) => self.tuple(xs),
            Arg::Array(xs) => {
                self.s.push(xs.len() as u64);
                self.s.dup(dst);
                self.s.op(O::MSTORE);
                self.s.add(32);
                self.tuple(xs);
            }
            Arg::Encoded { ty, .. } => {
                self.leaf();
                self.s.op(O::SWAP1);
                copy_encoded(&mut self.s, ty);
            }
            Arg::Word(_) | Arg::Bytes(_) => {}
        }
    }

    /// Writes a value whose size is known at compile time at `dst`.
    fn fixed(&mut self, x: &Arg, dst: Dst) {
        let mut t = Template::default();
        t.value(x, 0);
        if !t.covered() {
            let len = t.bytes.len() as u64;
            let data = self.s.g.p.add_template(t.bytes.clone(), t.holes());
            self.s.push(len);
            self.s.g.push_data(data);
            self.s.h += 1;
            dst.push(&mut self.s, 0);
            self.s.op(O::CODECOPY);
        }
        for (at, p) in &t.patches {
            self.leaf();
            match p {
                Patch::Word(_) => {
                    dst.push(&mut self.s, *at);
                    self.s.op(O::MSTORE);
                }
                Patch::Copy(_, size) => copy_static(&mut self.s, *size, dst.plus(*at)),
            }
        }
    }
}

/// `[.., src]` → `[..]`: copies `size` bytes (a multiple of 32) from `src` to `dst`.
fn copy_static(s: &mut Stk, size: u64, dst: Dst) {
    let words = size / 32;
    let src = s.top();
    if words <= UNROLL_WORDS {
        for k in 0..words {
            if k + 1 < words {
                s.dup(src);
            }
            s.add(32 * k);
            s.op(O::MLOAD);
            dst.push(s, 32 * k);
            s.op(O::MSTORE);
        }
    } else {
        s.push(size);
        dst.push(s, 0);
        s.push(size);
        s.dup(src);
        identity(s);
        s.pop(1);
    }
}

/// `[.., ret_size, ret_offset, size, from]` → `[..]`: the identity precompile copies
/// memory; if it cannot (out of gas), the script reverts.
fn identity(s: &mut Stk) {
    s.push(IDENTITY);
    s.op(O::GAS);
    s.op(O::STATICCALL);
    s.op(O::ISZERO);
    let bubble = s.g.bubble();
    s.jumpi(bubble);
}

/// `[.., n, dst, src]`, copies `n` bytes (n on the stack) from `src` to `dst` → `[..]`.
fn copy_n(s: &mut Stk, n: Slot, dst: Slot, src: Slot) {
    s.dup(n);
    s.dup(dst);
    s.dup(n);
    s.dup(src);
    identity(s);
}

/// `[.., src, dst]` → `[.., end]`: re-encodes the validated value of type `t` at `src`
/// at `dst`, canonically.
fn copy_encoded(s: &mut Stk, t: &DynSolType) {
    let dst = s.top();
    let src = dst - 1;
    if let Some(size) = static_size(t) {
        s.op(O::SWAP1);
        copy_static(s, size, Dst::Slot(src, 0));
        s.add(size);
        return;
    }
    match t {
        DynSolType::Bytes | DynSolType::String => {
            s.dup(src);
            s.op(O::MLOAD);
            let len = s.top();
            // n = 32 + len rounded up to a word
            s.op(O::DUP1);
            s.add(63);
            s.push_word(!U256::from(31u8));
            s.op(O::AND);
            let n = s.top();
            copy_n(s, n, dst, src);
            // Zero the padding after the content: the source's may be dirty.
            s.op(O::PUSH0);
            s.dup(len);
            s.dup(dst);
            s.op(O::ADD);
            s.add(32);
            s.op(O::MSTORE);
            s.dup(dst);
            s.op(O::ADD);
            s.nip(3);
        }
        DynSolType::Array(e) => {
            s.dup(src);
            s.op(O::MLOAD);
            match static_size(e) {
                Some(size) => {
                    s.g.scale(size);
                    s.add(32);
                    let n = s.top();
                    copy_n(s, n, dst, src);
                    s.dup(dst);
                    s.op(O::ADD);
                    s.nip(2);
                }
                None => {
                    s.op(O::DUP1);
                    s.dup(dst);
                    s.op(O::MSTORE);
                    s.push(5);
                    s.op(O::SHL);
                    let heads = s.top();
                    s.at(src, 32);
                    s.at(dst, 32);
                    dynamic_elements(s, e, heads);
                    s.nip(5);
                }
            }
        }
        DynSolType::FixedArray(e, n) => {
            s.push(32 * *n as u64);
            let heads = s.top();
            s.dup(src);
            s.dup(dst);
            dynamic_elements(s, e, heads);
            s.nip(5);
        }
        DynSolType::Tuple(ts) => {
            s.at(dst, ts.iter().map(nest_ir::abi::head_size).sum());
            let end = s.top();
            for (m, o) in ts.iter().zip(head_offsets(ts)) {
                match static_size(m) {
                    Some(size) => {
                        s.at(src, o);
                        copy_static(s, size, Dst::Slot(dst, o));
                    }
                    None => {
                        s.dup(dst);
                        s.dup(end);
                        s.op(O::SUB);
                        s.at(dst, o);
                        s.op(O::MSTORE);
                        s.at(src, o);
                        s.op(O::MLOAD);
                        s.dup(src);
                        s.op(O::ADD);
                        s.dup(end);
                        copy_encoded(s, m);
                        s.nip(1);
                    }
                }
            }
            s.nip(2);
        }
        _ => {
            s.pop(1);
        }
    }
}

/// `[.., heads, s0, d0]` → `[.., heads, s0, d0, end]`: re-encodes the dynamic elements
/// whose offsets (relative to `s0`) fill `heads` bytes of head slots at `s0`, writing
/// the head slots at `d0` and the elements after them.
fn dynamic_elements(s: &mut Stk, e: &DynSolType, heads: Slot) {
    let d0 = s.top();
    let s0 = d0 - 1;
    s.dup(d0);
    s.dup(heads);
    s.op(O::ADD);
    let end = s.top();
    s.op(O::PUSH0);
    let j = s.top();
    s.repeat(
        |s| {
            s.dup(heads);
            s.dup(j);
            s.op(O::LT);
        },
        |s| {
            // head slot j: the element's offset from d0
            s.dup(d0);
            s.dup(end);
            s.op(O::SUB);
            s.dup(j);
            s.dup(d0);
            s.op(O::ADD);
            s.op(O::MSTORE);
            // the element: s0 + word(s0 + j), re-encoded at end
            s.dup(j);
            s.dup(s0);
            s.op(O::ADD);
            s.op(O::MLOAD);
            s.dup(s0);
            s.op(O::ADD);
            s.dup(end);
            copy_encoded(s, e);
            // [.., end, j, end'] → [.., end', j]
            s.op(O::SWAP2);
            s.op(O::POP);
            s.add(32);
        },
    );
    s.pop(1);
}
