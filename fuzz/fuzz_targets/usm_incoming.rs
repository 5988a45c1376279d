//! SNMPv3 messages through the agent's USM incoming processing (RFC 3412
//! §7.2, RFC 3414 §3.2), with users at every security level configured.
//! The fuzzing crypto configuration (`oxsnmp_core::fuzzing`) lets inputs
//! past the digest check and the cipher: a magic MAC authenticates, magic
//! privacy parameters make the encryptedPDU its own plaintext.
//!
//! The input is a mode octet (the agent's maximum message size: 65,507,
//! 484 or 200 octets; boots latched or not; a GETBULK cap of 100 or
//! 10,000 varbinds) and a script: raw datagrams, v3 messages with every
//! field chosen by the fuzzer (user, flags, engine ID, boots, time, MAC,
//! privacy parameters, ciphertext, context, PDU, GETBULK repetitions) and
//! perhaps corrupted, clock advances and jumps, and correct requests.
//!
//! Invariants, after every datagram: no panic; at most one answer, to the
//! sender; never larger than the agent's maximum nor the request's
//! msgMaxSize; every answer decodes, has the request's msgID, this
//! engine's ID and the request's user, is not reportable, is a Response or
//! a Report, is at most at the request's security level, and when
//! authenticated verifies (and when encrypted decrypts) with the user's
//! real keys; a Report's counter is the agent's counter; a Response (or a
//! secured Report) to an authenticated request only after its digest
//! verified; nothing is decrypted unless the datagram it came in
//! authenticated, and nothing at all when the digest was wrong; every
//! datagram counts once in snmpInPkts. Correct requests from known users
//! are answered with the value asked for, whatever came before.
#![no_main]

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use libfuzzer_sys::fuzz_target;
use oxsnmp_core::agent::{Agent, AgentStats, MemoryMib};
use oxsnmp_core::fuzzing::{crypto_log, reset_crypto_log};
use oxsnmp_core::v3::{
    ReportKind, ScopedPduData, ScopedPduRef, SecurityLevel, V3MessageRef, LOCAL_ENGINE_ID,
};
use oxsnmp_core::{MessageRef, PduType, Value};
use oxsnmp_fuzz::v3::{
    self as fx, engine_id, other_engine_id, peers, user_named, users, Auth, Data, Spec, BOOTS,
};
use oxsnmp_fuzz::Script;

const LATCHED: u32 = 2_147_483_647;

struct Run {
    agent: Agent<MemoryMib>,
    now: Instant,
    max: usize,
    latched: bool,
    next_id: i32,
}

fuzz_target!(|data: &[u8]| {
    assert_eq!(
        fx::MAGIC_PRIV_PARAMS,
        oxsnmp_core::fuzzing::MAGIC_PRIV_PARAMS
    );
    assert_eq!(fx::MAGIC_MAC_OCTET, oxsnmp_core::fuzzing::MAGIC_MAC_OCTET);
    let mut s = Script(data);
    let mode = s.byte();
    // The agent's own maximum message size: the largest UDP payload,
    // the smallest an SNMP engine may have (484), or a configuration
    // below that.
    let max = match mode & 0x0c {
        0 | 4 => 65507,
        8 => 484,
        _ => 200,
    };
    let latched = mode & 2 != 0;
    let start = Instant::now();
    let mut run = Run {
        agent: {
            let mut config = fx::agent_config(max, if latched { LATCHED } else { BOOTS });
            if mode & 0x10 != 0 {
                config.max_bulk_varbinds = 10_000;
            }
            Agent::new(config, fx::mib(), start)
        },
        now: start,
        max,
        latched,
        next_id: 1,
    };
    while let Some(op) = s.next() {
        match op % 6 {
            0 => {
                let n = usize::from(s.u16());
                let bytes = s.bytes(n).to_vec();
                let from = *s.pick(&peers());
                run.feed(from, &bytes);
            }
            1..=3 => {
                let from = *s.pick(&peers());
                let mut bytes = structured(&mut s, &run);
                for _ in 0..s.byte() % 4 {
                    if bytes.is_empty() {
                        break;
                    }
                    let at = usize::from(s.u16()) % bytes.len();
                    bytes[at] ^= s.byte() | 1;
                }
                run.feed(from, &bytes);
            }
            4 => {
                let b = s.byte();
                let step = if b < 200 {
                    Duration::from_secs(u64::from(b))
                } else {
                    Duration::from_secs(u64::from(b - 200) * 1_000_000_007)
                };
                run.now = run.now.checked_add(step).unwrap_or(run.now);
            }
            _ => {
                let who = usize::from(s.byte()) % users().len();
                run.served(who);
            }
        }
    }
    // Continued service: a noAuthNoPriv user and an authenticated one
    // (steps above check random users at their highest level, privacy
    // included; ciphers are slow under coverage instrumentation).
    run.served(0);
    run.served(1);
});

