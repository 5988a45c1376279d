//! The manager with SNMPv3 requests outstanding: engine-ID discovery,
//! Reports and Responses arriving in any order, from anywhere. The
//! fuzzing crypto configuration (`oxsnmp_core::fuzzing`) lets crafted
//! answers authenticate (a magic MAC) and carry their ScopedPDU through
//! the "cipher" (magic privacy parameters); real MACs and ciphertexts are
//! used too.
//!
//! Setup: v3 requests to two agents at every security level (some
//! discovering the engine, some with `-e`), one v2c request; more may be
//! sent during the script. Steps: raw datagrams; Reports (any counter,
//! engine ID, boots, time, level, user) and Responses (any level, user,
//! engine, request-id, MAC, privacy) for one of the messages sent, from
//! the right agent, the other one or a stranger; clock advances and jumps;
//! cancellations; new requests.
//!
//! Invariants: no panic; every transmit decodes and goes to an agent; a
//! discovery probe is noAuthNoPriv with no engine ID and no user; other v3
//! transmits carry the request's user, level and request-id, verify with
//! the user's real key localized to their engine ID and decrypt with the
//! real privacy key; msgIDs of outstanding requests are never reused; a
//! request completes at most once and never before it was sent;
//! `outstanding() + completed == sent`; a successful completion only
//! comes from a datagram that was a Response with the request's
//! request-id, from the request's agent, at the request's level and user,
//! with a MAC that authenticates; a Report error only from a Report;
//! timeouts only from the clock, cancellations only from `cancel`; the
//! counters agree with the completions; in the end every request has
//! completed and no timer is left.
#![no_main]

use std::collections::{HashMap, HashSet};
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use libfuzzer_sys::fuzz_target;
use oxsnmp_core::manager::{
    Event, Manager, ManagerConfig, Request, RequestError, RequestHandle, RetryPolicy, SendError,
    Target, V3Security,
};
use oxsnmp_core::usm::UserKeys;
use oxsnmp_core::v3::{
    MsgFlags, ReportKind, ScopedPdu, ScopedPduData, ScopedPduRef, SecurityLevel, UsmParamsRef,
    V3MessageRef, SECURITY_MODEL_USM,
};
use oxsnmp_core::{Message, MessageRef, Pdu, PduType, Value, VarBind, Version};
use oxsnmp_fuzz::v3::{self as fx, engine_id, other_engine_id, users, Auth, Data, Spec};
use oxsnmp_fuzz::Script;

/// Users the manager uses (no Reeder key extension: it localizes keys to
/// whatever engine ID a Report names, and Reeder's costs a megabyte of
/// hashing each time).
const USERS: [usize; 5] = [0, 1, 2, 4, 5];

#[derive(Debug, Clone)]
struct Sent {
    handle: RequestHandle,
    request_id: i32,
    to: SocketAddr,
    v3: Option<(usize, SecurityLevel)>,
}

