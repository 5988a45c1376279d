//! SNMPv3 in the agent: the authoritative engine's incoming message
//! processing (RFC 3412 §7.2, RFC 3414 §3.2 with the timeliness checks of
//! step 7a), Report-PDUs, and responses secured like their requests.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Instant;

use crate::pdu::{Pdu, PduRef, PduType, VarBind};
use crate::usm::{self, Outgoing, UserKeys, UsmUser};
use crate::v3::{
    EngineId, ReportKind, ScopedPdu, ScopedPduData, ScopedPduRef, SecurityLevel, UsmParamsRef,
    V3MessageRef, LOCAL_ENGINE_ID, SECURITY_MODEL_USM,
};
use crate::vacm::SecurityModel;
use crate::value::Value;

use super::encode::{ResponseHeader, V3Frame};
use super::mib::{Context, ContextName, Mib};
use super::Agent;

/// The time window of RFC 3414 §2.2.3.
const TIME_WINDOW: u32 = 150;

/// snmpEngineBoots' latch value (RFC 3414 §2.2.2).
const BOOTS_LATCHED: u32 = 2_147_483_647;

/// The authoritative engine's state: identity, clock, users' keys.
pub(crate) struct UsmEngine {
    id: Arc<[u8]>,
    boots: u32,
    start: Instant,
    salt: u64,
    /// User name -> keys localized to this engine.
    users: HashMap<Vec<u8>, Arc<UserKeys>>,
}

impl UsmEngine {
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

    fn next_salt(&mut self) -> u64 {
        self.salt = self.salt.wrapping_add(1);
        self.salt
    }
}

/// Whether a PDU type is of the Confirmed Class (RFC 3411 §2.8), the only
/// ones a Report may answer (RFC 3412 §7.1 step 3b).
fn confirmed(t: PduType) -> bool {
    matches!(
        t,
        PduType::GetRequest
            | PduType::GetNextRequest
            | PduType::GetBulkRequest
            | PduType::SetRequest
            | PduType::InformRequest
    )
}

/// What a Report needs from the message it answers.
struct ReportTo<'a> {
    to: SocketAddr,
    now: Instant,
    msg_id: i32,
    user_name: &'a [u8],
    request_id: i32,
    reportable: bool,
}