/// A v3 message with every field chosen by the script.
fn structured(s: &mut Script<'_>, run: &Run) -> Vec<u8> {
    let ours = engine_id();
    let other = other_engine_id();
    let long = [0x80; 33];
    let engines: [&[u8]; 6] = [
        ours.as_bytes(),
        b"",
        other.as_bytes(),
        LOCAL_ENGINE_ID,
        &long,
        &[1],
    ];
    let names: [&[u8]; 10] = [
        b"plain",
        b"md5",
        b"md5-des",
        b"sha-3des",
        b"sha256-aes",
        b"sha512-aes256",
        b"sha224-aes192r",
        b"nobody",
        b"",
        &[b'x'; 32],
    ];
    let user_name = *s.pick(&names);
    let user = user_named(user_name);
    let keys = user.map(|u| &u.keys);
    let mac_len = keys
        .and_then(|k| k.auth.as_ref())
        .map_or(12, |a| a.mac_len());
    let flags = match s.byte() {
        b @ 0..=0xef => b & 0x07,
        b => b,
    };
    let engine_time = run.agent.engine_time(run.now);
    let time = match s.byte() {
        b @ 0..=199 => engine_time.saturating_add(u32::from(b)).saturating_sub(100) & LATCHED,
        200..=209 => 0,
        210..=219 => LATCHED,
        b => engine_time.saturating_add(u32::from(b) * 3) & LATCHED,
    };
    let boots = *s.pick(&[BOOTS, BOOTS, BOOTS, 0, BOOTS + 1, BOOTS - 1, LATCHED]);
    let auth = match s.byte() % 8 {
        0 => Auth::Empty,
        1 | 2 => Auth::Real,
        3 | 4 => Auth::Magic(mac_len),
        5 => Auth::Magic(mac_len - 1),
        6 => Auth::Magic(mac_len + 1),
        _ => {
            let n = usize::from(s.byte() % 64);
            Auth::Raw(s.bytes(n).to_vec())
        }
    };
    let data = match s.byte() % 8 {
        0 | 1 => Data::Plain(Vec::new()),
        2 => Data::Plain(fx::MAGIC_PRIV_PARAMS.to_vec()),
        3 => Data::Real {
            salt: u64::from(s.u32()),
            keep: usize::MAX,
        },
        4 => Data::Real {
            salt: 1,
            keep: usize::from(s.byte()),
        },
        5 | 6 => Data::Magic {
            pad: *s.pick(&[1, 8, 8, 3]),
        },
        _ => {
            let n = usize::from(s.byte() % 12);
            let params = s.bytes(n).to_vec();
            let n = usize::from(s.byte());
            Data::Raw(params, s.bytes(n).to_vec())
        }
    };
    let context_engine = *s.pick(&[ours.as_bytes(), b"", LOCAL_ENGINE_ID, other.as_bytes()]);
    let context_name: &[u8] = *s.pick(&[&b""[..], b"", b"ctx", b"nope", &[b'c'; 40]]);
    let pdu_type = *s.pick(&[
        PduType::GetRequest,
        PduType::GetNextRequest,
        PduType::GetBulkRequest,
        PduType::SetRequest,
        PduType::Response,
        PduType::Report,
        PduType::SnmpV2Trap,
        PduType::InformRequest,
    ]);
    let request_id = s.u32() as i32;
    let count = usize::from(s.byte() % 5);
    let ns: Vec<u32> = (0..count).map(|_| u32::from(s.byte() % 15)).collect();
    let mut pdu = fx::pdu(pdu_type, request_id, &ns);
    if pdu_type == PduType::GetBulkRequest {
        // Up to 1,020 repetitions: responses up to the size limits.
        pdu.error_index = i32::from(s.byte()) * 4;
    }
    let scoped = fx::scoped(context_engine, context_name, pdu);
    let msg_id = match s.byte() {
        0 => -1,
        _ => (s.u32() & 0x7fff_ffff) as i32,
    };
    Spec {
        msg_id,
        max_size: *s.pick(&[65507, 65507, 484, 483, 1000, i32::MAX, 0]),
        flags,
        security_model: *s.pick(&[3, 3, 3, 3, 3, 1, 2, 0, 4]),
        engine_id: *s.pick(&engines),
        boots,
        time,
        user_name,
        keys,
        auth,
        data,
        scoped,
    }
    .build()
}