/// What the manager has put on the wire, by msgID.
#[derive(Debug, Clone)]
struct OnWire {
    request: usize,
    engine: Vec<u8>,
    probe: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cause {
    Datagram,
    Clock,
    Cancel,
    Send,
}

struct Run {
    mgr: Manager,
    /// The manager's maximum message size.
    max: usize,
    now: Instant,
    agents: [SocketAddr; 2],
    engines: [Vec<u8>; 2],
    sent: Vec<Sent>,
    completed: HashSet<RequestHandle>,
    wire: HashMap<i32, OnWire>,
    wire_order: Vec<i32>,
    ok: u64,
    timeouts: u64,
}

fuzz_target!(|data: &[u8]| {
    let mut s = Script(data);
    let seed = s.byte();
    // The manager's own maximum message size: the largest UDP payload,
    // an Ethernet frame, the least an SNMP engine may have, or below.
    let mut config = ManagerConfig::with_seed(u64::from(seed & 0x3f));
    config.max_message_size = [65507, 1472, 484, 300][usize::from(seed >> 6)];
    let agents = fx::peers();
    let mut run = Run {
        max: config.max_message_size,
        mgr: Manager::new(config.clone()),
        now: Instant::now(),
        agents,
        engines: [engine_id().into_bytes(), other_engine_id().into_bytes()],
        sent: Vec::new(),
        completed: HashSet::new(),
        wire: HashMap::new(),
        wire_order: Vec::new(),
        ok: 0,
        timeouts: 0,
    };
    // (agent, user, level, engine known, retries)
    let setup = [
        (0, 4, SecurityLevel::AuthPriv, false, 2),
        (0, 1, SecurityLevel::AuthNoPriv, false, 0),
        (1, 0, SecurityLevel::NoAuthNoPriv, true, 1),
        (1, 2, SecurityLevel::AuthPriv, true, 3),
    ];
    for (i, (agent, user, level, known, retries)) in setup.into_iter().enumerate() {
        run.send_v3(agent, user, level, known, retries, i as u32);
    }
    run.send_v2c();

    let stranger = SocketAddr::from(([198, 51, 100, 7], 161));
    while let Some(op) = s.next() {
        match op % 8 {
            0 => {
                let from = pick_from(&mut s, &run.agents, stranger);
                let n = usize::from(s.u16() % 2048);
                let bytes = s.bytes(n).to_vec();
                run.deliver(from, &bytes);
            }
            1 | 2 => {
                if let Some((from, bytes)) = run.report(&mut s, stranger) {
                    run.deliver(from, &bytes);
                }
            }
            3 | 4 => {
                if let Some((from, bytes)) = run.response(&mut s, stranger) {
                    run.deliver(from, &bytes);
                }
            }
            5 => {
                let b = s.byte();
                let step = if b < 240 {
                    Duration::from_millis(u64::from(b) * 25)
                } else {
                    Duration::from_secs(u64::from(b - 239) * 100)
                };
                run.now += step;
                run.mgr.handle_timeout(run.now);
                run.drain(Cause::Clock);
            }
            6 if !run.sent.is_empty() => {
                let which = usize::from(s.byte()) % run.sent.len();
                let handle = run.sent[which].handle;
                let was_open = !run.completed.contains(&handle);
                assert_eq!(run.mgr.cancel(handle), was_open);
                run.drain(Cause::Cancel);
            }
            6 => {}
            _ => {
                if run.sent.len() < 10 {
                    let agent = usize::from(s.byte() % 2);
                    let user = USERS[usize::from(s.byte()) % USERS.len()];
                    let max = users()[user].user.max_level();
                    let level = *s.pick(&[SecurityLevel::NoAuthNoPriv, max, max]);
                    let known = s.byte() % 4 == 0;
                    let n = run.sent.len() as u32;
                    run.send_v3(agent, user, level, known, u32::from(s.byte() % 3), n);
                }
            }
        }
    }

    for _ in 0..40 {
        run.now += Duration::from_secs(5);
        run.mgr.handle_timeout(run.now);
        run.drain(Cause::Clock);
    }
    assert_eq!(run.mgr.outstanding(), 0);
    assert_eq!(run.completed.len(), run.sent.len());
    assert_eq!(run.mgr.poll_timeout(), None);
    let stats = run.mgr.stats();
    assert_eq!(stats.requests, run.sent.len() as u64);
    assert_eq!(stats.responses, run.ok);
    assert_eq!(stats.timeouts, run.timeouts);
});

fn pick_from(s: &mut Script<'_>, agents: &[SocketAddr; 2], stranger: SocketAddr) -> SocketAddr {
    match s.byte() % 8 {
        0..=2 => agents[0],
        3..=5 => agents[1],
        _ => stranger,
    }
}

impl Run {
    fn send_v3(
        &mut self,
        agent: usize,
        user: usize,
        level: SecurityLevel,
        known: bool,
        retries: u32,
        n: u32,
    ) {
        let u = &users()[user];
        let mut security = V3Security::new(u.user.clone(), level);
        if known {
            security = security.engine_id(
                oxsnmp_core::v3::EngineId::new(self.engines[agent].clone()).expect("valid"),
            );
        }
        let mut target = Target::v3(self.agents[agent], security);
        target.retry = RetryPolicy {
            timeout: Duration::from_millis(300 + 100 * u64::from(n % 4)),
            retries,
        };
        let request = match n % 4 {
            0 => Request::get(&[fx::scalar(1), fx::scalar(2)]),
            1 => Request::get_next(&[fx::scalar(3)]),
            2 => Request::get_bulk(1, 4, &[fx::scalar(4), fx::scalar(5)]),
            _ => Request::set(&[VarBind::new(fx::scalar(6), Value::Integer(9))]),
        };
        let handle = match self.mgr.send_request(self.now, &target, request) {
            Ok(h) => h,
            Err(SendError::TooLarge { size, max }) => {
                assert!(size > max);
                return;
            }
            Err(e) => panic!("{e:?}"),
        };
        let index = self.sent.len();
        self.sent.push(Sent {
            handle,
            request_id: 0,
            to: self.agents[agent],
            v3: Some((user, level)),
        });
        self.drain(Cause::Send);
        assert!(self.sent[index].request_id != 0 || self.completed.contains(&handle));
    }

