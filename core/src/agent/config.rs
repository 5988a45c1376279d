//! Agent settings: communities, versions, size limits and the `system` group.

use crate::oid::Oid;

/// The largest response the agent sends by default: the largest UDP payload
/// over IPv4 (65535 − 8 − 20), as for the manager.
pub const DEFAULT_MAX_MESSAGE_SIZE: usize = crate::manager::MAX_UDP_MESSAGE;

/// Default cap on the varbinds of one GetBulk response (Net-SNMP's
/// `maxGetbulkResponses` default is the same 100).
pub const DEFAULT_MAX_BULK_VARBINDS: usize = 100;

/// What a community may do (the access mode of an RFC 1157 §3.2.5 community
/// profile).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Access {
    /// Get, GetNext and GetBulk.
    ReadOnly,
    /// Also Set.
    ReadWrite,
}

/// A community string and its access.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Community {
    /// The community string, compared byte for byte.
    pub name: Vec<u8>,
    /// What it allows.
    pub access: Access,
}

/// The `system` group values (RFC 3418 §2, SNMPv2-MIB `system`).
///
/// sysUpTime is not configured: the agent computes it from the `now` it was
/// created with. sysORLastChange and the sysORTable follow
/// [`Agent::add_sys_or_entry`](super::Agent::add_sys_or_entry).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct SystemInfo {
    /// sysDescr.
    pub descr: String,
    /// sysObjectID. Defaults to `0.0` (zeroDotZero): set your own identifier
    /// from your enterprise subtree.
    pub object_id: Oid,
    /// sysContact.
    pub contact: String,
    /// sysName.
    pub name: String,
    /// sysLocation.
    pub location: String,
    /// sysServices (0..=127); 72 is "a host offering application services".
    pub services: i32,
    /// Whether sysContact, sysName and sysLocation accept SET (with a
    /// read-write community). Off by default: a configured value is not
    /// overwritten from the network unless asked for.
    pub writable: bool,
    /// Initial sysORTable rows: (sysORID, sysORDescr), sysORUpTime 0.
    pub or_entries: Vec<(Oid, String)>,
}

impl SystemInfo {
    /// A system group with this sysDescr and the defaults for the rest.
    pub fn new(descr: impl Into<String>) -> Self {
        Self {
            descr: descr.into(),
            object_id: Oid::from_static(&[0, 0]),
            contact: String::new(),
            name: String::new(),
            location: String::new(),
            services: 72,
            writable: false,
            or_entries: Vec::new(),
        }
    }

    /// Sets sysObjectID.
    pub fn object_id(mut self, oid: Oid) -> Self {
        self.object_id = oid;
        self
    }

    /// Sets sysContact.
    pub fn contact(mut self, s: impl Into<String>) -> Self {
        self.contact = s.into();
        self
    }

    /// Sets sysName.
    pub fn name(mut self, s: impl Into<String>) -> Self {
        self.name = s.into();
        self
    }

    /// Sets sysLocation.
    pub fn location(mut self, s: impl Into<String>) -> Self {
        self.location = s.into();
        self
    }

    /// Sets sysServices.
    pub fn services(mut self, services: i32) -> Self {
        self.services = services;
        self
    }

    /// Makes sysContact, sysName and sysLocation writable.
    pub fn writable(mut self, writable: bool) -> Self {
        self.writable = writable;
        self
    }

    /// Adds a sysORTable row.
    pub fn or_entry(mut self, id: Oid, descr: impl Into<String>) -> Self {
        self.or_entries.push((id, descr.into()));
        self
    }
}

impl Default for SystemInfo {
    fn default() -> Self {
        Self::new(concat!("oxsnmp agent ", env!("CARGO_PKG_VERSION")))
    }
}

