//! Fuzzing regressions: inputs found by `fuzz/` (none so far) and the
//! committed seed corpora, replayed through the same invariants as the fuzz
//! targets on stable Rust, plus the edge cases where decoding leaves its
//! quick path for the exact one (both must agree).
//!
//! When a fuzz target finds a crash, fix it in `core/` and add the input
//! here as a named test, with the invariant it broke.

use std::fs;
use std::path::{Path, PathBuf};

use oxsnmp_core::ber::{DecodeErrorKind, Reader};
use oxsnmp_core::{AnyPduRef, MessageRef, Oid, OidRef, ValueRef};

/// The decode_message invariant: what decodes iterates fully and survives
/// owned conversion, encoding and decoding again, canonically.
fn message_round_trip(data: &[u8]) -> bool {
    let Ok(msg) = MessageRef::decode(data) else {
        return false;
    };
    let list = match msg.any_pdu {
        AnyPduRef::Pdu(p) => p.varbinds,
        AnyPduRef::TrapV1(t) => t.varbinds,
    };
    assert_eq!(list.iter().count(), list.len());
    for vb in list.iter() {
        let mut it = vb.oid.arcs();
        let by_next: Vec<u32> = std::iter::from_fn(|| it.next()).collect();
        let by_fold = vb.oid.arcs().fold(Vec::new(), |mut v, a| {
            v.push(a);
            v
        });
        assert_eq!(by_next, by_fold);
    }
    let owned = msg.to_owned();
    let bytes = owned.to_bytes();
    assert_eq!(bytes.len(), owned.encoded_len());
    let mut reused = vec![0xee; 3];
    owned.encode(&mut reused);
    assert_eq!(&reused[3..], &bytes[..]);
    let again = MessageRef::decode(&bytes).expect("re-encoded message decodes");
    assert_eq!(again.to_owned(), owned);
    assert_eq!(again.to_owned().to_bytes(), bytes);
    true
}