impl Run {
    /// Feeds one datagram and checks everything that came out.
    fn feed(&mut self, from: SocketAddr, bytes: &[u8]) {
        reset_crypto_log();
        let before = self.agent.stats();
        self.agent.handle_datagram(self.now, from, bytes);
        let after = self.agent.stats();
        let log = crypto_log();
        assert_eq!(
            log.unauthenticated_decryptions, 0,
            "decrypted before authenticating"
        );
        assert!(log.authentications <= 1 && log.decryptions <= 1, "{log:?}");
        if after.usm_wrong_digests > before.usm_wrong_digests {
            assert_eq!(
                log.decryptions, 0,
                "decrypted a message with a wrong digest"
            );
            assert_eq!(log.authenticated, 0);
        }
        assert_eq!(after.in_pkts, before.in_pkts + 1);
        let mut answers = 0;
        while let Some(tx) = self.agent.poll_transmit() {
            answers += 1;
            assert_eq!(tx.destination, from, "answer goes to the asker");
            assert!(
                tx.payload.len() <= self.max,
                "{} > {}",
                tx.payload.len(),
                self.max
            );
            self.check_answer(bytes, &tx.payload, &after, log.authenticated > 0);
        }
        assert!(answers <= 1, "{answers} answers to one datagram");
    }

    fn check_answer(&self, request: &[u8], answer: &[u8], stats: &AgentStats, authentic: bool) {
        if let Ok(req) = MessageRef::decode(request) {
            let out = MessageRef::decode(answer).expect("v1/v2c answer decodes");
            assert_eq!(out.version, req.version);
            let pdu = out.pdu().expect("a Response");
            assert_eq!(pdu.pdu_type, PduType::Response);
            if let Some(rp) = req.pdu() {
                assert_eq!(pdu.request_id, rp.request_id);
            }
            return;
        }
        let req = V3MessageRef::decode(request).expect("only decodable v3 messages are answered");
        let req_level = req
            .flags
            .level()
            .expect("answered messages have a valid level");
        let req_usm = req.usm().expect("answered messages have USM parameters");
        assert!(answer.len() <= usize::try_from(req.max_size).unwrap_or(usize::MAX));
        let out = V3MessageRef::decode(answer).expect("v3 answer decodes");
        assert_eq!(out.msg_id, req.msg_id);
        assert!(!out.flags.reportable());
        assert_eq!(out.security_model, 3);
        let level = out.flags.level().expect("valid level");
        assert!(
            level <= req_level,
            "answer at {level} to a request at {req_level}"
        );
        let usm = out.usm().expect("our USM parameters decode");
        assert_eq!(usm.engine_id, engine_id().as_bytes());
        assert_eq!(usm.user_name, req_usm.user_name);
        let boots = if self.latched { LATCHED } else { BOOTS };
        assert_eq!(usm.boots, boots);
        assert_eq!(usm.time, self.agent.engine_time(self.now));
        let mut plain = Vec::new();
        let scoped = if level.is_authenticated() {
            assert!(
                authentic,
                "secured answer to a message that did not authenticate"
            );
            let user = user_named(usm.user_name).expect("secured answers go to known users");
            let auth = user.keys.auth.as_ref().expect("an authenticating user");
            assert!(
                auth.verify(answer, usm.auth_offset),
                "answer's MAC verifies"
            );
            match out.data {
                ScopedPduData::Encrypted(c) => {
                    assert!(level.is_encrypted());
                    let p = user.keys.privacy.as_ref().expect("a privacy user");
                    p.decrypt(c, usm.priv_params, usm.boots, usm.time, &mut plain)
                        .expect("answer decrypts");
                    ScopedPduRef::decode(&plain, 0, true).expect("decrypted answer decodes")
                }
                ScopedPduData::Plaintext(s) => {
                    assert!(!level.is_encrypted());
                    s
                }
            }
        } else {
            assert!(usm.auth_params.is_empty() && usm.priv_params.is_empty());
            let ScopedPduData::Plaintext(s) = out.data else {
                panic!("encrypted answer at noAuthNoPriv")
            };
            s
        };
        let req_plain = match req.data {
            ScopedPduData::Plaintext(s) => Some(s.pdu),
            ScopedPduData::Encrypted(_) => None,
        };
        match scoped.pdu.pdu_type {
            PduType::Response => {
                if req_level.is_authenticated() {
                    assert!(
                        authentic,
                        "a Response to a message that did not authenticate"
                    );
                }
                assert_eq!(level, req_level, "a Response is secured like its request");
                if let Some(p) = req_plain {
                    assert_eq!(scoped.pdu.request_id, p.request_id);
                    assert!(confirmed(p.pdu_type));
                }
            }
            PduType::Report => {
                if let Some(p) = req_plain {
                    assert!(confirmed(p.pdu_type), "a Report to an unconfirmed PDU");
                    assert_eq!(scoped.pdu.request_id, p.request_id);
                } else {
                    assert!(req.flags.reportable() || authentic);
                }
                let vb = scoped
                    .pdu
                    .varbinds
                    .iter()
                    .next()
                    .expect("a Report names its counter");
                assert_eq!(scoped.pdu.varbinds.len(), 1);
                let arcs: Vec<u32> = vb.oid.arcs().collect();
                let kind = ReportKind::from_oid(&arcs);
                let counter = counter_of(stats, &kind).expect("a known counter");
                assert_eq!(
                    vb.value.to_value(),
                    Value::Counter32(counter as u32),
                    "{kind:?}"
                );
                assert_eq!(scoped.context_engine_id, engine_id().as_bytes());
            }
            t => panic!("agent sent a {t:?}"),
        }
    }

