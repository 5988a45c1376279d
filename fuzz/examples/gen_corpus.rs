//! Writes the synthetic seed corpora into `fuzz/corpus/<target>/`:
//! messages of every PDU type and value type built with our own encoder,
//! single values, manager scripts and OID strings. Real datagrams captured
//! from Net-SNMP come from `seeds/capture_netsnmp.py`.
//!
//! Run from `fuzz/`: `cargo run --example gen_corpus`.

use std::fs;
use std::net::Ipv4Addr;
use std::path::Path;

use oxsnmp_core::{AnyPdu, Message, Oid, Pdu, PduType, TrapV1Pdu, Value, VarBind, Version};

fn oid(s: &str) -> Oid {
    s.parse().expect("seed OID")
}

fn write(target: &str, name: &str, data: &[u8]) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("corpus")
        .join(target);
    fs::create_dir_all(&dir).expect("corpus dir");
    fs::write(dir.join(format!("seed-{name}.bin")), data).expect("seed");
}

fn every_value() -> Vec<Value> {
    vec![
        Value::Integer(0),
        Value::Integer(-1),
        Value::Integer(i32::MIN),
        Value::Integer(i32::MAX),
        Value::from("router-1"),
        Value::OctetString(vec![0; 200]),
        Value::OctetString(Vec::new()),
        Value::Null,
        Value::ObjectIdentifier(oid("1.3.6.1.4.1.8072.3.2.10")),
        Value::ObjectIdentifier(oid("2.999.4294967295")),
        Value::IpAddress(Ipv4Addr::new(192, 0, 2, 17)),
        Value::Counter32(u32::MAX),
        Value::Gauge32(1_000_000_000),
        Value::TimeTicks(123_456),
        Value::Opaque(vec![0x9f, 0x78, 0x04, 0x3f, 0x80, 0, 0]),
        Value::Counter64(u64::MAX),
        Value::Counter64(1 << 63),
        Value::NoSuchObject,
        Value::NoSuchInstance,
        Value::EndOfMibView,
    ]
}

fn response(id: i32, varbinds: Vec<VarBind>) -> Pdu {
    Pdu {
        pdu_type: PduType::Response,
        request_id: id,
        error_status: 0,
        error_index: 0,
        varbinds,
    }
}

