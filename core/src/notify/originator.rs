//! The notification originator's message encoding (RFC 3413 §3.3), shared
//! by [`Manager::send_trap`](crate::manager::Manager::send_trap) and the
//! agent's own notifications.

use crate::manager::{SendError, Target};
use crate::message::{Message, Version};
use crate::notify::Trap;

/// The message that carries `trap` to `target`, encoded, or why it cannot
/// be sent: a version without community-based messages, an SNMPv2 form
/// that SNMPv1 cannot carry, or a message over `max_size`.
pub(crate) fn encode_trap(
    target: &Target,
    request_id: i32,
    trap: &Trap,
    max_size: usize,
) -> Result<Vec<u8>, SendError> {
    if !matches!(target.version, Version::V1 | Version::V2c) {
        // TODO(v3): SNMPv3 traps are sent by the local engine as the
        // authoritative one (its engine ID, boots and time in the USM
        // parameters, no discovery): encode `Trap::to_pdu(Version::V3, ..)`
        // (the SNMPv2-Trap PDU, the ScopedPDU's content) with `crate::v3` and
        // secure it with `crate::usm` keys localized to the local engine ID.
        // (SNMPv3 informs need nothing here: `Request::Inform` goes through
        // the manager's v3 path, the receiver being authoritative.)
        return Err(SendError::UnsupportedVersion(target.version));
    }
    let pdu = trap.to_pdu(target.version, request_id)?;
    let msg = Message {
        version: target.version,
        community: target.community.clone(),
        pdu,
    };
    let size = msg.encoded_len();
    if size > max_size {
        return Err(SendError::TooLarge {
            size,
            max: max_size,
        });
    }
    Ok(msg.to_bytes())
}
