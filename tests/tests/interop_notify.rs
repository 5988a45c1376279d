//! Notifications against Net-SNMP, both directions, through each runtime:
//! `snmptrap` and `snmpinform` to our `TrapListener`, and our `Client`'s
//! traps and informs to `snmptrapd`, whose log is read back varbind by
//! varbind.

use std::net::Ipv4Addr;
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use oxsnmp_core::notify::{Notification, NotificationKind, ReceiverConfig, Trap};
use oxsnmp_core::{Oid, TrapV1Pdu, Value, VarBind, Version};
use oxsnmp_tests::notify_runtimes::{listener, sender, TestListener, RUNTIMES};
use oxsnmp_tests::peers::{require, NO_MIBS};
use oxsnmp_tests::runtimes::Options;
use oxsnmp_tests::trapd::Snmptrapd;

const WAIT: Duration = Duration::from_secs(10);

fn oid(s: &str) -> Oid {
    s.parse().expect("valid OID in test")
}

/// Runs a Net-SNMP tool with no MIBs and no configuration of the user's.
fn tool(program: &str, args: &[&str]) -> Output {
    let empty = std::env::temp_dir().join("oxsnmp-no-snmp-conf");
    let _ = std::fs::create_dir_all(&empty);
    Command::new(program)
        .args(args)
        .envs(NO_MIBS)
        .env("SNMPCONFPATH", &empty)
        .env("HOME", &empty)
        .stdin(Stdio::null())
        .output()
        .expect("Net-SNMP tool runs")
}

