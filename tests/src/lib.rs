//! Shared helpers for oxsnmp's cross-crate tests: real peers for interop,
//! a reader for Net-SNMP's output, and (in `sim`) the deterministic
//! simulated network.

pub mod netsnmp;
pub mod peers;
pub mod runtimes;
pub mod sim;