fn main() {
    // decode_message: one message per PDU type and version, every value type.
    let values = every_value();
    let mixed: Vec<VarBind> = values
        .iter()
        .enumerate()
        .map(|(i, v)| {
            VarBind::new(
                oid(&format!("1.3.6.1.2.1.2.2.1.{}.{}", i + 1, 10_103 + i)),
                v.clone(),
            )
        })
        .collect();
    let m = Message::new(
        Version::V2c,
        "public",
        response(1_723_456_789, mixed.clone()),
    );
    write(
        "decode_message",
        "synth-v2c-response-every-value",
        &m.to_bytes(),
    );
    let get = Pdu::request(
        PduType::GetRequest,
        7,
        &[oid("1.3.6.1.2.1.1.1.0"), oid("1.3.6.1.2.1.1.5.0")],
    );
    write(
        "decode_message",
        "synth-v1-get",
        &Message::new(Version::V1, "public", get.clone()).to_bytes(),
    );
    for (name, t) in [
        ("getnext", PduType::GetNextRequest),
        ("getbulk", PduType::GetBulkRequest),
        ("inform", PduType::InformRequest),
        ("v2trap", PduType::SnmpV2Trap),
        ("report", PduType::Report),
    ] {
        let mut p = get.clone();
        p.pdu_type = t;
        if t == PduType::GetBulkRequest {
            p.error_status = 1;
            p.error_index = 25;
        }
        write(
            "decode_message",
            &format!("synth-v2c-{name}"),
            &Message::new(Version::V2c, "public", p).to_bytes(),
        );
    }
    let set = Pdu {
        pdu_type: PduType::SetRequest,
        request_id: -5,
        error_status: 0,
        error_index: 0,
        varbinds: vec![VarBind::new(oid("1.3.6.1.2.1.1.6.0"), Value::from("lab"))],
    };
    write(
        "decode_message",
        "synth-v1-set",
        &Message::new(Version::V1, "private", set).to_bytes(),
    );
    let mut err = response(9, vec![VarBind::null(oid("1.3.6.1.2.1.1.1.0"))]);
    err.error_status = 1;
    err.error_index = 1;
    write(
        "decode_message",
        "synth-v2c-toobig",
        &Message::new(Version::V2c, "public", err).to_bytes(),
    );
    let bulk: Vec<VarBind> = (1..=40)
        .map(|i| {
            VarBind::new(
                oid(&format!("1.3.6.1.2.1.31.1.1.1.6.{i}")),
                Value::Counter64(i * 1_000_003),
            )
        })
        .chain(std::iter::once(VarBind::new(
            oid("1.3.6.1.2.1.31.1.1.1.6.41"),
            Value::EndOfMibView,
        )))
        .collect();
    write(
        "decode_message",
        "synth-v2c-bulk-response",
        &Message::new(Version::V2c, "public", response(3, bulk)).to_bytes(),
    );
    let trap = TrapV1Pdu {
        enterprise: oid("1.3.6.1.4.1.8072.2.3.1"),
        agent_addr: Ipv4Addr::new(127, 0, 0, 1),
        generic_trap: 6,
        specific_trap: 17,
        time_stamp: 4242,
        varbinds: mixed.iter().take(5).cloned().collect(),
    };
    let t = Message {
        version: Version::V1,
        community: b"public".to_vec(),
        pdu: AnyPdu::TrapV1(trap),
    };
    write("decode_message", "synth-v1-trap", &t.to_bytes());
    // Non-minimal but legal encodings that real agents send.
    write(
        "decode_message",
        "synth-long-form-lengths",
        &[
            0x30, 0x82, 0x00, 0x2a, 0x02, 0x01, 0x01, 0x04, 0x81, 0x06, b'p', b'u', b'b', b'l',
            b'i', b'c', 0xa2, 0x81, 0x1b, 0x02, 0x01, 0x01, 0x02, 0x01, 0x00, 0x02, 0x01, 0x00,
            0x30, 0x10, 0x30, 0x0e, 0x06, 0x08, 0x2b, 0x06, 0x01, 0x02, 0x01, 0x01, 0x03, 0x00,
            0x43, 0x02, 0x00, 0x96,
        ],
    );

    // decode_value: each value on its own.
    for (i, v) in values.iter().enumerate() {
        let mut out = Vec::new();
        v.encode(&mut out);
        write("decode_value", &format!("value-{i:02}"), &out);
    }
    write(
        "decode_value",
        "padded-integers",
        &[
            0x02, 0x05, 0x00, 0x00, 0x00, 0x00, 0x05, 0x41, 0x05, 0x00, 0xff, 0xff, 0xff, 0xff,
        ],
    );

    // manager: scripts (see fuzz_targets/manager.rs for the step encoding).
    write(
        "manager",
        "answer-each",
        &[7, 1, 0, 0, 1, 1, 0, 1, 2, 0, 1, 3, 0],
    );
    write(
        "manager",
        "retries-then-answer",
        &[1, 3, 30, 3, 30, 1, 0, 0, 3, 255, 3, 255],
    );
    write(
        "manager",
        "wrong-source-and-version",
        &[2, 1, 0, 2, 1, 1, 3, 2, 2, 4, 1, 0, 8, 1, 0, 16, 5, 0x40],
    );
    write(
        "manager",
        "cancel-and-late",
        &[3, 4, 0, 1, 0, 0, 4, 1, 1, 1, 0, 3, 100, 1, 1, 0],
    );
    let raw = m.to_bytes();
    let mut script = vec![4, 0, 0, raw.len().min(255) as u8];
    script.extend_from_slice(&raw[..raw.len().min(255)]);
    write("manager", "raw-datagram", &script);

    // oid_parse: strings.
    for (i, s) in [
        "1.3.6.1.2.1.1.1.0",
        ".1.3.6.1.4.1.8072",
        "2.999.4294967295",
        "0.39",
        "1.40",
        "3.1",
        "1",
        "1..3",
        "1.3.6.1.2.1.2.2.1.10.10103",
    ]
    .iter()
    .enumerate()
    {
        write("oid_parse", &format!("oid-{i}"), s.as_bytes());
    }
    let long: Vec<String> = std::iter::once("1".to_string())
        .chain(std::iter::repeat_n("4294967295".to_string(), 127))
        .collect();
    write("oid_parse", "oid-128-arcs", long.join(".").as_bytes());
    // notify_receiver: scripts of notifications (a length byte, then the
    // datagram), one per configuration mode.
    let note = |t: PduType, id: i32, community: &str| {
        let pdu = Pdu {
            pdu_type: t,
            request_id: id,
            error_status: 0,
            error_index: 0,
            varbinds: vec![
                VarBind::new(oid("1.3.6.1.2.1.1.3.0"), Value::TimeTicks(4242)),
                VarBind::new(
                    oid("1.3.6.1.6.3.1.1.4.1.0"),
                    Value::ObjectIdentifier(oid("1.3.6.1.6.3.1.1.5.3")),
                ),
                VarBind::new(oid("1.3.6.1.2.1.2.2.1.1.2"), Value::Integer(2)),
            ],
        };
        Message::new(Version::V2c, community, pdu).to_bytes()
    };
    let v1 = Message {
        version: Version::V1,
        community: b"public".to_vec(),
        pdu: AnyPdu::TrapV1(TrapV1Pdu {
            enterprise: oid("1.3.6.1.4.1.8072.3.2.10"),
            agent_addr: Ipv4Addr::new(192, 0, 2, 1),
            generic_trap: 6,
            specific_trap: 17,
            time_stamp: 99,
            varbinds: vec![VarBind::new(oid("1.3.6.1.2.1.1.5.0"), Value::from("v1"))],
        }),
    }
    .to_bytes();
    let datagrams = [
        note(PduType::SnmpV2Trap, 1, "public"),
        note(PduType::InformRequest, 2, "public"),
        note(PduType::InformRequest, 2, "public"),
        note(PduType::InformRequest, 3, "other"),
        v1,
        note(PduType::GetRequest, 4, "traps"),
    ];
    for mode in 0..8u8 {
        let mut script = vec![mode];
        for d in &datagrams {
            script.push(d.len().min(255) as u8);
            script.extend_from_slice(&d[..d.len().min(255)]);
        }
        write("notify_receiver", &format!("script-mode-{mode}"), &script);
    }
    println!(
        "seed corpora written under {}/corpus",
        env!("CARGO_MANIFEST_DIR")
    );
}