fn assert_ok(out: &Output, what: &str) {
    assert!(
        out.status.success(),
        "{what} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The host's uptime in hundredths of a second, what `snmptrap` sends for
/// an empty UPTIME.
fn host_uptime() -> Option<u32> {
    let text = std::fs::read_to_string("/proc/uptime").ok()?;
    let secs: f64 = text.split_whitespace().next()?.parse().ok()?;
    Some((secs * 100.0) as u32)
}

/// The varbinds every `snmptrap` below sends, as arguments and as values.
fn triples() -> (Vec<&'static str>, Vec<VarBind>) {
    let args = vec![
        "1.3.6.1.2.1.1.5.0",
        "s",
        "router one",
        "1.3.6.1.4.1.99999.1",
        "x",
        "00 ff 80",
        "1.3.6.1.4.1.99999.2",
        "i",
        "-42",
        "1.3.6.1.4.1.99999.3",
        "u",
        "4000000000",
        "1.3.6.1.4.1.99999.4",
        "t",
        "12345",
        "1.3.6.1.4.1.99999.5",
        "a",
        "10.1.2.3",
        "1.3.6.1.4.1.99999.6",
        "o",
        ".1.3.6.1.4.1.99999.77",
        "1.3.6.1.4.1.99999.7",
        "d",
        "1.2.3",
    ];
    let values = vec![
        VarBind::new(oid("1.3.6.1.2.1.1.5.0"), Value::from("router one")),
        VarBind::new(
            oid("1.3.6.1.4.1.99999.1"),
            Value::OctetString(vec![0, 0xff, 0x80]),
        ),
        VarBind::new(oid("1.3.6.1.4.1.99999.2"), Value::Integer(-42)),
        VarBind::new(oid("1.3.6.1.4.1.99999.3"), Value::Gauge32(4_000_000_000)),
        VarBind::new(oid("1.3.6.1.4.1.99999.4"), Value::TimeTicks(12345)),
        VarBind::new(
            oid("1.3.6.1.4.1.99999.5"),
            Value::IpAddress(Ipv4Addr::new(10, 1, 2, 3)),
        ),
        VarBind::new(
            oid("1.3.6.1.4.1.99999.6"),
            Value::ObjectIdentifier(oid("1.3.6.1.4.1.99999.77")),
        ),
        VarBind::new(
            oid("1.3.6.1.4.1.99999.7"),
            Value::OctetString(vec![1, 2, 3]),
        ),
    ];
    (args, values)
}

fn target(l: &dyn TestListener) -> String {
    format!("udp:{}", l.local_addrs()[0])
}

#[test]
fn netsnmp_traps_and_informs_to_our_listener_in_each_runtime() {
    let test = "netsnmp_traps_and_informs_to_our_listener_in_each_runtime";
    if !require("snmptrap", test) || !require("snmpinform", test) {
        return;
    }
    let (args, values) = triples();
    for runtime in RUNTIMES {
        let mut l = listener(
            runtime,
            &["udp:127.0.0.1:0"],
            ReceiverConfig::new().community("public"),
        );
        let to = target(l.as_ref());

        // SNMPv2c trap with an explicit uptime.
        let mut a = vec![
            "-v",
            "2c",
            "-c",
            "public",
            &to,
            "4242",
            ".1.3.6.1.4.1.99999.0.3",
        ];
        a.extend(&args);
        assert_ok(&tool("snmptrap", &a), "snmptrap -v 2c");
        let e = l
            .next(WAIT)
            .unwrap_or_else(|| panic!("{runtime}: no v2c trap"));
        assert_eq!(
            (e.kind, e.version, e.community.as_slice()),
            (NotificationKind::Trap, Version::V2c, &b"public"[..])
        );
        assert_eq!(e.sys_up_time(), 4242);
        assert_eq!(e.trap_oid(), &oid("1.3.6.1.4.1.99999.0.3"));
        assert_eq!(
            e.varbinds(),
            &values[..],
            "{runtime}: every varbind with its type"
        );
        assert!(e.source.ip().is_loopback());

        // An empty UPTIME: snmptrap sends the host's uptime.
        let before = host_uptime();
        assert_ok(
            &tool(
                "snmptrap",
                &["-v", "2c", "-c", "public", &to, "", ".1.3.6.1.6.3.1.1.5.1"],
            ),
            "snmptrap ''",
        );
        let after = host_uptime();
        let e = l
            .next(WAIT)
            .unwrap_or_else(|| panic!("{runtime}: no trap with empty uptime"));
        if let (Some(b), Some(a)) = (before, after) {
            assert!(
                b <= e.sys_up_time() + 1 && e.sys_up_time() <= a + 1,
                "{runtime}: {} not in {b}..={a}",
                e.sys_up_time()
            );
        }

        // SNMPv1 trap.
        let mut a = vec![
            "-v",
            "1",
            "-c",
            "public",
            &to,
            ".1.3.6.1.4.1.99999.5",
            "127.0.0.9",
            "6",
            "17",
            "777",
        ];
        a.extend(&args);
        assert_ok(&tool("snmptrap", &a), "snmptrap -v 1");
        let e = l
            .next(WAIT)
            .unwrap_or_else(|| panic!("{runtime}: no v1 trap"));
        assert_eq!((e.kind, e.version), (NotificationKind::TrapV1, Version::V1));
        let f = e.v1.clone().expect("v1 fields");
        assert_eq!(
            (
                f.enterprise,
                f.agent_addr,
                f.generic_trap,
                f.specific_trap,
                f.time_stamp
            ),
            (
                oid("1.3.6.1.4.1.99999.5"),
                Ipv4Addr::new(127, 0, 0, 9),
                6,
                17,
                777
            )
        );
        assert_eq!(e.trap_oid(), &oid("1.3.6.1.4.1.99999.5.0.17"));
        assert_eq!(e.varbinds(), &values[..], "{runtime}: v1 varbinds");

        // SNMPv2c inform: snmpinform exits 0 only once acknowledged.
        let mut a = vec![
            "-v",
            "2c",
            "-c",
            "public",
            "-r",
            "1",
            "-t",
            "2",
            &to,
            "99",
            ".1.3.6.1.6.3.1.1.5.4",
        ];
        a.extend(&args);
        assert_ok(&tool("snmpinform", &a), "snmpinform");
        let e = l
            .next(WAIT)
            .unwrap_or_else(|| panic!("{runtime}: no inform"));
        assert_eq!(
            (e.kind, e.sys_up_time(), e.trap_oid()),
            (NotificationKind::Inform, 99, &oid("1.3.6.1.6.3.1.1.5.4"))
        );
        assert_eq!(e.varbinds(), &values[..]);

        // A community not accepted: dropped, counted, not answered.
        assert_ok(
            &tool(
                "snmptrap",
                &["-v", "2c", "-c", "other", &to, "1", ".1.3.6.1.6.3.1.1.5.1"],
            ),
            "snmptrap other",
        );
        let refused = tool(
            "snmpinform",
            &[
                "-v",
                "2c",
                "-c",
                "other",
                "-r",
                "0",
                "-t",
                "0.3",
                &to,
                "1",
                ".1.3.6.1.6.3.1.1.5.1",
            ],
        );
        assert!(
            !refused.status.success(),
            "{runtime}: an inform with a bad community is not acknowledged"
        );
        assert!(l.next(Duration::from_millis(300)).is_none());
        let s = l.stats();
        assert_eq!(
            (s.traps, s.v1_traps, s.informs, s.bad_community_names),
            (2, 1, 1, 2),
            "{runtime}: {s:?}"
        );
        assert!(s.accounted());
    }
}

fn rich(tag: &str) -> Notification {
    Notification::new(4242, oid("1.3.6.1.4.1.99999.0.3"))
        .varbind(oid("1.3.6.1.2.1.1.5.0"), tag)
        .varbind(
            oid("1.3.6.1.4.1.99999.1"),
            Value::OctetString(vec![0, 0xff, 0x80]),
        )
        .varbind(oid("1.3.6.1.4.1.99999.2"), Value::Integer(-42))
        .varbind(oid("1.3.6.1.4.1.99999.3"), Value::Gauge32(4_000_000_000))
        .varbind(oid("1.3.6.1.4.1.99999.4"), Value::Counter32(7))
        .varbind(
            oid("1.3.6.1.4.1.99999.5"),
            Value::IpAddress(Ipv4Addr::new(10, 1, 2, 3)),
        )
        .varbind(
            oid("1.3.6.1.4.1.99999.6"),
            Value::ObjectIdentifier(oid("1.3.6.1.4.1.99999.77")),
        )
        .varbind(oid("1.3.6.1.4.1.99999.7"), Value::TimeTicks(12345))
}

#[test]
fn our_traps_and_informs_to_snmptrapd_in_each_runtime() {
    let test = "our_traps_and_informs_to_snmptrapd_in_each_runtime";
    if !require("snmptrapd", test) {
        return;
    }
    let trapd = Snmptrapd::start("public").expect("snmptrapd starts");
    let to = format!("udp:{}", trapd.addr);
    let mut expected = 0;
    for runtime in RUNTIMES {
        let o = |version| Options {
            version,
            community: "public".into(),
            timeout: Duration::from_secs(1),
            retries: 3,
            ..Options::default()
        };
        let v2 = sender(runtime, &to, &o(Version::V2c));
        let v1 = sender(runtime, &to, &o(Version::V1));

        let mut with_c64 = rich(runtime);
        with_c64.varbinds.push(VarBind::new(
            oid("1.3.6.1.4.1.99999.8"),
            Value::Counter64(u64::MAX),
        ));
        v2.trap(Trap::V2(with_c64.clone())).expect("trap sent");
        v2.inform(&rich(&format!("{runtime} inform")))
            .expect("snmptrapd acknowledges the inform");
        let t = TrapV1Pdu {
            enterprise: oid("1.3.6.1.4.1.99999.5"),
            agent_addr: Ipv4Addr::new(127, 0, 0, 9),
            generic_trap: 6,
            specific_trap: 17,
            time_stamp: 777,
            varbinds: rich(runtime).varbinds,
        };
        v1.trap(Trap::V1(t)).expect("v1 trap sent");
        expected += 3;

        let logged = trapd.wait_for(expected);
        assert_eq!(
            logged.len(),
            expected,
            "{runtime}: snmptrapd logged {logged:#?}"
        );
        let got = &logged[expected - 3..];
        // Traps and informs may be logged in any order relative to each other.
        let find = |kind: &str| {
            got.iter()
                .find(|l| l.security.starts_with(kind))
                .unwrap_or_else(|| panic!("{runtime}: no {kind} in {got:#?}"))
        };
        let trap = find("TRAP2,");
        assert_eq!(trap.security, "TRAP2, SNMP v2c, community public");
        assert_eq!(
            trap.notification().as_ref(),
            Some(&with_c64),
            "{runtime}: every varbind of the trap"
        );
        let inform = find("INFORM,");
        assert_eq!(inform.security, "INFORM, SNMP v2c, community public");
        assert_eq!(
            inform.notification(),
            Some(rich(&format!("{runtime} inform")))
        );
        let v1 = find("TRAP,");
        assert_eq!(v1.security, "TRAP, SNMP v1, community public");
        assert_eq!(
            v1.v1,
            Some((
                oid("1.3.6.1.4.1.99999.5"),
                "127.0.0.9".to_owned(),
                6,
                17,
                777
            ))
        );
        let v1_vbs: Vec<VarBind> = v1
            .varbinds
            .iter()
            .map(|(o, v)| VarBind::new(o.clone(), v.clone()))
            .collect();
        assert_eq!(
            v1_vbs,
            rich(runtime).varbinds,
            "{runtime}: every varbind of the v1 trap"
        );
    }
}

/// SNMPv3 informs go through the manager's SNMPv3 path like any request
/// (discovery of snmptrapd's engine, which is authoritative for informs,
/// then authPriv); SNMPv3 traps are sent by the sender's own engine, whose
/// ID snmptrapd's `createUser -e` names.
#[test]
fn snmpv3_traps_and_informs_to_snmptrapd_in_each_runtime() {
    use oxsnmp_core::manager::V3Security;
    use oxsnmp_core::usm::{AuthProtocol, PrivProtocol, Secret, UsmUser};
    use oxsnmp_core::v3::{EngineId, SecurityLevel};
    use std::sync::Arc;

    let test = "snmpv3_traps_and_informs_to_snmptrapd_in_each_runtime";
    if !require("snmptrapd", test) {
        return;
    }
    let sender_engine = EngineId::from_text(99999, "oxsnmp-sender");
    let trapd = Snmptrapd::start_with(
        "public",
        &[
            "createUser inform-user SHA256 inform-auth-pass AES inform-priv-pass",
            "authUser log inform-user",
            &format!(
                "createUser -e 0x{sender_engine} trap-user SHA512 trap-auth-pass AES256 trap-priv-pass"
            ),
            "authUser log trap-user",
        ],
    )
    .expect("snmptrapd starts");
    let to = format!("udp:{}", trapd.addr);
    let inform_user = UsmUser::new("inform-user")
        .and_then(|u| u.with_auth(AuthProtocol::Sha256, Secret::Password(b"inform-auth-pass")))
        .and_then(|u| u.with_privacy(PrivProtocol::Aes128, Secret::Password(b"inform-priv-pass")))
        .expect("valid user");
    let trap_user = UsmUser::new("trap-user")
        .and_then(|u| u.with_auth(AuthProtocol::Sha512, Secret::Password(b"trap-auth-pass")))
        .and_then(|u| u.with_privacy(PrivProtocol::Aes256, Secret::Password(b"trap-priv-pass")))
        .expect("valid user");
    let mut expected = 0;
    for runtime in RUNTIMES {
        let o = |security: V3Security| Options {
            version: Version::V3,
            v3: Some(Arc::new(security)),
            ..Options::default()
        };
        let informer = sender(
            runtime,
            &to,
            &o(V3Security::new(
                inform_user.clone(),
                SecurityLevel::AuthPriv,
            )),
        );
        informer
            .inform(&rich(&format!("{runtime} v3")))
            .expect("snmptrapd acknowledges the SNMPv3 inform");
        let trapper = sender(
            runtime,
            &to,
            &o(V3Security::new(trap_user.clone(), SecurityLevel::AuthPriv)
                .engine_id(sender_engine.clone())),
        );
        trapper
            .trap(Trap::V2(rich(&format!("{runtime} v3 trap"))))
            .expect("SNMPv3 trap sent");
        expected += 2;
        let logged = trapd.wait_for(expected);
        assert_eq!(logged.len(), expected, "{runtime}: {logged:#?}");
        let got = &logged[expected - 2..];
        let inform = got
            .iter()
            .find(|l| l.security.starts_with("INFORM"))
            .unwrap_or_else(|| panic!("{runtime}: no inform in {got:#?}"));
        assert_eq!(
            inform.security, "INFORM, SNMP v3, user inform-user, context ",
            "{runtime}"
        );
        assert_eq!(
            inform.notification(),
            Some(rich(&format!("{runtime} v3"))),
            "{runtime}"
        );
        let trap = got
            .iter()
            .find(|l| l.security.starts_with("TRAP2"))
            .unwrap_or_else(|| panic!("{runtime}: no trap in {got:#?}"));
        assert_eq!(
            trap.security, "TRAP2, SNMP v3, user trap-user, context ",
            "{runtime}"
        );
        assert_eq!(
            trap.notification(),
            Some(rich(&format!("{runtime} v3 trap"))),
            "{runtime}"
        );
    }
}

/// Net-SNMP's `snmptrap -v3` (from its own engine, named with `-e`) and
/// `snmpinform -v3` (to ours, discovered) to each runtime's listener, with
/// a user tied to the sending engine, one for any engine, and a wrong
/// password that must not get through.
#[test]
fn netsnmp_snmpv3_traps_and_informs_to_our_listener_in_each_runtime() {
    use oxsnmp_core::usm::parse_create_user;
    use oxsnmp_core::v3::SecurityLevel;

    let test = "netsnmp_snmpv3_traps_and_informs_to_our_listener_in_each_runtime";
    if !require("snmptrap", test) || !require("snmpinform", test) {
        return;
    }
    let tied =
        parse_create_user("-e 0x80001f88046e65747461 tied SHA tied-auth-pw AES tied-priv-pw")
            .unwrap();
    let any = parse_create_user("any SHA-512 any-auth-pw AES-256 any-priv-pw").unwrap();
    let (args, values) = triples();
    for runtime in RUNTIMES {
        let config = ReceiverConfig::new()
            .user(tied.engine_id.clone(), tied.user.clone())
            .user(any.engine_id.clone(), any.user.clone());
        let mut l = listener(runtime, &["udp:127.0.0.1:0"], config);
        let to = target(l.as_ref());
        let run = |program: &str, user: &[&str]| {
            let mut a = vec!["-v", "3", "-r", "2", "-t", "2"];
            a.extend_from_slice(user);
            a.extend([to.as_str(), "", "1.3.6.1.6.3.1.1.5.3"]);
            a.extend(args.iter().copied());
            tool(program, &a)
        };
        let tied_args = [
            "-e",
            "0x80001f88046e65747461",
            "-u",
            "tied",
            "-l",
            "authPriv",
            "-a",
            "SHA",
            "-A",
            "tied-auth-pw",
            "-x",
            "AES",
            "-X",
            "tied-priv-pw",
        ];
        assert_ok(&run("snmptrap", &tied_args), "snmptrap -v3 (tied user)");
        let any_trap = [
            "-e",
            "0x80001f8804616e79",
            "-u",
            "any",
            "-l",
            "authPriv",
            "-a",
            "SHA-512",
            "-A",
            "any-auth-pw",
            "-x",
            "AES-256",
            "-X",
            "any-priv-pw",
        ];
        assert_ok(
            &run("snmptrap", &any_trap),
            "snmptrap -v3 (any-engine user)",
        );
        let any_inform = [
            "-u",
            "any",
            "-l",
            "authPriv",
            "-a",
            "SHA-512",
            "-A",
            "any-auth-pw",
            "-x",
            "AES-256",
            "-X",
            "any-priv-pw",
        ];
        assert_ok(&run("snmpinform", &any_inform), "snmpinform -v3");
        // A wrong password: counted, never delivered.
        let wrong = [
            "-e",
            "0x80001f8804616e79",
            "-u",
            "any",
            "-l",
            "authPriv",
            "-a",
            "SHA-512",
            "-A",
            "not-the-pw",
            "-x",
            "AES-256",
            "-X",
            "any-priv-pw",
        ];
        assert_ok(&run("snmptrap", &wrong), "snmptrap -v3 (wrong password)");

        let mut got = Vec::new();
        while got.len() < 3 {
            let e = l
                .next(WAIT)
                .unwrap_or_else(|| panic!("{runtime}: only {} of 3 notifications", got.len()));
            got.push(e);
        }
        for (e, (kind, user, engine)) in got.iter().zip([
            (NotificationKind::Trap, "tied", Some("80001f88046e65747461")),
            (NotificationKind::Trap, "any", Some("80001f8804616e79")),
            (NotificationKind::Inform, "any", None),
        ]) {
            assert_eq!(e.kind, kind, "{runtime}");
            assert_eq!(e.version, Version::V3);
            assert_eq!(e.varbinds(), &values[..], "{runtime}: every varbind");
            let v3 = e.v3.as_ref().expect("SNMPv3 source");
            assert_eq!(v3.user_name, user.as_bytes());
            assert_eq!(v3.level, SecurityLevel::AuthPriv);
            if let Some(engine) = engine {
                let hex: String = v3.engine_id.iter().map(|b| format!("{b:02x}")).collect();
                assert_eq!(hex, engine, "{runtime}");
            }
        }
        // The wrong password is dropped and counted; nothing else arrives.
        assert!(l.next(Duration::from_millis(300)).is_none(), "{runtime}");
        let stats = l.stats();
        assert_eq!(stats.usm_wrong_digests, 1, "{runtime}: {stats:?}");
    }
}
