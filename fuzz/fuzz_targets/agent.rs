//! The agent state machine under hostile input: bytes in, responses out.
//! The input is a script of datagrams (a length byte, then that many bytes)
//! fed to one agent, from one of two peers, under a small or a large
//! maximum message size. Invariants: no panic; every response decodes, is a
//! Response-PDU to the peer that asked, carries the request's request-id
//! and version, and is never larger than the configured maximum.
#![no_main]

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use libfuzzer_sys::fuzz_target;
use oxsnmp_core::agent::{Access, Agent, AgentConfig, SystemInfo};
use oxsnmp_core::fixtures::{memory_mib, oid, test_mib};
use oxsnmp_core::{MessageRef, PduType};

fuzz_target!(|data: &[u8]| {
    let Some((&mode, mut rest)) = data.split_first() else {
        return;
    };
    let max = if mode & 1 == 0 { 484 } else { 65507 };
    let config = AgentConfig::new()
        .community("public", Access::ReadOnly)
        .community("private", Access::ReadWrite)
        .max_message_size(max)
        .max_bulk_varbinds(if mode & 2 == 0 { 100 } else { 10_000 })
        .system(
            SystemInfo::new("fuzzed agent")
                .object_id(oid("1.3.6.1.4.1.99999.100"))
                .writable(true),
        );
    let start = Instant::now();
    let mut agent = Agent::new(config, memory_mib(&test_mib()), start);
    let peers: [SocketAddr; 2] = [
        "127.0.0.1:40001".parse().unwrap_or_else(|_| unreachable!()),
        "[::1]:40002".parse().unwrap_or_else(|_| unreachable!()),
    ];
    let mut step = 0u64;
    while let Some((&len, tail)) = rest.split_first() {
        let n = usize::from(len).min(tail.len());
        let (datagram, after) = tail.split_at(n);
        rest = after;
        step += 1;
        let from = peers[(step % 2) as usize];
        let now = start + Duration::from_millis(step * 10);
        agent.handle_datagram(now, from, datagram);
        let request = MessageRef::decode(datagram).ok();
        while let Some(tx) = agent.poll_transmit() {
            assert_eq!(tx.destination, from, "answer goes to the asker");
            assert!(tx.payload.len() <= max, "{} > {max}", tx.payload.len());
            let answer = MessageRef::decode(&tx.payload).expect("agent output decodes");
            let pdu = answer.pdu().expect("a Response, not a trap");
            assert_eq!(pdu.pdu_type, PduType::Response);
            if let Some(req) = request.as_ref() {
                assert_eq!(answer.version, req.version);
                if let Some(rp) = req.pdu() {
                    assert_eq!(pdu.request_id, rp.request_id);
                }
            }
        }
    }
});
