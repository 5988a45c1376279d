//! Net-SNMP transport addresses: `host`, `host:port`, `udp:host:port`,
//! `udp6:[::1]:port`, `[fe80::1%eth0]:161`. Parsing only; resolving host
//! names is the drivers' job.

use std::net::{IpAddr, SocketAddr, SocketAddrV6};

use thiserror::Error;

/// Address family requested by a transport prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// `udp:` — IPv4.
    Ipv4,
    /// `udp6:` — IPv6.
    Ipv6,
}

/// A parsed transport address.
///
/// ```
/// use oxsnmp_core::transport::{TransportAddr, Family};
/// let a = TransportAddr::parse("udp6:[::1]:1161", 161).unwrap();
/// assert_eq!((a.family, a.host.as_str(), a.port), (Some(Family::Ipv6), "::1", 1161));
/// let b = TransportAddr::parse("agent.example", 161).unwrap();
/// assert_eq!((b.host.as_str(), b.port), ("agent.example", 161));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransportAddr {
    /// Family forced by the prefix, if any.
    pub family: Option<Family>,
    /// Host name or IP literal (without brackets or zone).
    pub host: String,
    /// Port.
    pub port: u16,
    /// IPv6 zone (`eth0` or `2`), if any.
    pub zone: Option<String>,
}

/// Why an address string cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum AddressError {
    /// A transport other than UDP.
    #[error("unsupported transport {0:?} (only udp and udp6 are supported)")]
    UnsupportedTransport(String),
    /// A port that is not a number in 0..=65535.
    #[error("invalid port {0:?}")]
    BadPort(String),
    /// Nothing where a host should be, or an unclosed bracket.
    #[error("invalid address {0:?}")]
    BadAddress(String),
    /// An IPv6 zone that names no interface.
    #[error("unknown interface {0:?} in IPv6 zone")]
    UnknownZone(String),
    /// A host that resolved to no address of the requested family.
    #[error("Unknown host ({0})")]
    UnknownHost(String),
}

impl TransportAddr {
    /// Parses an address, using `default_port` when none is given.
    pub fn parse(s: &str, default_port: u16) -> Result<Self, AddressError> {
        let (family, rest) = match s.split_once(':') {
            Some((prefix, rest)) if is_prefix(prefix) => {
                let p = prefix.to_ascii_lowercase();
                match p.as_str() {
                    "udp" => (Some(Family::Ipv4), rest),
                    "udp6" | "udpv6" | "udpipv6" => (Some(Family::Ipv6), rest),
                    _ => return Err(AddressError::UnsupportedTransport(prefix.to_owned())),
                }
            }
            _ => (None, s),
        };
        let bad = || AddressError::BadAddress(s.to_owned());
        let parse_port = |p: &str| {
            p.parse::<u16>()
                .map_err(|_| AddressError::BadPort(p.to_owned()))
        };
        let (host, port) = if let Some(inner) = rest.strip_prefix('[') {
            let (host, after) = inner.split_once(']').ok_or_else(bad)?;
            let port = match after {
                "" => default_port,
                p => parse_port(p.strip_prefix(':').ok_or_else(bad)?)?,
            };
            (host, port)
        } else if rest.matches(':').count() > 1 {
            // A bare IPv6 literal; Net-SNMP reads a last `:NUMBER` after a
            // full address as a port only with brackets, so take it all.
            (rest, default_port)
        } else if let Some((h, p)) = rest.split_once(':') {
            (h, parse_port(p)?)
        } else if family.is_some() && !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_digit()) {
            // `udp:1161` is a port on the default host, as snmpd reads it.
            ("", parse_port(rest)?)
        } else {
            (rest, default_port)
        };
        let (host, zone) = match host.split_once('%') {
            Some((h, z)) if !z.is_empty() => (h, Some(z.to_owned())),
            Some(_) => return Err(bad()),
            None => (host, None),
        };
        Ok(Self {
            family,
            host: host.to_owned(),
            port,
            zone,
        })
    }

    /// The socket address when the host is an IP literal; `interface_index`
    /// maps a zone name such as `eth0` to its index (numeric zones need none).
    pub fn literal(
        &self,
        interface_index: impl Fn(&str) -> Option<u32>,
    ) -> Option<Result<SocketAddr, AddressError>> {
        let ip: IpAddr = self.host.parse().ok()?;
        Some(match (ip, &self.zone) {
            (IpAddr::V6(v6), Some(zone)) => scope_id(zone, interface_index)
                .map(|scope| SocketAddr::V6(SocketAddrV6::new(v6, self.port, 0, scope))),
            (IpAddr::V4(v4), _) if self.family == Some(Family::Ipv6) => {
                Ok(SocketAddr::new(IpAddr::V6(v4.to_ipv6_mapped()), self.port))
            }
            (ip, _) => Ok(SocketAddr::new(ip, self.port)),
        })
    }

    /// The name to hand to the resolver: the host, or `localhost` when the
    /// address named only a port (`udp:1161`).
    pub fn lookup_host(&self) -> &str {
        if self.host.is_empty() {
            "localhost"
        } else {
            &self.host
        }
    }

    /// Chooses among a host name's resolved addresses: the first one of the
    /// family the prefix asks for; without a prefix the first IPv4 address,
    /// else the first IPv6 one (Net-SNMP tries `udp` before `udp6`).
    ///
    /// ```
    /// use oxsnmp_core::transport::TransportAddr;
    /// let a = TransportAddr::parse("agent.example", 161).unwrap();
    /// let resolved = ["[::1]:161".parse().unwrap(), "127.0.0.1:161".parse().unwrap()];
    /// assert_eq!(a.select(resolved), Some("127.0.0.1:161".parse().unwrap()));
    /// ```
    pub fn select(&self, resolved: impl IntoIterator<Item = SocketAddr>) -> Option<SocketAddr> {
        let mut fallback = None;
        for addr in resolved {
            if !self.accepts(&addr) {
                continue;
            }
            if self.family.is_some() || addr.is_ipv4() {
                return Some(addr);
            }
            fallback = fallback.or(Some(addr));
        }
        fallback
    }

    /// Whether a resolved address is acceptable for the requested family.
    pub fn accepts(&self, addr: &SocketAddr) -> bool {
        match self.family {
            None => true,
            Some(Family::Ipv4) => addr.is_ipv4(),
            Some(Family::Ipv6) => addr.is_ipv6(),
        }
    }
}

