//! Agent settings: communities, versions, size limits and the `system` group.

use crate::oid::Oid;
use crate::usm::UsmUser;
use crate::v3::{EngineId, SecurityLevel};
use crate::vacm::Vacm;

/// The largest response the agent sends by default: the largest UDP payload
/// over IPv4 (65535 − 8 − 20), as for the manager.
pub const DEFAULT_MAX_MESSAGE_SIZE: usize = crate::manager::MAX_UDP_MESSAGE;

/// Default cap on the varbinds of one GetBulk response (Net-SNMP's
/// `maxGetbulkResponses` default is the same 100).
pub const DEFAULT_MAX_BULK_VARBINDS: usize = 100;

/// Default cap on the bytes of responses waiting to be sent (4 MiB).
pub const DEFAULT_MAX_QUEUED_RESPONSE_BYTES: usize = 4 << 20;

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

/// A USM user the agent knows and what it may do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserAccess {
    /// The user with its protocols and secrets.
    pub user: UsmUser,
    /// Read, or read and write.
    pub access: Access,
    /// The subtree it may reach (`None`: the whole tree).
    pub subtree: Option<Oid>,
}

impl UserAccess {
    /// The least security level the default VACM entry accepts for this
    /// user: authNoPriv for a user with an authentication key (it may also
    /// use authPriv if it has a privacy key), noAuthNoPriv otherwise.
    pub fn min_level(&self) -> SecurityLevel {
        if self.user.auth_protocol().is_some() {
            SecurityLevel::AuthNoPriv
        } else {
            SecurityLevel::NoAuthNoPriv
        }
    }
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
    /// to stay in one Ethernet frame) to bound every reply. SNMPv3 messages
    /// advertise it as msgMaxSize (and serve it as
    /// snmpEngineMaxMessageSize), raised to 484 if it is smaller, the least
    /// RFC 3412 allows; replies still never exceed it.
    pub max_message_size: usize,
    /// The most varbinds in one GetBulk response, non-repeaters included,
    /// so a 40-octet request cannot ask for megabytes (RFC 3416 §4.2.3 (3)
    /// allows fewer repetitions; at least one full repetition is always
    /// answered). Default [`DEFAULT_MAX_BULK_VARBINDS`].
    pub max_bulk_varbinds: usize,
    /// Serve the `system` group from these values; `None` leaves
    /// `1.3.6.1.2.1.1` to the user's MIB.
    pub system: Option<SystemInfo>,
    /// Serve the `snmp` group (`1.3.6.1.2.1.11`: the agent's counters and
    /// snmpEnableAuthenTraps) from the agent's own state; `false` leaves
    /// it to the user's MIB (a replayed recording then serves its recorded
    /// group, or none). Default `true`.
    pub snmp_group: bool,
    /// With an [`engine_id`](Self::engine_id), serve the SNMPv3 engine's
    /// objects (the snmpEngine group, snmpMPDStats, snmpUnavailableContexts,
    /// snmpUnknownContexts, usmStats) from the agent's own state; `false`
    /// leaves their subtrees to the user's MIB (Reports still carry the
    /// counters). Default `true`.
    pub engine_objects: bool,
    /// Initial value of snmpEnableAuthenTraps (false: disabled(2)).
    pub enable_authen_traps: bool,
    /// Responses kept for [`poll_transmit`](super::Agent::poll_transmit)
    /// before new ones are dropped (a driver that drains after every input
    /// never has more than one).
    pub max_queued_responses: usize,
    /// The bytes those responses may take, encoded. Default
    /// [`DEFAULT_MAX_QUEUED_RESPONSE_BYTES`] (4 MiB, 64 responses of the
    /// largest size), so a driver that lags behind costs bounded memory
    /// whatever the senders ask for.
    pub max_queued_response_bytes: usize,
    /// The SNMPv3 engine's snmpEngineID (RFC 3411 §5). `None` (the default)
    /// serves no SNMPv3: such messages count as snmpInBadVersions. The
    /// runtime crates' `AgentServer`s generate one and keep it with the
    /// boots counter when users are configured without one.
    pub engine_id: Option<EngineId>,
    /// snmpEngineBoots for this run: the number of times the engine has
    /// started, kept in non-volatile storage by the caller and incremented
    /// at each start (RFC 3414 §2.2.2).
    pub engine_boots: u32,
    /// USM users (RFC 3414).
    pub users: Vec<UserAccess>,
    /// Context names served besides the default context `""`.
    pub contexts: Vec<Vec<u8>>,
    /// A full VACM configuration; `None` (the default) derives one from
    /// [`communities`](Self::communities) and [`users`](Self::users), see
    /// [`AgentConfig::effective_vacm`].
    pub vacm: Option<Vacm>,
    /// Where the privacy salt counter starts (drivers pass fresh entropy so
    /// IVs differ across restarts even if boots is not kept).
    pub salt_seed: u64,
    /// Where notifications go (none by default).
    pub notifications: super::NotificationConfig,
    /// A file keeping the engine ID and snmpEngineBoots across restarts
    /// ([`FileEngineStore`](super::FileEngineStore)); the runtime crates'
    /// `AgentServer`s start the engine from it (see
    /// [`AgentConfig::prepare`]).
    pub engine_state: Option<std::path::PathBuf>,
}

