//! SNMPv3 in the agent: the authoritative engine's incoming message
//! processing (RFC 3412 §7.2, RFC 3414 §3.2 through
//! [`LocalEngine::check`]), Report-PDUs, and responses secured like their
//! requests.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Instant;

use crate::pdu::PduRef;
use crate::usm::authoritative::{confirmed, reportable, Checked};
use crate::usm::{Outgoing, UserKeys};
use crate::v3::{
    ReportKind, ScopedPduRef, SecurityLevel, UsmParamsRef, V3MessageRef, LOCAL_ENGINE_ID,
    SECURITY_MODEL_USM,
};
use crate::vacm::SecurityModel;

pub(crate) use crate::usm::authoritative::LocalEngine as UsmEngine;

use super::encode::{ResponseHeader, V3Frame};
use super::mib::{Context, ContextName, Mib};
use super::Agent;

/// What a Report needs from the message it answers.
struct ReportTo<'a> {
    to: SocketAddr,
    now: Instant,
    msg_id: i32,
    /// The largest report that may be sent: the agent's maximum and the
    /// request's msgMaxSize, whichever is smaller.
    limit: usize,
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
        let (may_report, request_id) = reportable(&msg);
        let mut report = ReportTo {
            to: from,
            now,
            msg_id: msg.msg_id,
            limit: self
                .config
                .max_message_size
                .min(usize::try_from(msg.max_size).unwrap_or(usize::MAX)),
            user_name: params.user_name,
            request_id,
            reportable: may_report,
        };
        let mut plain = std::mem::take(&mut self.scratch.plain);
        let checked = match self.usm.as_ref() {
            Some(engine) => engine.check(now, bytes, &msg, &params, level, &mut plain),
            None => Checked::Malformed,
        };
        match checked {
            Checked::Accepted { keys, scoped } => {
                report.request_id = scoped.pdu.request_id;
                report.reportable = confirmed(scoped.pdu.pdu_type);
                self.serve_v3(&msg, &params, level, &keys, &scoped, &report);
            }
            Checked::Refused { kind, level, keys } => {
                if matches!(kind, ReportKind::WrongDigest | ReportKind::UnknownUserName) {
                    self.send_authentication_failure(now);
                }
                self.report(&report, kind, level, keys.as_deref());
            }
            // RFC 3412 §7.2 step 7.
            Checked::Malformed => self.stats.in_asn_parse_errs += 1,
        }
        self.scratch.plain = plain;
    }

    /// A secured, decoded request: context checks, VACM, processing and a
    /// response secured like the request (RFC 3412 §7.1 step 2b).
    fn serve_v3(
        &mut self,
        msg: &V3MessageRef<'_>,
        params: &UsmParamsRef<'_>,
        level: SecurityLevel,
        keys: &UserKeys,
        scoped: &ScopedPduRef<'_>,
        report: &ReportTo<'_>,
    ) {
        let Some(engine) = self.usm.as_ref() else {
            return;
        };
        let engine_id = Arc::clone(&engine.id);
        let pdu: PduRef<'_> = scoped.pdu;
        // RFC 3412 §4.2.2.1: requests are handled for this engine's
        // contextEngineID, and for localEngineID (RFC 5343 §3.1).
        let ours =
            scoped.context_engine_id == &*engine_id || scoped.context_engine_id == LOCAL_ENGINE_ID;
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
        let max_size = crate::v3::advertised_max_size(self.config.max_message_size);
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
                    engine_id: &engine_id,
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
        if !r.reportable || self.queue_full() {
            return;
        }
        let Some(engine) = self.usm.as_mut() else {
            return;
        };
        let start = self.out.len();
        let bufs = &mut self.scratch.v3;
        let written = engine.write_report(
            r.now,
            &mut self.out,
            &mut bufs.scoped,
            &mut bufs.cipher,
            r.msg_id,
            r.user_name,
            r.request_id,
            &kind,
            counter,
            level,
            keys,
            self.config.max_message_size,
        );
        if !written {
            return;
        }
        // A Report goes through prepareResponseMessage like a Response
        // (RFC 3412 §7.1 step 3), bounded by what the sender accepts and
        // by this agent's own maximum: one over either is not sent, and
        // counted in snmpSilentDrops as a response would be (RFC 3416
        // §4.2.1).
        if self.out.len() - start > r.limit {
            self.out.truncate(start);
            self.stats.silent_drops += 1;
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
