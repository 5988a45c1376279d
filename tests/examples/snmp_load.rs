//! SNMP load generator for the agent benchmark (`bench_agent`): keeps K
//! requests in flight to one agent for D seconds and prints what came back.
//!
//! ```text
//! cargo build --release -p oxsnmp-tests --example snmp_load
//! snmp_load --target 127.0.0.1:1161 --kind get|bulk25 [--seconds 5] [--inflight 128]
//!           [--rows 100000] [--span ROWS] [--lost-after 1] [--community public]
//! ```
//!
//! * `get`: GET sysDescr.0.
//! * `bulk25`: GETBULK (non-repeaters 0, max-repetitions 25) of
//!   `oxName.R` (column 2 of `oxTable`) for a random row R with 25 rows after
//!   it, so each answer holds 25 `oxName` instances. `--span S` draws R from
//!   the first S rows only (default: all of `--rows`).
//!
//! Requests are encoded once with oxsnmp-core's `Message` (4096 templates
//! for `bulk25`, one per random row) with a request-id of four content
//! bytes; each send copies a template and patches the id in place. One
//! socket, batched sends and receives (`oxsnmp_blocking::batch`), and K
//! slots: slot i carries request-ids i, i+K, i+2K, ..., so a response is
//! matched by arithmetic. A response frees its slot, which sends the next
//! request at once; a request unanswered after `--lost-after` seconds
//! counts as lost and its slot moves on. Every 1024th response is decoded in full and
//! checked (no error, the expected number of varbinds).
//!
//! The run stops by itself after D seconds, then waits up to 200 ms for
//! answers still in flight. The last line of stdout is `key=value` pairs:
//! sent, answered, lost, errors, seconds, rps (answers per second) and
//! self_cpu_us (this process's user+system CPU per answer, from
//! /proc/self/stat).

use std::net::{SocketAddr, UdpSocket};
use std::time::{Duration, Instant};

use oxsnmp_blocking::batch::{self, RecvBatch, SendBatch, MAX_DATAGRAM};
use oxsnmp_core::{Message, MessageRef, Oid, Pdu, PduType, Version};

/// First request-id; ids stay in `ID_BASE..0x7fff_ffff`, four content bytes.
const ID_BASE: u32 = 0x0100_0000;

/// `oxName`: column 2 of `oxTable`.
const OX_NAME: &str = "1.3.6.1.4.1.99999.1.1.2";

/// sysDescr.0.
const SYS_DESCR: &str = "1.3.6.1.2.1.1.1.0";

struct Template {
    bytes: Vec<u8>,
    /// Offset of the request-id's four content bytes.
    id_at: usize,
}

fn template(community: &str, pdu: Pdu) -> Template {
    let bytes = Message::new(Version::V2c, community, pdu).to_bytes();
    let marker = [0x02, 0x04, 0x01, 0x00, 0x00, 0x00];
    let id_at = bytes
        .windows(marker.len())
        .position(|w| w == marker)
        .expect("request-id in the encoded request")
        + 2;
    Template { bytes, id_at }
}

/// xorshift64*: a small deterministic generator for the random rows.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
}

/// The request-id and error-status of a v1/v2c response, read straight from
/// the BER (outer SEQUENCE, version, community, PDU, request-id, status).
fn response_id(b: &[u8]) -> Option<(i64, i64)> {
    fn header(b: &[u8], at: usize) -> Option<(u8, usize, usize)> {
        let tag = *b.get(at)?;
        let first = *b.get(at + 1)?;
        if first < 0x80 {
            return Some((tag, at + 2, usize::from(first)));
        }
        let n = usize::from(first & 0x7f);
        if n == 0 || n > 4 {
            return None;
        }
        let mut len = 0usize;
        for i in 0..n {
            len = (len << 8) | usize::from(*b.get(at + 2 + i)?);
        }
        Some((tag, at + 2 + n, len))
    }
    fn integer(b: &[u8], at: usize) -> Option<(i64, usize)> {
        let (tag, start, len) = header(b, at)?;
        if tag != 0x02 || len == 0 || len > 8 {
            return None;
        }
        let bytes = b.get(start..start + len)?;
        let mut v: i64 = if bytes[0] & 0x80 != 0 { -1 } else { 0 };
        for &x in bytes {
            v = (v << 8) | i64::from(x);
        }
        Some((v, start + len))
    }
    let (_, at, _) = header(b, 0)?; // Message SEQUENCE
    let (_, at) = integer(b, at)?; // version
    let (_, start, len) = header(b, at)?; // community
    let (_, at, _) = header(b, start + len)?; // PDU
    let (id, at) = integer(b, at)?;
    let (status, _) = integer(b, at)?;
    Some((id, status))
}

