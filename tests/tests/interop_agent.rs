//! Net-SNMP's command-line tools as clients of our agent, served through
//! each runtime's `AgentServer`: what they print must be exactly what the
//! fixture serves (`oxsnmp_tests::agent_fixture`), read back through an
//! independent parser of their `-On` output (`oxsnmp_tests::netsnmp`).
//!
//! Every scenario runs once per runtime (`blocking::…`, `tokio_rt::…`,
//! `smol_rt::…`). Without Net-SNMP the tests print a skip message; under
//! `CI=true` they fail. Traffic stays on 127.0.0.1 and ::1.

use std::collections::BTreeMap;
use std::net::UdpSocket;
use std::process::Output;
use std::time::Duration;

use oxsnmp_core::{Message, MessageRef, Oid, Pdu, PduType, Value, VarBind, Version};
use oxsnmp_tests::agent_fixture::{
    self, expected, next, subtree, target, tool, Runtime, Served, LABEL, LABEL_INITIAL, LEVEL,
    LEVEL_INITIAL, OX_ENTRY, ROWS, SYS_UP_TIME,
};
use oxsnmp_tests::netsnmp::parse_value;
use oxsnmp_tests::peers::{ipv6_available, parse_on_output, require};

type Model = BTreeMap<Oid, Value>;

fn oid(s: &str) -> Oid {
    s.trim_start_matches('.')
        .parse()
        .expect("valid OID in test")
}

/// Starts the fixture through `runtime` on 127.0.0.1 (and ::1 when
/// available), or returns `None` when Net-SNMP's tools are missing.
fn start(runtime: Runtime, test: &str) -> Option<Served> {
    for program in ["snmpget", "snmpset", "snmpbulkwalk", "snmptable"] {
        if !require(program, test) {
            return None;
        }
    }
    let mut listen = vec!["udp:127.0.0.1:0"];
    if ipv6_available() {
        listen.push("udp6:[::1]:0");
    }
    Some(Served::fixture(runtime, &listen).expect("agent starts"))
}

/// Runs a tool; `-On` and a generous timeout are added to its arguments.
fn run(program: &str, args: &[&str]) -> Output {
    let mut all = vec!["-On", "-t", "3", "-r", "2"];
    all.extend_from_slice(args);
    tool(program, &all).unwrap_or_else(|e| panic!("{program} does not run: {e}"))
}

fn text(out: &[u8]) -> String {
    String::from_utf8_lossy(out).into_owned()
}

