//! Writes the synthetic seed corpora of the SNMPv3, operation-sequence and
//! MIB targets into `fuzz/corpus/<target>/`:
//!
//! * `decode_v3`: every datagram of conversations between our manager and
//!   the fuzz agent (discovery, Reports, requests and responses for every
//!   user: MD5, SHA-1, SHA-2; DES, 3DES, AES-128/192/256), plus odd but
//!   well-formed messages (another security model, a v3 trap and inform);
//! * `usm_incoming`: scripts replaying those requests (they pass the real
//!   digest), the same messages with the fuzzing magic MAC and privacy
//!   parameters, structured steps, clock jumps;
//! * `manager_v3` and `ops_sequence`: scripts (see each target for the
//!   step encoding);
//! * `mib_parse`: our test MIB, the RFC modules built into oxsnmp-mib and
//!   small modules written here for the constructs the loader handles.
//!
//! Real datagrams from Net-SNMP come from `examples/capture_netsnmp_v3.rs`.
//! Run from `fuzz/`: `cargo run --example gen_corpus_v3`.

use std::fs;
use std::net::SocketAddr;
use std::path::Path;
use std::time::Instant;

use oxsnmp_core::manager::{Event, Manager, ManagerConfig, Request, Target, V3Security};
use oxsnmp_core::v3::{MsgFlags, SECURITY_MODEL_USM};
use oxsnmp_core::{PduType, Value, VarBind};
use oxsnmp_fuzz::v3::{self as fx, users, Auth, Data, Spec, BOOTS};

fn write(target: &str, name: &str, data: &[u8]) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("corpus")
        .join(target);
    fs::create_dir_all(&dir).expect("corpus dir");
    fs::write(dir.join(format!("seed-{name}.bin")), data).expect("seed");
}

/// A usm_incoming raw-datagram step.
fn raw_step(script: &mut Vec<u8>, bytes: &[u8]) {
    script.push(0);
    script.extend_from_slice(&(bytes.len() as u16).to_be_bytes());
    script.extend_from_slice(bytes);
    script.push(0);
}

/// Runs one request from our manager through the fuzz agent; returns every
/// datagram in order with its direction (true: to the agent).
fn conversation(
    mgr: &mut Manager,
    agent: &mut oxsnmp_core::agent::Agent<oxsnmp_core::agent::MemoryMib>,
    now: Instant,
    target: &Target,
    request: Request,
) -> Vec<(bool, Vec<u8>)> {
    let me: SocketAddr = fx::peers()[0];
    let mut log = Vec::new();
    mgr.send_request(now, target, request).expect("send");
    for _ in 0..10 {
        while let Some(tx) = mgr.poll_transmit() {
            log.push((true, tx.payload.clone()));
            agent.handle_datagram(now, me, &tx.payload);
            while let Some(reply) = agent.poll_transmit() {
                log.push((false, reply.payload.clone()));
                mgr.handle_datagram(now, fx::agent_addr(), &reply.payload);
            }
        }
        if let Some(Event::Completed { result, .. }) = mgr.poll_event() {
            assert!(result.is_ok(), "{result:?}");
            return log;
        }
    }
    panic!("conversation did not complete");
}

