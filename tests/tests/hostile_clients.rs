//! Garbage at each runtime's `Client`: a fake agent on loopback (the core
//! `Agent` behind a plain socket) answers every request first with hostile
//! datagrams made from its real answer — every truncation of it, a wrong
//! request-id, msgID or version, another PDU type, deep nesting, random
//! octets, and for SNMPv3 a tampered MAC, a tampered ciphertext, an empty
//! MAC under authFlag and a forged unauthenticated answer — and only then
//! with the real answer. Each client must ignore the garbage and return
//! the real value. A fake agent that only ever sends garbage makes each
//! client fail with a timeout, not a panic or a wrong answer.

use std::net::{SocketAddr, UdpSocket};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use oxsnmp_core::agent::Agent;
use oxsnmp_core::client::ClientOptions;
use oxsnmp_core::manager::V3Security;
use oxsnmp_core::usm::UsmUser;
use oxsnmp_core::v3::{MsgFlags, ScopedPdu, SecurityLevel, V3MessageRef};
use oxsnmp_core::{Message, MessageRef, Pdu, PduType, Value, Version};
use oxsnmp_tests::agent_fixture::{self, SYS_DESCR};
use oxsnmp_tests::hostile::{config, engine_id, open_v3, sys_descr, users, Mac, V3Spec};
use oxsnmp_tests::runtimes::all_clients_with;

/// What the fake agent sends before (or instead of) its real answer.
type Garbage = fn(&[u8], &[UsmUser]) -> Vec<Vec<u8>>;

struct FakeAgent {
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<usize>>,
}

impl FakeAgent {
    /// Serves on 127.0.0.1; `answer` says whether the real answer follows
    /// the garbage.
    fn start(garbage: Garbage, answer: bool) -> Self {
        let socket = UdpSocket::bind("127.0.0.1:0").expect("bind");
        socket
            .set_read_timeout(Some(Duration::from_millis(50)))
            .unwrap();
        let addr = socket.local_addr().unwrap();
        let stop = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&stop);
        let thread = std::thread::spawn(move || {
            let users = users();
            let mut agent = Agent::new(config(&users), agent_fixture::mib(), Instant::now());
            let mut buf = vec![0u8; 65_536];
            let mut sent = 0;
            while !flag.load(Ordering::Relaxed) {
                let Ok((n, from)) = socket.recv_from(&mut buf) else {
                    continue;
                };
                agent.handle_datagram(Instant::now(), from, &buf[..n]);
                while let Some(tx) = agent.poll_transmit() {
                    for g in garbage(&tx.payload, &users) {
                        let _ = socket.send_to(&g, from);
                        sent += 1;
                    }
                    if answer {
                        let _ = socket.send_to(&tx.payload, from);
                    }
                }
            }
            sent
        });
        FakeAgent {
            addr,
            stop,
            thread: Some(thread),
        }
    }

    /// Stops; returns how many garbage datagrams were sent.
    fn stop(mut self) -> usize {
        self.stop.store(true, Ordering::Relaxed);
        self.thread
            .take()
            .map_or(0, |t| t.join().expect("fake agent"))
    }
}

/// `depth` SEQUENCEs nested around nothing.
fn nested(depth: usize) -> Vec<u8> {
    let mut inner = Vec::new();
    for _ in 0..depth {
        let len = inner.len();
        let mut outer = vec![0x30, 0x83, (len >> 16) as u8, (len >> 8) as u8, len as u8];
        outer.extend(inner);
        inner = outer;
    }
    inner
}

/// Garbage for any version: truncations, nesting, noise.
fn common(answer: &[u8]) -> Vec<Vec<u8>> {
    let mut g: Vec<Vec<u8>> = (0..answer.len())
        .map(|cut| answer[..cut].to_vec())
        .collect();
    g.push(nested(10_000));
    g.push(
        (0..60_000u32)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
            .collect(),
    );
    let mut trailing = answer.to_vec();
    trailing.extend_from_slice(&[0, 0]);
    g.push(trailing);
    g
}

/// SNMPv2c: the real answer changed in ways the client must refuse.
fn v2c_garbage(answer: &[u8], _: &[UsmUser]) -> Vec<Vec<u8>> {
    let mut g = common(answer);
    let Ok(m) = MessageRef::decode(answer) else {
        return g;
    };
    let msg = m.to_owned();
    let oxsnmp_core::AnyPdu::Pdu(pdu) = msg.pdu.clone() else {
        return g;
    };
    let forged = |f: &dyn Fn(&mut Message, &mut Pdu)| {
        let mut m2 = msg.clone();
        let mut p = pdu.clone();
        if let Some(vb) = p.varbinds.first_mut() {
            vb.value = Value::from("forged");
        }
        f(&mut m2, &mut p);
        m2.pdu = oxsnmp_core::AnyPdu::Pdu(p);
        m2.to_bytes()
    };
    g.push(forged(&|_, p| p.request_id = p.request_id.wrapping_add(1)));
    g.push(forged(&|m, _| m.version = Version::V1));
    g.push(forged(&|_, p| p.pdu_type = PduType::GetRequest));
    g.push(forged(&|_, p| p.pdu_type = PduType::SnmpV2Trap));
    g
}

