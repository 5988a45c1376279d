//! The authoritative engine's side of USM (RFC 3414 §3.2 with the
//! timeliness rules of step 7a): the engine that receives requests (an
//! agent) or informs (a notification receiver) checks a message against
//! its own engine ID, clock and users, and answers failures with Reports.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Instant;

use crate::pdu::{Pdu, PduType, VarBind};
use crate::v3::{
    EngineId, ReportKind, ScopedPdu, ScopedPduData, ScopedPduRef, SecurityLevel, UsmParamsRef,
    V3MessageRef,
};
use crate::value::Value;

use super::{authenticate, decrypt, Outgoing, UserKeys, UsmUser};

/// The time window of RFC 3414 §2.2.3.
pub(crate) const TIME_WINDOW: u32 = 150;

/// snmpEngineBoots' latch value (RFC 3414 §2.2.2).
pub(crate) const BOOTS_LATCHED: u32 = 2_147_483_647;

/// An authoritative engine: identity, clock and users' keys.
#[derive(Debug)]
pub(crate) struct LocalEngine {
    pub(crate) id: Arc<[u8]>,
    pub(crate) boots: u32,
    start: Instant,
    salt: u64,
    /// User name -> keys localized to this engine.
    users: HashMap<Vec<u8>, Arc<UserKeys>>,
}

/// What the checks of RFC 3414 §3.2 decided.
pub(crate) enum Checked<'a> {
    /// The message is authentic, timely and (if need be) decrypted.
    Accepted {
        /// The user's keys, for a response secured like the request.
        keys: Arc<UserKeys>,
        /// The ScopedPDU.
        scoped: ScopedPduRef<'a>,
    },
    /// A USM failure: count it and answer with this Report if the message
    /// may be answered.
    Refused {
        /// The counter to report.
        kind: ReportKind,
        /// The Report's security level (authNoPriv for notInTimeWindow).
        level: SecurityLevel,
        /// The keys that level needs.
        keys: Option<Arc<UserKeys>>,
    },
    /// Not a well-formed message after all (plaintext where encryption
    /// was flagged, or the other way round): snmpInASNParseErrs.
    Malformed,
}

impl LocalEngine {
    pub(crate) fn new(id: &EngineId, boots: u32, salt_seed: u64, start: Instant) -> Self {
        Self {
            id: Arc::from(id.as_bytes()),
            boots: boots.min(BOOTS_LATCHED),
            start,
            salt: salt_seed,
            users: HashMap::new(),
        }
    }

    /// Localizes the user's keys to this engine (cheap: the password
    /// hashing was done when the user was built).
    pub(crate) fn add_user(&mut self, user: &UsmUser) {
        let keys = user.keys_for(&self.id);
        self.users.insert(user.name().to_vec(), Arc::new(keys));
    }

    pub(crate) fn engine_id(&self) -> &[u8] {
        &self.id
    }

    /// snmpEngineTime: seconds since the engine started, at most 2^31-1.
    pub(crate) fn time(&self, now: Instant) -> u32 {
        let secs = now.saturating_duration_since(self.start).as_secs();
        u32::try_from(secs).map_or(BOOTS_LATCHED, |s| s.min(BOOTS_LATCHED))
    }

    pub(crate) fn next_salt(&mut self) -> u64 {
        self.salt = self.salt.wrapping_add(1);
        self.salt
    }

