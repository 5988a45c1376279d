//! # oxsnmp-core
//!
//! The protocol half of oxsnmp: everything SNMP that is not I/O. It owns no
//! sockets, reads no clock and draws no randomness of its own — time enters
//! as an argument and randomness as a seed — so every run can be replayed.
//!
//! * [`ber`] — the BER subset SNMP uses, with zero-copy reading.
//! * [`Oid`], [`Value`], [`Pdu`], [`Message`] and their borrowed views
//!   ([`OidRef`], [`ValueRef`], [`PduRef`], [`MessageRef`]).
//! * [`manager`] — the request/response state machine (correlation, retries,
//!   timeouts) and [`walk`] — walks and table walks as state machines.
//! * [`notify`] — traps and informs: the SNMPv1/v2 notification forms,
//!   the originator's messages and the receiver state machine.
//! * [`transport`] — Net-SNMP transport-address syntax (`udp6:[::1]:161`).
//! * [`client`] — what the runtime crates' clients share: options and the
//!   loop of a walk iterator or stream.
//! * [`v3`] — SNMPv3 messages (RFC 3412) and USM security parameters on
//!   the wire; [`usm`] — the User-based Security Model: users, keys from
//!   passwords, HMAC authentication, DES/3DES/AES privacy (RFC 3414, 3826,
//!   7860); [`vacm`] — view-based access control (RFC 3415).
//!
//! The runtime crates (`oxsnmp-tokio`, `oxsnmp-smol`, `oxsnmp-blocking`)
//! drive these state machines over real sockets.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod agent;
pub mod ber;
pub mod client;
#[cfg(any(test, feature = "test-fixtures"))]
pub mod fixtures;
#[cfg(fuzzing)]
#[doc(hidden)]
pub mod fuzzing;
pub mod manager;
mod message;
pub mod notify;
mod oid;
mod pdu;
pub mod secret;
pub mod transport;
pub mod usm;
pub mod v3;
pub mod vacm;
mod value;
pub mod walk;

pub use message::{peek_version, Message, MessageRef, Version};
pub use oid::{Oid, OidArcs, OidError, OidRef, MAX_OID_LEN};
pub use pdu::{
    AnyPdu, AnyPduRef, ErrorStatus, Pdu, PduRef, PduType, TrapV1Pdu, TrapV1PduRef, VarBind,
    VarBindIter, VarBindList, VarBindRef,
};
pub use value::{Value, ValueRef};
