//! `oxsnmp trap`, `oxsnmp inform` and `oxsnmp listen` as a user runs them,
//! against Net-SNMP: our traps and informs to `snmptrapd` (its log read
//! back varbind by varbind), and `snmptrap`/`snmpinform` to `oxsnmp listen`
//! (its JSON and text output checked line by line). Skipped when Net-SNMP
//! is not installed, a failure under `CI=true`.

mod support;

use std::io::{BufRead, BufReader, Read};
use std::net::Ipv4Addr;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use oxsnmp_core::notify::Notification;
use oxsnmp_core::{Oid, Value, VarBind};
use oxsnmp_tests::peers::require;
use oxsnmp_tests::trapd::Snmptrapd;
use support::{oxsnmp, NetSnmpEnv};

const WAIT: Duration = Duration::from_secs(30);

fn oid(s: &str) -> Oid {
    s.parse().expect("valid OID in test")
}

fn host_uptime() -> Option<u32> {
    let text = std::fs::read_to_string("/proc/uptime").ok()?;
    let secs: f64 = text.split_whitespace().next()?.parse().ok()?;
    Some((secs * 100.0) as u32)
}

const TRIPLES: [&str; 15] = [
    ".1.3.6.1.2.1.1.5.0",
    "s",
    "router one",
    ".1.3.6.1.4.1.99999.1",
    "x",
    "00 ff 80",
    ".1.3.6.1.4.1.99999.2",
    "i",
    "-42",
    ".1.3.6.1.4.1.99999.3",
    "c",
    "7",
    ".1.3.6.1.4.1.99999.4",
    "a",
    "10.1.2.3",
];

fn triple_values() -> Vec<VarBind> {
    vec![
        VarBind::new(oid("1.3.6.1.2.1.1.5.0"), Value::from("router one")),
        VarBind::new(
            oid("1.3.6.1.4.1.99999.1"),
            Value::OctetString(vec![0, 0xff, 0x80]),
        ),
        VarBind::new(oid("1.3.6.1.4.1.99999.2"), Value::Integer(-42)),
        VarBind::new(oid("1.3.6.1.4.1.99999.3"), Value::Counter32(7)),
        VarBind::new(
            oid("1.3.6.1.4.1.99999.4"),
            Value::IpAddress(Ipv4Addr::new(10, 1, 2, 3)),
        ),
    ]
}

fn run(args: &[&str]) {
    let out = oxsnmp(args);
    assert_eq!(out.code, 0, "oxsnmp {args:?}: {}", out.stderr);
    assert_eq!(out.stdout, "", "oxsnmp {args:?} prints nothing on success");
}

