//! What a [`NotificationReceiver`](super::NotificationReceiver) delivers.

use std::net::{Ipv4Addr, SocketAddr};
use std::time::Instant;

use crate::message::Version;
use crate::notify::Notification;
use crate::oid::Oid;
use crate::pdu::VarBind;
use crate::v3::SecurityLevel;

/// Which PDU carried a notification.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum NotificationKind {
    /// An SNMPv1 Trap-PDU.
    TrapV1,
    /// An SNMPv2-Trap-PDU (unconfirmed).
    Trap,
    /// An InformRequest-PDU (confirmed: the receiver answered it).
    Inform,
}

impl NotificationKind {
    /// `TRAP`, `TRAP2` or `INFORM`, the labels snmptrapd prints.
    pub fn label(self) -> &'static str {
        match self {
            NotificationKind::TrapV1 => "TRAP",
            NotificationKind::Trap => "TRAP2",
            NotificationKind::Inform => "INFORM",
        }
    }
}

/// The fields of an SNMPv1 Trap-PDU beyond its varbinds (RFC 1157 §4.1.6).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct V1TrapFields {
    /// enterprise: the sender's sysObjectID or the trap's enterprise.
    pub enterprise: Oid,
    /// agent-addr: the address the sender says it has (which may differ
    /// from the datagram's source, e.g. behind NAT or through a proxy).
    pub agent_addr: Ipv4Addr,
    /// generic-trap, 0 (coldStart) to 6 (enterpriseSpecific).
    pub generic_trap: i32,
    /// specific-trap.
    pub specific_trap: i32,
    /// time-stamp: the sender's sysUpTime.
    pub time_stamp: u32,
}

/// One notification received, with where and how it came.
///
/// [`notification`](Self::notification) holds the SNMPv2 form for every
/// kind, so one handler can read every notification the same way: for an
/// SNMPv1 trap it is the RFC 3584 §3.1 translation (sysUpTime from
/// time-stamp, snmpTrapOID from generic/specific trap and enterprise), and
/// the original fields are in [`v1`](Self::v1).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct NotificationEvent {
    /// When the datagram was handed to the receiver.
    pub received_at: Instant,
    /// The datagram's source address.
    pub source: SocketAddr,
    /// The message version.
    pub version: Version,
    /// The community string of the message.
    pub community: Vec<u8>,
    /// Which PDU carried it.
    pub kind: NotificationKind,
    /// The request-id (0 for SNMPv1 traps, which have none).
    pub request_id: i32,
    /// The notification in SNMPv2 form.
    pub notification: Notification,
    /// The Trap-PDU fields of an SNMPv1 trap; `None` for the other kinds.
    pub v1: Option<V1TrapFields>,
    /// How an SNMPv3 notification was secured and scoped; `None` for
    /// SNMPv1 and SNMPv2c.
    pub v3: Option<V3Source>,
}

/// The USM security and the scope of an SNMPv3 notification.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct V3Source {
    /// The user (securityName).
    pub user_name: Vec<u8>,
    /// The security level it was sent at (and checked at).
    pub level: SecurityLevel,
    /// The authoritative engine: the sender's for a trap, the receiver's
    /// own for an inform.
    pub engine_id: Vec<u8>,
    /// The ScopedPDU's contextEngineID.
    pub context_engine_id: Vec<u8>,
    /// The ScopedPDU's contextName.
    pub context_name: Vec<u8>,
}

impl NotificationEvent {
    /// The bytes this event takes in memory, its heap allocations
    /// included: what a receiver's byte budget
    /// ([`ReceiverConfig::max_queued_bytes`](super::ReceiverConfig::max_queued_bytes))
    /// counts for it while it is queued.
    ///
    /// ```
    /// use std::time::Instant;
    /// use oxsnmp_core::notify::{oids, Notification, NotificationReceiver, ReceiverConfig};
    /// use oxsnmp_core::{Message, Pdu, PduType, Version};
    ///
    /// let mut receiver = NotificationReceiver::new(ReceiverConfig::new());
    /// let trap = Pdu {
    ///     pdu_type: PduType::SnmpV2Trap,
    ///     request_id: 1,
    ///     error_status: 0,
    ///     error_index: 0,
    ///     varbinds: Notification::new(5, oids::COLD_START).to_varbinds(),
    /// };
    /// let bytes = Message::new(Version::V2c, "public", trap).to_bytes();
    /// assert_eq!(receiver.handle_datagram(Instant::now(), "192.0.2.1:162".parse().unwrap(), &bytes), None);
    /// assert_eq!(receiver.queued_bytes(), receiver.poll_event().unwrap().memory_size());
    /// assert_eq!(receiver.queued_bytes(), 0);
    /// ```
    pub fn memory_size(&self) -> usize {
        let n = &self.notification;
        let varbinds: usize = n.varbinds.iter().map(VarBind::heap_bytes).sum();
        let v1 = self.v1.as_ref().map_or(0, |v| v.enterprise.heap_bytes());
        let v3 = self.v3.as_ref().map_or(0, |v| {
            v.user_name.capacity()
                + v.engine_id.capacity()
                + v.context_engine_id.capacity()
                + v.context_name.capacity()
        });
        std::mem::size_of::<Self>()
            + self.community.capacity()
            + n.trap_oid.heap_bytes()
            + n.varbinds.capacity() * std::mem::size_of::<VarBind>()
            + varbinds
            + v1
            + v3
    }

    /// sysUpTime of the sender (the time-stamp of an SNMPv1 trap).
    pub fn sys_up_time(&self) -> u32 {
        self.notification.sys_up_time
    }

    /// snmpTrapOID: which notification it is.
    pub fn trap_oid(&self) -> &Oid {
        &self.notification.trap_oid
    }

    /// The varbinds after sysUpTime.0 and snmpTrapOID.0 (for SNMPv1 traps:
    /// all of them).
    pub fn varbinds(&self) -> &[VarBind] {
        &self.notification.varbinds
    }
}