fn seeds(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../fuzz/corpus")
        .join(target);
    let mut out: Vec<_> = fs::read_dir(&dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| {
                    p.file_name()
                        .and_then(|n| n.to_str())
                        .is_some_and(|n| n.starts_with("seed-"))
                })
                .map(|p| {
                    let data = fs::read(&p).expect("seed readable");
                    (p, data)
                })
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

#[test]
fn message_seeds_round_trip() {
    let seeds = seeds("decode_message");
    assert!(seeds.len() >= 20, "seed corpus missing");
    for (path, data) in &seeds {
        assert!(
            message_round_trip(data),
            "{} does not decode",
            path.display()
        );
        // Every truncation fails cleanly, with an offset inside the input.
        for cut in 0..data.len() {
            if let Err(e) = MessageRef::decode(&data[..cut]) {
                assert!(e.offset <= cut, "{}: {e} past {cut}", path.display());
            }
        }
    }
}

/// The decode_v3 invariant on the committed seeds (real Net-SNMP traffic
/// and our own): each decodes, its USM parameters and (plaintext)
/// ScopedPDU decode, the MAC is where `auth_offset` says, and re-encoding
/// the decoded fields gives back the very same octets.
#[test]
fn v3_seeds_round_trip() {
    use oxsnmp_core::ber::{tag, writer};
    use oxsnmp_core::v3::{write_message, ScopedPduData, V3Header, V3MessageRef};
    let seeds = seeds("decode_v3");
    assert!(seeds.len() >= 40, "seed corpus missing");
    let mut encrypted = 0;
    for (path, data) in &seeds {
        let name = path.display();
        let m = V3MessageRef::decode(data).unwrap_or_else(|e| panic!("{name}: {e}"));
        let usm = m.usm().unwrap_or_else(|e| panic!("{name}: {e}"));
        let at = usm.auth_offset;
        assert_eq!(&data[at..at + usm.auth_params.len()], usm.auth_params);
        let header = V3Header {
            msg_id: m.msg_id,
            max_size: m.max_size,
            flags: m.flags,
            security_model: m.security_model,
        };
        let mut data_tlv = Vec::new();
        match m.data {
            ScopedPduData::Plaintext(s) => s.to_owned().encode(&mut data_tlv),
            ScopedPduData::Encrypted(c) => {
                encrypted += 1;
                writer::write_bytes(&mut data_tlv, tag::OCTET_STRING, c);
            }
        }
        let mut out = Vec::new();
        let owned = usm.to_owned();
        write_message(&mut out, &header, &owned.as_ref(), data_tlv.len());
        out.extend_from_slice(&data_tlv);
        assert_eq!(&out, data, "{name} re-encodes differently");
        // Every truncation fails cleanly, with an offset inside the input.
        for cut in 0..data.len() {
            let e = V3MessageRef::decode(&data[..cut]).expect_err("truncated v3 decoded");
            assert!(e.offset <= cut, "{name}: {e} past {cut}");
        }
    }
    assert!(encrypted >= 5, "authPriv seeds missing");
}

#[test]
fn value_seeds_round_trip() {
    for (path, data) in seeds("decode_value") {
        let mut r = Reader::new(&data);
        let mut n = 0;
        while let Ok(tlv) = r.read_tlv() {
            let v = ValueRef::from_tlv(tlv).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let owned = v.to_value();
            let mut out = Vec::new();
            owned.encode(&mut out);
            assert_eq!(out.len(), owned.encoded_len());
            let back = ValueRef::from_tlv(Reader::new(&out).read_tlv().unwrap()).unwrap();
            assert_eq!(back.to_value(), owned);
            n += 1;
        }
        assert!(n > 0, "{}", path.display());
    }
}

#[test]
fn oid_seeds_parse_print_parse() {
    for (_, data) in seeds("oid_parse") {
        let Ok(oid) = std::str::from_utf8(&data).unwrap().parse::<Oid>() else {
            continue;
        };
        assert_eq!(oid.to_string().parse::<Oid>().unwrap(), oid);
    }
}

/// A varbind list message around one varbind's raw bytes.
fn message_with_varbind(vb: &[u8]) -> Vec<u8> {
    let mut vbl = vec![0x30];
    push_len(&mut vbl, vb.len());
    vbl.extend_from_slice(vb);
    let mut pdu = vec![0x02, 0x01, 0x01, 0x02, 0x01, 0x00, 0x02, 0x01, 0x00];
    pdu.extend_from_slice(&vbl);
    let mut body = vec![0x02, 0x01, 0x01, 0x04, 0x06];
    body.extend_from_slice(b"public");
    body.push(0xa2);
    push_len(&mut body, pdu.len());
    body.extend_from_slice(&pdu);
    let mut msg = vec![0x30];
    push_len(&mut msg, body.len());
    msg.extend_from_slice(&body);
    msg
}

fn push_len(out: &mut Vec<u8>, len: usize) {
    if len < 0x80 {
        out.push(len as u8);
    } else {
        out.extend_from_slice(&[0x82, (len >> 8) as u8, len as u8]);
    }
}

fn varbind(oid: &[u8], value: &[u8]) -> Vec<u8> {
    let mut inner = vec![0x06, oid.len() as u8];
    inner.extend_from_slice(oid);
    inner.extend_from_slice(value);
    let mut vb = vec![0x30];
    push_len(&mut vb, inner.len());
    vb.extend_from_slice(&inner);
    vb
}

#[test]
fn edges_of_the_quick_paths() {
    let oid = [0x2b, 0x06, 0x01, 0x02, 0x01, 0x01, 0x03, 0x00];
    // Accepted, but only by the exact path: padded integers, a 9-octet
    // Counter64, a five-octet sub-identifier, non-minimal lengths.
    for value in [
        &[0x02, 0x06, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05][..],
        &[0x41, 0x06, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05],
        &[
            0x46, 0x09, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        ],
        &[0x06, 0x06, 0x2b, 0x8f, 0xff, 0xff, 0xff, 0x7f],
        &[0x04, 0x81, 0x02, b'h', b'i'],
        &[0x05, 0x81, 0x00],
    ] {
        let msg = message_with_varbind(&varbind(&oid, value));
        assert!(message_round_trip(&msg), "{value:02x?}");
    }
    // Rejected, with the exact error, by whichever path.
    for (value, kind) in [
        (
            &[0x06, 0x06, 0x2b, 0x90, 0x80, 0x80, 0x80, 0x00][..],
            DecodeErrorKind::OidSubidTooLarge,
        ),
        (&[0x06, 0x02, 0x2b, 0x86], DecodeErrorKind::OidUnterminated),
        (
            &[0x41, 0x05, 0x01, 0x00, 0x00, 0x00, 0x00],
            DecodeErrorKind::IntegerTooLong,
        ),
        (
            &[0x40, 0x03, 10, 0, 1],
            DecodeErrorKind::BadIpAddressLength(3),
        ),
        (&[0x05, 0x01, 0x00], DecodeErrorKind::NonEmptyNull),
        (&[0x47, 0x01, 0x00], DecodeErrorKind::UnknownValueTag(0x47)),
    ] {
        let msg = message_with_varbind(&varbind(&oid, value));
        let err = MessageRef::decode(&msg).unwrap_err();
        assert_eq!(err.kind, kind, "{value:02x?}");
        // The error points at the value's identifier octet.
        assert_eq!(msg[err.offset], value[0], "{value:02x?}");
    }
    // An OID of 127 content octets is the longest with 128 arcs; 128 single
    // octets make 129 arcs.
    let long = vec![0x01u8; 127];
    assert!(OidRef::from_ber(&long, 0).is_ok());
    let too_long = vec![0x01u8; 128];
    assert_eq!(
        OidRef::from_ber(&too_long, 0).unwrap_err().kind,
        DecodeErrorKind::OidTooLong
    );
}

/// Runs one request from `mgr` to `agent` over a perfect network; every
/// datagram the agent sends is checked with `check`.
fn exchange(
    mgr: &mut oxsnmp_core::manager::Manager,
    agent: &mut oxsnmp_core::agent::Agent<oxsnmp_core::agent::MemoryMib>,
    target: &oxsnmp_core::manager::Target,
    request: oxsnmp_core::manager::Request,
    check: &dyn Fn(&[u8]),
) -> Result<oxsnmp_core::manager::Response, oxsnmp_core::manager::RequestError> {
    use oxsnmp_core::manager::Event;
    let mut now = std::time::Instant::now();
    let me: std::net::SocketAddr = "192.0.2.1:4000".parse().unwrap();
    let handle = mgr.send_request(now, target, request).unwrap();
    for _ in 0..100 {
        while let Some(tx) = mgr.poll_transmit() {
            agent.handle_datagram(now, me, &tx.payload);
            while let Some(reply) = agent.poll_transmit() {
                check(&reply.payload);
                mgr.handle_datagram(now, target.addr, &reply.payload);
            }
        }
        if let Some(Event::Completed { handle: h, result }) = mgr.poll_event() {
            assert_eq!(h, handle);
            return result;
        }
        now = mgr.poll_timeout().expect("a timer");
        mgr.handle_timeout(now);
    }
    panic!("no completion");
}

/// Found by `usm_incoming` once its agents could be configured below 484
/// octets: the agent advertised its configured maximum as msgMaxSize
/// (and snmpEngineMaxMessageSize), outside the 484..2^31-1 that RFC 3412
/// §6 and RFC 3411 §5 allow, so no manager could decode its messages (ours
/// refused the discovery Report and timed out), and its Reports ignored
/// the configured maximum. It now advertises at least 484, and sends
/// nothing larger than its own maximum: a Report that does not fit is
/// dropped and counted in snmpSilentDrops.
#[test]
fn agent_configured_below_484_octets() {
    use oxsnmp_core::agent::{Access, Agent, AgentConfig, MemoryMib};
    use oxsnmp_core::manager::{Manager, ManagerConfig, Request, RequestError, Target, V3Security};
    use oxsnmp_core::usm::{AuthProtocol, Secret, UsmUser};
    use oxsnmp_core::v3::{EngineId, SecurityLevel, V3MessageRef};
    use oxsnmp_core::Value;

    let plain = UsmUser::new("plain").unwrap();
    let long_name = "s".repeat(32);
    let sha512 = UsmUser::new(&long_name)
        .unwrap()
        .with_auth(AuthProtocol::Sha512, Secret::Password(b"sha512-password"))
        .unwrap();
    let engine = EngineId::from_text(99999, "small-agent-engine-id");
    let config = AgentConfig::new()
        .engine_id(engine.clone())
        .engine_boots(3)
        .max_message_size(200)
        .user(plain.clone(), Access::ReadOnly)
        .user(sha512.clone(), Access::ReadOnly);
    let mut agent = Agent::new(config, MemoryMib::new(), std::time::Instant::now());
    let addr = "192.0.2.9:161".parse().unwrap();
    let check = |bytes: &[u8]| {
        assert!(
            bytes.len() <= 200,
            "{} octets from a 200-octet agent",
            bytes.len()
        );
        let m = V3MessageRef::decode(bytes).expect("the agent's messages decode");
        assert_eq!(m.max_size, 484);
    };

    // Discovery, then a request answered within 200 octets.
    let mut mgr = Manager::new(ManagerConfig::with_seed(1));
    let mut target = Target::v3(addr, V3Security::new(plain, SecurityLevel::NoAuthNoPriv));
    target.retry.retries = 0;
    let max_size_object: oxsnmp_core::Oid = "1.3.6.1.6.3.10.2.1.4.0".parse().unwrap();
    let r = exchange(
        &mut mgr,
        &mut agent,
        &target,
        Request::get(&[max_size_object]),
        &check,
    )
    .expect("served");
    assert_eq!(
        r.varbinds[0].value,
        Value::Integer(484),
        "snmpEngineMaxMessageSize"
    );

    // A notInTimeWindow Report for the SHA-512 user with a 32-octet name
    // does not fit in 200 octets: dropped and counted, the request times out.
    let mut target = Target::v3(addr, V3Security::new(sha512, SecurityLevel::AuthNoPriv));
    target.retry.retries = 0;
    mgr.set_engine_time(engine.as_bytes(), 4, 0, std::time::Instant::now());
    let before = agent.stats();
    let r = exchange(&mut mgr, &mut agent, &target, Request::get(&[]), &check);
    assert!(matches!(r, Err(RequestError::Timeout(_))), "{r:?}");
    let after = agent.stats();
    assert_eq!(
        after.usm_not_in_time_windows,
        before.usm_not_in_time_windows + 1
    );
    assert_eq!(after.silent_drops, before.silent_drops + 1);
    assert_eq!(after.out_reports, before.out_reports);
}

/// Found by `manager_v3` once managers could be configured below 484
/// octets: the manager advertised its configured maximum as msgMaxSize,
/// outside RFC 3412 §6's 484..2^31-1, so agents refused every SNMPv3
/// message it sent as a parse error (ours counted snmpInASNParseErrs and
/// the request timed out). It now advertises at least 484.
#[test]
fn manager_configured_below_484_octets() {
    use oxsnmp_core::agent::{Access, Agent, AgentConfig, MemoryMib};
    use oxsnmp_core::manager::{Manager, ManagerConfig, Request, Target, V3Security};
    use oxsnmp_core::usm::{AuthProtocol, PrivProtocol, Secret, UsmUser};
    use oxsnmp_core::v3::{EngineId, SecurityLevel, V3MessageRef};

    let user = UsmUser::new("ops")
        .unwrap()
        .with_auth(AuthProtocol::Sha256, Secret::Password(b"auth-password"))
        .unwrap()
        .with_privacy(PrivProtocol::Aes128, Secret::Password(b"priv-password"))
        .unwrap();
    let config = AgentConfig::new()
        .engine_id(EngineId::from_text(99999, "agent"))
        .engine_boots(1)
        .user(user.clone(), Access::ReadOnly);
    let mut agent = Agent::new(config, MemoryMib::new(), std::time::Instant::now());
    let mut manager_config = ManagerConfig::with_seed(5);
    manager_config.max_message_size = 300;
    let mut mgr = Manager::new(manager_config);
    let mut target = Target::v3(
        "192.0.2.9:161".parse().unwrap(),
        V3Security::new(user, SecurityLevel::AuthPriv),
    );
    target.retry.retries = 0;
    let sys_descr: oxsnmp_core::Oid = "1.3.6.1.2.1.1.1.0".parse().unwrap();
    let r = exchange(
        &mut mgr,
        &mut agent,
        &target,
        Request::get(&[sys_descr]),
        &|_| {},
    )
    .expect("served");
    assert_eq!(r.varbinds.len(), 1);
    assert_eq!(agent.stats().in_asn_parse_errs, 0);
    // What the manager sends decodes, advertises 484 and fits in 300.
    let probe = {
        let mut m = Manager::new(ManagerConfig {
            max_message_size: 300,
            ..ManagerConfig::with_seed(6)
        });
        m.send_request(std::time::Instant::now(), &target, Request::get(&[]))
            .unwrap();
        m.poll_transmit().unwrap().payload
    };
    assert!(probe.len() <= 300);
    assert_eq!(V3MessageRef::decode(&probe).unwrap().max_size, 484);
}

/// The fuzzing crypto configuration exists only under `--cfg fuzzing`: in
/// a normal build the magic MAC (`0xf5` repeated) does not authenticate
/// and the magic privacy parameters (`FUZZPRIV`) decrypt for real.
#[test]
fn fuzzing_crypto_is_off_in_normal_builds() {
    use oxsnmp_core::usm::{authenticate, decrypt, AuthProtocol, PrivProtocol, Secret, UsmUser};
    use oxsnmp_core::v3::{MsgFlags, ScopedPdu, SecurityLevel, UsmParams, V3Message, V3MessageRef};
    let user = UsmUser::new("u")
        .unwrap()
        .with_auth(AuthProtocol::Md5, Secret::Password(b"auth-password"))
        .unwrap()
        .with_privacy(PrivProtocol::Des, Secret::Password(b"priv-password"))
        .unwrap();
    let engine = [0x80, 0, 0, 0, 1, 2, 3];
    let keys = user.keys_for(&engine);
    let message = V3Message {
        msg_id: 1,
        max_size: 484,
        flags: MsgFlags::new(SecurityLevel::AuthNoPriv, true),
        usm: UsmParams {
            engine_id: engine.to_vec(),
            user_name: b"u".to_vec(),
            auth_params: vec![0xf5; 12],
            priv_params: b"FUZZPRIV".to_vec(),
            ..UsmParams::default()
        },
        scoped: ScopedPdu::new(
            vec![],
            vec![],
            oxsnmp_core::Pdu::request(oxsnmp_core::PduType::GetRequest, 1, &[]),
        ),
    }
    .to_bytes();
    let m = V3MessageRef::decode(&message).unwrap();
    let params = m.usm().unwrap();
    assert!(!authenticate(&message, &params, &keys));
    let ciphertext = [0x30, 0x06, 0x04, 0x00, 0x04, 0x00, 0xa0, 0x00];
    let mut plain = Vec::new();
    assert!(decrypt(&ciphertext, &params, &keys, &mut plain));
    assert_ne!(plain, ciphertext, "decrypted for real, not copied");
}