#[test]
fn trap_and_inform_reach_snmptrapd() {
    let test = "trap_and_inform_reach_snmptrapd";
    if !require("snmptrapd", test) {
        return;
    }
    let trapd = Snmptrapd::start("public").expect("snmptrapd starts");
    let to = format!("udp:{}", trapd.addr);
    let run_with = |head: &[&str]| {
        let all: Vec<&str> = head.iter().chain(TRIPLES.iter()).copied().collect();
        run(&all);
    };

    run_with(&[
        "trap",
        "-v",
        "2c",
        "-c",
        "public",
        &to,
        "4242",
        ".1.3.6.1.4.1.99999.0.3",
    ]);
    let before = host_uptime();
    run(&["trap", "-c", "public", &to, "", ".1.3.6.1.6.3.1.1.5.1"]);
    let after = host_uptime();
    run_with(&[
        "trap",
        "-v",
        "1",
        "-c",
        "public",
        &to,
        ".1.3.6.1.4.1.99999.5",
        "",
        "6",
        "17",
        "777",
    ]);
    run_with(&["inform", "-c", "public", &to, "99", ".1.3.6.1.6.3.1.1.5.4"]);
    run(&[
        "trap",
        "-Ci",
        "-c",
        "public",
        &to,
        "98",
        ".1.3.6.1.6.3.1.1.5.3",
    ]);

    let logged = trapd.wait_for(5);
    assert_eq!(logged.len(), 5, "{logged:#?}");
    let find = |pred: &dyn Fn(&Notification) -> bool, kind: &str| {
        logged
            .iter()
            .find(|l| l.security.starts_with(kind) && l.notification().is_some_and(|n| pred(&n)))
            .unwrap_or_else(|| panic!("no {kind} in {logged:#?}"))
            .notification()
            .expect("checked")
    };
    let n = find(&|n| n.sys_up_time == 4242, "TRAP2,");
    assert_eq!(n.trap_oid, oid("1.3.6.1.4.1.99999.0.3"));
    assert_eq!(n.varbinds, triple_values(), "every varbind of the trap");
    let n = find(&|n| n.trap_oid == oid("1.3.6.1.6.3.1.1.5.1"), "TRAP2,");
    if let (Some(b), Some(a)) = (before, after) {
        assert!(
            b <= n.sys_up_time + 1 && n.sys_up_time <= a + 1,
            "'' is the host uptime: {} not in {b}..={a}",
            n.sys_up_time
        );
    }
    let n = find(&|n| n.sys_up_time == 99, "INFORM,");
    assert_eq!(
        (n.trap_oid, n.varbinds),
        (oid("1.3.6.1.6.3.1.1.5.4"), triple_values())
    );
    find(
        &|n| n.sys_up_time == 98 && n.trap_oid == oid("1.3.6.1.6.3.1.1.5.3"),
        "INFORM,",
    );
    let v1 = logged
        .iter()
        .find(|l| l.security.starts_with("TRAP,"))
        .expect("the v1 trap");
    assert_eq!(v1.security, "TRAP, SNMP v1, community public");
    assert_eq!(
        v1.v1,
        Some((
            oid("1.3.6.1.4.1.99999.5"),
            "127.0.0.1".to_owned(),
            6,
            17,
            777
        )),
        "'' agent-addr: the address the trap left from"
    );
    let vbs: Vec<VarBind> = v1
        .varbinds
        .iter()
        .map(|(o, v)| VarBind::new(o.clone(), v.clone()))
        .collect();
    assert_eq!(vbs, triple_values());

    // An inform nobody acknowledges.
    let silent = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    let nobody = format!("udp:{}", silent.local_addr().unwrap());
    let out = oxsnmp(&[
        "inform",
        "-r",
        "1",
        "-t",
        "0.2",
        &nobody,
        "1",
        ".1.3.6.1.6.3.1.1.5.1",
    ]);
    assert_eq!(
        (out.code, out.stderr.as_str()),
        (1, "snmpinform: Timeout\n")
    );
    let out = oxsnmp(&["inform", "-v", "1", &to, "1", ".1.3.6.1.6.3.1.1.5.1"]);
    assert_eq!(
        (out.code, out.stderr.as_str()),
        (1, "Cannot send INFORM as SNMPv1 PDU\n")
    );
    let out = oxsnmp(&["trap", &to]);
    assert_eq!(
        (out.code, out.stderr.as_str()),
        (1, "Missing up-time parameter\n")
    );
}

/// An `oxsnmp listen` child: its address, and its stdout once it exits.
struct Listener {
    child: Child,
    target: String,
    /// Its stderr, line by line, after the `listening on` line.
    stderr: mpsc::Receiver<String>,
}

