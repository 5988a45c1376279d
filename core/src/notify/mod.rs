//! Notifications: traps and informs, sent and received, for SNMPv1,
//! SNMPv2c and SNMPv3, without I/O.
//!
//! * [`Notification`] is a notification in its SNMPv2 form (sysUpTime,
//!   snmpTrapOID, varbinds); [`TrapV1Pdu`](crate::TrapV1Pdu) the SNMPv1 one.
//!   Each converts to the other as RFC 3584 §3.1 and §3.2 say, and
//!   [`Trap`] holds either for sending.
//! * Sending: [`Manager::send_trap`](crate::manager::Manager::send_trap)
//!   queues a trap (fire-and-forget) and
//!   [`Request::Inform`](crate::manager::Request::Inform) sends an
//!   InformRequest through the manager, which correlates, retries and times
//!   it out like any request and reports its completion exactly once. The
//!   agent sends its own (coldStart, authenticationFailure, yours) to the
//!   targets in [`AgentConfig::notifications`](crate::agent::AgentConfig::notifications).
//! * Receiving: [`NotificationReceiver`] decodes traps and informs,
//!   acknowledges informs, filters communities, counts what it drops, and
//!   delivers [`NotificationEvent`]s.
//! * [`oids`]: sysUpTime.0, snmpTrapOID.0, the standard traps.
//!
//! SNMPv3: an inform to an SNMPv3 [`Target`](crate::manager::Target)
//! goes through the manager's SNMPv3 processing, the receiver being the
//! authoritative engine (discovered first); a trap is sent by the local
//! engine as the authoritative one
//! ([`Manager::set_local_engine`](crate::manager::Manager::set_local_engine),
//! or the target's [`V3Security::engine_id`](crate::manager::V3Security::engine_id)).
//! The receiver takes SNMPv3 users per sending engine or for any engine
//! ([`ReceiverConfig::user`]), answers informs from its own engine, and
//! tells where each notification came from in [`NotificationEvent::v3`].
//!
//! ```
//! use std::time::Instant;
//! use oxsnmp_core::manager::{Manager, ManagerConfig, Target};
//! use oxsnmp_core::notify::{oids, Notification, NotificationReceiver, ReceiverConfig};
//! use oxsnmp_core::{Value, Version};
//!
//! // An originator sends a linkDown trap...
//! let receiver_addr = "192.0.2.9:162".parse().unwrap();
//! let mut manager = Manager::new(ManagerConfig::with_seed(1));
//! let trap = Notification::new(4200, oids::LINK_DOWN)
//!     .varbind("1.3.6.1.2.1.2.2.1.1.2".parse().unwrap(), Value::Integer(2));
//! manager
//!     .send_trap(Instant::now(), &Target::new(receiver_addr, Version::V2c, "public"), trap.clone())
//!     .unwrap();
//! let datagram = manager.poll_transmit().unwrap();
//!
//! // ...and a receiver gets it.
//! let mut receiver = NotificationReceiver::new(ReceiverConfig::new());
//! receiver.handle_datagram(Instant::now(), "192.0.2.1:40000".parse().unwrap(), &datagram.payload);
//! let event = receiver.poll_event().unwrap();
//! assert_eq!(event.notification, trap);
//! assert_eq!(event.community, b"public");
//! ```

mod event;
mod notification;
pub mod oids;
mod originator;
mod receiver;
mod recent;
mod response;
mod stats;

pub use event::{NotificationEvent, NotificationKind, V1TrapFields, V3Source};
pub use notification::{Notification, NotificationError, Trap};
pub use receiver::{
    DropReason, NotificationReceiver, ReceiverConfig, ReceiverUser, DEFAULT_MAX_QUEUED_BYTES,
    DEFAULT_MAX_QUEUED_RESPONSE_BYTES,
};
pub use stats::ReceiverStats;

pub(crate) use originator::{encode_trap, encode_v3_trap, TrapEngine};
