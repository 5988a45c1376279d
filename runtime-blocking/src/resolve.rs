//! Turning a Net-SNMP target string into a socket address, and the
//! request-id seed. I/O only: the syntax and the choice among resolved
//! addresses live in `oxsnmp_core::transport`.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::net::{SocketAddr, ToSocketAddrs};
use std::time::{SystemTime, UNIX_EPOCH};

use oxsnmp_core::manager::ClientError;
use oxsnmp_core::transport::{AddressError, Resolution, TransportAddr};

/// Resolves a client target (Net-SNMP syntax) with the system resolver.
pub(crate) fn resolve(target: &str) -> Result<SocketAddr, ClientError> {
    Ok(lookup(TransportAddr::parse_target(
        target,
        interface_index,
    )?)?)
}

/// Finishes a parsed address; host names go through the system resolver.
pub(crate) fn lookup(parsed: Resolution) -> Result<SocketAddr, AddressError> {
    match parsed {
        Resolution::Ready(addr) => Ok(addr),
        Resolution::Lookup(name) => name.choose((name.lookup_host(), name.port).to_socket_addrs()),
    }
}

/// The index of a network interface, for IPv6 zones such as `%eth0`
/// (Linux: `/sys/class/net/NAME/ifindex`; elsewhere only numeric zones work).
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_and_names() {
        assert_eq!(
            resolve("127.0.0.1").unwrap(),
            "127.0.0.1:161".parse().unwrap()
        );
        assert_eq!(
            resolve("udp6:[::1]:1161").unwrap(),
            "[::1]:1161".parse().unwrap()
        );
        assert_eq!(resolve("udp:1161").unwrap().port(), 1161);
        assert!(resolve("localhost:1161").unwrap().ip().is_loopback());
        assert!(matches!(
            resolve("tcp:localhost"),
            Err(ClientError::Address(_))
        ));
        assert!(interface_index("../x").is_none());
        assert_ne!(fresh_seed(), fresh_seed());
    }
}