fn scope_id(
    zone: &str,
    interface_index: impl Fn(&str) -> Option<u32>,
) -> Result<u32, AddressError> {
    zone.parse::<u32>()
        .ok()
        .or_else(|| interface_index(zone))
        .ok_or_else(|| AddressError::UnknownZone(zone.to_owned()))
}

fn is_prefix(p: &str) -> bool {
    !p.is_empty()
        && p.bytes().all(|b| b.is_ascii_alphanumeric())
        && p.parse::<u16>().is_err()
        && p.bytes().any(|b| b.is_ascii_alphabetic())
        && matches!(
            p.to_ascii_lowercase().as_str(),
            "udp"
                | "udp6"
                | "udpv6"
                | "udpipv6"
                | "tcp"
                | "tcp6"
                | "tcpv6"
                | "tcpipv6"
                | "unix"
                | "dtlsudp"
                | "tlstcp"
                | "ipx"
                | "aal5pvc"
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> TransportAddr {
        TransportAddr::parse(s, 161).unwrap()
    }

    #[test]
    fn forms() {
        assert_eq!(p("localhost").host, "localhost");
        assert_eq!(p("10.0.0.1:1161").port, 1161);
        assert_eq!(p("udp:127.0.0.1:1161").family, Some(Family::Ipv4));
        assert_eq!(p("udp6:[::1]:1161").host, "::1");
        assert_eq!(p("udp6:[::1]").port, 161);
        assert_eq!(p("::1").host, "::1");
        assert_eq!(p("udp:1161").port, 1161);
        let z = p("udp6:[fe80::1%eth0]:161");
        assert_eq!(
            (z.host.as_str(), z.zone.as_deref()),
            ("fe80::1", Some("eth0"))
        );
        let lit = z.literal(|n| (n == "eth0").then_some(2)).unwrap().unwrap();
        assert_eq!(lit, "[fe80::1%2]:161".parse().unwrap());
        assert!(p("[fe80::1%9]:161").literal(|_| None).unwrap().is_ok());
        assert!(p("[fe80::1%nope]:161").literal(|_| None).unwrap().is_err());
        assert!(TransportAddr::parse("tcp:host:1", 161).is_err());
        assert!(TransportAddr::parse("host:99999", 161).is_err());
        assert!(TransportAddr::parse("[::1", 161).is_err());
        assert_eq!(
            p("udp6:127.0.0.1:5")
                .literal(|_| None)
                .unwrap()
                .unwrap()
                .to_string(),
            "[::ffff:127.0.0.1]:5"
        );
    }
}
