//! The report of a dry run, and everything that builds it from a run's outcome: the call
//! tree (`calls`, `revert`, `values`), the vault's balance and position changes (`assets`,
//! `positions`), the permissions left behind (`allowances`), events, the failure
//! (`failure`), and the names and ABIs all of them decode with (`known`). `build` puts them
//! together; `render` is the human form. The local devnet and fork mode both report through
//! `build`; nothing here knows which of them ran.

pub(crate) mod allowances;
pub(crate) mod assets;
pub(crate) mod build;
pub(crate) mod calls;
pub(crate) mod events;
pub(crate) mod failure;
pub(crate) mod known;
pub(crate) mod positions;
pub(crate) mod reads;
pub(crate) mod render;
pub(crate) mod revert;
pub(crate) mod types;
pub(crate) mod values;
