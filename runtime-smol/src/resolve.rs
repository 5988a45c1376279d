//! Turning a Net-SNMP target string into a socket address, and the
//! request-id seed. I/O only: the syntax and the choice among resolved
//! addresses live in `oxsnmp_core::transport`.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::net::SocketAddr;
use std::time::{SystemTime, UNIX_EPOCH};

use oxsnmp_core::manager::ClientError;
use oxsnmp_core::transport::{AddressError, TransportAddr};

/// The port used when a target names none.
pub(crate) const DEFAULT_PORT: u16 = 161;

/// Resolves `target` (Net-SNMP syntax); host names go through
/// [`async_net::resolve`], on the `blocking` thread pool.
pub(crate) async fn resolve(target: &str) -> Result<SocketAddr, ClientError> {
    let addr = TransportAddr::parse(target, DEFAULT_PORT)?;
    if let Some(literal) = addr.literal(interface_index) {
        return Ok(literal?);
    }
    let host = addr.lookup_host();
    let unknown = || ClientError::Address(AddressError::UnknownHost(host.to_owned()));
    let resolved = async_net::resolve((host, addr.port))
        .await
        .map_err(|_| unknown())?;
    addr.select(resolved).ok_or_else(unknown)
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