    fn send_v2c(&mut self) {
        let target = Target::new(self.agents[0], Version::V2c, "public");
        let Ok(handle) = self
            .mgr
            .send_request(self.now, &target, Request::get(&[fx::scalar(8)]))
        else {
            return;
        };
        let tx = self.mgr.poll_transmit().expect("v2c request");
        let id = MessageRef::decode(&tx.payload)
            .expect("decodes")
            .pdu()
            .expect("pdu")
            .request_id;
        self.sent.push(Sent {
            handle,
            request_id: id,
            to: self.agents[0],
            v3: None,
        });
        self.drain(Cause::Send);
    }

    /// The request a transmit belongs to: the one sent last when it is
    /// the first transmit after `send_request`, else by request-id.
    fn check_transmit(&mut self, to: SocketAddr, payload: &[u8]) {
        assert!(self.agents.contains(&to), "transmit to {to}");
        assert!(
            payload.len() <= self.max,
            "{} octets over {}",
            payload.len(),
            self.max
        );
        if let Ok(m) = MessageRef::decode(payload) {
            assert_eq!(m.version, Version::V2c);
            return;
        }
        let msg = V3MessageRef::decode(payload).expect("our v3 message decodes");
        assert_eq!(msg.security_model, SECURITY_MODEL_USM);
        assert!(msg.flags.reportable());
        let level = msg.flags.level().expect("valid flags");
        let usm = msg.usm().expect("USM parameters");
        let mut plain = Vec::new();
        let scoped = match msg.data {
            ScopedPduData::Plaintext(s) => s,
            ScopedPduData::Encrypted(c) => {
                let user = fx::user_named(usm.user_name).expect("a known user");
                let keys = user.user.keys_for(usm.engine_id);
                let p = keys.privacy.as_ref().expect("privacy key");
                p.decrypt(c, usm.priv_params, usm.boots, usm.time, &mut plain)
                    .expect("our ciphertext decrypts");
                ScopedPduRef::decode(&plain, 0, true).expect("and decodes")
            }
        };
        let request_id = scoped.pdu.request_id;
        // The transmit of a fresh request comes right after send_request.
        let index = match self
            .sent
            .iter()
            .position(|s| s.request_id == request_id && s.v3.is_some())
        {
            Some(i) => i,
            None => {
                let last = self.sent.len() - 1;
                assert_eq!(self.sent[last].request_id, 0, "a transmit for no request");
                self.sent[last].request_id = request_id;
                last
            }
        };
        let sent = self.sent[index].clone();
        assert_eq!(sent.to, to);
        assert!(
            !self.completed.contains(&sent.handle),
            "transmit for a finished request"
        );
        let (user, req_level) = sent.v3.expect("v3 request");
        let probe = usm.engine_id.is_empty();
        if probe {
            assert_eq!(level, SecurityLevel::NoAuthNoPriv);
            assert!(usm.user_name.is_empty());
            assert!(scoped.pdu.varbinds.is_empty());
            assert_eq!(scoped.pdu.pdu_type, PduType::GetRequest);
        } else {
            let u = &users()[user];
            assert_eq!(level, req_level);
            assert_eq!(usm.user_name, u.user.name());
            if level.is_authenticated() {
                let keys = u.user.keys_for(usm.engine_id);
                let auth = keys.auth.as_ref().expect("auth key");
                assert!(auth.verify(payload, usm.auth_offset), "our MAC verifies");
            }
            assert_eq!(
                level.is_encrypted(),
                matches!(msg.data, ScopedPduData::Encrypted(_))
            );
        }
        // msgIDs are not reused while the request that used one is open.
        if let Some(old) = self.wire.get(&msg.msg_id) {
            let other = &self.sent[old.request];
            assert!(
                old.request == index || self.completed.contains(&other.handle),
                "msgID {} reused while open",
                msg.msg_id
            );
        }
        self.wire.insert(
            msg.msg_id,
            OnWire {
                request: index,
                engine: usm.engine_id.to_vec(),
                probe,
            },
        );
        self.wire_order.push(msg.msg_id);
    }

