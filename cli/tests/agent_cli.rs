//! `oxsnmp demo` and `oxsnmp agent` as a user runs them: the binary as a
//! child process on free loopback ports, walked by `oxsnmp bulkwalk` and by
//! Net-SNMP's `snmpbulkwalk` (skipped when Net-SNMP is not installed, a
//! failure under `CI=true`).
//!
//! A replay serves exactly the recorded objects (the `snmp` group,
//! .1.3.6.1.2.1.11, as recorded), so a replayed walk is compared whole; only
//! `--agent-counters` puts the agent's live counters there.

mod support;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

use support::{
    find_program, in_ci, net_snmp_available, oxsnmp, NetSnmpEnv, Outcome, Snmpd, TempDir,
};

/// Generous: the machines running the tests may be busy.
const START_TIMEOUT: Duration = Duration::from_secs(30);
const EXIT_TIMEOUT: Duration = Duration::from_secs(30);

/// The snmp group's lines.
const SNMP_GROUP: &str = ".1.3.6.1.2.1.11.";

/// An `oxsnmp agent` child process; killed on drop if still running.
struct AgentProcess {
    child: Child,
    /// `udp:127.0.0.1:PORT` as printed on its `listening on` line.
    target: String,
    /// The rest of its stdout, line by line.
    lines: Receiver<String>,
    /// What it printed before the `listening on` line.
    preamble: Vec<String>,
}

impl AgentProcess {
    /// Starts `oxsnmp agent ARGS` and waits for its first `listening on` line.
    fn start(args: &[&str]) -> Self {
        Self::start_in(&mut Command::new(env!("CARGO_BIN_EXE_oxsnmp")), args)
    }

    /// [`start`](Self::start) with `command`'s environment.
    fn start_in(command: &mut Command, args: &[&str]) -> Self {
        let mut child = command
            .arg("agent")
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start oxsnmp agent");
        let stdout = child.stdout.take().expect("piped stdout");
        let (tx, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let deadline = Instant::now() + START_TIMEOUT;
        let mut seen = Vec::new();
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match lines.recv_timeout(left) {
                Ok(line) => {
                    if let Some(target) = line.strip_prefix("listening on ") {
                        return Self {
                            target: target.to_owned(),
                            child,
                            lines,
                            preamble: seen,
                        };
                    }
                    seen.push(line);
                }
                Err(e) => {
                    let _ = child.kill();
                    let status = child.wait();
                    panic!("oxsnmp agent {args:?} printed no listening line ({e}; {status:?}): {seen:?}");
                }
            }
        }
    }

