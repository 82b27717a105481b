//! Signature help inside a call's parentheses: an interface function's parameters
//! (`R.swap(`), or a builtin's (`approve(`).

use lsp_types::{
    Documentation, ParameterInformation, ParameterLabel, Position, SignatureHelp,
    SignatureInformation,
};
use nest_check::index::Index;

use crate::analysis::Analysis;
use crate::{builtins, context};

/// The signature of the call around `pos`.
pub(crate) fn signature_help(
    analysis: &Analysis,
    fallback: Option<&Index>,
    pos: Position,
) -> Option<SignatureHelp> {
    let offset = analysis.offset(pos);
    let (callee, active) = context::enclosing_call(&analysis.text, offset)?;
    let (label, params, doc) = match callee.rsplit_once('.') {
        Some((receiver, name)) => {
            let receiver = receiver.rsplit('.').next().unwrap_or(receiver);
            let f = [Some(&analysis.out.index), fallback]
                .into_iter()
                .flatten()
                .find_map(|idx| {
                    let iface = idx
                        .refs
                        .iter()
                        .find(|r| r.name == receiver && r.interface.is_some())
                        .and_then(|r| r.interface.clone())
                        .unwrap_or_else(|| receiver.to_string());
                    idx.interface(&iface)?
                        .functions
                        .iter()
                        .find(|f| f.name == name)
                        .cloned()
                })?;
            (f.declaration.clone(), f.params.clone(), f.docs.join("\n"))
        }
        None => {
            let b = builtins::function(&callee)?;
            let params: Vec<String> = b.params.iter().map(|p| p.to_string()).collect();
            (
                format!("{}({})", b.name, params.join(", ")),
                params,
                b.doc.to_string(),
            )
        }
    };
    let parameters = params
        .iter()
        .map(|p| ParameterInformation {
            label: ParameterLabel::Simple(p.clone()),
            documentation: None,
        })
        .collect();
    Some(SignatureHelp {
        signatures: vec![SignatureInformation {
            label,
            documentation: (!doc.is_empty()).then_some(Documentation::String(doc)),
            parameters: Some(parameters),
            active_parameter: Some(active),
        }],
        active_signature: Some(0),
        active_parameter: Some(active),
    })
}
