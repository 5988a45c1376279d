use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use crate::manager::ClientError;
use crate::message::Version;
use crate::notify::{Notification, NotificationError};
use crate::oid::Oid;
use crate::pdu::{ErrorStatus, VarBind};
use crate::usm::UsmUser;
use crate::v3::{EngineId, ReportKind, SecurityLevel};

/// How long to wait for a response and how often to resend.
///
/// The defaults are Net-SNMP's: one second, five retries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Time to wait for each attempt.
    pub timeout: Duration,
    /// Number of retransmissions after the first attempt.
    pub retries: u32,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            timeout: Duration::from_secs(1),
            retries: 5,
        }
    }
}

/// Where and how to send a request: address, version, community or SNMPv3
/// security, retry policy.
///
/// ```
/// use oxsnmp_core::manager::{Target, V3Security};
/// use oxsnmp_core::usm::{AuthProtocol, PrivProtocol, Secret, UsmUser};
/// use oxsnmp_core::v3::SecurityLevel;
/// use oxsnmp_core::Version;
/// let t = Target::new("127.0.0.1:161".parse().unwrap(), Version::V2c, "public");
/// assert_eq!(t.retry.retries, 5);
///
/// let user = UsmUser::new("ops")?
///     .with_auth(AuthProtocol::Sha256, Secret::Password(b"auth-secret"))?
///     .with_privacy(PrivProtocol::Aes128, Secret::Password(b"priv-secret"))?;
/// let v3 = Target::v3("127.0.0.1:161".parse().unwrap(), V3Security::new(user, SecurityLevel::AuthPriv));
/// assert_eq!(v3.version, Version::V3);
/// # Ok::<(), oxsnmp_core::usm::UserError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// The agent's address.
    pub addr: SocketAddr,
    /// v1, v2c or v3.
    pub version: Version,
    /// The community string (v1 and v2c).
    pub community: Vec<u8>,
    /// Timeout and retries.
    pub retry: RetryPolicy,
    /// SNMPv3 security (required for [`Version::V3`]).
    pub v3: Option<Arc<V3Security>>,
}

impl Target {
    /// A community-based target with the default retry policy.
    pub fn new(addr: SocketAddr, version: Version, community: impl AsRef<[u8]>) -> Self {
        Self {
            addr,
            version,
            community: community.as_ref().to_vec(),
            retry: RetryPolicy::default(),
            v3: None,
        }
    }

    /// An SNMPv3 target with the default retry policy.
    pub fn v3(addr: SocketAddr, security: V3Security) -> Self {
        Self {
            addr,
            version: Version::V3,
            community: Vec::new(),
            retry: RetryPolicy::default(),
            v3: Some(Arc::new(security)),
        }
    }
}

/// How SNMPv3 requests to a target are secured and scoped: Net-SNMP's
/// `-u -l -a -A -x -X -e -E -n` in one value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct V3Security {
    /// The USM user (name, protocols, secrets).
    pub user: UsmUser,
    /// The security level of every request (at most the user's
    /// [`UsmUser::max_level`]).
    pub level: SecurityLevel,
    /// The contextName (`-n`); empty for the default context.
    pub context_name: Vec<u8>,
    /// The contextEngineID (`-E`); `None` uses the authoritative engine's
    /// ID. [`LOCAL_ENGINE_ID`](crate::v3::LOCAL_ENGINE_ID) reaches the
    /// default context of whatever engine answers (RFC 5343).
    pub context_engine_id: Option<Vec<u8>>,
    /// The authoritative engine's ID (`-e`) when it is known: no discovery
    /// probe is sent (time is still synchronized from a notInTimeWindow
    /// report).
    pub engine_id: Option<EngineId>,
    /// snmpEngineBoots and snmpEngineTime of the sending engine for the
    /// SNMPv3 traps sent with this security (Net-SNMP's `-Z BOOTS,TIME`):
    /// the time when the manager's own engine started (at
    /// [`Manager::set_local_engine`](super::Manager::set_local_engine),
    /// else at its first trap), counting up from there. `None` uses the
    /// manager's own engine's boots and time.
    /// Requests and informs ignore it: they use the receiver's clock.
    pub engine_clock: Option<(u32, u32)>,
}

impl V3Security {
    /// `user` at `level`, default context, discovered engine.
    pub fn new(user: UsmUser, level: SecurityLevel) -> Self {
        Self {
            user,
            level,
            context_name: Vec::new(),
            context_engine_id: None,
            engine_id: None,
            engine_clock: None,
        }
    }

    /// Sets the contextName.
    pub fn context_name(mut self, name: impl AsRef<[u8]>) -> Self {
        self.context_name = name.as_ref().to_vec();
        self
    }

    /// Sets the contextEngineID.
    pub fn context_engine_id(mut self, id: impl AsRef<[u8]>) -> Self {
        self.context_engine_id = Some(id.as_ref().to_vec());
        self
    }

    /// Sets the authoritative engine's ID, skipping discovery.
    pub fn engine_id(mut self, id: EngineId) -> Self {
        self.engine_id = Some(id);
        self
    }

    /// Sets the boots and time a trap's sending engine claims (see
    /// [`engine_clock`](Self#structfield.engine_clock)); a tool that
    /// keeps them across runs makes its traps timely to a receiver that
    /// saw earlier ones (RFC 3414 §3.2 step 7b).
    pub fn engine_clock(mut self, boots: u32, time: u32) -> Self {
        self.engine_clock = Some((boots, time));
        self
    }
}

