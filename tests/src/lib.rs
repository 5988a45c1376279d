//! Shared helpers for oxsnmp's cross-crate tests: real peers for interop,
//! a reader for Net-SNMP's output, the agent served to Net-SNMP's tools
//! (`agent_fixture`), hostile datagrams by class with what an agent must do
//! with them (`hostile`), and (in `sim`) the deterministic simulated network.

pub mod agent_fixture;
pub mod alloc_meter;
pub mod bench_env;
pub mod big_table;
pub mod hostile;
pub mod in_flight_memory;
pub mod netsnmp;
pub mod notify_runtimes;
pub mod peers;
pub mod pysnmp;
pub mod runtimes;
pub mod sim;
pub mod soak;
pub mod trapd;