fn main() {
    let now = Instant::now();
    let mut agent = fx::agent(65507, BOOTS, now);
    let mut mgr = Manager::new(ManagerConfig::with_seed(11));

    // decode_v3 and usm_incoming from our own stack's traffic.
    for (i, u) in users().iter().enumerate() {
        let level = u.user.max_level();
        let mut security = V3Security::new(u.user.clone(), level);
        if i % 2 == 1 {
            security = security.context_name("ctx");
        }
        let target = Target::v3(fx::agent_addr(), security);
        let request = match i % 4 {
            0 => Request::get(&[fx::scalar(1), fx::echo()]),
            1 => Request::get_next(&[fx::scalar(2)]),
            2 => Request::get_bulk(1, 3, &[fx::echo(), fx::scalar(4)]),
            _ => Request::set(&[VarBind::new(fx::label(), Value::from("seed"))]),
        };
        let log = conversation(&mut mgr, &mut agent, now, &target, request);
        let name = String::from_utf8_lossy(u.user.name()).into_owned();
        let mut script = vec![0u8];
        for (n, (to_agent, bytes)) in log.iter().enumerate() {
            let dir = if *to_agent { "req" } else { "rsp" };
            write("decode_v3", &format!("ours-{name}-{n}-{dir}"), bytes);
            if *to_agent {
                raw_step(&mut script, bytes);
            }
        }
        write("usm_incoming", &format!("ours-{name}"), &script);
    }

    // The same requests with the fuzzing crypto: magic MAC and privacy.
    let engine = fx::engine_id();
    let mut all_magic = vec![0u8];
    for (i, u) in users().iter().enumerate() {
        let level = u.user.max_level();
        let mac_len = u.keys.auth.as_ref().map_or(0, |a| a.mac_len());
        for (j, pdu_type) in [
            PduType::GetRequest,
            PduType::GetNextRequest,
            PduType::GetBulkRequest,
            PduType::SetRequest,
        ]
        .into_iter()
        .enumerate()
        {
            let scoped = fx::scoped(
                engine.as_bytes(),
                if j == 1 { b"ctx" } else { b"" },
                fx::pdu(pdu_type, 100 + j as i32, &[1, 2, 3]),
            );
            let bytes = Spec {
                msg_id: 1000 + i as i32 * 10 + j as i32,
                max_size: 65507,
                flags: MsgFlags::new(level, true).bits(),
                security_model: SECURITY_MODEL_USM,
                engine_id: engine.as_bytes(),
                boots: BOOTS,
                time: 0,
                user_name: u.user.name(),
                keys: Some(&u.keys),
                auth: if level.is_authenticated() {
                    Auth::Magic(mac_len)
                } else {
                    Auth::Empty
                },
                data: if level.is_encrypted() {
                    Data::Magic { pad: 8 }
                } else {
                    Data::Plain(Vec::new())
                },
                scoped,
            }
            .build();
            if j == 0 {
                write("decode_v3", &format!("magic-{i}"), &bytes);
            }
            let mut script = vec![0u8];
            raw_step(&mut script, &bytes);
            write("usm_incoming", &format!("magic-{i}-{j}"), &script);
            raw_step(&mut all_magic, &bytes);
        }
    }
    // Clock jumps between them: notInTimeWindow, then correct requests.
    all_magic.extend_from_slice(&[4, 250, 5, 4, 4, 150]);
    write("usm_incoming", "magic-all-then-jump", &all_magic);
    write("usm_incoming", "latched-boots", &[2, 5, 0, 5, 4, 5, 2]);

    // Structured steps (field by field as `structured` reads them): user,
    // flags, time, boots, auth, data, context engine, context name, PDU
    // type, request-id, varbinds, msgID, msgMaxSize, security model, engine.
    let structured: [(&str, Vec<u8>); 4] = [
        (
            "structured-authpriv-magic",
            vec![
                1, 0, 4, 0x07, 100, 0, 3, 5, 1, 0, 0, 0, 0, 0, 0, 42, 2, 1, 2, 1, 0, 0, 0, 9, 0, 0,
                0,
            ],
        ),
        (
            "structured-empty-mac-flagged-auth",
            vec![
                2, 1, 1, 0x05, 100, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 7, 1, 3, 1, 0, 0, 0, 9, 0, 0, 0,
            ],
        ),
        (
            "structured-des-misaligned",
            vec![
                3, 0, 2, 0x07, 100, 0, 4, 4, 13, 0, 0, 0, 0, 0, 0, 8, 1, 4, 1, 0, 0, 0, 9, 0, 0, 0,
            ],
        ),
        (
            "structured-unknown-engine-probe",
            vec![
                1, 0, 8, 0x04, 205, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 9, 0, 0, 1, 5,
            ],
        ),
    ];
    for (name, steps) in structured {
        let mut script = vec![0u8];
        script.extend_from_slice(&steps);
        write("usm_incoming", name, &script);
    }

    // manager_v3: seed, then steps (op % 8): 0 raw, 1-2 report, 3-4
    // response, 5 clock, 6 cancel, 7 new request.
    let discovery_then_answer = [
        3u8, // seed
        // Report unknownEngineID for the latest msgID, from the right
        // agent, our engine, right user, unsecured, boots 5, time 10.
        1, 0, 0, 0, 0, 1, 1, 0, 1, 0, 0, 1, 5,
        // Response for the latest msgID at the request's level, right user,
        // magic MAC, right request-id, magic privacy.
        3, 0, 0, 0, 0, 1, 4, 1, 42, 0, 1, 2, 100, 5, 10, 5, 250, 6, 2,
    ];
    write(
        "manager_v3",
        "discovery-then-answer",
        &discovery_then_answer,
    );
    write(
        "manager_v3",
        "reports-of-every-kind",
        &[
            9, 1, 1, 0, 2, 0, 1, 0, 0, 2, 0, 0, 1, 7, 1, 2, 0, 3, 0, 1, 1, 0, 0, 0, 2, 1, 9, 1, 3,
            0, 4, 1, 1, 1, 0, 4, 2, 0, 1, 9, 2, 4, 0, 5, 2, 1, 0, 0, 3, 0, 3, 0, 1, 5, 40, 7, 1, 4,
            0, 0, 4, 3, 0, 0, 0, 1, 4, 1, 7, 0, 1, 2, 50,
        ],
    );
    write(
        "manager_v3",
        "time-window",
        &[
            5, 5, 245, 1, 0, 0, 2, 0, 1, 0, 0, 4, 0, 0, 1, 1, 3, 0, 0, 0, 0, 1, 4, 1, 1, 0, 1, 2, 0,
        ],
    );
    write(
        "manager_v3",
        "timeouts-only",
        &[0, 5, 100, 5, 100, 5, 100, 5, 250],
    );

    // ops_sequence: seed, then steps (op % 10): 0-1 send, 2-3 deliver,
    // 4 drop, 5 duplicate, 6 hold back, 7 small step, 8 jump, 9 cancel.
    // A send is: agent, version (0 v1, 1-2 v2c, 3 v3 plain, else v3 with
    // the next octet's user), [engine known], timeout, retries, kind.
    let mut perfect = vec![1u8];
    for (i, kind) in [0u8, 1, 2, 3].iter().enumerate() {
        let version = [0u8, 1, 3, 4][i];
        perfect.extend_from_slice(&[0, (i % 2) as u8, version]);
        if version >= 3 {
            if version != 3 {
                perfect.push(4);
            }
            perfect.push(1);
        }
        perfect.extend_from_slice(&[3, 1, *kind]);
        for _ in 0..6 {
            perfect.extend_from_slice(&[2, 0]);
        }
    }
    write("ops_sequence", "every-version-perfect", &perfect);
    write(
        "ops_sequence",
        "lossy-and-reordered",
        &[
            2, 0, 0, 1, 2, 2, 0, 0, 1, 1, 2, 2, 1, 5, 0, 4, 1, 6, 0, 2, 1, 7, 20, 2, 0, 2, 0, 3, 0,
            7, 200, 2, 0, 2, 0, 2, 0,
        ],
    );
    write(
        "ops_sequence",
        "v3-delayed-past-window",
        &[
            3, 0, 0, 6, 4, 0, 5, 3, 0, 2, 0, 2, 0, 8, 20, 2, 0, 2, 0, 2, 0, 2, 0, 9, 0,
        ],
    );
    write(
        "ops_sequence",
        "duplicates",
        &[4, 0, 1, 1, 5, 2, 3, 5, 0, 5, 0, 2, 0, 2, 0, 2, 0, 2, 0],
    );

    // mib_parse: real modules and constructs.
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let test_mib = fs::read(root.join("tests/data/OXSNMP-TEST-MIB.txt")).expect("test MIB");
    write("mib_parse", "oxsnmp-test-mib", &test_mib);
    let mpd = fs::read(root.join("mib/builtin/SNMP-MPD-MIB.txt")).expect("MPD MIB");
    write("mib_parse", "rfc3412-snmp-mpd-mib", &mpd);
    for (name, text) in SYNTHETIC_MIBS {
        write("mib_parse", name, text.as_bytes());
    }
    let mut with_builtins = vec![1u8];
    with_builtins.extend_from_slice(IMPORTS_SNMPV2_MIB.as_bytes());
    write("mib_parse", "imports-builtin-snmpv2-mib", &with_builtins);

    println!(
        "v3, ops and MIB seed corpora written under {}/corpus",
        env!("CARGO_MANIFEST_DIR")
    );
}

