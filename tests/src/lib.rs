//! Shared helpers for oxsnmp's cross-crate tests: real peers for interop
//! and (in `sim`) the deterministic simulated network.

pub mod peers;
pub mod sim;
