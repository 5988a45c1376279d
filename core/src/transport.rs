//! Net-SNMP transport addresses: `host`, `host:port`, `udp:host:port`,
//! `udp6:[::1]:port`, `[fe80::1%eth0]:161`. Parsing only; resolving host
//! names is the drivers' job.
//!
//! A driver turns a client target with [`TransportAddr::parse_target`] and
//! a listening address with [`TransportAddr::parse_listen`] into a
//! [`Resolution`]: either a socket address, or a host name to look up and
//! hand back to [`TransportAddr::choose`].

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, SocketAddrV6};

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

/// The port used when an address names none: 161, SNMP's.
pub const DEFAULT_PORT: u16 = 161;

/// The port of notification receivers (snmptrapd, `TrapListener`s): 162.
pub const TRAP_PORT: u16 = 162;

/// Receive buffer the drivers ask the kernel for on every agent and
/// listener socket (1 MiB; Linux caps it at `net.core.rmem_max` and grants
/// twice what it accepts), so that bursts of requests or traps queue
/// instead of being dropped while a batch is being answered.
pub const SERVER_RECV_BUFFER: usize = 1 << 20;

/// A parsed address: ready for a socket, or a host name still to resolve.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolution {
    /// The socket address itself: an IP literal or a wildcard.
    Ready(SocketAddr),
    /// A host name: look up [`TransportAddr::lookup_host`] and
    /// [`TransportAddr::port`], then pass the outcome to
    /// [`TransportAddr::choose`].
    Lookup(TransportAddr),
}

impl TransportAddr {
    /// Parses a client target in Net-SNMP's syntax, port 161 by default;
    /// `interface_index` maps an IPv6 zone name to its index (see
    /// [`literal`](Self::literal)).
    ///
    /// ```
    /// use oxsnmp_core::transport::{Resolution, TransportAddr};
    /// let ready = TransportAddr::parse_target("udp6:[::1]:1161", |_| None).unwrap();
    /// assert_eq!(ready, Resolution::Ready("[::1]:1161".parse().unwrap()));
    /// let Resolution::Lookup(name) = TransportAddr::parse_target("udp:1161", |_| None).unwrap()
    /// else { panic!() };
    /// assert_eq!((name.lookup_host(), name.port), ("localhost", 1161));
    /// ```
    pub fn parse_target(
        s: &str,
        interface_index: impl Fn(&str) -> Option<u32>,
    ) -> Result<Resolution, AddressError> {
        Self::parse_target_with_port(s, DEFAULT_PORT, interface_index)
    }

    /// [`parse_target`](Self::parse_target) with another default port,
    /// such as [`TRAP_PORT`] for the receiver of a trap or inform (as
    /// `snmptrap` reads its HOST argument).
    ///
    /// ```
    /// use oxsnmp_core::transport::{Resolution, TransportAddr, TRAP_PORT};
    /// let r = TransportAddr::parse_target_with_port("udp6:[::1]", TRAP_PORT, |_| None).unwrap();
    /// assert_eq!(r, Resolution::Ready("[::1]:162".parse().unwrap()));
    /// ```
    pub fn parse_target_with_port(
        s: &str,
        default_port: u16,
        interface_index: impl Fn(&str) -> Option<u32>,
    ) -> Result<Resolution, AddressError> {
        let parsed = Self::parse(s, default_port)?;
        parsed.resolution(interface_index)
    }

    /// Parses one listening address in snmpd's syntax, port 161 by default.
    /// An address that names only a port (`1161`, `udp:1161`: every IPv4
    /// interface; `udp6:1161`: every IPv6 one) is the wildcard address;
    /// otherwise as [`parse_target`](Self::parse_target).
    ///
    /// ```
    /// use oxsnmp_core::transport::{Resolution, TransportAddr};
    /// let listen = |s| TransportAddr::parse_listen(s, |_| None).unwrap();
    /// assert_eq!(listen("1161"), Resolution::Ready("0.0.0.0:1161".parse().unwrap()));
    /// assert_eq!(listen("udp6:1161"), Resolution::Ready("[::]:1161".parse().unwrap()));
    /// assert_eq!(listen("127.0.0.1"), Resolution::Ready("127.0.0.1:161".parse().unwrap()));
    /// ```
    pub fn parse_listen(
        s: &str,
        interface_index: impl Fn(&str) -> Option<u32>,
    ) -> Result<Resolution, AddressError> {
        Self::parse_listen_with_port(s, DEFAULT_PORT, interface_index)
    }

    /// [`parse_listen`](Self::parse_listen) with another default port, such
    /// as [`TRAP_PORT`] for a notification receiver.
    ///
    /// ```
    /// use oxsnmp_core::transport::{Resolution, TransportAddr, TRAP_PORT};
    /// let listen = |s| TransportAddr::parse_listen_with_port(s, TRAP_PORT, |_| None).unwrap();
    /// assert_eq!(listen("127.0.0.1"), Resolution::Ready("127.0.0.1:162".parse().unwrap()));
    /// assert_eq!(listen("udp:1162"), Resolution::Ready("0.0.0.0:1162".parse().unwrap()));
    /// ```
    pub fn parse_listen_with_port(
        s: &str,
        default_port: u16,
        interface_index: impl Fn(&str) -> Option<u32>,
    ) -> Result<Resolution, AddressError> {
        let parsed = Self::parse(s, default_port)?;
        let bare_port = !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        // A bare number too large for a port is left to the resolver, as
        // snmpd does.
        let port = if bare_port {
            s.parse::<u16>().ok()
        } else if parsed.host.is_empty() {
            Some(parsed.port)
        } else {
            None
        };
        match (port, parsed.family) {
            (Some(port), Some(Family::Ipv6)) => Ok(Resolution::Ready(SocketAddr::from((
                Ipv6Addr::UNSPECIFIED,
                port,
            )))),
            (Some(port), _) => Ok(Resolution::Ready(SocketAddr::from((
                Ipv4Addr::UNSPECIFIED,
                port,
            )))),
            (None, _) => parsed.resolution(interface_index),
        }
    }

