//! SNMPv3 messages on the wire (RFC 3412 §6) and the User-based Security
//! Model's security parameters (RFC 3414 §2.4): decoding into borrowed views
//! and encoding, without any cryptography. [`crate::usm`] adds the keys,
//! digests and ciphers; the manager and the agent put the two together.
//!
//! ```
//! use oxsnmp_core::v3::{MsgFlags, ScopedPdu, SecurityLevel, UsmParams, V3Message, V3MessageRef, ScopedPduData};
//! use oxsnmp_core::{Pdu, PduType};
//!
//! // An engine-ID discovery probe (RFC 3414 §4): noAuthNoPriv, empty user, empty engine ID.
//! let probe = V3Message {
//!     msg_id: 42,
//!     max_size: 65507,
//!     flags: MsgFlags::new(SecurityLevel::NoAuthNoPriv, true),
//!     usm: UsmParams::default(),
//!     scoped: ScopedPdu::new(Vec::new(), Vec::new(), Pdu::request(PduType::GetRequest, 7, &[])),
//! };
//! let bytes = probe.to_bytes();
//! let view = V3MessageRef::decode(&bytes).unwrap();
//! assert_eq!(view.msg_id, 42);
//! assert!(view.flags.reportable());
//! let ScopedPduData::Plaintext(scoped) = view.data else { panic!() };
//! assert_eq!(scoped.pdu.request_id, 7);
//! ```

mod engine_id;
mod flags;
mod message;
mod report;
mod scoped;
mod usm_params;

pub(crate) use engine_id::parse_hex;
pub use engine_id::{EngineId, EngineIdError, DEFAULT_ENTERPRISE, LOCAL_ENGINE_ID};
pub use flags::{MsgFlags, ParseSecurityLevelError, SecurityLevel};
pub use message::{
    message_len, write_message, ScopedPduData, V3Header, V3Message, V3MessageRef,
    SECURITY_MODEL_USM,
};
pub use report::ReportKind;
pub use scoped::{scoped_pdu_len, write_scoped_pdu_header, ScopedPdu, ScopedPduRef};
pub use usm_params::{UsmParams, UsmParamsRef, MAX_USER_NAME_LEN};

/// The smallest msgMaxSize an engine may advertise (RFC 3412 §6.3 syntax,
/// RFC 3417 §3.2: every SNMP entity accepts messages of 484 octets).
pub const MIN_MAX_SIZE: i32 = 484;

/// The msgMaxSize (and snmpEngineMaxMessageSize) an engine advertises for
/// a configured maximum: RFC 3412 §6 and RFC 3411 §5 allow only
/// 484..=2^31-1, whatever the configuration says (a smaller configured
/// maximum still bounds what the engine sends).
pub(crate) fn advertised_max_size(configured: usize) -> i32 {
    i32::try_from(configured.max(MIN_MAX_SIZE as usize)).unwrap_or(i32::MAX)
}