/// SNMPv3: the real (authPriv) answer tampered with, and forged.
fn v3_garbage(answer: &[u8], users: &[UsmUser]) -> Vec<Vec<u8>> {
    let mut g = common(answer);
    let Ok(m) = V3MessageRef::decode(answer) else {
        return g;
    };
    let Ok(usm) = m.usm() else {
        return g;
    };
    if !m.flags.auth() {
        return g; // discovery Reports go through untouched
    }
    let at = usm.auth_offset;
    let mut flipped_mac = answer.to_vec();
    flipped_mac[at] ^= 1;
    g.push(flipped_mac);
    let mut flipped_body = answer.to_vec();
    let last = flipped_body.len() - 1;
    flipped_body[last] ^= 1;
    g.push(flipped_body);
    let Ok((_, pdu)) = open_v3(answer, users) else {
        return g;
    };
    let mut forged_pdu = pdu.clone();
    if let Some(vb) = forged_pdu.varbinds.first_mut() {
        vb.value = Value::from("forged");
    }
    let mut scoped = Vec::new();
    ScopedPdu::new(engine_id().into_bytes(), Vec::new(), forged_pdu).encode(&mut scoped);
    let base = V3Spec {
        msg_id: m.msg_id,
        max_size: 65507,
        flags: MsgFlags::new(SecurityLevel::NoAuthNoPriv, false).bits(),
        model: 3,
        engine: usm.engine_id.to_vec(),
        boots: i64::from(usm.boots),
        time: i64::from(usm.time),
        user: usm.user_name.to_vec(),
        mac: Mac::Octets(Vec::new()),
        priv_params: Vec::new(),
        data: scoped,
    };
    // Unauthenticated, in the clear: a forged answer.
    g.push(base.build(None));
    // Flagged authenticated with an empty, a short and a zero MAC.
    for mac in [vec![], vec![0; 11], vec![0; 12]] {
        let mut s = base.clone();
        s.flags = MsgFlags::new(SecurityLevel::AuthNoPriv, false).bits();
        s.mac = Mac::Octets(mac);
        g.push(s.build(None));
    }
    // Another msgID.
    let mut s = base.clone();
    s.msg_id = m.msg_id.wrapping_add(1) & 0x7fff_ffff;
    g.push(s.build(None));
    g
}

fn only_garbage(answer: &[u8], users: &[UsmUser]) -> Vec<Vec<u8>> {
    let mut g = v3_garbage(answer, users);
    g.extend(v2c_garbage(answer, users));
    g
}

fn get_sys_descr(
    options: &ClientOptions,
    fake: &FakeAgent,
) -> Vec<(String, Result<Value, String>)> {
    all_clients_with(&format!("udp:{}", fake.addr), options)
        .into_iter()
        .map(|c| {
            let r = c
                .get(&[sys_descr()])
                .map(|vbs| vbs[0].value.clone())
                .map_err(|e| format!("{e:?}"));
            (c.runtime().to_string(), r)
        })
        .collect()
}

#[test]
fn v2c_clients_ignore_garbage_before_the_answer() {
    let fake = FakeAgent::start(v2c_garbage, true);
    let options = ClientOptions {
        timeout: Duration::from_secs(5),
        retries: 2,
        ..ClientOptions::default()
    };
    for (runtime, result) in get_sys_descr(&options, &fake) {
        assert_eq!(result, Ok(Value::from(SYS_DESCR)), "{runtime}");
    }
    assert!(fake.stop() > 3 * 50, "garbage was sent");
}

fn v3_options(retries: u32, timeout: Duration) -> ClientOptions {
    let user = users().swap_remove(1); // shaaes, authPriv
    let mut o = ClientOptions::v3(V3Security::new(user, SecurityLevel::AuthPriv));
    o.timeout = timeout;
    o.retries = retries;
    o
}

#[test]
fn v3_clients_ignore_garbage_and_forgeries_before_the_answer() {
    let fake = FakeAgent::start(v3_garbage, true);
    for (runtime, result) in get_sys_descr(&v3_options(2, Duration::from_secs(5)), &fake) {
        assert_eq!(result, Ok(Value::from(SYS_DESCR)), "{runtime}");
    }
    assert!(fake.stop() > 3 * 50, "garbage was sent");
}

#[test]
fn clients_time_out_on_nothing_but_garbage() {
    let fake = FakeAgent::start(only_garbage, false);
    let v2c = ClientOptions {
        timeout: Duration::from_millis(300),
        retries: 1,
        ..ClientOptions::default()
    };
    for options in [v2c, v3_options(1, Duration::from_millis(300))] {
        for (runtime, result) in get_sys_descr(&options, &fake) {
            let err = result.expect_err("no real answer was ever sent");
            assert!(err.starts_with("Timeout("), "{runtime}: {err}");
        }
    }
    assert!(fake.stop() > 0);
}