    fn drain(&mut self, cause: Cause) -> Vec<(RequestHandle, Result<(), RequestError>)> {
        while let Some(tx) = self.mgr.poll_transmit() {
            self.check_transmit(tx.destination, &tx.payload);
        }
        let mut done = Vec::new();
        while let Some(event) = self.mgr.poll_event() {
            let Event::Completed { handle, result } = event else {
                continue;
            };
            assert!(
                self.sent.iter().any(|s| s.handle == handle),
                "completion of a request never sent"
            );
            assert!(self.completed.insert(handle), "request completed twice");
            match &result {
                Ok(_) => {
                    assert_eq!(cause, Cause::Datagram, "a response without a datagram");
                    self.ok += 1;
                }
                Err(RequestError::Timeout(_)) => {
                    assert_eq!(cause, Cause::Clock);
                    self.timeouts += 1;
                }
                Err(RequestError::Cancelled) => assert_eq!(cause, Cause::Cancel),
                Err(RequestError::Report(_)) => assert_eq!(cause, Cause::Datagram),
                Err(e) => panic!("unexpected {e:?}"),
            }
            done.push((handle, result.map(|_| ())));
        }
        assert_eq!(
            self.mgr.outstanding() + self.completed.len(),
            self.sent.len()
        );
        if self.mgr.outstanding() == 0 {
            assert_eq!(self.mgr.poll_timeout(), None);
        }
        done
    }

    /// Feeds a datagram; checks that what it completed it could complete.
    fn deliver(&mut self, from: SocketAddr, bytes: &[u8]) {
        self.mgr.handle_datagram(self.now, from, bytes);
        let done = self.drain(Cause::Datagram);
        assert!(
            done.len() <= 1,
            "one datagram completed {} requests",
            done.len()
        );
        let Some((handle, result)) = done.into_iter().next() else {
            return;
        };
        let sent = self
            .sent
            .iter()
            .find(|s| s.handle == handle)
            .expect("known")
            .clone();
        assert_eq!(
            (from.ip().to_canonical(), from.port()),
            (sent.to.ip().to_canonical(), sent.to.port()),
            "completed by a datagram from elsewhere"
        );
        let Some((user, level)) = sent.v3 else {
            let m = MessageRef::decode(bytes).expect("a v2c answer");
            let pdu = m.pdu().expect("a PDU");
            assert_eq!(pdu.request_id, sent.request_id);
            assert_eq!(pdu.pdu_type, PduType::Response);
            return;
        };
        let msg = V3MessageRef::decode(bytes).expect("completed by a v3 message");
        let on_wire = self
            .wire
            .get(&msg.msg_id)
            .expect("answer to a msgID we sent");
        assert_eq!(
            self.sent[on_wire.request].handle, handle,
            "msgID of another request"
        );
        let usm = msg.usm().expect("USM parameters");
        let msg_level = msg.flags.level().expect("valid level");
        let keys = users()[user].user.keys_for(usm.engine_id);
        let scoped = scoped_of(&msg, &usm, &keys);
        match result {
            Ok(()) => {
                let scoped = scoped.expect("a Response with a readable ScopedPDU");
                assert_eq!(scoped.pdu.pdu_type, PduType::Response);
                assert_eq!(scoped.pdu.request_id, sent.request_id);
                assert_eq!(msg_level, level, "response at another level");
                let u = &users()[user];
                assert_eq!(usm.user_name, u.user.name());
                if level.is_authenticated() {
                    assert!(
                        authentic(bytes, &usm, &keys),
                        "accepted an unauthenticated response"
                    );
                }
            }
            Err(RequestError::Report(_)) => {
                if let Some(s) = scoped {
                    assert_eq!(s.pdu.pdu_type, PduType::Report);
                }
            }
            Err(e) => panic!("{e:?} from a datagram"),
        }
    }

