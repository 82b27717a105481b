//! Properties over many generated inputs: assembled programs always pass the safety
//! check, and no input, however malformed, makes any reader panic.
// A test, benchmark or example target sees all of its crate's dependencies and
// dev-dependencies, so some go unused here (the lint is exact on the library and binary
// builds); and it may read fixtures and write results, which the pipeline may not.
#![allow(
    unused_crate_dependencies,
    clippy::disallowed_methods,
    clippy::disallowed_types
)]

use alloy_primitives::U256;
use nest_evm::{
    assemble, check, disassemble, hyvm_check, listing, trailer, Annotations, AsmItem, Label,
    Opcode, Program,
};

/// A small deterministic generator (xorshift), so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// A random well-formed program: straight-line code, jumps to labels that exist, data
/// pushes, and a STOP at the end.
fn random_program(rng: &mut Rng) -> Program {
    let labels = 1 + rng.below(6) as u32;
    let mut program = Program::default();
    let blobs = rng.below(3);
    for _ in 0..blobs {
        let len = rng.below(400) as usize;
        program.add_data(vec![0x5b; len]);
    }
    let mut to_place: Vec<u32> = (0..labels).collect();
    let filler = [
        Opcode::ADD,
        Opcode::POP,
        Opcode::CALLER,
        Opcode::MSTORE,
        Opcode::PUSH0,
    ];
    for _ in 0..rng.below(200) {
        match rng.below(6) {
            0 => program.items.push(AsmItem::Push(
                U256::from(rng.next()) << (rng.below(200) as usize),
            )),
            1 => {
                let label = Label(rng.below(u64::from(labels)) as u32);
                let jump = if rng.below(2) == 0 {
                    Opcode::JUMP
                } else {
                    Opcode::JUMPI
                };
                program
                    .items
                    .extend([AsmItem::PushLabel(label), AsmItem::Op(jump)]);
            }
            2 if !to_place.is_empty() => {
                let label = to_place.swap_remove(rng.below(to_place.len() as u64) as usize);
                program.items.push(AsmItem::Label(Label(label)));
            }
            3 if blobs > 0 => program
                .items
                .push(AsmItem::PushData(nest_evm::DataId(rng.below(blobs) as u32))),
            _ => program
                .items
                .push(AsmItem::Op(filler[rng.below(filler.len() as u64) as usize])),
        }
    }
    program
        .items
        .extend(to_place.into_iter().map(|l| AsmItem::Label(Label(l))));
    program.items.push(AsmItem::Op(Opcode::STOP));
    program
}

#[test]
fn assembled_programs_pass_the_safety_check() {
    let mut rng = Rng(0x5eed);
    for _ in 0..300 {
        let program = random_program(&mut rng);
        let out = assemble(&program).expect("generated programs are well formed");
        assert_eq!(out.bytes.len(), out.data_range.end + 1);
        assert_eq!(out.bytes.last(), Some(&0x00));
        if let Err(violations) = check(&out.bytes, out.code_len) {
            panic!(
                "{violations:?}\n{}",
                listing(&out.bytes, out.code_len, &Annotations::of(&out))
            );
        }
        // Every placed label is a JUMPDEST at an instruction start.
        let starts: Vec<usize> = disassemble(&out.bytes[..out.code_len])
            .iter()
            .map(|i| i.pc)
            .collect();
        for pc in &out.labels {
            assert!(starts.contains(pc));
            assert_eq!(out.bytes[*pc], 0x5b);
        }
    }
}

#[test]
fn readers_never_panic_on_garbage() {
    let mut rng = Rng(0xbad);
    for _ in 0..2000 {
        let len = rng.below(120) as usize;
        let bytes: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
        let code_len = rng.below(len as u64 + 10) as usize;
        let _ = disassemble(&bytes);
        let _ = check(&bytes, code_len);
        let _ = hyvm_check(&bytes, code_len);
        let _ = listing(&bytes, code_len, &Annotations::default());
        let _ = trailer::decode(&bytes);
    }
}
