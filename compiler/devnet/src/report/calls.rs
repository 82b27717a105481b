//! The call tree of a run, decoded: who was called, which function, with what, and where in
//! the script the call was made.

use alloy_dyn_abi::{FunctionExt, JsonAbiExt};
use alloy_json_abi::Function;
use alloy_primitives::{hex, Address, Selector};
use nest_hyvm::{CallKind, CallNode};

use super::known::Known;
use super::revert;
use super::types::CallReport;
use super::values::named;

/// What the tree is decoded with.
pub(crate) struct Decoder<'a> {
    /// Names and ABIs.
    pub known: &'a Known,
    /// Extra function signatures from the compiler.
    pub signatures: &'a [Function],
    /// The compiler's source map: guest pc → `file:line:col`.
    pub source_map: &'a [(usize, String)],
    /// The jumps the guest took, `(from pc, to pc)`, to attribute calls made in shared
    /// subroutines to the call site that entered them.
    pub jumps: &'a [(usize, usize)],
}

impl Decoder<'_> {
    /// Decodes a frame and everything below it.
    pub(crate) fn call(&self, node: &CallNode) -> CallReport {
        let function = self.function(node);
        let args = function.as_ref().and_then(|f| {
            let data = node.input.get(4..)?;
            f.abi_decode_input(data).ok().map(|v| named(&f.inputs, &v))
        });
        let returns = function.as_ref().filter(|_| node.success).and_then(|f| {
            f.abi_decode_output(&node.output)
                .ok()
                .map(|v| named(&f.outputs, &v))
        });
        let revert_reason = if node.success {
            None
        } else {
            revert::reason(&node.output, self.known)
        };
        CallReport {
            kind: kind_name(node.kind).to_string(),
            to: node.to.to_checksum(None),
            name: self.known.name(node.to).map(str::to_string),
            signature: function.as_ref().map(Function::signature),
            args,
            returns,
            value: node.value.to_string(),
            input: hex::encode_prefixed(&node.input),
            output: hex::encode_prefixed(&node.output),
            success: node.success,
            revert_reason,
            gas_used: node.gas_used,
            pc: node.guest_pc,
            location: self.location(node),
            calls: node.children.iter().map(|c| self.call(c)).collect(),
        }
    }

    /// Where in the script a call was made. Code the compiler shares between call
    /// sites (its source map says [`SHARED`]) is attributed to the call site that
    /// jumped into it: the guest's jumps into and out of shared code are replayed up to
    /// the call.
    pub(crate) fn call_location(&self, node: &CallNode) -> Option<String> {
        self.location(node)
    }

    fn location(&self, node: &CallNode) -> Option<String> {
        let pc = node.guest_pc?;
        let loc = locate(self.source_map, pc)?;
        if loc != SHARED {
            return Some(loc);
        }
        let shared = |pc: usize| locate(self.source_map, pc).is_some_and(|l| l == SHARED);
        let taken = node.guest_jumps.unwrap_or(0).min(self.jumps.len());
        let mut sites: Vec<usize> = Vec::new();
        for &(from, to) in &self.jumps[..taken] {
            match (shared(from), shared(to)) {
                (false, true) => sites.push(from),
                (true, false) => {
                    sites.pop();
                }
                _ => {}
            }
        }
        sites
            .last()
            .and_then(|&pc| locate(self.source_map, pc))
            .or(Some(loc))
    }

    /// `the devnet's CometUSDC (Comet) has no `getCollateralReserves``: when `node`, or a call under it,
    /// failed without revert data because it reached a devnet contract whose ABI lacks the
    /// function called (the fixtures revert with nothing on an unknown selector). The
    /// function is named from the script's interfaces, else by its selector.
    /// `code_len` gives the length of the code at an address (see [`Known::lacks`]).
    pub(crate) fn lacking_function(
        &self,
        node: &CallNode,
        code_len: &dyn Fn(Address) -> Option<usize>,
    ) -> Option<String> {
        let found = node
            .children
            .iter()
            .rev()
            .find_map(|c| self.lacking_function(c, code_len));
        if found.is_some() {
            return found;
        }
        if node.success || !node.output.is_empty() {
            return None;
        }
        if matches!(node.kind, CallKind::Create | CallKind::Create2) {
            return None;
        }
        let selector = node.input.get(..4).map(Selector::from_slice)?;
        let contract = self.known.lacks(node.to, selector, code_len(node.to))?;
        let function = self
            .signatures
            .iter()
            .find(|f| f.selector() == selector)
            .map_or_else(|| format!("function {selector}"), |f| f.name.clone());
        let shown = match self.known.name(node.to) {
            Some(name) if name != contract => format!("{name} ({contract})"),
            _ => contract.to_string(),
        };
        Some(format!(
            "the devnet's {shown} has no `{function}` (see the book's Devnet coverage)"
        ))
    }

    /// The function a call runs, when its selector is known (creations have none).
    fn function(&self, node: &CallNode) -> Option<Function> {
        if matches!(node.kind, CallKind::Create | CallKind::Create2) {
            return None;
        }
        let selector = node.input.get(..4).map(Selector::from_slice)?;
        self.known.function(node.to, selector, self.signatures)
    }

    /// The return types the script declares for a call's function (its interface may
    /// expect more than the contract gives: `bool` from USDT's `transfer`), else those of
    /// the function the devnet knows; `bool` or `uint256,address`, when there are some.
    pub(crate) fn return_types(&self, node: &CallNode) -> Option<String> {
        let selector = node.input.get(..4).map(Selector::from_slice)?;
        let known = self.function(node);
        let declared = self
            .signatures
            .iter()
            .filter(|f| f.selector() == selector && !f.outputs.is_empty());
        let function = declared
            .chain(known.as_ref())
            .find(|f| !f.outputs.is_empty())?;
        let types: Vec<String> = function
            .outputs
            .iter()
            .map(|p| p.selector_type().into_owned())
            .collect();
        Some(types.join(","))
    }

    /// `USDC.transfer(address,uint256)`: a call's callee and function, for a revert message.
    pub(crate) fn describe(&self, node: &CallNode) -> String {
        let target = self
            .known
            .name(node.to)
            .map_or_else(|| node.to.to_checksum(None), str::to_string);
        let function = self.function(node).map(|f| f.signature()).or_else(|| {
            node.input
                .get(..4)
                .map(|s| format!("{}(…)", hex::encode_prefixed(s)))
        });
        match function {
            Some(f) => format!("{target}.{f}"),
            None => target,
        }
    }
}