    /// A correct request from user `who` is answered (or, for an
    /// authenticated user with boots latched, refused with an authentic
    /// notInTimeWindow Report).
    fn served(&mut self, who: usize) {
        let user = &users()[who];
        let id = self.next_id;
        self.next_id += 1;
        let time = self.agent.engine_time(self.now);
        let bytes = fx::valid_request(user, id, 1000 + id, time);
        let from = peers()[0];
        reset_crypto_log();
        self.agent.handle_datagram(self.now, from, &bytes);
        let tx = self
            .agent
            .poll_transmit()
            .expect("a correct request is answered");
        assert!(self.agent.poll_transmit().is_none());
        assert_eq!(tx.destination, from);
        let out = V3MessageRef::decode(&tx.payload).expect("answer decodes");
        assert_eq!(out.msg_id, id);
        let level = out.flags.level().expect("valid level");
        let usm = out.usm().expect("USM parameters");
        let mut plain = Vec::new();
        let scoped = match out.data {
            ScopedPduData::Plaintext(s) => s,
            ScopedPduData::Encrypted(c) => {
                let p = user.keys.privacy.as_ref().expect("privacy user");
                p.decrypt(c, usm.priv_params, usm.boots, usm.time, &mut plain)
                    .expect("decrypts");
                ScopedPduRef::decode(&plain, 0, true).expect("decodes")
            }
        };
        if self.latched && user.user.max_level() != SecurityLevel::NoAuthNoPriv {
            assert_eq!(scoped.pdu.pdu_type, PduType::Report);
            let vb = scoped.pdu.varbinds.iter().next().expect("counter");
            let arcs: Vec<u32> = vb.oid.arcs().collect();
            assert_eq!(ReportKind::from_oid(&arcs), ReportKind::NotInTimeWindow);
            assert_eq!(level, SecurityLevel::AuthNoPriv);
            return;
        }
        assert_eq!(level, user.user.max_level());
        assert_eq!(scoped.pdu.pdu_type, PduType::Response);
        assert_eq!(scoped.pdu.request_id, 1000 + id);
        let vb = scoped.pdu.varbinds.iter().next().expect("one varbind");
        assert_eq!(vb.oid.to_owned(), fx::scalar(7));
        // The scalar holds 7, or whatever integer a fuzzed SET put there.
        let v = vb.value.to_value();
        assert!(matches!(v, Value::Integer(_)), "{v:?}");
    }
}

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

fn counter_of(s: &AgentStats, kind: &ReportKind) -> Option<u64> {
    Some(match kind {
        ReportKind::UnsupportedSecLevel => s.usm_unsupported_sec_levels,
        ReportKind::NotInTimeWindow => s.usm_not_in_time_windows,
        ReportKind::UnknownUserName => s.usm_unknown_user_names,
        ReportKind::UnknownEngineId => s.usm_unknown_engine_ids,
        ReportKind::WrongDigest => s.usm_wrong_digests,
        ReportKind::DecryptionError => s.usm_decryption_errors,
        ReportKind::UnknownSecurityModel => s.unknown_security_models,
        ReportKind::InvalidMsg => s.invalid_msgs,
        ReportKind::UnknownPduHandler => s.unknown_pdu_handlers,
        ReportKind::UnavailableContext => s.unavailable_contexts,
        ReportKind::UnknownContext => s.unknown_contexts,
        _ => return None,
    })
}