impl<M: Mib> Agent<M> {
    /// An SNMPv3 datagram (the engine exists; the caller checked).
    pub(super) fn handle_v3(&mut self, now: Instant, from: SocketAddr, bytes: &[u8]) {
        // RFC 3412 §7.2 steps 2-5.
        let Ok(msg) = V3MessageRef::decode(bytes) else {
            self.stats.in_asn_parse_errs += 1;
            return;
        };
        if msg.security_model != SECURITY_MODEL_USM {
            self.stats.unknown_security_models += 1;
            return;
        }
        let Some(level) = msg.flags.level() else {
            self.stats.invalid_msgs += 1;
            return;
        };
        // RFC 3414 §3.2 step 1.
        let Ok(params) = msg.usm() else {
            self.stats.in_asn_parse_errs += 1;
            return;
        };
        let Some(engine) = self.usm.as_ref() else {
            return;
        };
        let engine_id = Arc::clone(&engine.id);
        let boots = engine.boots;
        let time = engine.time(now);

        // What can be known of the PDU before any security check: the
        // request-id and type of a plaintext one (RFC 3412 §7.1 step 3a),
        // else the reportableFlag (§6.4).
        let plain_pdu = match msg.data {
            ScopedPduData::Plaintext(s) => Some(s.pdu),
            ScopedPduData::Encrypted(_) => None,
        };
        let mut report = ReportTo {
            to: from,
            now,
            msg_id: msg.msg_id,
            user_name: params.user_name,
            request_id: plain_pdu.map_or(0, |p| p.request_id),
            reportable: plain_pdu.map_or(msg.flags.reportable(), |p| confirmed(p.pdu_type)),
        };

        // Step 3: a message for another (or no) engine: discovery.
        if params.engine_id != &*engine_id {
            return self.report(
                &report,
                ReportKind::UnknownEngineId,
                SecurityLevel::NoAuthNoPriv,
                None,
            );
        }
        // Step 4.
        let Some(keys) = engine.users.get(params.user_name).map(Arc::clone) else {
            return self.report(
                &report,
                ReportKind::UnknownUserName,
                SecurityLevel::NoAuthNoPriv,
                None,
            );
        };
        // Step 5.
        if level > keys.max_level() {
            return self.report(
                &report,
                ReportKind::UnsupportedSecLevel,
                SecurityLevel::NoAuthNoPriv,
                None,
            );
        }
        if level.is_authenticated() {
            // Step 6: before anything else is believed, and before any
            // decryption.
            if !usm::authenticate(bytes, &params, &keys) {
                return self.report(
                    &report,
                    ReportKind::WrongDigest,
                    SecurityLevel::NoAuthNoPriv,
                    None,
                );
            }
            // Step 7a: the report goes back authenticated so the manager
            // can trust the boots and time it learns from it.
            if boots == BOOTS_LATCHED
                || params.boots != boots
                || params.time.abs_diff(time) > TIME_WINDOW
            {
                return self.report(
                    &report,
                    ReportKind::NotInTimeWindow,
                    SecurityLevel::AuthNoPriv,
                    Some(&keys),
                );
            }
        }

        // Step 8.
        // Step 8. CBC and CFB cannot tell a wrong key by themselves: a
        // plaintext that is not a ScopedPDU is a decryption error too, so
        // a wrong privacy password gets a Report instead of silence.
        let mut plain = std::mem::take(&mut self.scratch.plain);
        let decrypted = match (level.is_encrypted(), msg.data) {
            (true, ScopedPduData::Encrypted(c)) => usm::decrypt(c, &params, &keys, &mut plain),
            _ => true,
        };
        let scoped = match (level.is_encrypted(), msg.data) {
            (true, ScopedPduData::Encrypted(_)) if decrypted => {
                ScopedPduRef::decode(&plain, 0, true).ok()
            }
            (false, ScopedPduData::Plaintext(s)) => Some(s),
            _ => None,
        };
        if level.is_encrypted()
            && scoped.is_none()
            && matches!(msg.data, ScopedPduData::Encrypted(_))
        {
            self.scratch.plain = plain;
            return self.report(
                &report,
                ReportKind::DecryptionError,
                SecurityLevel::NoAuthNoPriv,
                None,
            );
        }
        match scoped {
            // RFC 3412 §7.2 step 7.
            None => self.stats.in_asn_parse_errs += 1,
            Some(scoped) => {
                report.request_id = scoped.pdu.request_id;
                report.reportable = confirmed(scoped.pdu.pdu_type);
                self.serve_v3(&msg, &params, level, &keys, &engine_id, &scoped, &report);
            }
        }
        self.scratch.plain = plain;
    }

