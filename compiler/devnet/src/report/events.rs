//! The logs of a run, decoded where the event is known.

use alloy_dyn_abi::EventExt;
use alloy_primitives::{hex, Log};

use super::known::Known;
use super::types::EventReport;
use super::values::{to_json, NamedValue};

/// Decodes one log: its emitter's name, the event's signature and its fields in declaration
/// order (indexed and not interleaved as declared).
pub(crate) fn event(log: &Log, known: &Known) -> EventReport {
    let topics = log.data.topics();
    let decoded = known.event(topics).and_then(|e| {
        let values = e
            .decode_log_parts(topics.iter().copied(), &log.data.data)
            .ok()?;
        let (mut indexed, mut body) = (values.indexed.into_iter(), values.body.into_iter());
        let mut args = Vec::new();
        for param in &e.inputs {
            let value = if param.indexed {
                indexed.next()
            } else {
                body.next()
            }?;
            args.push(NamedValue {
                name: param.name.clone(),
                ty: param.selector_type().into_owned(),
                value: to_json(&value),
            });
        }
        Some((e.signature(), args))
    });
    let (event, args) = match decoded {
        Some((signature, args)) => (Some(signature), Some(args)),
        None => (None, None),
    };
    EventReport {
        address: log.address.to_checksum(None),
        name: known.name(log.address).map(str::to_string),
        event,
        args,
        topics: topics.iter().map(hex::encode_prefixed).collect(),
        data: hex::encode_prefixed(&log.data.data),
    }
}