impl Listener {
    fn start(args: &[&str]) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_oxsnmp"))
            .arg("listen")
            .args(args)
            // -On style and no MIB files, as the expectations are written.
            .env("SNMPCONFPATH", support::numeric_conf_dir())
            .env("MIBDIRS", "/nonexistent")
            .env("MIBS", "")
            .env("OXSNMP_MIB_CACHE", "off")
            .arg("udp:127.0.0.1:0")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start oxsnmp listen");
        let stderr = child.stderr.take().expect("piped stderr");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        // (With -d, debug lines may come first.)
        let target = loop {
            let line = rx.recv_timeout(WAIT).expect("a listening line");
            if let Some(t) = line.strip_prefix("listening on ") {
                break t.to_owned();
            }
        };
        Self {
            child,
            target,
            stderr: rx,
        }
    }

    /// Waits for the exit (after --count notifications) and returns stdout
    /// and the rest of stderr.
    fn finish(mut self) -> (String, Vec<String>) {
        let out = self.wait_stdout();
        let mut err = Vec::new();
        while let Ok(line) = self.stderr.recv_timeout(WAIT) {
            err.push(line);
        }
        (out, err)
    }

    /// Waits for the exit (after --count notifications) and returns stdout.
    fn output(mut self) -> String {
        self.wait_stdout()
    }

    fn wait_stdout(&mut self) -> String {
        let deadline = Instant::now() + WAIT;
        while self.child.try_wait().expect("wait").is_none() {
            assert!(
                Instant::now() < deadline,
                "oxsnmp listen did not exit after --count"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        let mut out = String::new();
        self.child
            .stdout
            .take()
            .expect("stdout")
            .read_to_string(&mut out)
            .expect("read");
        assert!(self.child.wait().expect("status").success());
        out
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// A JSON line with the fields that differ between runs (time, source
/// port, request-id) replaced by `_`.
fn normalise(line: &str) -> String {
    let mut s = line.to_owned();
    for (key, quoted) in [
        ("\"time\":", true),
        ("\"source\":", true),
        ("\"request_id\":", false),
    ] {
        let Some(at) = s.find(key) else { continue };
        let start = at + key.len();
        let end = if quoted {
            start + 1 + s[start + 1..].find('"').expect("closing quote") + 1
        } else {
            start + s[start..].find(',').expect("comma")
        };
        s.replace_range(start..end, "_");
    }
    s
}

#[test]
fn listen_prints_netsnmp_notifications_as_json_and_text() {
    let test = "listen_prints_netsnmp_notifications_as_json_and_text";
    if !require("snmptrap", test) || !require("snmpinform", test) {
        return;
    }
    let env = NetSnmpEnv::new();
    let l = Listener::start(&["-o", "json", "--count", "3", "-c", "public"]);
    let to = l.target.clone();
    let mut a = vec![
        "-v",
        "2c",
        "-c",
        "public",
        to.as_str(),
        "4242",
        ".1.3.6.1.4.1.99999.0.3",
    ];
    a.extend(TRIPLES);
    assert_eq!(env.run("snmptrap", &a).code, 0);
    // Not accepted (-c public only): dropped, not printed.
    assert_eq!(
        env.run(
            "snmptrap",
            &["-v", "2c", "-c", "other", &to, "1", ".1.3.6.1.6.3.1.1.5.1"]
        )
        .code,
        0
    );
    let mut a = vec![
        "-v",
        "1",
        "-c",
        "public",
        to.as_str(),
        ".1.3.6.1.4.1.99999.5",
        "127.0.0.9",
        "6",
        "17",
        "777",
    ];
    a.extend(TRIPLES);
    assert_eq!(env.run("snmptrap", &a).code, 0);
    let out = env.run(
        "snmpinform",
        &[
            "-v",
            "2c",
            "-c",
            "public",
            &to,
            "99",
            ".1.3.6.1.6.3.1.1.5.4",
            ".1.3.6.1.2.1.1.5.0",
            "s",
            "say \"hi\"\n",
        ],
    );
    assert_eq!(out.code, 0, "acknowledged: {}", out.stderr);

    let text = l.output();
    let lines: Vec<String> = text.lines().map(normalise).collect();
    let vbs = r#"[{"oid":"1.3.6.1.2.1.1.5.0","type":"OCTET STRING","value":"router one"},{"oid":"1.3.6.1.4.1.99999.1","type":"OCTET STRING","hex":"00ff80"},{"oid":"1.3.6.1.4.1.99999.2","type":"INTEGER","value":-42},{"oid":"1.3.6.1.4.1.99999.3","type":"Counter32","value":7},{"oid":"1.3.6.1.4.1.99999.4","type":"IpAddress","value":"10.1.2.3"}]"#;
    assert_eq!(
        lines,
        [
            format!(r#"{{"time":_,"source":_,"version":"2c","community":"public","kind":"trap","request_id":_,"uptime":4242,"trap_oid":"1.3.6.1.4.1.99999.0.3","varbinds":{vbs}}}"#),
            format!(r#"{{"time":_,"source":_,"version":"1","community":"public","kind":"trap-v1","request_id":_,"uptime":777,"trap_oid":"1.3.6.1.4.1.99999.5.0.17","varbinds":{vbs},"v1":{{"enterprise":"1.3.6.1.4.1.99999.5","agent_addr":"127.0.0.9","generic_trap":6,"specific_trap":17,"time_stamp":777}}}}"#),
            r#"{"time":_,"source":_,"version":"2c","community":"public","kind":"inform","request_id":_,"uptime":99,"trap_oid":"1.3.6.1.6.3.1.1.5.4","varbinds":[{"oid":"1.3.6.1.2.1.1.5.0","type":"OCTET STRING","value":"say \"hi\"\n"}]}"#.to_owned(),
        ]
    );
    assert!(text
        .lines()
        .all(|l| l.contains(r#""source":"127.0.0.1:"#) && l.starts_with(r#"{"time":"20"#)));

    // The text format, -Oq applied to the varbinds, no MIB files (whatever
    // the machine has): numeric OIDs, no DISPLAY-HINTs.
    let l = Listener::start(&["--count", "1", "-Oq", "-m", "", "-M", "/nonexistent"]);
    let mut a = vec![
        "-v",
        "2c",
        "-c",
        "anything",
        l.target.as_str(),
        "4242",
        ".1.3.6.1.4.1.99999.0.3",
    ];
    a.extend(TRIPLES);
    assert_eq!(env.run("snmptrap", &a).code, 0);
    let text = l.output();
    let mut lines = text.lines();
    let head = lines.next().expect("a header line");
    assert!(
        head.ends_with(" TRAP2, SNMP v2c, community anything"),
        "{head}"
    );
    assert!(head.contains(" udp:127.0.0.1:"), "{head}");
    assert_eq!(
        lines.collect::<Vec<_>>(),
        [
            "\t.1.3.6.1.2.1.1.3.0 0:0:00:42.42",
            "\t.1.3.6.1.6.3.1.1.4.1.0 .1.3.6.1.4.1.99999.0.3",
            "\t.1.3.6.1.2.1.1.5.0 \"router one\"",
            "\t.1.3.6.1.4.1.99999.1 \"00 FF 80 \"",
            "\t.1.3.6.1.4.1.99999.2 -42",
            "\t.1.3.6.1.4.1.99999.3 7",
            "\t.1.3.6.1.4.1.99999.4 10.1.2.3",
        ]
    );
}

#[test]
fn snmpv3_inform_and_trap_reach_snmptrapd() {
    let test = "snmpv3_inform_and_trap_reach_snmptrapd";
    if !require("snmptrapd", test) {
        return;
    }
    let trapd = Snmptrapd::start_with(
        "public",
        &[
            "createUser cli-user SHA cli-auth-pass AES cli-priv-pass",
            "createUser -e 0x8001869f04636c692d74726170 cli-user SHA cli-auth-pass AES cli-priv-pass",
            "authUser log cli-user",
        ],
    )
    .expect("snmptrapd starts");
    let to = format!("udp:{}", trapd.addr);
    let v3 = [
        "-v",
        "3",
        "-u",
        "cli-user",
        "-l",
        "authPriv",
        "-a",
        "SHA",
        "-A",
        "cli-auth-pass",
        "-x",
        "AES",
        "-X",
        "cli-priv-pass",
    ];
    let mut args = vec!["inform"];
    args.extend(v3);
    args.extend([
        to.as_str(),
        "77",
        ".1.3.6.1.6.3.1.1.5.1",
        ".1.3.6.1.2.1.1.5.0",
        "s",
        "v3",
    ]);
    run(&args);
    let logged = trapd.wait_for(1);
    assert_eq!(logged.len(), 1);
    assert_eq!(
        logged[0].security,
        "INFORM, SNMP v3, user cli-user, context "
    );
    let n = logged[0].notification().expect("an SNMPv2 notification");
    assert_eq!(
        (n.sys_up_time, n.trap_oid),
        (77, oid("1.3.6.1.6.3.1.1.5.1"))
    );
    assert_eq!(
        n.varbinds,
        [VarBind::new(oid("1.3.6.1.2.1.1.5.0"), Value::from("v3"))]
    );

    // A trap, from the engine -e names (snmptrap's meaning of -e).
    let mut args = vec!["trap"];
    args.extend(v3);
    args.extend([
        "-e",
        "0x8001869f04636c692d74726170",
        to.as_str(),
        "78",
        ".1.3.6.1.6.3.1.1.5.2",
        ".1.3.6.1.2.1.1.5.0",
        "s",
        "v3 trap",
    ]);
    run(&args);
    let logged = trapd.wait_for(2);
    assert_eq!(logged.len(), 2);
    assert_eq!(
        logged[1].security,
        "TRAP2, SNMP v3, user cli-user, context "
    );
    let n = logged[1].notification().expect("an SNMPv2 notification");
    assert_eq!(
        (n.sys_up_time, n.trap_oid),
        (78, oid("1.3.6.1.6.3.1.1.5.2"))
    );
}

/// Anyone can send a trap: control characters in it (community, values)
/// must not forge records or drive the terminal.
#[test]
fn listen_text_escapes_control_characters_in_every_field() {
    let l = Listener::start(&["--count", "1"]);
    let community = "pub\r\nlic\x1b[2J";
    // CR and LF keep it a STRING (Net-SNMP prints a string with other
    // controls in hex): printed raw, they would forge a second record.
    let forged = "ok\r\n2026-01-01T00:00:00.000Z udp:10.0.0.1:162 TRAP2, SNMP v2c, community x";
    run(&[
        "trap",
        "-v",
        "2c",
        "-c",
        community,
        &l.target,
        "42",
        ".1.3.6.1.6.3.1.1.5.1",
        ".1.3.6.1.2.1.1.5.0",
        "s",
        forged,
    ]);
    let out = l.output();
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 4, "one header and three varbinds: {out:?}");
    assert!(
        !out.contains('\r') && !out.contains('\x1b') && !out.contains('\x07'),
        "{out:?}"
    );
    assert!(
        lines[0].ends_with(r"community pub\r\nlic\x1b[2J"),
        "{:?}",
        lines[0]
    );
    assert_eq!(
        lines[3],
        "\t.1.3.6.1.2.1.1.5.0 = STRING: \"ok\\r\\n2026-01-01T00:00:00.000Z udp:10.0.0.1:162 TRAP2, \
         SNMP v2c, community x\""
    );
}

/// User names travel in clear: a noAuthNoPriv trap naming a user with keys
/// is dropped (snmptrapd's `authUser` default), unless --min-level lowers
/// the bar for that user.
#[test]
fn listen_drops_noauth_traps_under_an_authenticated_user_unless_allowed() {
    let engine = "0x8000000001020304";
    let user = format!("-e {engine} ops SHA authsecret1 AES privsecret1");
    let send = |to: &str, level: &[&str]| {
        let mut args = vec!["trap", "-v", "3", "-e", engine, "-u", "ops"];
        args.extend_from_slice(level);
        args.extend_from_slice(&[to, "7", ".1.3.6.1.6.3.1.1.5.1"]);
        run(&args);
    };
    let l = Listener::start(&["--user", &user, "--count", "1", "-o", "json"]);
    let to = l.target.clone();
    send(&to, &["-l", "noAuthNoPriv"]);
    send(&to, &["-l", "authNoPriv", "-a", "SHA", "-A", "authsecret1"]);
    let out = l.output();
    assert_eq!(out.lines().count(), 1, "{out}");
    assert!(
        out.contains("\"level\":\"authNoPriv\""),
        "the forged trap was printed: {out}"
    );

    let l = Listener::start(&[
        "--user",
        &user,
        "--min-level",
        "ops noauth",
        "--count",
        "1",
        "-o",
        "json",
    ]);
    send(&l.target.clone(), &["-l", "noAuthNoPriv"]);
    let out = l.output();
    assert!(out.contains("\"level\":\"noAuthNoPriv\""), "{out}");
}

/// An inform sender's discovery probe (RFC 3414 §4) is answered and is no
/// drop; a dropped datagram is logged with its reason at debug level (-d).
#[test]
fn listen_counts_discovery_as_no_drop_and_logs_why_it_drops() {
    let test = "listen_counts_discovery_as_no_drop_and_logs_why_it_drops";
    if !require("snmpinform", test) || !require("snmptrap", test) {
        return;
    }
    let env = NetSnmpEnv::new();
    let l = Listener::start(&[
        "-d",
        "-c",
        "public",
        "--user",
        "ops SHA authsecret1 AES privsecret1",
        "--count",
        "1",
        "-o",
        "json",
    ]);
    let to = l.target.clone();
    // First a trap with another community: dropped, and logged why.
    let bad = env.run(
        "snmptrap",
        &[
            "-v",
            "2c",
            "-c",
            "private",
            &to,
            "1",
            ".1.3.6.1.6.3.1.1.5.1",
        ],
    );
    assert_eq!(bad.code, 0, "{}", bad.stderr);
    // Then an SNMPv3 inform: discovery, then the inform itself.
    let inform = env.run(
        "snmpinform",
        &[
            "-v",
            "3",
            "-u",
            "ops",
            "-l",
            "authPriv",
            "-a",
            "SHA",
            "-A",
            "authsecret1",
            "-x",
            "AES",
            "-X",
            "privsecret1",
            &to,
            "2",
            ".1.3.6.1.6.3.1.1.5.1",
        ],
    );
    assert_eq!(inform.code, 0, "snmpinform: {}", inform.stderr);
    let (out, err) = l.finish();
    assert!(out.contains("\"kind\":\"inform\""), "{out}");
    assert!(
        err.iter()
            .any(|l| l.contains("notification dropped") && l.contains("community not accepted")),
        "{err:?}"
    );
    let summary = err.last().expect("a summary line");
    assert_eq!(
        summary, "oxsnmp listen: 1 notifications received, 1 datagrams dropped",
        "the bad community only, not the discovery probe: {err:?}"
    );
}

/// `oxsnmp trap` with the engine state kept in `state` (XDG_STATE_HOME).
fn trap_with_state(state: &std::path::Path, args: &[&str]) {
    let out = Command::new(env!("CARGO_BIN_EXE_oxsnmp"))
        .arg("trap")
        .args(args)
        .env("XDG_STATE_HOME", state)
        .env("MIBS", "")
        .env("MIBDIRS", "/nonexistent")
        .env("OXSNMP_MIB_CACHE", "off")
        .stdin(Stdio::null())
        .output()
        .expect("run oxsnmp trap");
    assert!(
        out.status.success() && out.stderr.is_empty(),
        "oxsnmp trap {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Consecutive `oxsnmp trap -v3 -e X` runs keep X's boots and time (as
/// snmptrap's persistent engine does): after a trap at a later time
/// (`-Z 1,100000`), the next run's authenticated trap is still timely to
/// snmptrapd and to `oxsnmp listen` (RFC 3414 §3.2 7b; it used to claim
/// time 0 and was dropped). On the wire: X's boots and time, and the
/// local engine ID, the same in every run, as contextEngineID.
#[test]
fn consecutive_v3_traps_from_one_engine_stay_timely() {
    use oxsnmp_core::v3::{ScopedPduData, V3MessageRef};
    let test = "consecutive_v3_traps_from_one_engine_stay_timely";
    if !require("snmptrapd", test) {
        return;
    }
    let engine = "0x80001f8804636c6f636b6564";
    let trapd = Snmptrapd::start_with(
        "public",
        &[
            &format!("createUser -e {engine} clk SHA clock-auth-pass"),
            "authUser log clk",
        ],
    )
    .expect("snmptrapd starts");
    let user = format!("-e {engine} clk SHA clock-auth-pass");
    let listener = Listener::start(&["--user", &user, "--count", "2", "-o", "json"]);
    let state = oxsnmp_tests::peers::TempDir::new("trap-state").expect("temp dir");
    let raw = std::net::UdpSocket::bind("127.0.0.1:0").expect("bind");
    raw.set_read_timeout(Some(WAIT)).expect("timeout");
    let raw_to = raw.local_addr().expect("addr").to_string();
    let send = |to: &str, extra: &[&str], oid: &str| {
        let mut args = vec!["-v", "3", "-e", engine, "-u", "clk", "-l", "authNoPriv"];
        args.extend_from_slice(&["-a", "SHA", "-A", "clock-auth-pass"]);
        args.extend_from_slice(extra);
        args.extend_from_slice(&[to, "", oid]);
        trap_with_state(state.path(), &args);
    };
    let on_wire = |extra: &[&str]| {
        send(&raw_to, extra, ".1.3.6.1.6.3.1.1.5.1");
        let mut buf = [0u8; 2048];
        let (n, _) = raw.recv_from(&mut buf).expect("a trap");
        let m = V3MessageRef::decode(buf.get(..n).expect("length")).expect("SNMPv3");
        let usm = m.usm().expect("USM");
        let ScopedPduData::Plaintext(s) = m.data else {
            panic!("authNoPriv is in clear")
        };
        (
            usm.engine_id.to_vec(),
            usm.boots,
            usm.time,
            s.context_engine_id.to_vec(),
        )
    };
    let x = oxsnmp_core::v3::EngineId::from_hex(engine).expect("hex");

    // The later time first, to every receiver.
    send(
        &format!("udp:{}", trapd.addr),
        &["-Z", "1,100000"],
        ".1.3.6.1.6.3.1.1.5.1",
    );
    send(
        &listener.target,
        &["-Z", "1,100000"],
        ".1.3.6.1.6.3.1.1.5.1",
    );
    let (id, boots, time, context) = on_wire(&[]);
    assert_eq!(id, x.as_bytes());
    assert_eq!(boots, 1);
    assert!((100_000..100_150).contains(&time), "time {time}");
    assert_ne!(context, x.as_bytes(), "contextEngineID is the local engine");
    std::thread::sleep(Duration::from_millis(1100));
    // The next runs, without -Z: still timely.
    send(&format!("udp:{}", trapd.addr), &[], ".1.3.6.1.6.3.1.1.5.2");
    send(&listener.target, &[], ".1.3.6.1.6.3.1.1.5.2");
    let (_, boots2, time2, context2) = on_wire(&[]);
    assert_eq!((boots2, context2), (1, context));
    assert!(time2 > time, "{time2} after {time}");

    let logged = trapd.wait_for(2);
    assert_eq!(logged.len(), 2, "{:?}", trapd.dir.path());
    let oids: Vec<_> = logged
        .iter()
        .map(|l| l.notification().expect("SNMPv2 notification").trap_oid)
        .collect();
    assert_eq!(
        oids,
        [oid("1.3.6.1.6.3.1.1.5.1"), oid("1.3.6.1.6.3.1.1.5.2")]
    );
    let out = listener.output();
    assert_eq!(out.lines().count(), 2, "{out}");
    let second = out.lines().nth(1).unwrap_or_default();
    assert!(
        second.contains("\"trap_oid\":\"1.3.6.1.6.3.1.1.5.2\""),
        "{out}"
    );
}
