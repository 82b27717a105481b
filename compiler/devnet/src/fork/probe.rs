//! Is the code at the HyVM address a HyVM? It is given a tiny guest that returns the
//! keccak256 of its own code: a HyVM runs it (CODECOPY and CODESIZE read the payload) and
//! answers that hash; a contract that returns a constant, echoes its calldata or reverts
//! whatever it is given does not.

use alloy_primitives::{keccak256, Address, Bytes, B256};
use revm::context::BlockEnv;
use revm::DatabaseRef;

use super::error::ForkError;
use super::view::view;

/// The probe guest. Only opcodes every HyVM build and every hard fork since Byzantium has
/// (no PUSH0); the bytes after RETURN make its hash its own.
///
/// ```text
/// 38        CODESIZE          [n]
/// 60 00     PUSH1 0           [0, n]
/// 60 00     PUSH1 0           [0, 0, n]
/// 39        CODECOPY          mem[0..n] = code
/// 38        CODESIZE          [n]
/// 60 00     PUSH1 0           [0, n]
/// 20        KECCAK256         [keccak(code)]
/// 60 00     PUSH1 0
/// 52        MSTORE            mem[0..32] = keccak(code)
/// 60 20     PUSH1 32
/// 60 00     PUSH1 0
/// f3        RETURN            return(0, 32)
/// ```
pub(crate) const PROBE: &[u8] = &[
    0x38, 0x60, 0x00, 0x60, 0x00, 0x39, 0x38, 0x60, 0x00, 0x20, 0x60, 0x00, 0x52, 0x60, 0x20, 0x60,
    0x00, 0xf3, b'N', b'E', b'S', b'T', b' ', b'H', b'y', b'V', b'M', b' ', b'p', b'r', b'o', b'b',
    b'e',
];

/// What the probe found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum ProbeResult {
    /// It answered the probe's hash.
    Recognised,
    /// It answered something else (shown, bounded), or reverted.
    Unrecognised(String),
}

/// Runs the probe on the code at `hyvm`, called directly (a HyVM runs its calldata as code
/// whoever calls it).
pub(crate) fn probe<DB>(db: &DB, block: &BlockEnv, hyvm: Address) -> Result<ProbeResult, ForkError>
where
    DB: DatabaseRef<Error = ForkError>,
{
    let expected = keccak256(PROBE);
    Ok(judge(view(db, block, hyvm, PROBE.to_vec())?, expected))
}

fn judge(output: Option<Bytes>, expected: B256) -> ProbeResult {
    match output {
        Some(output) if output.as_ref() == expected.as_slice() => ProbeResult::Recognised,
        Some(output) => {
            let shown: Bytes = output.iter().take(64).copied().collect::<Vec<u8>>().into();
            let more = if output.len() > 64 { "…" } else { "" };
            ProbeResult::Unrecognised(format!(
                "it answered {shown}{more} ({} bytes) instead of {expected}",
                output.len()
            ))
        }
        None => ProbeResult::Unrecognised("it reverted".to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloy_primitives::{address, U256};
    use nest_hyvm::{bare_world, execute, Env, HyvmConfig, Transaction};

    #[test]
    fn the_embedded_hyvm_answers_the_probe() {
        let cfg = HyvmConfig::default();
        let vault = address!("0x00000000000000000000000000000000000000aa");
        let owner = address!("0x00000000000000000000000000000000000000bb");
        let mut db = bare_world(cfg.address, vault, U256::ZERO, owner);
        let tx = Transaction {
            from: owner,
            vault,
            payload: Bytes::from_static(PROBE),
            value: U256::ZERO,
            gas_limit: 1_000_000,
        };
        let execution = match execute(&mut db, &Env::default(), &cfg, &tx, false) {
            Ok(execution) => execution,
            Err(error) => panic!("{error}"),
        };
        assert!(execution.success);
        assert_eq!(
            judge(Some(execution.output), keccak256(PROBE)),
            ProbeResult::Recognised
        );
    }

    #[test]
    fn a_constant_answer_fails_the_probe() {
        let one = Bytes::from(U256::from(1).to_be_bytes::<32>().to_vec());
        assert!(matches!(
            judge(Some(one), keccak256(PROBE)),
            ProbeResult::Unrecognised(_)
        ));
        assert!(matches!(
            judge(None, keccak256(PROBE)),
            ProbeResult::Unrecognised(_)
        ));
    }
}