/// This process's user+system CPU time, from /proc/self/stat.
fn self_cpu() -> Duration {
    let ticks_per_second = 100.0; // USER_HZ on Linux
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let fields: Vec<&str> = after.split_whitespace().collect();
    let ticks = |i: usize| fields.get(i).and_then(|v| v.parse::<f64>().ok());
    // Fields 14 and 15 of stat(5); `after` starts at field 3.
    match (ticks(11), ticks(12)) {
        (Some(u), Some(s)) => Duration::from_secs_f64((u + s) / ticks_per_second),
        _ => Duration::ZERO,
    }
}

struct Options {
    target: SocketAddr,
    kind: String,
    seconds: f64,
    inflight: usize,
    rows: u32,
    span: Option<u32>,
    lost_after: Duration,
    community: String,
}

fn parse_options() -> Options {
    let mut target = None;
    let mut o = Options {
        target: SocketAddr::from(([127, 0, 0, 1], 161)),
        kind: "get".into(),
        seconds: 5.0,
        inflight: 128,
        rows: 100_000,
        span: None,
        lost_after: Duration::from_secs(1),
        community: "public".into(),
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().unwrap_or_else(|| panic!("{arg} needs a value"));
        match arg.as_str() {
            "--target" => target = Some(value().parse().expect("--target ADDR:PORT")),
            "--kind" => o.kind = value(),
            "--seconds" => o.seconds = value().parse().expect("--seconds number"),
            "--inflight" => o.inflight = value().parse().expect("--inflight number"),
            "--rows" => o.rows = value().parse().expect("--rows number"),
            "--span" => o.span = Some(value().parse().expect("--span number")),
            "--lost-after" => {
                o.lost_after =
                    Duration::from_secs_f64(value().parse().expect("--lost-after seconds"))
            }
            "--community" => o.community = value(),
            other => panic!(
                "unknown argument {other} (use --target, --kind get|bulk25, --seconds, \
                 --inflight, --rows, --span, --lost-after, --community)"
            ),
        }
    }
    o.target = target.expect("--target ADDR:PORT is required");
    assert!(
        o.seconds > 0.0 && o.seconds <= 600.0,
        "--seconds must be in (0, 600]"
    );
    assert!(o.inflight > 0, "--inflight must be positive");
    o
}