    /// The listening addresses of a list whose entries may each hold
    /// several separated by commas, trimmed, as snmpd reads them.
    ///
    /// ```
    /// use oxsnmp_core::transport::TransportAddr;
    /// let all: Vec<&str> = TransportAddr::listen_list(&["udp:1161, udp6:1161", "162"]).collect();
    /// assert_eq!(all, ["udp:1161", "udp6:1161", "162"]);
    /// ```
    pub fn listen_list<'a>(listen: &'a [&'a str]) -> impl Iterator<Item = &'a str> + 'a {
        listen.iter().flat_map(|l| l.split(',')).map(str::trim)
    }

    /// Chooses the address to use from the outcome of looking up
    /// [`lookup_host`](Self::lookup_host) (see [`select`](Self::select));
    /// a failed lookup, or one without an address of the requested family,
    /// is [`AddressError::UnknownHost`].
    pub fn choose<I, E>(&self, looked_up: Result<I, E>) -> Result<SocketAddr, AddressError>
    where
        I: IntoIterator<Item = SocketAddr>,
    {
        looked_up
            .ok()
            .and_then(|resolved| self.select(resolved))
            .ok_or_else(|| AddressError::UnknownHost(self.lookup_host().to_owned()))
    }

    /// The socket address if the host is an IP literal, else the name to
    /// look up.
    fn resolution(
        self,
        interface_index: impl Fn(&str) -> Option<u32>,
    ) -> Result<Resolution, AddressError> {
        match self.literal(interface_index) {
            Some(literal) => literal.map(Resolution::Ready),
            None => Ok(Resolution::Lookup(self)),
        }
    }

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

/// Whether a UDP receive error says nothing about the socket itself, so a
/// driver should just receive again: an ICMP error that some systems report
/// for an earlier send (connection refused or reset), a signal, or a read
/// timeout.
///
/// ```
/// use std::io::ErrorKind;
/// use oxsnmp_core::transport::is_transient_recv_error;
/// assert!(is_transient_recv_error(ErrorKind::ConnectionRefused));
/// assert!(!is_transient_recv_error(ErrorKind::PermissionDenied));
/// ```
pub fn is_transient_recv_error(kind: std::io::ErrorKind) -> bool {
    use std::io::ErrorKind;
    matches!(
        kind,
        ErrorKind::Interrupted
            | ErrorKind::ConnectionReset
            | ErrorKind::ConnectionRefused
            | ErrorKind::WouldBlock
            | ErrorKind::TimedOut
    )
}

fn parse_port(p: &str) -> Result<u16, AddressError> {
    p.parse::<u16>()
        .map_err(|_| AddressError::BadPort(p.to_owned()))
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

    #[test]
    fn targets_and_listening_addresses() {
        let ready = |r: Result<Resolution, AddressError>| match r.unwrap() {
            Resolution::Ready(addr) => addr.to_string(),
            Resolution::Lookup(name) => format!("lookup {}:{}", name.lookup_host(), name.port),
        };
        let target = |s| ready(TransportAddr::parse_target(s, |_| None));
        let listen = |s| ready(TransportAddr::parse_listen(s, |_| None));
        assert_eq!(target("10.0.0.1"), "10.0.0.1:161");
        assert_eq!(target("udp:1161"), "lookup localhost:1161");
        assert_eq!(target("agent.example:162"), "lookup agent.example:162");
        assert_eq!(listen("1161"), "0.0.0.0:1161");
        assert_eq!(listen("udp:1161"), "0.0.0.0:1161");
        assert_eq!(listen("udp6:1161"), "[::]:1161");
        assert_eq!(listen("udp6:[::1]:1161"), "[::1]:1161");
        assert_eq!(listen("localhost"), "lookup localhost:161");
        // A number too large for a port is a host name, as snmpd reads it.
        assert_eq!(listen("99999"), "lookup 99999:161");
        assert!(TransportAddr::parse_listen("tcp:1161", |_| None).is_err());
        assert!(TransportAddr::parse_listen("[fe80::1%nope]:161", |_| None).is_err());
        let all: Vec<&str> = TransportAddr::listen_list(&["1, udp6:2", "", "3"]).collect();
        assert_eq!(all, ["1", "udp6:2", "", "3"]);
    }

    #[test]
    fn choosing_among_resolved_addresses() {
        let name = p("agent.example");
        let v6: SocketAddr = "[::1]:161".parse().unwrap();
        let v4: SocketAddr = "127.0.0.1:161".parse().unwrap();
        assert_eq!(name.choose(Ok::<_, ()>([v6, v4])), Ok(v4));
        assert_eq!(name.choose(Ok::<_, ()>([v6])), Ok(v6));
        let unknown = Err(AddressError::UnknownHost("agent.example".into()));
        assert_eq!(name.choose(Err::<[SocketAddr; 0], _>(())), unknown);
        assert_eq!(p("udp:agent.example").choose(Ok::<_, ()>([v6])), unknown);
        assert!(is_transient_recv_error(std::io::ErrorKind::WouldBlock));
    }
}