    /// A msgID the manager sent (or, rarely, any).
    fn msg_id(&self, s: &mut Script<'_>) -> Option<(i32, OnWire)> {
        if self.wire_order.is_empty() {
            return None;
        }
        let b = s.byte();
        if b == 255 {
            return Some((
                s.u32() as i32 & i32::MAX,
                OnWire {
                    request: 0,
                    engine: Vec::new(),
                    probe: true,
                },
            ));
        }
        // Mostly the latest ones.
        let n = self.wire_order.len();
        let back = usize::from(b % 8).min(n - 1);
        let id = self.wire_order[n - 1 - back];
        Some((id, self.wire.get(&id)?.clone()))
    }

    fn source(&self, s: &mut Script<'_>, to: SocketAddr, stranger: SocketAddr) -> SocketAddr {
        match s.byte() % 8 {
            0..=5 => to,
            6 => {
                if to == self.agents[0] {
                    self.agents[1]
                } else {
                    self.agents[0]
                }
            }
            _ => stranger,
        }
    }

    fn report(&self, s: &mut Script<'_>, stranger: SocketAddr) -> Option<(SocketAddr, Vec<u8>)> {
        let (msg_id, wire) = self.msg_id(s)?;
        let sent = &self.sent[wire.request];
        let from = self.source(s, sent.to, stranger);
        let agent = usize::from(sent.to != self.agents[0]);
        let kind = s
            .pick(&[
                ReportKind::UnknownEngineId,
                ReportKind::UnknownEngineId,
                ReportKind::NotInTimeWindow,
                ReportKind::NotInTimeWindow,
                ReportKind::UnknownUserName,
                ReportKind::WrongDigest,
                ReportKind::DecryptionError,
                ReportKind::UnsupportedSecLevel,
                ReportKind::UnknownContext,
                ReportKind::Other(fx::scalar(1)),
            ])
            .clone();
        let long = vec![0x81; 40];
        let engines: [&[u8]; 6] = [
            &self.engines[agent],
            &self.engines[agent],
            &self.engines[1 - agent],
            b"",
            &long,
            &[0x80, 0, 0, 1],
        ];
        let engine = *s.pick(&engines);
        let (user, level) = sent.v3.unwrap_or((0, SecurityLevel::NoAuthNoPriv));
        let u = &users()[user];
        let user_name: &[u8] = if s.byte() % 4 == 0 {
            b"nobody"
        } else {
            u.user.name()
        };
        let keys = u.user.keys_for(engine);
        let secured = s.byte() % 2 == 0 && level.is_authenticated();
        let flags = if secured {
            MsgFlags::new(SecurityLevel::AuthNoPriv, false).bits()
        } else {
            0
        };
        let boots = *s.pick(&[fx::BOOTS, fx::BOOTS, 0, fx::BOOTS + 1, 2_147_483_647]);
        let time = *s.pick(&[0, 10, 1000, 5000, 2_147_483_647]) + u32::from(s.byte());
        let mac_len = keys.auth.as_ref().map_or(12, |a| a.mac_len());
        let auth = match (secured, s.byte() % 4) {
            (false, _) => Auth::Empty,
            (true, 0) => Auth::Real,
            (true, 1) => Auth::Raw(vec![0; mac_len]),
            (true, _) => Auth::Magic(mac_len),
        };
        let pdu = Pdu {
            pdu_type: PduType::Report,
            request_id: if s.byte() % 8 == 0 {
                0
            } else {
                sent.request_id
            },
            error_status: 0,
            error_index: 0,
            varbinds: vec![VarBind::new(
                kind.oid(),
                Value::Counter32(u32::from(s.byte())),
            )],
        };
        let scoped = fx::scoped(engine, b"", pdu);
        let bytes = Spec {
            msg_id,
            max_size: 65507,
            flags,
            security_model: SECURITY_MODEL_USM,
            engine_id: engine,
            boots,
            time,
            user_name,
            keys: Some(&keys),
            auth,
            data: Data::Plain(Vec::new()),
            scoped,
        }
        .build();
        Some((from, bytes))
    }