/// An operation to send to an agent.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Request {
    /// GetRequest for these OIDs.
    Get(Vec<Oid>),
    /// GetNextRequest for these OIDs.
    GetNext(Vec<Oid>),
    /// GetBulkRequest (v2c and v3 only).
    GetBulk {
        /// Leading OIDs answered once each, as by GETNEXT.
        non_repeaters: u32,
        /// Successors returned for each of the remaining OIDs.
        max_repetitions: u32,
        /// The OIDs.
        oids: Vec<Oid>,
    },
    /// SetRequest with these bindings.
    Set(Vec<VarBind>),
    /// InformRequest (v2c and v3 only) with the whole varbind list,
    /// sysUpTime.0 and snmpTrapOID.0 first: see [`Request::inform`].
    Inform(Vec<VarBind>),
}

impl Request {
    /// GetRequest for copies of these OIDs.
    pub fn get(oids: &[Oid]) -> Self {
        Request::Get(oids.to_vec())
    }

    /// GetNextRequest for copies of these OIDs.
    pub fn get_next(oids: &[Oid]) -> Self {
        Request::GetNext(oids.to_vec())
    }

    /// GetBulkRequest: `non_repeaters` OIDs answered once, the rest up to
    /// `max_repetitions` times.
    pub fn get_bulk(non_repeaters: u32, max_repetitions: u32, oids: &[Oid]) -> Self {
        Request::GetBulk {
            non_repeaters,
            max_repetitions,
            oids: oids.to_vec(),
        }
    }

    /// SetRequest with copies of these bindings.
    pub fn set(varbinds: &[VarBind]) -> Self {
        Request::Set(varbinds.to_vec())
    }

    /// InformRequest carrying `notification` (RFC 3416 §4.2.7); the
    /// response echoes its varbinds.
    pub fn inform(notification: &Notification) -> Self {
        Request::Inform(notification.to_varbinds())
    }
}

/// What an agent answered: the Response-PDU, its error-status included.
///
/// A non-zero error-status is not turned into an error here so that callers
/// such as walks can react to it (tooBig backs off, noSuchName ends a v1 walk).
/// Use [`Response::into_result`] to get the varbinds or an [`SnmpError`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    /// error-status.
    pub error_status: ErrorStatus,
    /// error-index (1-based; 0 when not about one varbind).
    pub error_index: u32,
    /// The variable bindings.
    pub varbinds: Vec<VarBind>,
    /// Size of the datagram that carried this response.
    pub wire_len: usize,
}

/// A non-zero error-status from an agent.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{status} (error-index {index})")]
pub struct SnmpError {
    /// The error-status.
    pub status: ErrorStatus,
    /// The error-index (1-based position of the failed varbind, 0 if none).
    pub index: u32,
    /// The OID the error-index points at, if any.
    pub oid: Option<Oid>,
}

impl Response {
    /// The varbinds if error-status is noError, else the error.
    pub fn into_result(self) -> Result<Vec<VarBind>, SnmpError> {
        if self.error_status == ErrorStatus::NoError {
            Ok(self.varbinds)
        } else {
            let oid = (self.error_index as usize)
                .checked_sub(1)
                .and_then(|i| self.varbinds.get(i))
                .map(|vb| vb.oid.clone());
            Err(SnmpError {
                status: self.error_status,
                index: self.error_index,
                oid,
            })
        }
    }

    /// Like [`Response::into_result`], as the [`ClientError`] a client
    /// method returns.
    pub fn into_varbinds(self) -> Result<Vec<VarBind>, ClientError> {
        Ok(self.into_result()?)
    }
}

/// Why a request could not be sent.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SendError {
    /// GetBulk does not exist in SNMPv1.
    #[error("GETBULK is not available in SNMPv1")]
    BulkNotInV1,
    /// InformRequest does not exist in SNMPv1.
    #[error("INFORM is not available in SNMPv1")]
    InformNotInV1,
    /// A notification that cannot be put in the target's message version.
    #[error("{0}")]
    Notification(#[from] NotificationError),
    /// The target's version is not handled by this manager, or a v3
    /// target has no [`V3Security`].
    #[error("unsupported version {0:?} (or SNMPv3 without security settings)")]
    UnsupportedVersion(Version),
    /// The security level needs a key the user does not have (RFC 3414
    /// §3.1 steps 2 and 3).
    #[error("Unsupported security level")]
    UnsupportedSecurityLevel,

    /// The encoded request exceeds the maximum message size.
    #[error("request of {size} bytes exceeds the maximum message size {max}")]
    TooLarge {
        /// Encoded size.
        size: usize,
        /// Limit.
        max: usize,
    },
}

/// Why a request failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RequestError {
    /// No response after every retry.
    #[error("Timeout: No Response from {0}")]
    Timeout(SocketAddr),
    /// The request was cancelled.
    #[error("request cancelled")]
    Cancelled,
    /// The SNMPv3 agent answered with a Report-PDU (unknown user, wrong
    /// digest, decryption error, unknown engine ID, not in time window
    /// after the one resynchronization, ...). Display gives Net-SNMP's
    /// wording.
    #[error("{0}")]
    Report(ReportKind),
}
