//! The notification originator's message encoding (RFC 3413 §3.3), shared
//! by [`Manager::send_trap`](crate::manager::Manager::send_trap) and the
//! agent's own notifications.

use crate::manager::{SendError, Target, V3Security};
use crate::message::{Message, Version};
use crate::notify::Trap;
use crate::pdu::AnyPdu;
use crate::usm::{Outgoing, UserKeys};
use crate::v3::ScopedPdu;

/// The sending engine of an SNMPv3 trap, which is the authoritative one
/// (RFC 3412 §7.1 step 9a: for an Unconfirmed Class PDU the
/// securityEngineID is the local snmpEngineID): its ID, boots and time go
/// in the USM parameters, and the user's keys are localized to it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct TrapEngine<'a> {
    pub engine_id: &'a [u8],
    /// The local snmpEngineID, the default contextEngineID: the data is
    /// "from/at this entity" (RFC 3413 §3.3), even when `engine_id` names
    /// another authoritative engine (as snmptrap does with `-e`).
    pub context_engine_id: &'a [u8],
    pub boots: u32,
    pub time: u32,
    pub keys: Option<&'a UserKeys>,
    pub msg_id: i32,
    pub salt: u64,
}

/// The SNMPv3 message carrying `trap` (an SNMPv2-Trap-PDU in a ScopedPDU
/// whose contextEngineID is the local engine's unless `security` names
/// one), secured at `security`'s level.
pub(crate) fn encode_v3_trap(
    security: &V3Security,
    engine: &TrapEngine<'_>,
    request_id: i32,
    trap: &Trap,
    max_size: usize,
) -> Result<Vec<u8>, SendError> {
    let AnyPdu::Pdu(pdu) = trap.to_pdu(Version::V3, request_id)? else {
        return Err(SendError::UnsupportedVersion(Version::V3));
    };
    let context_engine_id = security
        .context_engine_id
        .clone()
        .unwrap_or_else(|| engine.context_engine_id.to_vec());
    let mut scoped = Vec::new();
    ScopedPdu::new(context_engine_id, security.context_name.clone(), pdu).encode(&mut scoped);
    let out = Outgoing {
        msg_id: engine.msg_id,
        max_size: i32::try_from(crate::manager::MAX_UDP_MESSAGE).unwrap_or(i32::MAX),
        level: security.level,
        reportable: false,
        engine_id: engine.engine_id,
        boots: engine.boots,
        time: engine.time,
        user_name: security.user.name(),
        keys: engine.keys,
        salt: engine.salt,
    };
    let size = out.message_len(scoped.len());
    if size > max_size {
        return Err(SendError::TooLarge {
            size,
            max: max_size,
        });
    }
    let mut bytes = Vec::with_capacity(size);
    let mut cipher = Vec::new();
    out.write(&mut bytes, &scoped, &mut cipher)
        .map_err(|_| SendError::UnsupportedSecurityLevel)?;
    Ok(bytes)
}

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
        // SNMPv3 traps go through `encode_v3_trap`, which needs the local
        // engine; informs through the manager's v3 request path.
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
