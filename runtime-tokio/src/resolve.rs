//! Turning a Net-SNMP target string into a socket address, and the
//! request-id seed. I/O only: the syntax and the choice among resolved
//! addresses live in `oxsnmp_core::transport`.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::net::SocketAddr;
use std::time::{SystemTime, UNIX_EPOCH};

use oxsnmp_core::transport::{AddressError, Resolution, TransportAddr};

/// Resolves a client target (Net-SNMP syntax).
pub(crate) async fn target(target: &str) -> Result<SocketAddr, AddressError> {
    lookup(TransportAddr::parse_target(target, interface_index)?).await
}

/// Finishes a parsed address; host names go through
/// [`tokio::net::lookup_host`], off the runtime's worker threads.
pub(crate) async fn lookup(parsed: Resolution) -> Result<SocketAddr, AddressError> {
    match parsed {
        Resolution::Ready(addr) => Ok(addr),
        Resolution::Lookup(name) => {
            name.choose(tokio::net::lookup_host((name.lookup_host(), name.port)).await)
        }
    }
}

/// The index of a network interface, for IPv6 zones such as `%eth0`
/// (Linux: `/sys/class/net/NAME/ifindex`, a memory-backed file that never
/// blocks; elsewhere only numeric zones work).
pub(crate) fn interface_index(name: &str) -> Option<u32> {
    if name.is_empty() || name.contains('/') || name.starts_with('.') {
        return None;
    }
    let text = std::fs::read_to_string(format!("/sys/class/net/{name}/ifindex")).ok()?;
    text.trim().parse().ok()
}

/// Fresh entropy for request-ids without a `rand` dependency: the standard
/// library's randomly keyed hasher, fed the time and the process id.
pub(crate) fn fresh_seed() -> u64 {
    let mut hasher = RandomState::new().build_hasher();
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    hasher.write_u128(nanos);
    hasher.write_u32(std::process::id());
    hasher.finish()
}