/// The source-map location of code shared by several call sites (subroutines the
/// compiler emits), which is attributed to the site that entered it.
pub(crate) const SHARED: &str = "shared";

/// The source location of a guest pc: the source-map entry with the greatest pc not above it.
pub(crate) fn locate(source_map: &[(usize, String)], pc: usize) -> Option<String> {
    source_map
        .iter()
        .filter(|(entry, _)| *entry <= pc)
        .max_by_key(|(entry, _)| *entry)
        .map(|(_, location)| location.clone())
}

/// The lower-case name of a frame kind.
pub(crate) fn kind_name(kind: CallKind) -> &'static str {
    match kind {
        CallKind::Call => "call",
        CallKind::StaticCall => "staticcall",
        CallKind::DelegateCall => "delegatecall",
        CallKind::CallCode => "callcode",
        CallKind::Create => "create",
        CallKind::Create2 => "create2",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locates_by_the_greatest_pc_not_above() {
        let map = vec![
            (10, "a.ns:2:1".to_string()),
            (0, "a.ns:1:1".to_string()),
            (20, "a.ns:3:1".to_string()),
        ];
        assert_eq!(locate(&map, 15).as_deref(), Some("a.ns:2:1"));
        assert_eq!(locate(&map, 20).as_deref(), Some("a.ns:3:1"));
        assert_eq!(locate(&map, 3).as_deref(), Some("a.ns:1:1"));
        assert_eq!(locate(&[], 3), None);
    }
}