    /// A secured, decoded request: context checks, VACM, processing and a
    /// response secured like the request (RFC 3412 §7.1 step 2b).
    #[allow(clippy::too_many_arguments)]
    fn serve_v3(
        &mut self,
        msg: &V3MessageRef<'_>,
        params: &UsmParamsRef<'_>,
        level: SecurityLevel,
        keys: &UserKeys,
        engine_id: &[u8],
        scoped: &ScopedPduRef<'_>,
        report: &ReportTo<'_>,
    ) {
        let pdu: PduRef<'_> = scoped.pdu;
        // RFC 3412 §4.2.2.1: requests are handled for this engine's
        // contextEngineID, and for localEngineID (RFC 5343 §3.1).
        let ours =
            scoped.context_engine_id == engine_id || scoped.context_engine_id == LOCAL_ENGINE_ID;
        if !ours && confirmed(pdu.pdu_type) {
            return self.report(report, ReportKind::UnknownPduHandler, level, Some(keys));
        }
        // RFC 3413 §3.2 step 3.
        let context = match ContextName::new(scoped.context_name) {
            Some(c) if self.vacm.has_context(scoped.context_name) => c,
            _ => {
                if confirmed(pdu.pdu_type) {
                    return self.report(report, ReportKind::UnknownContext, level, Some(keys));
                }
                self.stats.unknown_contexts += 1;
                return;
            }
        };
        if !self.accept_request(&pdu, false) {
            return;
        }
        let Some(engine) = self.usm.as_mut() else {
            return;
        };
        let salt = engine.next_salt();
        let boots = engine.boots;
        let time = engine.time(report.now);
        let ctx = Context {
            now: report.now,
            sys_up_time: self.sys_up_time(report.now),
            peer: report.to,
            version: crate::message::Version::V3,
            pdu_type: pdu.pdu_type,
            request_id: pdu.request_id,
            context,
        };
        let max_size = i32::try_from(self.config.max_message_size).unwrap_or(i32::MAX);
        let header = ResponseHeader {
            version: crate::message::Version::V3,
            community: b"",
            request_id: pdu.request_id,
            limit: self
                .config
                .max_message_size
                .min(usize::try_from(msg.max_size).unwrap_or(usize::MAX)),
            v3: Some(V3Frame {
                security: Outgoing {
                    msg_id: msg.msg_id,
                    max_size,
                    level,
                    reportable: false,
                    engine_id,
                    boots,
                    time,
                    user_name: params.user_name,
                    keys: Some(keys),
                    salt,
                },
                context_engine_id: scoped.context_engine_id,
                context_name: scoped.context_name,
            }),
        };
        let vacm = Arc::clone(&self.vacm);
        let grant = vacm.grant(
            SecurityModel::Usm,
            params.user_name,
            level,
            scoped.context_name,
        );
        let outcome = self.dispatch(&ctx, &pdu, &header, grant.ok(), false);
        self.respond(report.to, &header, outcome, pdu.varbinds.raw());
    }

    /// Counts a USM or dispatcher failure and, when the message allows it,
    /// answers with a Report-PDU carrying the counter (RFC 3412 §7.1 step 3,
    /// RFC 3414 §3.2). The report's scope is this engine's default context
    /// (§7.1 step 3d).
    fn report(
        &mut self,
        r: &ReportTo<'_>,
        kind: ReportKind,
        level: SecurityLevel,
        keys: Option<&UserKeys>,
    ) {
        let counter = match self.stats.report_counter(&kind) {
            Some(c) => {
                *c += 1;
                *c
            }
            None => 0,
        };
        if !r.reportable || self.queue.len() >= self.config.max_queued_responses {
            return;
        }
        let Some(engine) = self.usm.as_mut() else {
            return;
        };
        let salt = engine.next_salt();
        let security = Outgoing {
            msg_id: r.msg_id,
            max_size: i32::try_from(self.config.max_message_size).unwrap_or(i32::MAX),
            level,
            reportable: false,
            engine_id: &engine.id,
            boots: engine.boots,
            time: engine.time(r.now),
            user_name: r.user_name,
            keys,
            salt,
        };
        let pdu = Pdu {
            pdu_type: PduType::Report,
            request_id: r.request_id,
            error_status: 0,
            error_index: 0,
            // Counter32 wraps (RFC 2578 §7.1.6): truncation intended.
            varbinds: vec![VarBind::new(kind.oid(), Value::Counter32(counter as u32))],
        };
        let scoped = ScopedPdu::new(engine.id.to_vec(), Vec::new(), pdu);
        let buf = &mut self.scratch.v3;
        buf.scoped.clear();
        scoped.encode(&mut buf.scoped);
        let start = self.out.len();
        if security
            .write(&mut self.out, &buf.scoped, &mut buf.cipher)
            .is_err()
        {
            self.out.truncate(start);
            return;
        }
        self.stats.out_pkts += 1;
        self.stats.out_reports += 1;
        self.queue.push_back(super::Queued {
            destination: r.to,
            start,
            end: self.out.len(),
        });
    }
}