/// Agent settings.
///
/// ```
/// use oxsnmp_core::agent::{Access, AgentConfig, SystemInfo};
/// let config = AgentConfig::new()
///     .community("public", Access::ReadOnly)
///     .community("private", Access::ReadWrite)
///     .system(SystemInfo::new("edge router").location("rack 4").writable(true));
/// assert_eq!(config.max_bulk_varbinds, 100);
/// assert!(config.v1 && config.v2c);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct AgentConfig {
    /// Accepted communities; a message with any other is dropped and counted
    /// in snmpInBadCommunityNames. Empty by default: add at least one.
    pub communities: Vec<Community>,
    /// Answer SNMPv1 messages (else they count as snmpInBadVersions).
    pub v1: bool,
    /// Answer SNMPv2c messages (else they count as snmpInBadVersions).
    pub v2c: bool,
    /// The largest response message, in octets. v1 and v2c requests carry
    /// no maximum of their own (RFC 3584 §5.2.1 takes the receiving entity's
    /// own), so this is the limit of RFC 3416 §4.2: a Get, GetNext or Set
    /// response over it becomes tooBig, a GetBulk response is cut short.
    /// Default [`DEFAULT_MAX_MESSAGE_SIZE`] (65507); lower it (e.g. to 1472
    /// to stay in one Ethernet frame) to bound every reply.
    pub max_message_size: usize,
    /// The most varbinds in one GetBulk response, non-repeaters included,
    /// so a 40-octet request cannot ask for megabytes (RFC 3416 §4.2.3 (3)
    /// allows fewer repetitions; at least one full repetition is always
    /// answered). Default [`DEFAULT_MAX_BULK_VARBINDS`].
    pub max_bulk_varbinds: usize,
    /// Serve the `system` group from these values; `None` leaves
    /// `1.3.6.1.2.1.1` to the user's MIB.
    pub system: Option<SystemInfo>,
    /// Initial value of snmpEnableAuthenTraps (false: disabled(2)).
    pub enable_authen_traps: bool,
    /// Responses kept for [`poll_transmit`](super::Agent::poll_transmit)
    /// before new ones are dropped (a driver that drains after every input
    /// never has more than one).
    pub max_queued_responses: usize,
}

impl AgentConfig {
    /// Defaults: no communities, v1 and v2c, 65507-octet responses, 100
    /// varbinds per GetBulk, a default `system` group.
    pub fn new() -> Self {
        Self {
            communities: Vec::new(),
            v1: true,
            v2c: true,
            max_message_size: DEFAULT_MAX_MESSAGE_SIZE,
            max_bulk_varbinds: DEFAULT_MAX_BULK_VARBINDS,
            system: Some(SystemInfo::default()),
            enable_authen_traps: false,
            max_queued_responses: 1024,
        }
    }

    /// Adds a community.
    pub fn community(mut self, name: impl AsRef<[u8]>, access: Access) -> Self {
        self.communities.push(Community {
            name: name.as_ref().to_vec(),
            access,
        });
        self
    }

    /// Sets the `system` group (`None` to leave it to the MIB).
    pub fn system(mut self, system: impl Into<Option<SystemInfo>>) -> Self {
        self.system = system.into();
        self
    }

    /// Sets the largest response message.
    pub fn max_message_size(mut self, octets: usize) -> Self {
        self.max_message_size = octets;
        self
    }

    /// Sets the GetBulk response varbind cap.
    pub fn max_bulk_varbinds(mut self, n: usize) -> Self {
        self.max_bulk_varbinds = n;
        self
    }

    /// Which of v1 and v2c to answer.
    pub fn versions(mut self, v1: bool, v2c: bool) -> Self {
        self.v1 = v1;
        self.v2c = v2c;
        self
    }

    pub(crate) fn access_of(&self, community: &[u8]) -> Option<Access> {
        self.communities
            .iter()
            .find(|c| c.name == community)
            .map(|c| c.access)
    }
}

impl Default for AgentConfig {
    fn default() -> Self {
        Self::new()
    }
}