    /// RFC 3414 §3.2 steps 3 to 8 for a message addressed to this engine.
    /// Authentication comes before anything is believed and before any
    /// decryption; a decrypted buffer that is not a ScopedPDU is a
    /// decryption error (CBC and CFB cannot tell a wrong key otherwise).
    pub(crate) fn check<'a>(
        &self,
        now: Instant,
        bytes: &[u8],
        msg: &V3MessageRef<'a>,
        params: &UsmParamsRef<'_>,
        level: SecurityLevel,
        plain: &'a mut Vec<u8>,
    ) -> Checked<'a> {
        let refuse = |kind, level, keys| Checked::Refused { kind, level, keys };
        // Step 3: another (or no) engine: discovery.
        if params.engine_id != &*self.id {
            return refuse(
                ReportKind::UnknownEngineId,
                SecurityLevel::NoAuthNoPriv,
                None,
            );
        }
        // Step 4.
        let Some(keys) = self.users.get(params.user_name).map(Arc::clone) else {
            return refuse(
                ReportKind::UnknownUserName,
                SecurityLevel::NoAuthNoPriv,
                None,
            );
        };
        // Step 5.
        if level > keys.max_level() {
            return refuse(
                ReportKind::UnsupportedSecLevel,
                SecurityLevel::NoAuthNoPriv,
                None,
            );
        }
        if level.is_authenticated() {
            // Step 6.
            if !authenticate(bytes, params, &keys) {
                return refuse(ReportKind::WrongDigest, SecurityLevel::NoAuthNoPriv, None);
            }
            // Step 7a: the report goes back authenticated so the sender can
            // trust the boots and time it learns from it.
            let time = self.time(now);
            if self.boots == BOOTS_LATCHED
                || params.boots != self.boots
                || params.time.abs_diff(time) > TIME_WINDOW
            {
                return refuse(
                    ReportKind::NotInTimeWindow,
                    SecurityLevel::AuthNoPriv,
                    Some(keys),
                );
            }
        }
        // Step 8.
        match (level.is_encrypted(), msg.data) {
            (true, ScopedPduData::Encrypted(c)) => {
                if decrypt(c, params, &keys, plain) {
                    let plain: &'a Vec<u8> = plain;
                    if let Ok(scoped) = ScopedPduRef::decode(plain, 0, true) {
                        return Checked::Accepted { keys, scoped };
                    }
                }
                refuse(
                    ReportKind::DecryptionError,
                    SecurityLevel::NoAuthNoPriv,
                    None,
                )
            }
            (false, ScopedPduData::Plaintext(scoped)) => Checked::Accepted { keys, scoped },
            _ => Checked::Malformed,
        }
    }

    /// Appends a Report-PDU message answering `msg_id` (RFC 3412 §7.1
    /// step 3): the counter's OID and value, this engine's ID, boots and
    /// time, the default context. `scratch` is reused for the ScopedPDU
    /// and `cipher` for encryption. False when the keys do not allow
    /// `level`.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn write_report(
        &mut self,
        now: Instant,
        out: &mut Vec<u8>,
        scratch: &mut Vec<u8>,
        cipher: &mut Vec<u8>,
        msg_id: i32,
        user_name: &[u8],
        request_id: i32,
        kind: &ReportKind,
        counter: u64,
        level: SecurityLevel,
        keys: Option<&UserKeys>,
        max_size: usize,
    ) -> bool {
        let salt = self.next_salt();
        let security = Outgoing {
            msg_id,
            max_size: crate::v3::advertised_max_size(max_size),
            level,
            reportable: false,
            engine_id: &self.id,
            boots: self.boots,
            time: self.time(now),
            user_name,
            keys,
            salt,
        };
        let pdu = Pdu {
            pdu_type: PduType::Report,
            request_id,
            error_status: 0,
            error_index: 0,
            // Counter32 wraps (RFC 2578 §7.1.6): truncation intended.
            varbinds: vec![VarBind::new(kind.oid(), Value::Counter32(counter as u32))],
        };
        scratch.clear();
        ScopedPdu::new(self.id.to_vec(), Vec::new(), pdu).encode(scratch);
        let start = out.len();
        if security.write(out, scratch, cipher).is_err() {
            out.truncate(start);
            return false;
        }
        true
    }
}

/// Whether a PDU type is of the Confirmed Class (RFC 3411 §2.8), the only
/// ones a Report may answer (RFC 3412 §7.1 step 3b).
pub(crate) fn confirmed(t: PduType) -> bool {
    matches!(
        t,
        PduType::GetRequest
            | PduType::GetNextRequest
            | PduType::GetBulkRequest
            | PduType::SetRequest
            | PduType::InformRequest
    )
}

/// Whether a message may be answered with a Report before its PDU is
/// known: by the PDU's class when it is in plaintext (RFC 3412 §7.1 step
/// 3a), else by the reportableFlag (§6.4); with the request-id to put in
/// the Report (0 when unknown).
pub(crate) fn reportable(msg: &V3MessageRef<'_>) -> (bool, i32) {
    match msg.data {
        ScopedPduData::Plaintext(s) => (confirmed(s.pdu.pdu_type), s.pdu.request_id),
        ScopedPduData::Encrypted(_) => (msg.flags.reportable(), 0),
    }
}
