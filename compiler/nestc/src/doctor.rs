//! `nestc doctor --fork-url URL [--chain NAME]`: checks a stdlib chain module's addresses
//! against a live node (`nest_devnet::doctor`). The list of what to check is the module
//! itself, evaluated by the checker: every token with its address and decimals, every
//! contract instance with its interface and address.

use nest_check::index::SymbolKind;
use nest_check::{check, CheckInput, MemoryResolver};
use nest_devnet::doctor::{self, Entry, Expect, NodeReader, CHAIN_IDS};
use nest_diagnostics::FileId;
use nest_syntax::ast::ItemKind;

/// How a token's doc comment names a symbol that differs from its name.
const SYMBOL_PREFIX: &str = "Symbol: ";

/// The names of `std::<chain>` with what they should be, as the checker evaluates them.
pub(crate) fn book(chain: &str) -> Result<Vec<Entry>, String> {
    let known: Vec<&str> = CHAIN_IDS.iter().map(|(n, _)| *n).collect();
    let text = nest_check::stdlib::module(chain)
        .filter(|_| known.contains(&chain))
        .ok_or_else(|| {
            format!(
                "`{chain}` is not a chain module; use one of {}",
                known.join(", ")
            )
        })?;
    let (tree, _) = nest_syntax::parse(FileId(0), text);
    let mut names = Vec::new();
    let mut symbols = Vec::new();
    for item in &tree.items {
        let name = match &item.kind {
            ItemKind::Token(t) => &t.name.name,
            ItemKind::Const(c) => &c.name.name,
            _ => continue,
        };
        names.push(name.clone());
        let symbol = item.docs.iter().find_map(|l| {
            let rest = l.trim().strip_prefix(SYMBOL_PREFIX)?;
            Some(
                rest.split_whitespace()
                    .next()?
                    .trim_end_matches('.')
                    .to_string(),
            )
        });
        symbols.push(symbol.unwrap_or_else(|| name.replace('_', ".")));
    }
    let script = format!("use std::{chain}::{{{}}}\n", names.join(", "));
    let resolver = MemoryResolver::new();
    let out = check(&CheckInput {
        name: "doctor.ns",
        text: &script,
        resolver: &resolver,
        params: &[],
        require_params: false,
        index: true,
    });
    let program = out.program.ok_or_else(|| {
        format!("std::{chain} does not check (an internal error: please report it)")
    })?;
    let mut entries = Vec::new();
    for (name, symbol) in names.iter().zip(symbols) {
        if let Some(t) = program.tokens.iter().find(|t| &t.name == name) {
            entries.push(Entry {
                name: name.clone(),
                address: t.address,
                expect: Expect::Token {
                    decimals: t.decimals,
                    symbol,
                },
            });
            continue;
        }
        // A contract instance: the checker's value (`const NAME: IFace = 0x…`) and interface.
        let found = out.index.refs.iter().find_map(|r| {
            let interface = r.interface.as_ref()?;
            if r.kind != SymbolKind::Const || &r.name != name {
                return None;
            }
            let address = r.detail.rsplit(" = ").next()?.trim().parse().ok()?;
            Some((interface.clone(), address))
        });
        if let Some((interface, address)) = found {
            entries.push(Entry {
                name: name.clone(),
                address,
                expect: Expect::Contract { interface },
            });
        }
    }
    Ok(entries)
}

/// Runs the command; 0 when everything matches, 1 on a mismatch, 2 when the node or the
/// arguments fail.
pub(crate) fn run(url: &str, chain: Option<&str>) -> u8 {
    let node = match NodeReader::new(url) {
        Ok(node) => node,
        Err(e) => return fail(&e.to_string()),
    };
    let chain = match chain {
        Some(c) => c.to_string(),
        None => match node.chain_id() {
            Err(e) => return fail(&e.to_string()),
            Ok(id) => match CHAIN_IDS.iter().find(|(_, i)| *i == id) {
                Some((name, _)) => name.to_string(),
                None => {
                    return fail(&format!(
                        "the node's chain id is {id}, which no chain module covers; pass --chain NAME ({})",
                        CHAIN_IDS
                            .iter()
                            .map(|(n, i)| format!("{n} = {i}"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ))
                }
            },
        },
    };
    let entries = match book(&chain) {
        Ok(entries) => entries,
        Err(e) => return fail(&e),
    };
    match doctor::check(&entries, &node) {
        Err(e) => fail(&e.to_string()),
        Ok(findings) => {
            print!("{}", doctor::render(&chain, &findings));
            u8::from(findings.iter().any(|f| !f.ok))
        }
    }
}

fn fail(message: &str) -> u8 {
    eprintln!("error: {message}");
    2
}

#[cfg(test)]
mod tests {
    use super::*;
    use nest_devnet::deploy::{deploy, Funding};

    #[test]
    fn every_chain_module_gives_every_name() {
        for (chain, _) in CHAIN_IDS {
            let entries = book(chain).unwrap_or_else(|e| panic!("{e}"));
            let text = nest_check::stdlib::module(chain).unwrap_or_default();
            let items = text
                .lines()
                .filter(|l| l.starts_with("token ") || l.starts_with("const "))
                .count();
            assert_eq!(entries.len(), items, "std::{chain}");
        }
        let eth = book("ethereum").unwrap_or_default();
        let lp = eth.iter().find(|e| e.name == "CURVE_3POOL_LP");
        assert!(matches!(
            lp.map(|e| &e.expect),
            Some(Expect::Token { decimals: 18, symbol }) if symbol == "3Crv"
        ));
        assert!(book("mainnet").is_err());
        assert!(book("erc20").is_err());
    }

    /// `std::ethereum` against the in-memory devnet, whose fixtures sit at the same
    /// addresses: everything matches except what the devnet does not model.
    #[test]
    fn std_ethereum_matches_the_devnet_fixtures() {
        let world = deploy(nest_hyvm::DEFAULT_HYVM_ADDRESS, &Funding::default())
            .unwrap_or_else(|e| panic!("{e:?}"));
        let entries = book("ethereum").unwrap_or_default();
        let findings = doctor::check(&entries, &world).unwrap_or_else(|e| panic!("{e}"));
        let bad: Vec<&str> = findings
            .iter()
            .filter(|f| !f.ok)
            .map(|f| f.name.as_str())
            .collect();
        // The devnet has no Pool Addresses Provider (and its Pool fixture no
        // `ADDRESSES_PROVIDER()`), so the Aave names that refer to it cannot match there.
        assert_eq!(
            bad,
            [
                "AAVE_V3_POOL",
                "AAVE_V3_DATA_PROVIDER",
                "AAVE_V3_POOL_ADDRESSES_PROVIDER"
            ],
            "{}",
            doctor::render("ethereum", &findings)
        );
    }
}