fn main() {
    let o = parse_options();
    let (templates, expect_varbinds) = match o.kind.as_str() {
        "get" => {
            let oid: Oid = SYS_DESCR.parse().expect("sysDescr.0");
            let pdu = Pdu::request(PduType::GetRequest, ID_BASE as i32, &[oid]);
            (vec![template(&o.community, pdu)], 1)
        }
        "bulk25" => {
            let span = o.span.unwrap_or(o.rows).min(o.rows);
            assert!(span > 26, "bulk25 needs more than 26 rows");
            let column: Oid = OX_NAME.parse().expect("oxName");
            let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
            let t = (0..4096)
                .map(|_| {
                    let row = 1 + (rng.next() % u64::from(span - 26)) as u32;
                    let oid = column.child(row).expect("row OID");
                    let mut pdu = Pdu::request(PduType::GetBulkRequest, ID_BASE as i32, &[oid]);
                    pdu.error_status = 0; // non-repeaters
                    pdu.error_index = 25; // max-repetitions
                    template(&o.community, pdu)
                })
                .collect();
            (t, 25)
        }
        other => panic!("unknown --kind {other} (get or bulk25)"),
    };

    let bind = if o.target.is_ipv4() {
        "127.0.0.1:0"
    } else {
        "[::1]:0"
    };
    let socket = UdpSocket::bind(bind).expect("bind the load socket");
    socket
        .set_read_timeout(Some(Duration::from_millis(5)))
        .expect("read timeout");
    let _ = batch::set_recv_buffer(&socket, 4 << 20);

    let k = o.inflight;
    // Per slot: the request-id offset (id - ID_BASE) it waits for, and when
    // that request left.
    let mut waiting: Vec<u32> = (0..k as u32).collect();
    let start = Instant::now();
    let mut sent_at: Vec<Instant> = vec![start; k];
    let mut rx = RecvBatch::new(64, MAX_DATAGRAM);
    let mut tx = SendBatch::new();
    let mut next_template = 0usize;
    let (mut sent, mut answered, mut lost, mut errors, mut late) = (0u64, 0u64, 0u64, 0u64, 0u64);
    let cpu0 = self_cpu();

    let mut push = |tx: &mut SendBatch, seq: u32| {
        let t = &templates[next_template % templates.len()];
        next_template += 1;
        tx.push_with(o.target, |buf| {
            let at = buf.len();
            buf.extend_from_slice(&t.bytes);
            buf[at + t.id_at..at + t.id_at + 4].copy_from_slice(&(ID_BASE + seq).to_be_bytes());
        });
    };
    for (slot, &seq) in waiting.iter().enumerate() {
        push(&mut tx, seq);
        sent_at[slot] = start;
        sent += 1;
        if tx.len() >= 64 {
            let _ = batch::send_batch(&socket, &mut tx);
        }
    }
    let _ = batch::send_batch(&socket, &mut tx);

    let duration = Duration::from_secs_f64(o.seconds);
    let drain = duration + Duration::from_millis(200);
    let mut last_scan = start;
    let mut in_window = 0u64;
    let mut outstanding = k as u64;
    loop {
        let now = Instant::now();
        let elapsed = now - start;
        let sending = elapsed < duration;
        if elapsed >= drain || (!sending && outstanding == 0) {
            break;
        }
        match batch::recv_batch(&socket, &mut rx) {
            Ok(_) => {}
            Err(_) => rx = RecvBatch::new(64, MAX_DATAGRAM),
        }
        let now = Instant::now();
        for (bytes, _) in rx.iter() {
            let Some((id, status)) = response_id(bytes) else {
                errors += 1;
                continue;
            };
            let Some(seq) = u32::try_from(id - i64::from(ID_BASE)).ok() else {
                continue;
            };
            let slot = seq as usize % k;
            if waiting[slot] != seq {
                late += 1; // answered after it was counted lost, or a duplicate
                continue;
            }
            answered += 1;
            outstanding -= 1;
            if now - start <= duration {
                in_window += 1;
            }
            if status != 0 {
                errors += 1;
            } else if answered % 1024 == 1 {
                let ok = MessageRef::decode(bytes)
                    .ok()
                    .and_then(|m| m.pdu().map(|p| p.varbinds.len()))
                    == Some(expect_varbinds);
                if !ok {
                    errors += 1;
                }
            }
            let next = seq.wrapping_add(k as u32);
            waiting[slot] = next;
            if sending && next < 0x7e00_0000 {
                push(&mut tx, next);
                sent_at[slot] = now;
                sent += 1;
                outstanding += 1;
            } else {
                waiting[slot] = u32::MAX; // retired
            }
        }
        if sending && now - last_scan > Duration::from_millis(100) {
            last_scan = now;
            for slot in 0..k {
                if waiting[slot] != u32::MAX && now - sent_at[slot] > o.lost_after {
                    lost += 1;
                    let next = waiting[slot].wrapping_add(k as u32);
                    waiting[slot] = next;
                    push(&mut tx, next);
                    sent_at[slot] = now;
                    sent += 1;
                }
            }
        }
        if !tx.is_empty() {
            let _ = batch::send_batch(&socket, &mut tx);
        }
    }
    let cpu = self_cpu().saturating_sub(cpu0);
    let rps = in_window as f64 / o.seconds;
    let self_cpu_us = cpu.as_secs_f64() * 1e6 / answered.max(1) as f64;
    println!(
        "kind={} sent={sent} answered={answered} lost={lost} late={late} errors={errors} \
         seconds={} rps={rps:.0} self_cpu_us={self_cpu_us:.2}",
        o.kind, o.seconds
    );
}