    /// Sends a signal with kill(1) and waits for the exit status.
    fn signal(mut self, signal: &str) -> (i32, Duration, Vec<String>) {
        let pid = self.child.id().to_string();
        let sent = Instant::now();
        let status = Command::new("kill")
            .args([&format!("-{signal}"), &pid])
            .status()
            .expect("run kill");
        assert!(status.success(), "kill -{signal} {pid}");
        loop {
            if let Some(status) = self.child.try_wait().expect("wait for the agent") {
                let took = sent.elapsed();
                // The reader thread may still be passing the last lines on:
                // take them until it sees the end of the pipe.
                let mut rest = Vec::new();
                while let Ok(line) = self.lines.recv_timeout(EXIT_TIMEOUT) {
                    rest.push(line);
                }
                return (status.code().unwrap_or(-1), took, rest);
            }
            assert!(
                sent.elapsed() < EXIT_TIMEOUT,
                "oxsnmp agent still running {EXIT_TIMEOUT:?} after SIG{signal}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for AgentProcess {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// Runs `oxsnmp ARGS` that must end by itself (killed after the timeout).
fn oxsnmp_bounded(args: &[&str]) -> Outcome {
    let mut child = Command::new(env!("CARGO_BIN_EXE_oxsnmp"))
        .args(args)
        // No MIB files and printNumericOids: numeric output, as the
        // expectations are written.
        .env("SNMPCONFPATH", support::numeric_conf_dir())
        .env("XDG_STATE_HOME", support::numeric_conf_dir())
        .env("MIBDIRS", "/nonexistent")
        .env("MIBS", "")
        .env("OXSNMP_MIB_CACHE", "off")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start oxsnmp");
    let deadline = Instant::now() + EXIT_TIMEOUT;
    loop {
        if child.try_wait().expect("wait").is_some() {
            return child.wait_with_output().expect("output").into();
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("oxsnmp {args:?} did not exit within {EXIT_TIMEOUT:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Whether Net-SNMP's `tool` is installed; prints a skip, or panics under CI.
fn require(tool: &str, test: &str) -> bool {
    if find_program(tool).is_some() {
        return true;
    }
    let message = format!("{test}: {tool} is not installed (apt-get install snmp)");
    if in_ci() {
        panic!("{message}; CI=true: a missing peer is a failure");
    }
    eprintln!("SKIPPED {message}");
    false
}

/// `text` without the snmp group's lines.
fn without_snmp_group(text: &str) -> String {
    text.lines()
        .filter(|l| !l.starts_with(SNMP_GROUP))
        .map(|l| format!("{l}\n"))
        .collect()
}

#[test]
fn demo_runs_every_step_and_exits_0() {
    let out = oxsnmp_bounded(&["demo"]);
    assert_eq!(
        out.code, 0,
        "stdout:\n{}\nstderr:\n{}",
        out.stdout, out.stderr
    );
    for line in [
        "$ oxsnmp get -v2c -c public udp:127.0.0.1:",
        ".1.3.6.1.2.1.1.1.0 = STRING: \"oxsnmp demo agent\"",
        ".1.3.6.1.2.1.1.2.0 = OID: .1.3.6.1.4.1.32473.1",
        "$ oxsnmp bulkwalk -v2c -c public udp:127.0.0.1:",
        ".1.3.6.1.2.1.2.2.1.2.2 = STRING: \"eth0\"",
        ".1.3.6.1.2.1.2.2.1.6.1 = \"\"",
        ".1.3.6.1.2.1.2.2.1.6.2 = Hex-STRING: 00 00 5E 00 53 01 ",
        ".1.3.6.1.2.1.2.2.1.10.2 = Counter32: 3197704724",
        ".1.3.6.1.2.1.2.2.1.16.4 = Counter32: 750000",
        ".1.3.6.1.2.1.1.4.0 s ops@example.org .1.3.6.1.2.1.2.2.1.7.3 i 2",
        ".1.3.6.1.2.1.1.4.0 = STRING: \"ops@example.org\"",
        ".1.3.6.1.2.1.2.2.1.7.3 = INTEGER: 2",
        ".1.3.6.1.2.1.31.1.1.1.6.2 = Counter64: 123456789012",
        "$ oxsnmp get -v3 -u demo -l authPriv -a SHA-256 -A demo-auth-pass -x AES -X demo-priv-pass udp:127.0.0.1:",
        ".1.3.6.1.2.1.1.5.0 = STRING: \"demo\"",
        "Demo finished: 11 commands",
    ] {
        assert!(
            out.stdout.contains(line),
            "missing {line:?} in:\n{}",
            out.stdout
        );
    }
    assert!(
        out.stderr
            .contains("oxsnmp: Authentication failure (incorrect password, community or key)"),
        "{}",
        out.stderr
    );
    // The v1 walk (step 7) shows no Counter64; the v1 GET (step 8) fails.
    let v1_walk = out
        .stdout
        .split("\n# 7. ")
        .nth(1)
        .and_then(|s| s.split("\n# 8. ").next())
        .expect("step 7");
    assert!(v1_walk.contains(".1.3.6.1.2.1.31.1.1.1.1.2 = STRING: \"eth0\""));
    assert!(!v1_walk.contains("= Counter64:"), "{v1_walk}");
    assert!(
        out.stderr.starts_with(
            "Error in packet\nReason: (noSuchName) There is no such variable name in this MIB.\n\
             Failed object: .1.3.6.1.2.1.31.1.1.1.6.2\n"
        ),
        "{}",
        out.stderr
    );
}

/// A recorded device: unordered, commented, every printable type, a
/// Hex-STRING over two lines, quotes and backslashes, a recorded system
/// group (sysUpTime included) that replaces the agent's own.
const RECORDING: &str = r#"# recorded with snmpsim
1.3.6.1.2.1.1.1.0|4|Recorded "edge" router \ v2
1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.32473.7
1.3.6.1.2.1.1.3.0|67|8640042
1.3.6.1.2.1.1.5.0|4|edge-1

1.3.6.1.2.1.2.2.1.2.2|4|eth0
1.3.6.1.2.1.2.2.1.2.1|4|lo
1.3.6.1.2.1.2.2.1.5.1|66|10000000
1.3.6.1.2.1.2.2.1.5.2|66|4294967295
1.3.6.1.2.1.2.2.1.6.1|4|
1.3.6.1.2.1.2.2.1.6.2|4x|00005e005301
1.3.6.1.2.1.2.2.1.10.2|65|123
1.3.6.1.2.1.4.20.1.1.192.0.2.1|64|192.0.2.1
1.3.6.1.2.1.31.1.1.1.6.2|70|18446744073709551615
1.3.6.1.4.1.32473.1.1.0|2|-42
1.3.6.1.4.1.32473.1.2.0|4x|000102030405060708090a0b0c0d0e0f10
1.3.6.1.4.1.32473.1.3.0|68x|9f780441c80000
1.3.6.1.4.1.32473.1.4.0|4|multi word value
"#;

/// What `snmpbulkwalk -On` prints for it (it has no snmp group, and the
/// replay adds none).
const RECORDING_WALK: &str = r#".1.3.6.1.2.1.1.1.0 = STRING: "Recorded \"edge\" router \\ v2"
.1.3.6.1.2.1.1.2.0 = OID: .1.3.6.1.4.1.32473.7
.1.3.6.1.2.1.1.3.0 = Timeticks: (8640042) 1 day, 0:00:00.42
.1.3.6.1.2.1.1.5.0 = STRING: "edge-1"
.1.3.6.1.2.1.2.2.1.2.1 = STRING: "lo"
.1.3.6.1.2.1.2.2.1.2.2 = STRING: "eth0"
.1.3.6.1.2.1.2.2.1.5.1 = Gauge32: 10000000
.1.3.6.1.2.1.2.2.1.5.2 = Gauge32: 4294967295
.1.3.6.1.2.1.2.2.1.6.1 = ""
.1.3.6.1.2.1.2.2.1.6.2 = Hex-STRING: 00 00 5E 00 53 01 
.1.3.6.1.2.1.2.2.1.10.2 = Counter32: 123
.1.3.6.1.2.1.4.20.1.1.192.0.2.1 = IpAddress: 192.0.2.1
.1.3.6.1.2.1.31.1.1.1.6.2 = Counter64: 18446744073709551615
.1.3.6.1.4.1.32473.1.1.0 = INTEGER: -42
.1.3.6.1.4.1.32473.1.2.0 = Hex-STRING: 00 01 02 03 04 05 06 07 08 09 0A 0B 0C 0D 0E 0F 
10 
.1.3.6.1.4.1.32473.1.3.0 = Opaque: Float: 25.000000
.1.3.6.1.4.1.32473.1.4.0 = STRING: "multi word value"
.1.3.6.1.4.1.32473.1.4.0 = No more variables left in this MIB View (It is past the end of the MIB tree)
"#;

#[test]
fn agent_serves_a_snmprec_recording_to_oxsnmp_and_net_snmp() {
    let dir = TempDir::new("agent-snmprec").expect("temp dir");
    let file = dir.path().join("edge-1.snmprec");
    std::fs::write(&file, RECORDING).expect("write recording");
    let agent = AgentProcess::start(&[
        "--data",
        file.to_str().expect("utf-8 path"),
        "udp:127.0.0.1:0",
    ]);
    assert!(
        agent.target.starts_with("udp:127.0.0.1:"),
        "{}",
        agent.target
    );

    for args in [
        &["bulkwalk", "-v2c", "-c", "public", &agent.target, ".1"][..],
        &[
            "bulkwalk",
            "-v2c",
            "-c",
            "public",
            "-Cr3",
            &agent.target,
            ".1",
        ],
        &["walk", "-v2c", "-c", "public", &agent.target, ".1"],
    ] {
        let ours = oxsnmp(args);
        assert_eq!((ours.code, ours.stderr.as_str()), (0, ""), "{args:?}");
        assert_eq!(ours.stdout, RECORDING_WALK, "{args:?}");
    }
    // A subtree, and a GET answered as recorded.
    let ours = oxsnmp(&[
        "bulkwalk",
        "-c",
        "public",
        &agent.target,
        ".1.3.6.1.2.1.2.2.1.6",
    ]);
    assert_eq!(
        ours.stdout,
        ".1.3.6.1.2.1.2.2.1.6.1 = \"\"\n.1.3.6.1.2.1.2.2.1.6.2 = Hex-STRING: 00 00 5E 00 53 01 \n"
    );
    let ours = oxsnmp(&[
        "get",
        "-c",
        "public",
        &agent.target,
        ".1.3.6.1.2.1.1.3.0",
        ".1.3.6.1.2.1.1.4.0",
    ]);
    assert_eq!(
        ours.stdout,
        ".1.3.6.1.2.1.1.3.0 = Timeticks: (8640042) 1 day, 0:00:00.42\n\
         .1.3.6.1.2.1.1.4.0 = No Such Object available on this agent at this OID\n"
    );
    // Read-only: a SET is refused even with the read-only community.
    let ours = oxsnmp(&[
        "set",
        "-c",
        "public",
        &agent.target,
        ".1.3.6.1.2.1.1.5.0",
        "s",
        "x",
    ]);
    assert_eq!(ours.code, 2, "{ours:?}");

    if require(
        "snmpbulkwalk",
        "agent_serves_a_snmprec_recording_to_oxsnmp_and_net_snmp",
    ) {
        let env = NetSnmpEnv::new();
        let theirs = env.run(
            "snmpbulkwalk",
            &["-On", "-v2c", "-c", "public", &agent.target, ".1"],
        );
        assert_eq!((theirs.code, theirs.stderr.as_str()), (0, ""), "{theirs:?}");
        assert_eq!(theirs.stdout, RECORDING_WALK);
        let theirs = env.run(
            "snmpwalk",
            &["-On", "-v1", "-c", "public", &agent.target, ".1"],
        );
        // v1: the same without the Counter64, and Net-SNMP's v1 ending.
        let v1: String = RECORDING_WALK
            .lines()
            .filter(|l| !l.contains("Counter64") && !l.contains("No more variables"))
            .map(|l| format!("{l}\n"))
            .collect();
        assert_eq!(theirs.stdout, format!("{v1}End of MIB\n"));
    }
    let (code, _, rest) = agent.signal("TERM");
    assert_eq!(code, 0);
    assert!(
        rest.iter().any(|l| l.starts_with("oxsnmp agent: stopped")),
        "{rest:?}"
    );
}

#[test]
fn agent_counters_put_the_agents_snmp_group_in_a_replay() {
    let dir = TempDir::new("agent-counters").expect("temp dir");
    // A recorded snmp group of two objects.
    let recording =
        format!("{RECORDING}1.3.6.1.2.1.11.1.0|65|4242\n1.3.6.1.2.1.11.99.0|4|recorded only\n");
    let file = write(dir.path(), "edge-1.snmprec", &recording);
    let recorded_lines = ".1.3.6.1.2.1.11.1.0 = Counter32: 4242\n\
                          .1.3.6.1.2.1.11.99.0 = STRING: \"recorded only\"\n";

    // By default: as recorded.
    let replay = AgentProcess::start(&["--data", &file, "udp:127.0.0.1:0"]);
    let ours = oxsnmp(&[
        "walk",
        "-v2c",
        "-c",
        "public",
        &replay.target,
        ".1.3.6.1.2.1.11",
    ]);
    assert_eq!((ours.code, ours.stdout.as_str()), (0, recorded_lines));
    let (code, _, _) = replay.signal("TERM");
    assert_eq!(code, 0);

    // --agent-counters: the agent's 30 scalars in place of the recorded two.
    let replay = AgentProcess::start(&["--data", &file, "--agent-counters", "udp:127.0.0.1:0"]);
    let ours = oxsnmp(&["bulkwalk", "-v2c", "-c", "public", &replay.target, ".1"]);
    assert_eq!(ours.code, 0, "{ours:?}");
    assert_eq!(without_snmp_group(&ours.stdout), RECORDING_WALK);
    let snmp: Vec<&str> = ours
        .stdout
        .lines()
        .filter(|l| l.starts_with(SNMP_GROUP))
        .collect();
    assert_eq!(snmp.len(), 30, "{snmp:?}");
    assert!(
        snmp.iter()
            .all(|l| !l.contains("4242") && !l.contains("recorded only")),
        "{snmp:?}"
    );
    // snmpInPkts counts this walk's requests.
    assert!(
        snmp[0].starts_with(".1.3.6.1.2.1.11.1.0 = Counter32: "),
        "{snmp:?}"
    );
    let (code, _, _) = replay.signal("TERM");
    assert_eq!(code, 0);

    // With SNMPv3 the engine's objects follow the same rule.
    let v3_file = write(
        dir.path(),
        "v3.snmprec",
        "1.3.6.1.6.3.10.2.1.1.0|4x|80001f888092c37021529f4647\n1.3.6.1.6.3.10.2.1.2.0|2|58\n",
    );
    let state = dir.path().join("engine.conf");
    let state = state.to_str().expect("utf-8 path");
    for (extra, want) in [
        (
            None,
            ".1.3.6.1.6.3.10.2.1.1.0 = Hex-STRING: 80 00 1F 88 80 92 C3 70 21 52 9F 46 47 \n\
             .1.3.6.1.6.3.10.2.1.2.0 = INTEGER: 58\n\
             .1.3.6.1.6.3.10.2.1.3.0 = No Such Object available on this agent at this OID\n",
        ),
        (
            Some("--agent-counters"),
            ".1.3.6.1.6.3.10.2.1.1.0 = Hex-STRING: 80 00 1F 88 04 61 62 63 \n",
        ),
    ] {
        let mut args = vec![
            "--data",
            &v3_file,
            "--user",
            "ops SHA authsecret1",
            "--engine-id",
            "0x80001f8804616263",
            "--engine-state",
            state,
        ];
        args.extend(extra);
        args.push("udp:127.0.0.1:0");
        let replay = AgentProcess::start(&args);
        let v3 = [
            "-v3",
            "-u",
            "ops",
            "-l",
            "authNoPriv",
            "-a",
            "SHA",
            "-A",
            "authsecret1",
        ];
        let mut get = vec!["get"];
        get.extend(v3);
        get.push(&replay.target);
        get.push(".1.3.6.1.6.3.10.2.1.1.0");
        if extra.is_none() {
            get.extend([".1.3.6.1.6.3.10.2.1.2.0", ".1.3.6.1.6.3.10.2.1.3.0"]);
        }
        let ours = oxsnmp(&get);
        assert_eq!(
            (ours.code, ours.stdout.as_str()),
            (0, want),
            "{extra:?}: {ours:?}"
        );
        let (code, _, _) = replay.signal("TERM");
        assert_eq!(code, 0);
    }

    // The demo dataset keeps its counters without the option.
    let demo = AgentProcess::start(&["udp:127.0.0.1:0"]);
    let ours = oxsnmp(&[
        "walk",
        "-v2c",
        "-c",
        "public",
        &demo.target,
        ".1.3.6.1.2.1.11",
    ]);
    assert_eq!(ours.code, 0, "{ours:?}");
    assert_eq!(ours.stdout.lines().count(), 30, "{}", ours.stdout);
    let (code, _, _) = demo.signal("TERM");
    assert_eq!(code, 0);
}

#[test]
fn a_walk_recorded_from_the_demo_agent_replays_identically() {
    let dir = TempDir::new("agent-replay").expect("temp dir");
    let demo = AgentProcess::start(&["udp:127.0.0.1:0"]);
    let recorded = oxsnmp(&["walk", "-v2c", "-c", "public", &demo.target, ".1"]);
    assert_eq!(recorded.code, 0, "{recorded:?}");
    assert!(recorded.stdout.contains("STRING: \"oxsnmp demo agent\""));
    let (code, _, _) = demo.signal("TERM");
    assert_eq!(code, 0);

    // No .snmprec extension: read as snmpwalk output, by default and by --format.
    let file = dir.path().join("demo.txt");
    std::fs::write(&file, &recorded.stdout).expect("write walk");
    let path = file.to_str().expect("utf-8 path");
    for format in [None, Some("snmpwalk")] {
        let mut args = vec!["--data", path];
        if let Some(f) = format {
            args.extend(["--format", f]);
        }
        args.push("udp:127.0.0.1:0");
        let replay = AgentProcess::start(&args);
        for walk in ["walk", "bulkwalk"] {
            let again = oxsnmp(&[walk, "-v2c", "-c", "public", &replay.target, ".1"]);
            assert_eq!(again.code, 0, "{again:?}");
            // The demo's snmp group too, as recorded.
            assert_eq!(
                again.stdout, recorded.stdout,
                "{walk} of the replay of {path} ({format:?})"
            );
        }
        let (code, _, _) = replay.signal("INT");
        assert_eq!(code, 0);
    }
}

/// A real device: snmpd's whole tree (thousands of objects of every type)
/// walked with `snmpwalk -On` into `DIR/snmpd.walk`, and `oxsnmp agent
/// --data` serving that file.
fn snmpd_walk_replayed(env: &NetSnmpEnv, dir: &TempDir) -> (Outcome, AgentProcess) {
    let recorded = {
        let snmpd = Snmpd::start(env);
        env.run(
            "snmpwalk",
            &["-On", "-v2c", "-c", "public", &snmpd.target(), ".1"],
        )
    };
    assert_eq!(recorded.code, 0, "{}", recorded.stderr);
    assert!(recorded.stdout.lines().count() > 500, "{}", recorded.stdout);
    let file = dir.path().join("snmpd.walk");
    std::fs::write(&file, &recorded.stdout).expect("write walk");
    let replay = AgentProcess::start(&[
        "--data",
        file.to_str().expect("utf-8 path"),
        "udp:127.0.0.1:0",
    ]);
    (recorded, replay)
}

#[test]
fn a_walk_recorded_from_snmpd_replays_identically() {
    if !net_snmp_available("a_walk_recorded_from_snmpd_replays_identically") {
        return;
    }
    let env = NetSnmpEnv::new();
    let dir = TempDir::new("agent-snmpd").expect("temp dir");
    let (recorded, replay) = snmpd_walk_replayed(&env, &dir);
    // The whole walk, snmpd's snmp group counters as recorded.
    let want = &recorded.stdout;
    let theirs = env.run(
        "snmpwalk",
        &["-On", "-v2c", "-c", "public", &replay.target, ".1"],
    );
    assert_eq!(theirs.code, 0, "{}", theirs.stderr);
    assert!(&theirs.stdout == want, "snmpwalk of the replay differs");
    let ours = oxsnmp(&["bulkwalk", "-v2c", "-c", "public", &replay.target, ".1"]);
    assert_eq!(ours.code, 0, "{}", ours.stderr);
    assert!(
        &ours.stdout == want,
        "oxsnmp bulkwalk of the replay differs"
    );
    let (code, _, _) = replay.signal("TERM");
    assert_eq!(code, 0);
}

/// `oxsnmp` as a user runs it on this machine: its own configuration
/// (`/etc/snmp/snmp.conf`; Debian's says `mibs :`), no SNMPCONFPATH,
/// MIBS or MIBDIRS, and HOME at an empty directory.
fn as_user(home: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_oxsnmp"));
    command
        .env("HOME", home)
        .env_remove("SNMPCONFPATH")
        .env_remove("MIBS")
        .env_remove("MIBDIRS")
        .env("OXSNMP_MIB_CACHE", "off")
        .stdin(Stdio::null());
    command
}

/// The MIB directories `.ci/prepare-mibs` fills (or `$OXSNMP_TEST_MIBS`),
/// as a `-M` value, when they are there.
fn test_mib_dirs() -> Option<String> {
    let dir = std::env::var_os("OXSNMP_TEST_MIBS")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/test-mibs"));
    dir.join("npm/IF-MIB.mib").is_file().then(|| {
        ["netsnmp", "erlang", "npm"]
            .iter()
            .map(|d| dir.join(d).display().to_string())
            .collect::<Vec<_>>()
            .join(":")
    })
}

#[test]
fn the_round_trip_of_every_hint_and_index_form() {
    if !net_snmp_available("the_round_trip_of_every_hint_and_index_form") {
        return;
    }
    let Some(dirs) = test_mib_dirs() else {
        let message = "the test MIB files are missing; run .ci/prepare-mibs";
        assert!(
            !in_ci(),
            "{message} (CI=true: missing test data is a failure)"
        );
        eprintln!("SKIP the_round_trip_of_every_hint_and_index_form: {message}");
        return;
    };
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data");
    // mib_output.rs's recording: every value type, DISPLAY-HINT and index
    // form its MIB (OXSNMP-RENDER-TEST-MIB) defines.
    let dirs = format!("{}:{dirs}", data.join("mibs").display());
    let recording = std::fs::read_to_string(data.join("mib_render.snmprec")).expect("recording");
    let env = NetSnmpEnv::new();
    let home = TempDir::new("replay-render").expect("temp dir");
    let walk_and_replay = |records: &str, name: &str, refused: bool, flags: &str| {
        let file = home.path().join(format!("{name}.snmprec"));
        std::fs::write(&file, records).expect("write recording");
        let device =
            AgentProcess::start(&["--data", file.to_str().expect("utf-8"), "udp:127.0.0.1:0"]);
        let want = numeric_walk(&env, &device.target, &[]);
        // The bytes as printed: strings under text hints are written as
        // their octets, UTF-8 or not.
        let walked = as_user(home.path())
            .args(["walk", "-M", &dirs, "-m", "ALL"])
            .args(flags.split_whitespace())
            .args(["-v2c", "-c", "public", &device.target, ".1"])
            .output()
            .expect("run oxsnmp walk");
        assert!(walked.status.success(), "{walked:?}");
        let text = String::from_utf8_lossy(&walked.stdout);
        assert!(text.contains("oxPeerState"), "{text}");
        let walk = home.path().join(format!("{name}.walk"));
        std::fs::write(&walk, &walked.stdout).expect("write walk");
        let path = walk.to_str().expect("utf-8");
        let args = ["--data", path, "-M", &dirs, "-m", "ALL", "udp:127.0.0.1:0"];
        let got = if refused {
            let out = agent_refuses(&mut as_user(home.path()), &args);
            assert!(out.starts_with(&format!("oxsnmp: {path}: line ")), "{out}");
            Err(out)
        } else {
            let replay = AgentProcess::start_in(&mut as_user(home.path()), &args);
            let got = numeric_walk(&env, &replay.target, &[]);
            let (code, _, _) = replay.signal("TERM");
            assert_eq!(code, 0);
            Ok(got)
        };
        let (code, _, _) = device.signal("TERM");
        assert_eq!(code, 0);
        (want, got)
    };
    // What a walk with MIBs loses is refused, each at its line, in file
    // order: oxCounted's `*1x:` (the repeat count is not printed and the
    // last part repeats, so `aa:bb:cc:11:22` is 3 counted octets or 5), a
    // DisplayString over two lines (printed raw), index strings holding
    // '.' (`'x.y'`, `"peer.example"`, oxPortTable's MAC addresses and
    // usmUserTable's engine IDs, whose octets print as '.').
    const COUNTED: &str = "1.3.6.1.4.1.32473.99.1.27.0|";
    const MULTILINE: &str = "1.3.6.1.4.1.32473.99.1.34.0|";
    const DOTTED: [&str; 4] = [
        ".120.46.121|",
        ".112.101.101.114.46.101.120.97.109.112.108.101|",
        "1.3.6.1.4.1.32473.99.2.4.",
        "1.3.6.1.6.3.15.1.2.2.",
    ];
    let (_, got) = walk_and_replay(&recording, "all", true, "");
    let refused = got.expect_err("refused");
    assert!(
        refused.contains("\"*1x:\" more than one value prints as \"aa:bb:cc:11:22\""),
        "{refused}"
    );
    let without = |skip: &[&str]| -> String {
        recording
            .lines()
            .filter(|l| !skip.iter().any(|s| l.contains(s)))
            .map(|l| format!("{l}\n"))
            .collect()
    };
    let (_, got) = walk_and_replay(&without(&[COUNTED]), "multiline", true, "");
    let refused = got.expect_err("refused");
    assert!(refused.contains("continues on line"), "{refused}");
    let (_, got) = walk_and_replay(&without(&[MULTILINE, COUNTED]), "dotted", true, "");
    let refused = got.expect_err("refused");
    assert!(refused.contains("octets are lost"), "{refused}");
    // A text hint's text is taken as the octets; a DisplayString holding a
    // NUL prints its unprintable octets as '.', which cannot be told from
    // a '.' (oxDisplayNul "ab\0" prints as "ab."): not detected, left out.
    const NUL: &str = "1.3.6.1.4.1.32473.99.1.3.0|";
    // sysObjectID is NET-SNMP-TC's `linux`, which -Os cannot tell from
    // UCD-SNMP-MIB's (refused: the snmpd test checks it).
    const LINUX: &str = "1.3.6.1.2.1.1.2.0|";
    // Everything else reads back in every style: snmpbulkwalk -On of the
    // replay is the device's, byte for byte.
    let kept = without(&[
        LINUX, MULTILINE, COUNTED, NUL, DOTTED[0], DOTTED[1], DOTTED[2], DOTTED[3],
    ]);
    assert!(kept.lines().count() + 40 > recording.lines().count());
    for (i, flags) in ["", "-Of", "-Os", "-Ou"].into_iter().enumerate() {
        let (want, got) = walk_and_replay(&kept, &format!("kept{i}"), false, flags);
        let got = got.expect("the walk replays");
        assert!(want.lines().count() > 200, "{want}");
        assert!(
            got == want,
            "{flags}: snmpbulkwalk -On of the replay differs:\n{}",
            first_difference(&want, &got)
        );
    }
}

/// `snmpbulkwalk -On` of the whole tree, without the lines of `skip`
/// (prefixes of `.1.3.6...` names).
fn numeric_walk(env: &NetSnmpEnv, target: &str, skip: &[&str]) -> String {
    let out = env.run(
        "snmpbulkwalk",
        &["-On", "-v2c", "-c", "public", target, ".1"],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let mut kept = String::new();
    for line in out.stdout.split_inclusive('\n') {
        // Continuation lines of a multi-line value follow their first line.
        if skip.iter().any(|s| line.starts_with(s)) {
            continue;
        }
        kept.push_str(line);
    }
    kept
}

/// The README's round trip: walk `target` in each style users get (this
/// machine's configuration, then with the test MIBs loaded in `-OS`,
/// `-Of`, `-Os`, `-Ou`, and, with `with_snmpwalk`, Net-SNMP's snmpwalk
/// with the same MIBs; a style in `refused` must be refused with that
/// message),
/// `oxsnmp agent --data` the walk, and compare `snmpbulkwalk -On` of the
/// replay with `want` (the same of the original), `skip` lines aside.
fn round_trip_every_style(
    env: &NetSnmpEnv,
    target: &str,
    want: &str,
    skip: &[&str],
    what: &str,
    refused: &[(&str, &str)],
    with_snmpwalk: bool,
) -> usize {
    let home = TempDir::new("replay-home").expect("temp dir");
    let dir = TempDir::new("replay-walks").expect("temp dir");
    let mib_dirs = test_mib_dirs();
    if mib_dirs.is_none() {
        let message =
            "the test MIB files are missing; run .ci/prepare-mibs (or set OXSNMP_TEST_MIBS)";
        assert!(
            !in_ci(),
            "{message} (CI=true: missing test data is a failure)"
        );
        eprintln!("SKIP the walks with MIBs of {what}: {message}");
    }
    // (style, -O flags of the walk, MIB options of walk and replay, by snmpwalk)
    let mut styles: Vec<(&str, &str, Vec<String>, bool)> = vec![("machine", "", vec![], false)];
    if let Some(dirs) = &mib_dirs {
        let mibs = vec!["-M".to_owned(), dirs.clone(), "-m".into(), "ALL".into()];
        for flags in ["", "-Of", "-Os", "-Ou"] {
            styles.push(("oxsnmp walk with MIBs", flags, mibs.clone(), false));
        }
        if with_snmpwalk {
            styles.push(("snmpwalk with MIBs", "", mibs, true));
        }
    }
    let mut names = 0;
    for (i, (style, flags, mibs, net_snmp)) in styles.iter().enumerate() {
        let style = format!("{style} {flags}");
        let args: Vec<&str> = mibs.iter().map(String::as_str).collect();
        let mut walk_args = args.clone();
        walk_args.extend(flags.split_whitespace());
        walk_args.extend(["-v2c", "-c", "public", target, ".1"]);
        let walked = if *net_snmp {
            env.run("snmpwalk", &walk_args)
        } else {
            let mut command = as_user(home.path());
            command.arg("walk").args(&walk_args);
            command
                .output()
                .map(Outcome::from)
                .expect("run oxsnmp walk")
        };
        assert_eq!(walked.code, 0, "{what}, {style}: {walked:?}");
        let first = walked.stdout.lines().next().unwrap_or("");
        let debian_stock = std::fs::read_to_string("/etc/snmp/snmp.conf")
            .is_ok_and(|c| c.lines().any(|l| l.trim() == "mibs :"));
        if args.is_empty() && debian_stock {
            // Debian's stock configuration loads no MIBs: -OS without them.
            assert!(
                first.starts_with("iso.3.6.1.2.1.1.1.0 = "),
                "{what}, {style}: {first}"
            );
        }
        if !args.is_empty() {
            // Printed with names: what the replay must read with MIBs.
            assert!(
                walked.stdout.contains("ifDescr"),
                "{what}, {style}: {first}"
            );
            names += 1;
        }
        let file = dir.path().join(format!("walk{i}.walk"));
        std::fs::write(&file, &walked.stdout).expect("write walk");
        let mut agent_args = vec!["--data", file.to_str().expect("utf-8 path")];
        agent_args.extend(&args);
        agent_args.push("udp:127.0.0.1:0");
        if let Some((_, why)) = refused.iter().find(|(f, _)| f == flags && !args.is_empty()) {
            // Read back exactly or refused: this style loses what the
            // replay needs, and the load says where and why.
            let out = agent_refuses(&mut as_user(home.path()), &agent_args);
            let prefix = format!("oxsnmp: {}: line ", file.display());
            assert!(out.starts_with(&prefix), "{what}, {style}: {out}");
            assert!(out.contains(why), "{what}, {style}: {out}");
            assert!(
                out.contains("snmpwalk -On -Ox -m ''"),
                "{what}, {style}: {out}"
            );
            continue;
        }
        let replay = AgentProcess::start_in(&mut as_user(home.path()), &agent_args);
        let got = numeric_walk(env, &replay.target, skip);
        assert!(
            got == want,
            "{what}, {style}: snmpbulkwalk -On of the replay differs:\n{}",
            first_difference(want, &got)
        );
        let (code, _, _) = replay.signal("TERM");
        assert_eq!(code, 0);
    }
    names
}

/// Runs `oxsnmp agent ARGS` that must fail at once (exit 1): its stderr
/// without MIB warnings.
fn agent_refuses(command: &mut Command, args: &[&str]) -> String {
    let mut child = command
        .arg("agent")
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start oxsnmp agent");
    let deadline = Instant::now() + START_TIMEOUT;
    loop {
        if let Some(status) = child.try_wait().expect("wait for the agent") {
            let mut stderr = String::new();
            if let Some(mut pipe) = child.stderr.take() {
                std::io::Read::read_to_string(&mut pipe, &mut stderr).expect("read stderr");
            }
            assert_eq!(status.code(), Some(1), "{args:?}: {stderr}");
            return stderr
                .lines()
                .filter(|l| !l.starts_with("MIB warning: "))
                .collect::<Vec<_>>()
                .join("\n");
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("oxsnmp agent {args:?} did not refuse its data");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// The first differing lines of two walks, for a failure message.
fn first_difference(want: &str, got: &str) -> String {
    let (mut w, mut g) = (want.lines(), got.lines());
    loop {
        match (w.next(), g.next()) {
            (Some(a), Some(b)) if a == b => continue,
            (None, None) => return "(same lines)".into(),
            (a, b) => return format!("want {a:?}\n got {b:?}"),
        }
    }
}

#[test]
fn the_readme_round_trip_on_the_demo_agent_in_every_walk_style() {
    if !net_snmp_available("the_readme_round_trip_on_the_demo_agent_in_every_walk_style") {
        return;
    }
    let env = NetSnmpEnv::new();
    let demo = AgentProcess::start(&["udp:127.0.0.1:0"]);
    // sysUpTime and the snmp group change as the demo agent is walked.
    let skip = [".1.3.6.1.2.1.1.3.0 ", SNMP_GROUP];
    let want = numeric_walk(&env, &demo.target, &skip);
    assert!(
        want.contains(".1.3.6.1.2.1.2.2.1.6.2 = Hex-STRING: 00 00 5E 00 53 01"),
        "{want}"
    );
    let named = round_trip_every_style(
        &env,
        &demo.target,
        &want,
        &skip,
        "the demo agent",
        &[],
        true,
    );
    if test_mib_dirs().is_some() {
        assert_eq!(named, 5);
    }
    let (code, _, _) = demo.signal("TERM");
    assert_eq!(code, 0);
}

#[test]
fn the_readme_round_trip_on_snmpd_in_every_walk_style() {
    if !net_snmp_available("the_readme_round_trip_on_snmpd_in_every_walk_style") {
        return;
    }
    let env = NetSnmpEnv::new();
    let dir = TempDir::new("replay-snmpd").expect("temp dir");
    // snmpd's values move while it is walked (counters, load, processes):
    // its whole tree recorded exactly (-On) and served frozen is the
    // device every style walks, so the comparison is whole.
    let (recorded, frozen) = snmpd_walk_replayed(&env, &dir);
    let want = numeric_walk(&env, &frozen.target, &[]);
    assert!(
        want == recorded.stdout,
        "the frozen snmpd serves what was recorded"
    );
    // With MIBs, usmUserTable's index (an engine ID of octets Net-SNMP
    // prints as `.`) cannot be read back: the replay refuses the walk,
    // naming the line.
    if let Some(dirs) = test_mib_dirs() {
        let home = TempDir::new("replay-home").expect("temp dir");
        let walked = as_user(home.path())
            .args([
                "walk",
                "-M",
                &dirs,
                "-m",
                "ALL",
                "-v2c",
                "-c",
                "public",
                &frozen.target,
                ".1",
            ])
            .output()
            .map(Outcome::from)
            .expect("run oxsnmp walk");
        assert_eq!(walked.code, 0, "{walked:?}");
        // The first name with a quoted index part holding '.'.
        let dotted = |l: &&str| {
            let name = l.split(" = ").next().unwrap_or("");
            name.split(['"', '\''])
                .skip(1)
                .step_by(2)
                .any(|quoted| quoted.contains('.'))
        };
        let line = 1 + walked
            .stdout
            .lines()
            .position(|l| dotted(&l))
            .expect("a quoted index holding '.' in the walk");
        assert!(walked
            .stdout
            .lines()
            .any(|l| l.starts_with("SNMP-USER-BASED-SM-MIB::usmUser") && dotted(&l)));
        let named = dir.path().join("named.walk");
        std::fs::write(&named, &walked.stdout).expect("write walk");
        let named = named.to_str().expect("utf-8 path");
        let out = as_user(home.path())
            .args([
                "agent",
                "--data",
                named,
                "-M",
                &dirs,
                "-m",
                "ALL",
                "udp:127.0.0.1:0",
            ])
            .output()
            .map(Outcome::from)
            .expect("run oxsnmp agent");
        assert_eq!(out.code, 1, "{out:?}");
        let message = format!("oxsnmp: {named}: line {line}: cannot resolve \"");
        assert!(out.stderr.contains(&message), "{message}\n{}", out.stderr);
        assert!(out.stderr.contains("octets are lost"), "{}", out.stderr);
        assert!(
            out.stderr.contains("snmpwalk -On -Ox -m ''"),
            "{}",
            out.stderr
        );
    }
    let (code, _, _) = frozen.signal("TERM");
    assert_eq!(code, 0);

    // The rest of snmpd's tree round-trips in every style: all but
    // usmUserTable and nsLogTable (indexed by snmpd's log file's path).
    const LOSSY: [&str; 2] = [".1.3.6.1.6.3.15.1.2.2.", ".1.3.6.1.4.1.8072.1.7.2."];
    let mut rest = String::new();
    let mut dropping = false;
    for line in recorded.stdout.split_inclusive('\n') {
        if line.starts_with('.') {
            dropping = LOSSY.iter().any(|p| line.starts_with(p));
        }
        if !dropping {
            rest.push_str(line);
        }
    }
    assert!(rest.len() < recorded.stdout.len());
    let file = dir.path().join("snmpd.walk");
    std::fs::write(&file, &rest).expect("write walk");
    let frozen = AgentProcess::start(&[
        "--data",
        file.to_str().expect("utf-8 path"),
        "udp:127.0.0.1:0",
    ]);
    let want = numeric_walk(&env, &frozen.target, &[]);
    assert!(want == rest, "the frozen snmpd serves what was recorded");
    // -Os loses which `linux` sysObjectID is (NET-SNMP-TC's or
    // UCD-SNMP-MIB's), -Ou which prefix it dropped before sysORID's `49`
    // (mib-2.49 or experimental.49): refused.
    let refused = [
        (
            "-Os",
            "cannot resolve \"linux\" (it names more than one object",
        ),
        (
            "-Ou",
            "cannot resolve \"49\" (it names more than one object",
        ),
    ];
    // Net-SNMP's own snmpwalk with -m ALL names snmpd's zeroDotZero values
    // RFC1158-MIB::nullSpecific, a definition the MIB compiler does not
    // keep: that walk is not read (see the README).
    round_trip_every_style(&env, &frozen.target, &want, &[], "snmpd", &refused, false);
    let (code, _, _) = frozen.signal("TERM");
    assert_eq!(code, 0);
}

#[test]
fn walks_with_names_are_read_back_exactly_or_refused_with_the_line() {
    let home = TempDir::new("replay-refused").expect("temp dir");
    let dir = home.path();
    let refuse = |name: &str, text: &str, mibs: &[&str]| {
        let path = write(dir, name, text);
        let mut args = vec!["--data", path.as_str()];
        args.extend(mibs);
        args.push("udp:127.0.0.1:0");
        let out = agent_refuses(&mut as_user(dir), &args);
        let prefix = format!("oxsnmp: {path}: line ");
        assert!(out.starts_with(&prefix), "{out}");
        out.trim_start_matches(&prefix).to_owned()
    };
    // Without the MIBs it needs (-m ''): the name, and what to do.
    let out = refuse(
        "no-mibs.walk",
        "iso.3.6.1.2.1.1.5.0 = STRING: \"ok\"\nIF-MIB::ifDescr.1 = STRING: lo\n",
        &["-m", ""],
    );
    assert!(
        out.starts_with("2: cannot resolve \"IF-MIB::ifDescr.1\" (Unknown Object Identifier (Cannot find module (IF-MIB)))"),
        "{out}"
    );
    assert!(
        out.contains("`oxsnmp record` or `snmpwalk -On -Ox -m ''`"),
        "{out}"
    );
    let Some(dirs) = test_mib_dirs() else {
        let message = "the test MIB files are missing; run .ci/prepare-mibs";
        assert!(
            !in_ci(),
            "{message} (CI=true: missing test data is a failure)"
        );
        eprintln!("SKIP the rest of walks_with_names_are_read_back_exactly_or_refused_with_the_line: {message}");
        return;
    };
    // The modules by name: with every module of the corpus, Net-SNMP's
    // link order gives ifPhysAddress RFC1213-MIB's definition (no hint).
    let mibs = [
        "-M",
        dirs.as_str(),
        "-m",
        "SNMPv2-MIB:IF-MIB:SNMP-USER-BASED-SM-MIB",
    ];
    // ifPhysAddress under `1x:` prints `0:c`, never `00:0c`.
    let out = refuse(
        "padded.walk",
        "IF-MIB::ifDescr.1 = STRING: lo\nIF-MIB::ifPhysAddress.1 = STRING: 00:0c\n",
        &mibs,
    );
    assert!(
        out.starts_with(
            "2: STRING value \"00:0c\" cannot be read back exactly (under DISPLAY-HINT \"1x:\""
        ),
        "{out}"
    );
    // Not the hint's form at all.
    let out = refuse(
        "nohex.walk",
        "IF-MIB::ifPhysAddress.1 = STRING: 0:zz\n",
        &mibs,
    );
    assert!(
        out.starts_with("1: STRING value \"0:zz\" cannot be read back exactly"),
        "{out}"
    );
    // An index with octets printed as '.'.
    let out = refuse(
        "dotted.walk",
        "SNMP-USER-BASED-SM-MIB::usmUserStatus.\"...\".\"ops\" = INTEGER: active(1)\n",
        &mibs,
    );
    assert!(out.contains("octets are lost"), "{out}");

    // What reads back: hints, enums, UNITS, OID values, -Of paths.
    let path = write(
        dir,
        "good.walk",
        "IF-MIB::ifPhysAddress.2 = STRING: 0:0:5e:0:53:1
IF-MIB::ifAdminStatus.2 = INTEGER: down(2)
SNMPv2-MIB::sysObjectID.0 = OID: SNMPv2-SMI::enterprises.8072.3.2.10
.iso.org.dod.internet.mgmt.mib-2.system.sysName.0 = STRING: \"quoted\" name
SNMPv2-MIB::sysUpTime.0 = Timeticks: (123) 0:00:01.23
",
    );
    let mut args = vec!["--data", path.as_str()];
    args.extend(mibs);
    args.push("udp:127.0.0.1:0");
    let replay = AgentProcess::start_in(&mut as_user(dir), &args);
    let env = NetSnmpEnv::new();
    if find_program("snmpbulkwalk").is_some() {
        let got = numeric_walk(&env, &replay.target, &[]);
        assert_eq!(
            got,
            ".1.3.6.1.2.1.1.2.0 = OID: .1.3.6.1.4.1.8072.3.2.10
.1.3.6.1.2.1.1.3.0 = Timeticks: (123) 0:00:01.23
.1.3.6.1.2.1.1.5.0 = STRING: \"\\\"quoted\\\" name\"
.1.3.6.1.2.1.2.2.1.6.2 = Hex-STRING: 00 00 5E 00 53 01 
.1.3.6.1.2.1.2.2.1.7.2 = INTEGER: 2
.1.3.6.1.2.1.2.2.1.7.2 = No more variables left in this MIB View (It is past the end of the MIB tree)
"
        );
    }
    let (code, _, _) = replay.signal("TERM");
    assert_eq!(code, 0);
}

/// Starts `oxsnmp agent ARGS`, which must fail at once: exit 1, nothing
/// listening, one message on stderr.
fn agent_fails(args: &[&str]) -> String {
    let mut full = vec!["agent"];
    full.extend_from_slice(args);
    full.push("udp:127.0.0.1:0");
    let out = oxsnmp_bounded(&full);
    assert_eq!(out.code, 1, "{out:?}");
    assert!(!out.stdout.contains("listening"), "{out:?}");
    out.stderr
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write file");
    path.to_str().expect("utf-8 path").to_owned()
}

#[test]
fn bad_data_files_are_reported_with_line_numbers() {
    let dir = TempDir::new("agent-bad").expect("temp dir");
    let bad_oid = write(
        dir.path(),
        "bad.snmprec",
        "1.3.6.1.2.1.1.5.0|4|ok\n# comment\n1.3.x|2|1\n",
    );
    assert_eq!(
        agent_fails(&["--data", &bad_oid]),
        format!("oxsnmp: {bad_oid}: line 3: invalid OID \"1.3.x\"\n")
    );
    let bad_type = write(
        dir.path(),
        "type.snmprec",
        "1.3.6.1.4.1.1.0|2|1\n1.3.6.1.4.1.2.0|99|1\n",
    );
    assert_eq!(
        agent_fails(&["--data", &bad_type]),
        format!("oxsnmp: {bad_type}: line 2: unknown type \"99\"\n")
    );
    let bad_value = write(dir.path(), "value.snmprec", "1.3.6.1.4.1.1.0|65|-1\n");
    assert_eq!(
        agent_fails(&["--data", &bad_value]),
        format!("oxsnmp: {bad_value}: line 1: invalid 65 value \"-1\"\n")
    );
    let variation = write(
        dir.path(),
        "variation.snmprec",
        "1.3.6.1.4.1.1.0|2|1\n1.3.6.1.2.1.1.3.0|67:numeric|rate=100\n",
    );
    assert_eq!(
        agent_fails(&["--data", &variation]),
        format!(
            "oxsnmp: {variation}: line 2: this line needs snmpsim's variation module \"numeric\" \
             (type \"67:numeric\"); oxsnmp serves static data only\n"
        )
    );
    let duplicate = write(
        dir.path(),
        "dup.snmprec",
        "1.3.6.1.4.1.1.0|2|1\n1.3.6.1.4.1.2.0|2|1\n1.3.6.1.4.1.1.0|2|2\n",
    );
    assert_eq!(
        agent_fails(&["--data", &duplicate]),
        format!(
            "oxsnmp: {duplicate}: line 3: duplicate OID 1.3.6.1.4.1.1.0 (first recorded on line 1)\n"
        )
    );
    let open_string = write(
        dir.path(),
        "open.walk",
        ".1.3.6.1.4.1.1.0 = INTEGER: 1\n.1.3.6.1.4.1.2.0 = STRING: \"never\nclosed\n",
    );
    assert_eq!(
        agent_fails(&["--data", &open_string]),
        format!(
            "oxsnmp: {open_string}: line 2: string not terminated (no closing quote before the end of the file)\n"
        )
    );
    let bad_walk = write(
        dir.path(),
        "bad.walk",
        ".1.3.6.1.4.1.1.0 = Counter32: lots\n",
    );
    assert_eq!(
        agent_fails(&["--data", &bad_walk]),
        format!("oxsnmp: {bad_walk}: line 1: invalid Counter32 value \"lots\"\n")
    );
    // An snmprec file read as snmpwalk output, by --format.
    let good = write(dir.path(), "good.snmprec", "1.3.6.1.4.1.1.0|2|1\n");
    assert_eq!(
        agent_fails(&["--data", &good, "--format", "snmpwalk"]),
        format!(
            "oxsnmp: {good}: line 1: expected \"OID = TYPE: VALUE\", found \"1.3.6.1.4.1.1.0|2|1\"\n"
        )
    );
    let missing = dir.path().join("missing.snmprec");
    let missing = missing.to_str().expect("utf-8 path");
    let err = agent_fails(&["--data", missing]);
    assert!(err.starts_with(&format!("oxsnmp: {missing}: ")), "{err}");
    let err = agent_fails(&["--data", &good, "--format", "csv"]);
    assert!(err.contains("unknown recording format \"csv\""), "{err}");
    // A listening address that cannot be used.
    let out = oxsnmp_bounded(&["agent", "tcp:127.0.0.1:0"]);
    assert_eq!(out.code, 1, "{out:?}");
    assert!(out.stderr.starts_with("oxsnmp: "), "{out:?}");
}

#[test]
fn sigterm_and_sigint_stop_the_agent_with_exit_0() {
    for signal in ["TERM", "INT"] {
        let agent = AgentProcess::start(&["--rw-community", "private", "udp:127.0.0.1:0"]);
        // It answers, and the read-write community writes.
        let out = oxsnmp(&[
            "set",
            "-c",
            "private",
            &agent.target,
            ".1.3.6.1.2.1.1.5.0",
            "s",
            "renamed",
        ]);
        assert_eq!(
            out.stdout, ".1.3.6.1.2.1.1.5.0 = STRING: \"renamed\"\n",
            "{out:?}"
        );
        let (code, took, rest) = agent.signal(signal);
        assert_eq!(code, 0, "SIG{signal}");
        assert!(took < Duration::from_secs(10), "SIG{signal}: {took:?}");
        assert!(
            rest.iter().any(|l| l.starts_with("oxsnmp agent: stopped")),
            "{rest:?}"
        );
    }
}

#[test]
fn agent_listens_on_ipv6_and_several_addresses() {
    if std::net::UdpSocket::bind("[::1]:0").is_err() {
        eprintln!("SKIPPED agent_listens_on_ipv6_and_several_addresses: no IPv6 loopback");
        return;
    }
    let agent = AgentProcess::start(&["udp:127.0.0.1:0", "udp6:[::1]:0"]);
    let v6 = agent
        .lines
        .recv_timeout(START_TIMEOUT)
        .expect("second listening line");
    let v6 = v6.strip_prefix("listening on ").expect("listening line");
    assert!(v6.starts_with("udp6:[::1]:"), "{v6}");
    for target in [agent.target.as_str(), v6] {
        let out = oxsnmp(&["get", "-c", "public", target, ".1.3.6.1.2.1.1.1.0"]);
        assert_eq!(
            out.stdout,
            ".1.3.6.1.2.1.1.1.0 = STRING: \"oxsnmp demo agent\"\n"
        );
    }
}

/// The boots an agent printed on its `SNMPv3 engine ID ..., boots N` line.
fn printed_boots(agent: &AgentProcess) -> (String, u32) {
    let line = agent
        .preamble
        .iter()
        .find(|l| l.contains("SNMPv3 engine ID"))
        .unwrap_or_else(|| panic!("no engine line in {:?}", agent.preamble));
    let (id, boots) = line
        .trim_start_matches("oxsnmp agent: SNMPv3 engine ID ")
        .split_once(", boots ")
        .expect("ID, boots N");
    (id.to_owned(), boots.parse().expect("a count"))
}

#[test]
fn an_agent_with_only_users_serves_snmpv3_and_no_community() {
    let agent = AgentProcess::start(&["--user", "ops SHA-256 authsecret1", "udp:127.0.0.1:0"]);
    for version in ["1", "2c"] {
        let out = oxsnmp_bounded(&[
            "get",
            "-v",
            version,
            "-c",
            "public",
            "-t",
            "1",
            "-r",
            "0",
            &agent.target,
            ".1.3.6.1.2.1.1.5.0",
        ]);
        assert_ne!(out.code, 0, "v{version} answered: {}", out.stdout);
        assert!(out.stderr.contains("Timeout"), "{}", out.stderr);
    }
    let out = oxsnmp_bounded(&[
        "get",
        "-v3",
        "-u",
        "ops",
        "-l",
        "authNoPriv",
        "-a",
        "SHA-256",
        "-A",
        "authsecret1",
        &agent.target,
        ".1.3.6.1.2.1.1.5.0",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.starts_with(".1.3.6.1.2.1.1.5.0 = STRING: "),
        "{}",
        out.stdout
    );
    // The user has a key: noAuthNoPriv under its name gets nothing.
    let out = oxsnmp_bounded(&[
        "get",
        "-v3",
        "-u",
        "ops",
        "-l",
        "noAuthNoPriv",
        "-t",
        "1",
        "-r",
        "0",
        &agent.target,
        ".1.3.6.1.2.1.1.5.0",
    ]);
    assert_ne!(out.code, 0, "noAuthNoPriv answered: {}", out.stdout);
}

#[test]
fn an_empty_community_is_refused_unless_allowed() {
    let out = oxsnmp_bounded(&["agent", "-c", "", "udp:127.0.0.1:0"]);
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.contains("an empty community is refused"),
        "{}",
        out.stderr
    );
    let out = oxsnmp_bounded(&["agent", "--rw-community", "", "udp:127.0.0.1:0"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    let agent = AgentProcess::start(&["-c", "", "--allow-empty-community", "udp:127.0.0.1:0"]);
    let out = oxsnmp_bounded(&["get", "-v2c", "-c", "", &agent.target, ".1.3.6.1.2.1.1.5.0"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    // And `public` is not served once a community is given.
    let out = oxsnmp_bounded(&[
        "get",
        "-v2c",
        "-c",
        "public",
        "-t",
        "1",
        "-r",
        "0",
        &agent.target,
        ".1.3.6.1.2.1.1.5.0",
    ]);
    assert_ne!(out.code, 0);
}

#[test]
fn boots_never_repeat_for_an_engine_id_across_restarts_on_one_state_file() {
    let dir = std::env::temp_dir().join(format!("oxsnmp-agent-boots-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let state = dir.join("engine.conf");
    let state = state.to_str().unwrap();
    let (a, b) = ("0x80001f88046167656e742d61", "0x80001f88046167656e742d62");
    let mut seen = Vec::new();
    for id in [a, b, a, b, a] {
        let agent = AgentProcess::start(&[
            "--user",
            "ops SHA authsecret1",
            "--engine-id",
            id,
            "--engine-state",
            state,
            "udp:127.0.0.1:0",
        ]);
        seen.push(printed_boots(&agent));
        if id == a && seen.len() == 1 {
            // A second agent on the same state while the first runs.
            let out = oxsnmp_bounded(&[
                "agent",
                "--user",
                "ops SHA authsecret1",
                "--engine-state",
                state,
                "udp:127.0.0.1:0",
            ]);
            assert_eq!(out.code, 1, "two agents on one state: {}", out.stdout);
            assert!(
                out.stderr.contains("in use by another running agent"),
                "{}",
                out.stderr
            );
        }
        let (code, _, _) = agent.signal("TERM");
        assert_eq!(code, 0);
    }
    let boots: Vec<u32> = seen.iter().map(|(_, b)| *b).collect();
    assert_eq!(boots, [1, 1, 2, 2, 3], "{seen:?}");
    // A state file that cannot be read stops the agent; nothing is reset.
    std::fs::write(dir.join("engine.conf"), "engineID zz\n").unwrap();
    let out = oxsnmp_bounded(&[
        "agent",
        "--user",
        "ops SHA authsecret1",
        "--engine-state",
        state,
        "udp:127.0.0.1:0",
    ]);
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("engine state"), "{}", out.stderr);
    let _ = std::fs::remove_dir_all(&dir);
}

/// `oxsnmp record` of a real snmpd (SNMPv2c and SNMPv3 authPriv), replayed
/// by `oxsnmp agent --data`: `snmpbulkwalk -Cr20` and a v1 `snmpwalk` print
/// the same against the replay as against snmpd (sysUpTime aside).
#[test]
fn oxsnmp_record_then_replay_walks_like_the_recorded_snmpd() {
    if !net_snmp_available("oxsnmp_record_then_replay_walks_like_the_recorded_snmpd") {
        return;
    }
    let env = NetSnmpEnv::new();
    let snmpd = Snmpd::start(&env);
    let dir = TempDir::new("record").expect("temp dir");
    let subtrees = [".1.3.6.1.2.1.1", ".1.3.6.1.4.1.99998", ".1.3.6.1.4.1.99999"];
    let file = dir.path().join("snmpd.snmprec");
    let file_arg = file.to_str().expect("utf-8 path");
    let target = snmpd.target();
    // The whole device, so the replay has what follows each subtree too.
    let out = oxsnmp_bounded(&["record", "-v2c", "-c", "public", "-o", file_arg, &target]);
    assert_eq!(out.code, 0, "{out:?}");
    let text = std::fs::read_to_string(&file).expect("the recording");
    assert!(text.lines().count() > 500, "{text}");
    assert!(
        text.lines().all(|l| l.split('|').count() >= 3),
        "snmprec lines: {text}"
    );
    // The same over SNMPv3 authPriv, to standard output: the same records.
    let v3 = oxsnmp_bounded(&[
        "record",
        "-v3",
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
        &target,
        subtrees[0],
        subtrees[1],
        subtrees[2],
    ]);
    assert_eq!(v3.code, 0, "{v3:?}");
    let static_part = |t: &str| -> String {
        t.lines()
            .filter(|l| {
                subtrees
                    .iter()
                    .any(|s| l.starts_with(&format!("{}.", &s[1..])))
            })
            .filter(|l| !l.starts_with("1.3.6.1.2.1.1.3.0|"))
            .map(|l| format!("{l}\n"))
            .collect()
    };
    assert!(static_part(&text).lines().count() > 20, "{text}");
    assert_eq!(static_part(&v3.stdout), static_part(&text));

    let replay = AgentProcess::start(&["--data", file_arg, "udp:127.0.0.1:0"]);
    let masked = |t: &str| -> String {
        t.lines()
            .filter(|l| !l.starts_with(".1.3.6.1.2.1.1.3.0 "))
            .map(|l| format!("{l}\n"))
            .collect()
    };
    for root in subtrees {
        for walk in [
            vec!["snmpbulkwalk", "-On", "-v2c", "-Cr20", "-c", "public"],
            vec!["snmpwalk", "-On", "-v1", "-c", "public"],
        ] {
            let (tool, opts) = walk.split_first().expect("a tool");
            let run = |agent: &str| {
                let mut a = opts.to_vec();
                a.push(agent);
                a.push(root);
                env.run(tool, &a)
            };
            let (theirs, replayed) = (run(&target), run(&replay.target));
            assert_eq!(theirs.code, 0, "{}", theirs.stderr);
            assert!(
                theirs.stdout.lines().count() > 2,
                "{tool} {root}: {}",
                theirs.stdout
            );
            assert_eq!(
                masked(&replayed.stdout),
                masked(&theirs.stdout),
                "{tool} {root}: the replay differs from snmpd"
            );
        }
    }
    let (code, _, _) = replay.signal("TERM");
    assert_eq!(code, 0);
}

#[test]
fn agent_help_documents_the_replay_rules() {
    for args in [&["help", "agent"][..], &["agent", "--help"]] {
        let out = oxsnmp_bounded(args);
        assert_eq!(out.code, 0, "{args:?}: {out:?}");
        for needle in [
            "--agent-counters",
            "oxsnmp serves static data only",
            "its snmp group (.1.3.6.1.2.1.11) as recorded",
            ".sapwalk",
        ] {
            assert!(
                out.stdout.contains(needle),
                "{args:?}: no {needle:?} in\n{}",
                out.stdout
            );
        }
    }
}