const IMPORTS_SNMPV2_MIB: &str = "USES-SYSTEM-MIB DEFINITIONS ::= BEGIN
IMPORTS MODULE-IDENTITY, OBJECT-TYPE, Integer32 FROM SNMPv2-SMI
        sysName FROM SNMPv2-MIB;
usesSystem MODULE-IDENTITY
    LAST-UPDATED \"202601010000Z\" ORGANIZATION \"oxsnmp\" CONTACT-INFO \"none\"
    DESCRIPTION \"Imports from a built-in module.\" ::= { sysName 77 }
thing OBJECT-TYPE SYNTAX Integer32 MAX-ACCESS read-only STATUS current
    DESCRIPTION \"A thing.\" ::= { usesSystem 1 }
END
";

const SYNTHETIC_MIBS: [(&str, &str); 5] = [
    (
        "table-tc-enum-bits",
        "FUZZ-TABLE-MIB DEFINITIONS ::= BEGIN
IMPORTS MODULE-IDENTITY, OBJECT-TYPE, NOTIFICATION-TYPE, Integer32, Counter64, enterprises
            FROM SNMPv2-SMI
        TEXTUAL-CONVENTION, DisplayString, RowStatus FROM SNMPv2-TC
        MODULE-COMPLIANCE, OBJECT-GROUP FROM SNMPv2-CONF;
fuzzTable MODULE-IDENTITY
    LAST-UPDATED \"202601010000Z\" ORGANIZATION \"oxsnmp\" CONTACT-INFO \"none\"
    DESCRIPTION \"Tables, conventions, enumerations and bits.\"
    REVISION \"202601010000Z\" DESCRIPTION \"First.\"
    ::= { enterprises 99999 7 }
Percent ::= TEXTUAL-CONVENTION
    DISPLAY-HINT \"d-2\" STATUS current DESCRIPTION \"Hundredths.\"
    SYNTAX Integer32 (0..10000)
fuzzRows OBJECT-TYPE SYNTAX SEQUENCE OF FuzzRow MAX-ACCESS not-accessible STATUS current
    DESCRIPTION \"Rows.\" ::= { fuzzTable 1 }
fuzzRow OBJECT-TYPE SYNTAX FuzzRow MAX-ACCESS not-accessible STATUS current
    DESCRIPTION \"A row.\" INDEX { fuzzIndex, IMPLIED fuzzName } ::= { fuzzRows 1 }
FuzzRow ::= SEQUENCE { fuzzIndex Integer32, fuzzName DisplayString, fuzzLoad Percent,
    fuzzState INTEGER, fuzzFlags BITS, fuzzCount Counter64, fuzzStatus RowStatus }
fuzzIndex OBJECT-TYPE SYNTAX Integer32 (1..2147483647) MAX-ACCESS not-accessible STATUS current
    DESCRIPTION \"Index.\" ::= { fuzzRow 1 }
fuzzName OBJECT-TYPE SYNTAX DisplayString (SIZE (1..32)) MAX-ACCESS not-accessible STATUS current
    DESCRIPTION \"Name.\" ::= { fuzzRow 2 }
fuzzLoad OBJECT-TYPE SYNTAX Percent MAX-ACCESS read-only STATUS current
    DESCRIPTION \"Load.\" ::= { fuzzRow 3 }
fuzzState OBJECT-TYPE SYNTAX INTEGER { up(1), down(2), testing(3) } MAX-ACCESS read-write
    STATUS current DESCRIPTION \"State.\" DEFVAL { up } ::= { fuzzRow 4 }
fuzzFlags OBJECT-TYPE SYNTAX BITS { red(0), green(1), blue(7) } MAX-ACCESS read-only
    STATUS current DESCRIPTION \"Flags.\" ::= { fuzzRow 5 }
fuzzCount OBJECT-TYPE SYNTAX Counter64 UNITS \"packets\" MAX-ACCESS read-only STATUS current
    DESCRIPTION \"Count.\" ::= { fuzzRow 6 }
fuzzStatus OBJECT-TYPE SYNTAX RowStatus MAX-ACCESS read-create STATUS current
    DESCRIPTION \"Status.\" ::= { fuzzRow 7 }
fuzzAugment OBJECT-TYPE SYNTAX SEQUENCE OF FuzzExtra MAX-ACCESS not-accessible STATUS current
    DESCRIPTION \"More.\" ::= { fuzzTable 2 }
fuzzExtra OBJECT-TYPE SYNTAX FuzzExtra MAX-ACCESS not-accessible STATUS current
    DESCRIPTION \"More of a row.\" AUGMENTS { fuzzRow } ::= { fuzzAugment 1 }
FuzzExtra ::= SEQUENCE { fuzzExtraNote OCTET STRING }
fuzzExtraNote OBJECT-TYPE SYNTAX OCTET STRING (SIZE (0..255)) MAX-ACCESS read-only
    STATUS current DESCRIPTION \"Note.\" ::= { fuzzExtra 1 }
fuzzEvent NOTIFICATION-TYPE OBJECTS { fuzzState, fuzzLoad } STATUS current
    DESCRIPTION \"Changed.\" ::= { fuzzTable 0 1 }
fuzzGroup OBJECT-GROUP OBJECTS { fuzzLoad, fuzzState, fuzzFlags, fuzzCount, fuzzStatus,
    fuzzExtraNote } STATUS current DESCRIPTION \"All.\" ::= { fuzzTable 3 1 }
fuzzCompliance MODULE-COMPLIANCE STATUS current DESCRIPTION \"Comply.\"
    MODULE MANDATORY-GROUPS { fuzzGroup } ::= { fuzzTable 3 2 }
END
",
    ),
    (
        "smiv1-trap-type",
        "FUZZ-V1-MIB DEFINITIONS ::= BEGIN
IMPORTS enterprises, Counter, IpAddress FROM RFC1155-SMI
        OBJECT-TYPE FROM RFC-1212
        TRAP-TYPE FROM RFC-1215;
fuzzV1 OBJECT IDENTIFIER ::= { enterprises 99999 8 }
fuzzV1Count OBJECT-TYPE SYNTAX Counter ACCESS read-only STATUS mandatory
    DESCRIPTION \"A v1 counter.\" ::= { fuzzV1 1 }
fuzzV1Addr OBJECT-TYPE SYNTAX IpAddress ACCESS read-only STATUS optional
    DESCRIPTION \"An address.\" ::= { fuzzV1 2 }
fuzzV1Trap TRAP-TYPE ENTERPRISE fuzzV1 VARIABLES { fuzzV1Count } DESCRIPTION \"Trap.\" ::= 3
END
",
    ),
    (
        "chain-and-numbers",
        "FUZZ-CHAIN-MIB DEFINITIONS ::= BEGIN
IMPORTS enterprises FROM SNMPv2-SMI;
c0 OBJECT IDENTIFIER ::= { enterprises 99999 9 }
c1 OBJECT IDENTIFIER ::= { c0 4294967295 }
c2 OBJECT IDENTIFIER ::= { c1 0 }
c3 OBJECT IDENTIFIER ::= { c2 named(5) 6 7 }
c4 OBJECT IDENTIFIER ::= { iso org(3) dod(6) 1 4 1 99999 10 }
c5 OBJECT IDENTIFIER ::= { c4 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 }
END
",
    ),
    (
        "circular-and-undefined",
        "FUZZ-LOOP-MIB DEFINITIONS ::= BEGIN
IMPORTS missingThing FROM NO-SUCH-MIB;
a OBJECT IDENTIFIER ::= { b 1 }
b OBJECT IDENTIFIER ::= { a 1 }
c OBJECT IDENTIFIER ::= { missingThing 2 }
d OBJECT IDENTIFIER ::= { undefinedParent 3 }
END
",
    ),
    (
        "two-modules-one-file",
        "FUZZ-ONE-MIB DEFINITIONS ::= BEGIN
IMPORTS enterprises FROM SNMPv2-SMI;
one OBJECT IDENTIFIER ::= { enterprises 99999 11 }
END
FUZZ-TWO-MIB DEFINITIONS ::= BEGIN
IMPORTS one FROM FUZZ-ONE-MIB;
two OBJECT IDENTIFIER ::= { one 2 }
END
",
    ),
];
