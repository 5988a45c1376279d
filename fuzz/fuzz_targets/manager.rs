//! The manager state machine under hostile input. A manager sends a few
//! requests to two agents; the fuzz input is a script of steps: raw
//! datagrams, well-formed answers (possibly corrupted, from the right agent,
//! the other one or a stranger), clock advances with `handle_timeout`, and
//! cancellations. Invariants: no panic, each request completes at most once,
//! and `outstanding() + completed == sent` after every step; in the end every
//! request completes.
#![no_main]

use std::collections::HashSet;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use libfuzzer_sys::fuzz_target;
use oxsnmp_core::manager::{
    Event, Manager, ManagerConfig, Request, RequestHandle, RetryPolicy, Target,
};
use oxsnmp_core::{Message, MessageRef, Oid, PduType, Value, VarBind, Version};

struct Run {
    mgr: Manager,
    now: Instant,
    sent: Vec<(RequestHandle, i32, SocketAddr, Version)>,
    completed: HashSet<RequestHandle>,
}

impl Run {
    fn drain(&mut self) {
        while self.mgr.poll_transmit().is_some() {}
        while let Some(event) = self.mgr.poll_event() {
            let Event::Completed { handle, .. } = event else {
                continue;
            };
            assert!(
                self.sent.iter().any(|s| s.0 == handle),
                "completion of a request never sent"
            );
            assert!(self.completed.insert(handle), "request completed twice");
        }
        assert_eq!(
            self.mgr.outstanding() + self.completed.len(),
            self.sent.len()
        );
        if let Some(deadline) = self.mgr.poll_timeout() {
            assert!(self.mgr.outstanding() > 0);
            let _ = deadline;
        }
    }
}

/// A script reader over the fuzz input.
struct Script<'a>(&'a [u8]);

impl<'a> Script<'a> {
    fn byte(&mut self) -> Option<u8> {
        let (&b, rest) = self.0.split_first()?;
        self.0 = rest;
        Some(b)
    }
    fn bytes(&mut self, n: usize) -> &'a [u8] {
        let n = n.min(self.0.len());
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        head
    }
}

fuzz_target!(|data: &[u8]| {
    let agents: [SocketAddr; 2] = [
        "192.0.2.1:161".parse().unwrap(),
        "[2001:db8::2]:1161".parse().unwrap(),
    ];
    let stranger: SocketAddr = "198.51.100.7:161".parse().unwrap();
    let mut script = Script(data);
    let seed = u64::from(script.byte().unwrap_or(0));
    let mut run = Run {
        mgr: Manager::new(ManagerConfig::with_seed(seed)),
        now: Instant::now(),
        sent: Vec::new(),
        completed: HashSet::new(),
    };

    // Four requests: two per agent, v1 and v2c, short retry policies.
    let oid = |s: &str| s.parse::<Oid>().unwrap();
    for (i, agent) in [0usize, 1, 0, 1].into_iter().enumerate() {
        let version = if i % 2 == 0 {
            Version::V2c
        } else {
            Version::V1
        };
        let mut target = Target::new(agents[agent], version, "public");
        target.retry = RetryPolicy {
            timeout: Duration::from_millis(200 + 100 * i as u64),
            retries: (i % 3) as u32,
        };
        let request = match i {
            0 => Request::Get(vec![oid("1.3.6.1.2.1.1.1.0"), oid("1.3.6.1.2.1.1.3.0")]),
            1 => Request::GetNext(vec![oid("1.3.6.1.2.1.2.2.1.2")]),
            2 => Request::GetBulk {
                non_repeaters: 0,
                max_repetitions: 5,
                oids: vec![oid("1.3.6.1.2.1.2.2.1")],
            },
            _ => Request::Set(vec![VarBind::new(
                oid("1.3.6.1.2.1.1.5.0"),
                Value::from("x"),
            )]),
        };
        let handle = run
            .mgr
            .send_request(run.now, &target, request)
            .expect("send");
        let tx = run.mgr.poll_transmit().expect("first datagram");
        let req = MessageRef::decode(&tx.payload).expect("our request decodes");
        let id = req.pdu().expect("not a trap").request_id;
        run.sent.push((handle, id, agents[agent], version));
        run.drain();
    }

    while let Some(op) = script.byte() {
        match op % 5 {
            // A raw datagram from one of the agents or a stranger.
            0 => {
                let from = pick(&agents, stranger, script.byte().unwrap_or(0));
                let n = usize::from(script.byte().unwrap_or(0));
                let bytes = script.bytes(n);
                run.mgr.handle_datagram(run.now, from, bytes);
            }
            // A well-formed answer to one of the requests, perhaps from the
            // wrong place, in the wrong version, with a corrupted octet.
            1 | 2 => {
                let which = usize::from(script.byte().unwrap_or(0));
                let (_, id, addr, version) = run.sent[which % run.sent.len()];
                let flags = script.byte().unwrap_or(0);
                let from = match flags & 3 {
                    0 | 1 => addr,
                    2 => pick(&agents, stranger, flags >> 2),
                    _ => stranger,
                };
                let version = if flags & 4 != 0 {
                    Version::V2c
                } else {
                    version
                };
                let mut pdu = oxsnmp_core::Pdu::request(
                    PduType::Response,
                    if flags & 8 != 0 {
                        id.wrapping_add(1)
                    } else {
                        id
                    },
                    &[oid("1.3.6.1.2.1.1.1.0")],
                );
                pdu.error_status = i32::from(flags >> 5);
                pdu.varbinds[0].value = Value::from("agent");
                let mut bytes = Message::new(version, "public", pdu).to_bytes();
                if flags & 16 != 0 {
                    let at = usize::from(script.byte().unwrap_or(0)) % bytes.len();
                    bytes[at] ^= script.byte().unwrap_or(0xff) | 1;
                }
                run.mgr.handle_datagram(run.now, from, &bytes);
            }
            // Time passes.
            3 => {
                let step = u64::from(script.byte().unwrap_or(0));
                run.now += Duration::from_millis(step * 10);
                run.mgr.handle_timeout(run.now);
            }
            // A cancellation.
            _ => {
                let which = usize::from(script.byte().unwrap_or(0));
                let handle = run.sent[which % run.sent.len()].0;
                let was_open = !run.completed.contains(&handle);
                assert_eq!(run.mgr.cancel(handle), was_open);
            }
        }
        run.drain();
    }

    // Every request ends: after enough time all have timed out if not answered.
    for _ in 0..16 {
        run.now += Duration::from_secs(5);
        run.mgr.handle_timeout(run.now);
        run.drain();
    }
    assert_eq!(run.mgr.outstanding(), 0);
    assert_eq!(run.completed.len(), run.sent.len());
    assert_eq!(run.mgr.poll_timeout(), None);
});

fn pick(agents: &[SocketAddr; 2], stranger: SocketAddr, b: u8) -> SocketAddr {
    match b % 3 {
        0 => agents[0],
        1 => agents[1],
        _ => stranger,
    }
}