    fn response(&self, s: &mut Script<'_>, stranger: SocketAddr) -> Option<(SocketAddr, Vec<u8>)> {
        let (msg_id, wire) = self.msg_id(s)?;
        let sent = &self.sent[wire.request];
        let from = self.source(s, sent.to, stranger);
        if sent.v3.is_none() {
            let pdu = Pdu::request(PduType::Response, sent.request_id, &[fx::scalar(8)]);
            return Some((from, Message::new(Version::V2c, "public", pdu).to_bytes()));
        }
        let (user, req_level) = sent.v3.unwrap_or((0, SecurityLevel::NoAuthNoPriv));
        let u = &users()[user];
        let agent = usize::from(sent.to != self.agents[0]);
        let engine: &[u8] = match s.byte() % 6 {
            0..=3 if !wire.probe => &wire.engine,
            0..=3 => &self.engines[agent],
            4 => &self.engines[1 - agent],
            _ => b"",
        };
        let keys: UserKeys = u.user.keys_for(engine);
        let level = *s.pick(&[
            req_level,
            req_level,
            req_level,
            SecurityLevel::NoAuthNoPriv,
            SecurityLevel::AuthNoPriv,
            SecurityLevel::AuthPriv,
        ]);
        let user_name: &[u8] = if s.byte() % 6 == 0 {
            b"md5"
        } else {
            u.user.name()
        };
        let mac_len = keys.auth.as_ref().map_or(12, |a| a.mac_len());
        let auth = if level.is_authenticated() {
            match s.byte() % 6 {
                0 => Auth::Real,
                1 => Auth::Empty,
                2 => Auth::Magic(mac_len - 1),
                3 => Auth::Raw(vec![0; mac_len]),
                _ => Auth::Magic(mac_len),
            }
        } else {
            Auth::Empty
        };
        let request_id = match s.byte() % 8 {
            0 => sent.request_id.wrapping_add(1),
            _ => sent.request_id,
        };
        let mut pdu = Pdu::request(PduType::Response, request_id, &[fx::scalar(1)]);
        pdu.varbinds[0].value = Value::Integer(i32::from(s.byte()));
        pdu.error_status = i32::from(s.byte() % 4);
        if s.byte() % 8 == 0 {
            pdu.pdu_type = PduType::GetRequest;
        }
        let scoped = fx::scoped(engine, b"", pdu);
        let data = if level.is_encrypted() {
            match s.byte() % 4 {
                0 => Data::Real {
                    salt: 9,
                    keep: usize::MAX,
                },
                1 => Data::Raw(vec![1; 8], vec![7; 16]),
                _ => Data::Magic { pad: 8 },
            }
        } else {
            Data::Plain(Vec::new())
        };
        let time = self
            .mgr
            .engine_time(engine)
            .map_or(0, |t| t.time_at(self.now))
            .saturating_add(u32::from(s.byte()))
            .saturating_sub(100);
        let boots = self.mgr.engine_time(engine).map_or(0, |t| t.boots);
        let bytes = Spec {
            msg_id,
            max_size: 65507,
            flags: MsgFlags::new(level, false).bits(),
            security_model: SECURITY_MODEL_USM,
            engine_id: engine,
            boots,
            time,
            user_name,
            keys: Some(&keys),
            auth,
            data,
            scoped,
        }
        .build();
        Some((from, bytes))
    }
}

/// What `usm::authenticate` accepts under fuzzing: the real MAC or the
/// magic one, of the right length.
fn authentic(bytes: &[u8], usm: &UsmParamsRef<'_>, keys: &UserKeys) -> bool {
    let Some(a) = keys.auth.as_ref() else {
        return false;
    };
    usm.auth_params.len() == a.mac_len()
        && (a.verify(bytes, usm.auth_offset)
            || usm.auth_params.iter().all(|&b| b == fx::MAGIC_MAC_OCTET))
}

/// The ScopedPDU of a message when it can be read: in the clear, behind
/// the magic privacy parameters, or encrypted for real with `keys`.
fn scoped_of(msg: &V3MessageRef<'_>, usm: &UsmParamsRef<'_>, keys: &UserKeys) -> Option<ScopedPdu> {
    match msg.data {
        ScopedPduData::Plaintext(s) => Some(s.to_owned()),
        ScopedPduData::Encrypted(c) if usm.priv_params == fx::MAGIC_PRIV_PARAMS => {
            ScopedPduRef::decode(c, 0, true).ok().map(|s| s.to_owned())
        }
        ScopedPduData::Encrypted(c) => {
            let mut plain = Vec::new();
            let p = keys.privacy.as_ref()?;
            p.decrypt(c, usm.priv_params, usm.boots, usm.time, &mut plain)
                .ok()?;
            ScopedPduRef::decode(&plain, 0, true)
                .ok()
                .map(|s| s.to_owned())
        }
    }
}