/// Runs a tool that must succeed; its (OID, value) lines.
fn lines(program: &str, args: &[&str]) -> Vec<(String, Value)> {
    let out = run(program, args);
    assert!(
        out.status.success(),
        "{program} {args:?} failed: {}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    let mut lines = parse_on_output(&text(&out.stdout));
    // An SNMPv1 walk that runs into the end of the MIB says so on a line
    // of its own, which the parser appends to the last value.
    if let Some((_, last)) = lines.last_mut() {
        if let Some(value) = last.strip_suffix("\nEnd of MIB") {
            *last = value.to_owned();
        }
    }
    lines
        .into_iter()
        .map(|(o, v)| {
            let value = parse_value(&v).unwrap_or_else(|| panic!("unparsed value {v:?} for {o}"));
            (o, value)
        })
        .collect()
}

/// A walk's lines, without the endOfMibView line Net-SNMP prints when a
/// v2c walk ran into the end of the MIB.
fn walk(program: &str, args: &[&str]) -> Vec<(String, Value)> {
    let mut got = lines(program, args);
    if got.last().is_some_and(|(_, v)| *v == Value::EndOfMibView) {
        got.pop();
    }
    got
}

/// Runs a tool that must fail with an SNMP error; its stderr.
fn refused(program: &str, args: &[&str]) -> String {
    let out = run(program, args);
    assert!(
        !out.status.success(),
        "{program} {args:?} succeeded: {}",
        text(&out.stdout)
    );
    text(&out.stderr)
}

/// Equal lists; sysUpTime.0 only has to be a TimeTicks.
fn assert_served(what: &str, got: &[(String, Value)], want: &[(Oid, Value)]) {
    let got_names: Vec<&str> = got.iter().map(|(o, _)| o.as_str()).collect();
    let want_names: Vec<String> = want.iter().map(|(o, _)| format!(".{o}")).collect();
    assert_eq!(got_names, want_names, "{what}: names");
    for ((name, value), (o, expected)) in got.iter().zip(want) {
        if o.to_string() == SYS_UP_TIME {
            assert!(matches!(value, Value::TimeTicks(_)), "{what}: {name}");
        } else {
            assert_eq!(value, expected, "{what}: value of {name}");
        }
    }
}

fn pairs(model: &Model, names: &[&str]) -> Vec<(Oid, Value)> {
    names
        .iter()
        .map(|n| {
            let o = oid(n);
            let v = model.get(&o).cloned().unwrap_or(Value::NoSuchObject);
            (o, v)
        })
        .collect()
}

/// The model as an SNMPv1 agent shows it: no Counter64.
fn v1_model(model: &Model) -> Model {
    model
        .iter()
        .filter(|(_, v)| !matches!(v, Value::Counter64(_)))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

/// GETBULK over the model (RFC 3416 §4.2.3, no size limit hit).
fn bulk(model: &Model, non_repeaters: usize, reps: usize, names: &[&str]) -> Vec<(Oid, Value)> {
    let step = |cursor: &Oid| next(model, cursor).unwrap_or((cursor.clone(), Value::EndOfMibView));
    let (singles, repeaters) = names.split_at(non_repeaters);
    let mut out: Vec<(Oid, Value)> = singles.iter().map(|n| step(&oid(n))).collect();
    let mut cursors: Vec<Oid> = repeaters.iter().map(|n| oid(n)).collect();
    for _ in 0..reps {
        for c in cursors.iter_mut() {
            let (o, v) = step(c);
            *c = o.clone();
            out.push((o, v));
        }
    }
    out
}

// ---------------------------------------------------------------------------
// Scenarios, each run through every runtime.

fn get_and_getnext(runtime: Runtime) {
    let Some(agent) = start(runtime, "get_and_getnext") else {
        return;
    };
    let t = agent.target();
    let model = expected();
    let names = [
        ".1.3.6.1.2.1.1.1.0",
        ".1.3.6.1.2.1.1.2.0",
        SYS_UP_TIME,
        ".1.3.6.1.2.1.1.5.0",
        ".1.3.6.1.2.1.1.9.1.3.1",
        ".1.3.6.1.4.1.99999.1.1.2.1",
        ".1.3.6.1.4.1.99999.1.1.3.1",
        ".1.3.6.1.4.1.99999.1.1.4.17",
        ".1.3.6.1.4.1.99999.1.1.5.50",
        ".1.3.6.1.4.1.99999.1.1.6.2",
        LABEL,
        LEVEL,
    ];
    let mut args = vec!["-v2c", "-c", "public", t.as_str()];
    args.extend(names);
    assert_served("v2c get", &lines("snmpget", &args), &pairs(&model, &names));

    // Exceptions: an unknown object, a missing row, a missing instance.
    let missing = [
        ".1.3.6.1.4.1.99999.7.0",
        ".1.3.6.1.4.1.99999.1.1.2.51",
        ".1.3.6.1.4.1.99999.2.1",
    ];
    let mut args = vec!["-v2c", "-c", "public", t.as_str()];
    args.extend(missing);
    let got = lines("snmpget", &args);
    let values: Vec<&Value> = got.iter().map(|(_, v)| v).collect();
    assert_eq!(
        values,
        [
            &Value::NoSuchObject,
            &Value::NoSuchInstance,
            &Value::NoSuchInstance
        ]
    );

    // SNMPv1: the same values; a missing object and a Counter64 are
    // noSuchName (RFC 3584 §4.2.2.1).
    let v1_names = [".1.3.6.1.2.1.1.1.0", ".1.3.6.1.4.1.99999.1.1.2.7", LEVEL];
    let mut args = vec!["-v1", "-c", "public", t.as_str()];
    args.extend(v1_names);
    assert_served(
        "v1 get",
        &lines("snmpget", &args),
        &pairs(&model, &v1_names),
    );
    for name in [".1.3.6.1.4.1.99999.7.0", ".1.3.6.1.4.1.99999.1.1.3.1"] {
        let err = refused("snmpget", &["-v1", "-c", "public", &t, name]);
        assert!(err.contains("(noSuchName)"), "{err}");
        assert!(err.contains(&format!("Failed object: {name}")), "{err}");
    }

    // GETNEXT, v2c and v1 (which skips Counter64 instances).
    let after = [
        ".1.3.6.1",
        ".1.3.6.1.2.1.1.7.0",
        ".1.3.6.1.4.1.99999.1.1.2.50",
        ".1.3.6.1.4.1.99999.1.1.6.50",
        LABEL,
        LEVEL,
    ];
    let want = |model: &Model| -> Vec<(Oid, Value)> {
        after
            .iter()
            .map(|n| next(model, &oid(n)).unwrap_or((oid(n), Value::EndOfMibView)))
            .collect()
    };
    let mut args = vec!["-v2c", "-c", "public", t.as_str()];
    args.extend(after);
    assert_served("v2c getnext", &lines("snmpgetnext", &args), &want(&model));
    let mut args = vec!["-v1", "-c", "public", t.as_str()];
    args.extend(&after[..after.len() - 1]);
    let mut v1_want = want(&v1_model(&model));
    v1_want.pop();
    assert_served("v1 getnext", &lines("snmpgetnext", &args), &v1_want);
    let err = refused("snmpgetnext", &["-v1", "-c", "public", &t, LEVEL]);
    assert!(err.contains("(noSuchName)"), "{err}");

    // Every listening address answers, IPv6 included.
    for &addr in agent.addrs() {
        let a = target(addr);
        let got = lines(
            "snmpget",
            &["-v2c", "-c", "public", &a, ".1.3.6.1.2.1.1.5.0"],
        );
        assert_served(&a, &got, &pairs(&model, &[".1.3.6.1.2.1.1.5.0"]));
    }
    let stats = agent.with_agent(|a| a.stats());
    assert_eq!(stats.in_bad_community_names, 0);
    assert!(stats.in_get_requests >= 7, "{stats:?}");
    agent.stop();
}

fn walks(runtime: Runtime) {
    let Some(agent) = start(runtime, "walks") else {
        return;
    };
    let t = agent.target();
    let model = expected();
    for root in [".1.3.6.1.2.1.1", ".1.3.6.1.4.1.99999", OX_ENTRY] {
        let want = subtree(&model, &oid(root));
        let got = walk("snmpwalk", &["-v2c", "-c", "public", &t, root]);
        assert_served(&format!("walk {root}"), &got, &want);
        let want_v1 = subtree(&v1_model(&model), &oid(root));
        let got = walk("snmpwalk", &["-v1", "-c", "public", &t, root]);
        assert_served(&format!("v1 walk {root}"), &got, &want_v1);
        for reps in ["-Cr1", "-Cr10", "-Cr100"] {
            let got = walk("snmpbulkwalk", &["-v2c", "-c", "public", reps, &t, root]);
            assert_served(&format!("bulkwalk {reps} {root}"), &got, &want);
        }
    }
    // One column of the table.
    let column = format!("{OX_ENTRY}.2");
    let got = walk(
        "snmpbulkwalk",
        &["-v2c", "-c", "public", "-Cr7", &t, &column],
    );
    assert_eq!(got.len(), ROWS as usize);
    assert_served("oxName", &got, &subtree(&model, &oid(&column)));

    // The whole MIB: the model plus the snmp group's live counters.
    let got = walk("snmpbulkwalk", &["-v2c", "-c", "public", "-Cr25", &t, ".1"]);
    let snmp_group = ".1.3.6.1.2.1.11.";
    let (counters, rest): (Vec<_>, Vec<_>) = got
        .into_iter()
        .partition(|(o, _)| o.starts_with(snmp_group));
    let want: Vec<(Oid, Value)> = model.into_iter().collect();
    assert_served("whole MIB", &rest, &want);
    let names: Vec<u32> = counters
        .iter()
        .map(|(o, _)| {
            let sub = o.trim_start_matches(snmp_group).trim_end_matches(".0");
            sub.parse().expect("snmp group object")
        })
        .collect();
    let served: Vec<u32> = (1..=32).filter(|n| ![7, 23].contains(n)).collect();
    assert_eq!(names, served);
    for (o, v) in &counters {
        if o == ".1.3.6.1.2.1.11.30.0" {
            assert_eq!(*v, Value::Integer(2), "snmpEnableAuthenTraps disabled(2)");
        } else {
            assert!(matches!(v, Value::Counter32(_)), "{o} = {v:?}");
        }
    }
    agent.stop();
}

fn bulkget(runtime: Runtime) {
    let Some(agent) = start(runtime, "bulkget") else {
        return;
    };
    let t = agent.target();
    let model = expected();
    let cases: [(usize, usize, &[&str]); 4] = [
        (
            1,
            3,
            &[".1.3.6.1.2.1.1.4.0", ".1.3.6.1.4.1.99999.1.1.2.49", LABEL],
        ),
        (0, 5, &[".1.3.6.1.4.1.99999.1.1.5"]),
        (2, 0, &[".1.3.6.1.2.1.1", ".1.3.6.1.4.1.99999.1", LEVEL]),
        (
            3,
            2,
            &[".1.3.6.1.2.1.1", LEVEL, ".1.3.6.1.4.1.99999.1.1.6.50"],
        ),
    ];
    for (nr, reps, names) in cases {
        let (cn, cr) = (format!("-Cn{nr}"), format!("-Cr{reps}"));
        let mut args = vec!["-v2c", "-c", "public", &cn, &cr, &t];
        args.extend(names);
        let want = bulk(&model, nr, reps, names);
        assert_served(
            &format!("bulkget {cn} {cr} {names:?}"),
            &lines("snmpbulkget", &args),
            &want,
        );
    }
    // Far more repetitions than the agent gives: capped at its 100 varbinds
    // (AgentConfig::max_bulk_varbinds), each the right successor.
    let got = lines(
        "snmpbulkget",
        &[
            "-v2c",
            "-c",
            "public",
            "-Cn0",
            "-Cr1000",
            &t,
            ".1.3.6.1.4.1.99999.1",
        ],
    );
    let want = bulk(&model, 0, 100, &[".1.3.6.1.4.1.99999.1"]);
    assert_served("bulkget -Cr1000", &got, &want);
    // GETBULK is not SNMPv1.
    assert!(!run("snmpbulkget", &["-v1", "-c", "public", &t, ".1"])
        .status
        .success());
    agent.stop();
}

fn set(runtime: Runtime) {
    let Some(agent) = start(runtime, "set") else {
        return;
    };
    let t = agent.target();
    let rw = |version: &'static str| vec![version, "-c", "private", t.as_str()];
    let get_both = || {
        lines("snmpget", &["-v2c", "-c", "public", &t, LABEL, LEVEL])
            .into_iter()
            .map(|(_, v)| v)
            .collect::<Vec<_>>()
    };
    assert_eq!(
        get_both(),
        [Value::from(LABEL_INITIAL), Value::Integer(LEVEL_INITIAL)]
    );

    // Good values, echoed and then read back (and seen in the MIB).
    let label = format!("set by {runtime:?}");
    let mut args = rw("-v2c");
    args.extend([LABEL, "s", label.as_str(), LEVEL, "i", "42"]);
    let echoed = lines("snmpset", &args);
    assert_eq!(
        echoed,
        [
            (format!(".{LABEL}"), Value::from(label.as_str())),
            (format!(".{LEVEL}"), Value::Integer(42))
        ]
    );
    assert_eq!(
        get_both(),
        [Value::from(label.as_str()), Value::Integer(42)]
    );
    let stored = agent.with_agent(|a| a.mib().value(oid(LEVEL).arcs()).cloned());
    assert_eq!(stored, Some(Value::Integer(42)));
    let mut args = rw("-v2c");
    args.extend([LABEL, "s", ""]);
    assert_eq!(
        lines("snmpset", &args),
        [(format!(".{LABEL}"), Value::from(""))]
    );

    // Errors, v2c: the status and the failing varbind.
    let v2c_errors: [(&[&str], &str, &str); 8] = [
        (&[LABEL, "i", "5"], "wrongType", LABEL),
        (&[LEVEL, "s", "5"], "wrongType", LEVEL),
        (&[LABEL, "s", &"x".repeat(33)], "wrongLength", LABEL),
        (&[LEVEL, "i", "101"], "wrongValue", LEVEL),
        (&[LEVEL, "i", "-1"], "wrongValue", LEVEL),
        (
            &[".1.3.6.1.2.1.1.1.0", "s", "x"],
            "notWritable",
            ".1.3.6.1.2.1.1.1.0",
        ),
        (
            &[".1.3.6.1.4.1.99999.1.1.2.1", "s", "x"],
            "notWritable",
            ".1.3.6.1.4.1.99999.1.1.2.1",
        ),
        // One bad varbind among good ones: nothing changes.
        (
            &[LABEL, "s", "multi", LEVEL, "i", "500"],
            "wrongValue",
            LEVEL,
        ),
    ];
    for (vbs, status, failed) in v2c_errors {
        let mut args = rw("-v2c");
        args.extend(vbs);
        let err = refused("snmpset", &args);
        assert!(
            err.contains(&format!("Reason: {status} (")),
            "{vbs:?}: {err}"
        );
        assert!(
            err.contains(&format!("Failed object: .{}", oid(failed))),
            "{vbs:?}: {err}"
        );
    }
    assert_eq!(get_both(), [Value::from(""), Value::Integer(42)]);

    // A read-only community may not set: noAccess naming the varbind (v2c),
    // as snmpd answers (see read_only_set_matches_snmpd).
    let err = refused("snmpset", &["-v2c", "-c", "public", &t, LEVEL, "i", "1"]);
    assert!(err.contains("Reason: noAccess\n"), "{err}");
    assert!(err.contains(&format!("Failed object: .{LEVEL}\n")), "{err}");

    // SNMPv1: good value; errors mapped by RFC 3584 §4.4.
    let mut args = rw("-v1");
    args.extend([LEVEL, "i", "7"]);
    assert_eq!(
        lines("snmpset", &args),
        [(format!(".{LEVEL}"), Value::Integer(7))]
    );
    let v1_errors: [(&str, &[&str], &str); 4] = [
        ("private", &[LABEL, "i", "5"], "(badValue)"),
        ("private", &[LEVEL, "i", "101"], "(badValue)"),
        ("private", &[".1.3.6.1.2.1.1.1.0", "s", "x"], "(noSuchName)"),
        ("public", &[LEVEL, "i", "1"], "(noSuchName)"),
    ];
    for (community, vbs, status) in v1_errors {
        let mut args = vec!["-v1", "-c", community, t.as_str()];
        args.extend(vbs);
        let err = refused("snmpset", &args);
        assert!(err.contains(&format!("Reason: {status}")), "{vbs:?}: {err}");
    }
    assert_eq!(get_both(), [Value::from(""), Value::Integer(7)]);

    // An unknown community gets no answer at all.
    let before = agent.with_agent(|a| a.stats().in_bad_community_names);
    let out = tool(
        "snmpset",
        &[
            "-On", "-t", "1", "-r", "0", "-v2c", "-c", "wrong", &t, LEVEL, "i", "9",
        ],
    )
    .expect("snmpset runs");
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("Timeout: No Response from"),
        "{}",
        text(&out.stderr)
    );
    let after = agent.with_agent(|a| a.stats().in_bad_community_names);
    assert_eq!(after, before + 1);
    assert_eq!(get_both(), [Value::from(""), Value::Integer(7)]);
    agent.stop();
}

/// Net-SNMP's `-Ot`-free TimeTicks rendering in tables: d:h:mm:ss.cc.
fn ticks_text(ticks: u32) -> String {
    let (cs, s) = (ticks % 100, ticks / 100);
    let (d, h, m, s) = (s / 86_400, (s / 3600) % 24, (s / 60) % 60, s % 60);
    format!("{d}:{h}:{m:02}:{s:02}.{cs:02}")
}

fn snmptable(runtime: Runtime) {
    let Some(agent) = start(runtime, "snmptable") else {
        return;
    };
    let t = agent.target();
    let dir = agent_fixture::mib_dir();
    let dir = dir.to_str().expect("UTF-8 path");
    for version in ["-v2c", "-v1"] {
        let out = tool(
            "snmptable",
            &[
                version,
                "-c",
                "public",
                "-Cb",
                "-Cf",
                "|",
                "-M",
                dir,
                "-m",
                "OXSNMP-TEST-MIB",
                &t,
                "oxTable",
            ],
        )
        .expect("snmptable runs");
        let stdout = text(&out.stdout);
        assert!(out.status.success(), "{stdout}{}", text(&out.stderr));
        let mut table = stdout.lines().filter(|l| !l.is_empty());
        assert_eq!(table.next(), Some("SNMP table: OXSNMP-TEST-MIB::oxTable"));
        assert_eq!(table.next(), Some("Index|Name|Count|Level|Addr|Ticks"));
        let rows: Vec<&str> = table.collect();
        assert_eq!(rows.len(), ROWS as usize, "{version}");
        for (i, line) in (1..).zip(rows) {
            let [index, name, count, level, addr, ticks] = agent_fixture::row(i);
            let count = match (version, count) {
                // SNMPv1 cannot carry Counter64: the column is empty there.
                ("-v1", _) => "?".to_owned(),
                (_, Value::Counter64(c)) => c.to_string(),
                (_, other) => panic!("{other:?}"),
            };
            let (
                Value::Integer(index),
                Value::OctetString(name),
                Value::Gauge32(level),
                Value::IpAddress(addr),
                Value::TimeTicks(ticks),
            ) = (index, name, level, addr, ticks)
            else {
                panic!("fixture row types");
            };
            let name = String::from_utf8(name).expect("ASCII name");
            let want = format!(
                "{index}|\"{name}\"|{count}|{level}|{addr}|{}",
                ticks_text(ticks)
            );
            assert_eq!(line, want, "{version} row {i}");
        }
    }
    // Without -Cf the same header, brief column names.
    let out = tool(
        "snmptable",
        &[
            "-v2c",
            "-c",
            "public",
            "-Cb",
            "-M",
            dir,
            "-m",
            "OXSNMP-TEST-MIB",
            &t,
            "oxTable",
        ],
    )
    .expect("snmptable runs");
    let stdout = text(&out.stdout);
    let header = stdout
        .lines()
        .find(|l| l.contains("Index"))
        .expect("header");
    let columns: Vec<&str> = header.split_whitespace().collect();
    assert_eq!(
        columns,
        ["Index", "Name", "Count", "Level", "Addr", "Ticks"]
    );
    agent.stop();
}

// ---------------------------------------------------------------------------
// Hostile datagrams through a real socket.

fn message(version: Version, community: &str, pdu: Pdu) -> Vec<u8> {
    Message::new(version, community, pdu).to_bytes()
}

fn request(pdu_type: PduType, id: i32, names: &[&str]) -> Pdu {
    let oids: Vec<Oid> = names.iter().map(|n| oid(n)).collect();
    Pdu::request(pdu_type, id, &oids)
}

/// A v2c message with its version field replaced (short-form lengths).
fn with_version(id: i32, version: u8) -> Vec<u8> {
    let mut m = message(
        Version::V2c,
        "public",
        request(PduType::GetRequest, id, &[".1.3.6.1.2.1.1.1.0"]),
    );
    assert_eq!(&m[2..5], &[0x02, 0x01, 0x01], "short-form header");
    m[4] = version;
    m
}

/// A v2c GET with its PDU tag replaced.
fn with_pdu_tag(id: i32, tag: u8) -> Vec<u8> {
    let mut m = message(
        Version::V2c,
        "public",
        request(PduType::GetRequest, id, &[".1.3.6.1.2.1.1.1.0"]),
    );
    // 30 LL | 02 01 01 | 04 06 "public" | A0 ...
    assert_eq!(m[13], 0xa0);
    m[13] = tag;
    m
}

fn hostile_burst(runtime: Runtime) {
    // Needs no Net-SNMP tool.
    let mut listen = vec!["udp:127.0.0.1:0"];
    if ipv6_available() {
        listen.push("udp6:[::1]:0");
    }
    let agent = Served::fixture(runtime, &listen).expect("agent starts");
    let addr = agent.addrs()[0];
    let socket = UdpSocket::bind("127.0.0.1:0").expect("bind");
    socket
        .set_read_timeout(Some(Duration::from_secs(20)))
        .expect("timeout");

    let valid = message(
        Version::V2c,
        "public",
        request(PduType::GetRequest, 1, &[".1.3.6.1.2.1.1.1.0"]),
    );
    let mut trailing = valid.clone();
    trailing.extend_from_slice(&[0, 0]);
    let malformed: Vec<Vec<u8>> = vec![
        Vec::new(),
        b"hello, agent".to_vec(),
        vec![0x30],
        vec![0x30, 0x84, 0xff, 0xff, 0xff, 0xff],
        vec![0x30, 0x03, 0x02, 0x01, 0x01],
        valid[..valid.len() / 2].to_vec(),
        valid[..valid.len() - 1].to_vec(),
        trailing,
        vec![0xff; 1400],
        // Unknown PDU tags.
        with_pdu_tag(10, 0xa9),
        with_pdu_tag(11, 0xbf),
        with_pdu_tag(12, 0x30),
    ];
    let bad_versions = [
        with_version(20, 3),
        with_version(21, 2),
        with_version(22, 7),
    ];
    let bad_community = message(
        Version::V2c,
        "not-a-community",
        request(PduType::GetRequest, 30, &[".1.3.6.1.2.1.1.1.0"]),
    );
    // Not requests: counted and dropped.
    let response = message(
        Version::V2c,
        "public",
        request(PduType::Response, 40, &[".1.3.6.1.2.1.1.1.0"]),
    );
    let trap = message(
        Version::V2c,
        "public",
        request(PduType::SnmpV2Trap, 41, &[".1.3.6.1.2.1.1.3.0"]),
    );
    // Answered, within the agent's limits.
    let mut oversized_bulk = request(PduType::GetBulkRequest, 50, &[".1", ".1.3.6.1.4.1", ".1.3"]);
    oversized_bulk.error_status = 0;
    oversized_bulk.error_index = i32::MAX;
    let oversized_bulk = message(Version::V2c, "public", oversized_bulk);
    let many: Vec<VarBind> = (0..5000).map(|_| VarBind::null(oid("1.3"))).collect();
    let many = message(
        Version::V2c,
        "public",
        Pdu {
            pdu_type: PduType::GetNextRequest,
            request_id: 51,
            error_status: 0,
            error_index: 0,
            varbinds: many,
        },
    );
    assert!(many.len() < 65_000);

    let mut burst: Vec<&[u8]> = Vec::new();
    burst.extend(malformed.iter().map(Vec::as_slice));
    burst.extend(bad_versions.iter().map(Vec::as_slice));
    burst.extend([
        bad_community.as_slice(),
        response.as_slice(),
        trap.as_slice(),
        oversized_bulk.as_slice(),
        many.as_slice(),
    ]);
    for datagram in &burst {
        socket.send_to(datagram, addr).expect("send");
    }
    // Then a valid request, which must be answered.
    let last = message(
        Version::V2c,
        "public",
        request(PduType::GetRequest, 99, &[".1.3.6.1.2.1.1.1.0"]),
    );
    socket.send_to(&last, addr).expect("send");

    let mut answers = BTreeMap::new();
    let mut buf = vec![0u8; 65_535];
    loop {
        let (n, from) = socket
            .recv_from(&mut buf)
            .expect("the valid request is answered");
        assert_eq!(from, addr);
        let msg = MessageRef::decode(&buf[..n]).expect("a well-formed response");
        let pdu = msg.pdu().expect("a PDU").to_owned();
        assert_eq!(pdu.pdu_type, PduType::Response);
        let id = pdu.request_id;
        assert!(answers.insert(id, pdu).is_none(), "answered twice");
        if id == 99 {
            break;
        }
    }
    let ids: Vec<i32> = answers.keys().copied().collect();
    assert_eq!(ids, [50, 51, 99], "only the requests are answered");
    let bulk_answer = &answers[&50];
    assert_eq!(bulk_answer.error_status, 0);
    assert_eq!(
        bulk_answer.varbinds.len(),
        99,
        "capped to whole repetitions"
    );
    let many_answer = &answers[&51];
    assert_eq!(many_answer.error_status, 1, "tooBig");
    assert!(many_answer.varbinds.is_empty());
    let last_answer = &answers[&99];
    assert_eq!(
        last_answer.varbinds,
        [VarBind::new(
            oid(".1.3.6.1.2.1.1.1.0"),
            Value::from(agent_fixture::SYS_DESCR)
        )]
    );

    let s = agent.with_agent(|a| a.stats());
    assert_eq!(s.in_pkts, burst.len() as u64 + 1, "{s:?}");
    assert_eq!(s.in_asn_parse_errs, malformed.len() as u64, "{s:?}");
    assert_eq!(s.in_bad_versions, bad_versions.len() as u64, "{s:?}");
    assert_eq!(s.in_bad_community_names, 1, "{s:?}");
    assert_eq!(s.unanswerable_pdus, 2, "{s:?}");
    assert_eq!((s.in_get_responses, s.in_traps), (1, 1), "{s:?}");
    assert_eq!(
        (s.in_get_bulks, s.in_get_nexts, s.in_get_requests),
        (1, 1, 1),
        "{s:?}"
    );
    assert_eq!(
        (s.out_pkts, s.out_get_responses, s.out_too_bigs),
        (3, 3, 1),
        "{s:?}"
    );
    assert_eq!((s.silent_drops, s.queue_drops), (0, 0), "{s:?}");
    agent.stop();
}

/// A SET with a read-only community, v2c and v1, one and two varbinds:
/// snmpset prints the same against snmpd and against our agent (noAccess,
/// or noSuchName for v1, naming the first varbind; RFC 3415 §3.2 notInView).
#[test]
fn read_only_set_matches_snmpd() {
    let Some(agent) = start(Runtime::Blocking, "read_only_set_matches_snmpd") else {
        return;
    };
    if !require("snmpd", "read_only_set_matches_snmpd") {
        return;
    }
    let snmpd = oxsnmp_tests::peers::Snmpd::start(oxsnmp_tests::peers::SnmpdConfig::default())
        .expect("snmpd starts");
    let ours = agent.target();
    let theirs = snmpd.addr.to_string();
    const SYS_NAME: &str = ".1.3.6.1.2.1.1.5.0";
    const SYS_CONTACT: &str = ".1.3.6.1.2.1.1.4.0";
    for version in ["-v2c", "-v1"] {
        for vbs in [
            &[SYS_CONTACT, "s", "x"][..],
            &[SYS_NAME, "s", "x", SYS_CONTACT, "s", "y"][..],
        ] {
            let answer = |t: &str| {
                let mut args = vec![version, "-c", "public", t];
                args.extend_from_slice(vbs);
                let out = run("snmpset", &args);
                (out.status.code(), text(&out.stdout), text(&out.stderr))
            };
            let want = answer(&theirs);
            let reason = if version == "-v1" {
                "Reason: (noSuchName)"
            } else {
                "Reason: noAccess\n"
            };
            assert!(want.2.contains(reason), "snmpd {version} {vbs:?}: {want:?}");
            assert_eq!(answer(&ours), want, "{version} {vbs:?}");
        }
    }
    agent.stop();
}

macro_rules! per_runtime {
    ($($scenario:ident),* $(,)?) => {
        mod blocking {
            $( #[test] fn $scenario() { super::$scenario(super::Runtime::Blocking) } )*
        }
        mod tokio_rt {
            $( #[test] fn $scenario() { super::$scenario(super::Runtime::Tokio) } )*
        }
        mod smol_rt {
            $( #[test] fn $scenario() { super::$scenario(super::Runtime::Smol) } )*
        }
    };
}

per_runtime!(
    get_and_getnext,
    walks,
    bulkget,
    set,
    snmptable,
    hostile_burst
);