impl AgentConfig {
    /// Defaults: no communities, v1 and v2c, 65507-octet responses, 100
    /// varbinds per GetBulk, a default `system` group, the agent's own
    /// `snmp` group.
    pub fn new() -> Self {
        Self {
            communities: Vec::new(),
            v1: true,
            v2c: true,
            max_message_size: DEFAULT_MAX_MESSAGE_SIZE,
            max_bulk_varbinds: DEFAULT_MAX_BULK_VARBINDS,
            system: Some(SystemInfo::default()),
            snmp_group: true,
            engine_objects: true,
            enable_authen_traps: false,
            max_queued_responses: 1024,
            max_queued_response_bytes: DEFAULT_MAX_QUEUED_RESPONSE_BYTES,
            engine_id: None,
            engine_boots: 0,
            users: Vec::new(),
            contexts: Vec::new(),
            vacm: None,
            salt_seed: 0,
            notifications: super::NotificationConfig::default(),
            engine_state: None,
        }
    }

    /// Keeps the engine ID and snmpEngineBoots in `path` (created on the
    /// first start): every `AgentServer::bind` then increments the boots
    /// stored there (RFC 3414 §2.2.2), and an engine ID generated once
    /// stays the same.
    pub fn engine_state(mut self, path: impl Into<std::path::PathBuf>) -> Self {
        self.engine_state = Some(path.into());
        self
    }

    /// Sets the SNMPv3 engine ID (and so serves SNMPv3).
    pub fn engine_id(mut self, id: EngineId) -> Self {
        self.engine_id = Some(id);
        self
    }

    /// Sets snmpEngineBoots for this run.
    pub fn engine_boots(mut self, boots: u32) -> Self {
        self.engine_boots = boots;
        self
    }

    /// Adds a USM user who may read (and with [`Access::ReadWrite`] write)
    /// the whole tree.
    pub fn user(mut self, user: UsmUser, access: Access) -> Self {
        self.users.push(UserAccess {
            user,
            access,
            subtree: None,
        });
        self
    }

    /// Adds a USM user limited to `subtree`.
    pub fn user_in_subtree(mut self, user: UsmUser, access: Access, subtree: Oid) -> Self {
        self.users.push(UserAccess {
            user,
            access,
            subtree: Some(subtree),
        });
        self
    }

    /// Serves a context name besides `""` (RFC 3411 §3.3.1).
    pub fn context(mut self, name: impl AsRef<[u8]>) -> Self {
        self.contexts.push(name.as_ref().to_vec());
        self
    }

    /// Replaces the derived VACM configuration with `vacm`.
    pub fn vacm(mut self, vacm: Vacm) -> Self {
        self.vacm = Some(vacm);
        self
    }

    /// The VACM configuration the agent enforces: [`vacm`](Self::vacm) if
    /// set, else one where each community reads the whole tree (and writes
    /// it if read-write) as RFC 3584 §5.2 maps communities, and each user
    /// reads (and writes) the whole tree or its subtree at
    /// [`UserAccess::min_level`] or above. [`contexts`](Self::contexts) are
    /// added either way.
    ///
    /// ```
    /// use oxsnmp_core::agent::{Access, AgentConfig};
    /// use oxsnmp_core::vacm::{SecurityModel, ViewType};
    /// use oxsnmp_core::v3::SecurityLevel;
    /// let vacm = AgentConfig::new().community("public", Access::ReadOnly).effective_vacm();
    /// let grant = vacm.grant(SecurityModel::V2c, b"public", SecurityLevel::NoAuthNoPriv, b"").unwrap();
    /// let sys_name = [1, 3, 6, 1, 2, 1, 1, 5, 0];
    /// assert!(grant.view(ViewType::Read).unwrap().contains(&sys_name));
    /// // Read-only: a write view holding nothing (a SET is notInView: noAccess).
    /// assert!(!grant.view(ViewType::Write).unwrap().contains(&sys_name));
    /// ```
    pub fn effective_vacm(&self) -> Vacm {
        let mut vacm = match &self.vacm {
            Some(v) => v.clone(),
            None => {
                let mut v = Vacm::new();
                for c in &self.communities {
                    v = v.community(&c.name, c.access, None);
                }
                for u in &self.users {
                    v = v.user(u.user.name(), u.min_level(), u.access, u.subtree.clone());
                }
                v
            }
        };
        for c in &self.contexts {
            vacm.add_context(c);
        }
        vacm
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

    /// Whether the agent serves the `snmp` group from its own counters
    /// (the default) or leaves `1.3.6.1.2.1.11` to the MIB.
    ///
    /// ```
    /// use oxsnmp_core::agent::{Access, AgentConfig};
    /// // Replay a recording exactly: its system and snmp groups as recorded.
    /// let config = AgentConfig::new()
    ///     .community("public", Access::ReadOnly)
    ///     .system(None)
    ///     .snmp_group(false);
    /// assert!(!config.snmp_group);
    /// ```
    pub fn snmp_group(mut self, serve: bool) -> Self {
        self.snmp_group = serve;
        self
    }

    /// Whether the agent serves its SNMPv3 engine's objects (the default)
    /// or leaves their subtrees to the MIB, as a replay of a recording that
    /// holds them must.
    pub fn engine_objects(mut self, serve: bool) -> Self {
        self.engine_objects = serve;
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
        // Every community is compared, in constant time, so neither the
        // position of a match nor a partial match shows in the timing.
        self.communities.iter().fold(None, |found, c| {
            let hit = crate::secret::constant_time_eq(&c.name, community);
            found.or(hit.then_some(c.access))
        })
    }
}

impl Default for AgentConfig {
    fn default() -> Self {
        Self::new()
    }
}
