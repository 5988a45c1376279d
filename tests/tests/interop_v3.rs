//! SNMPv3 interop, both directions, every runtime:
//!
//! * our `Client` (blocking, tokio, smol) against Net-SNMP's snmpd, and
//!   Net-SNMP's tools against our `AgentServer` (each runtime), for every
//!   authentication x privacy pair Net-SNMP 5.9 supports, plus
//!   noAuthNoPriv;
//! * the same against PySNMP 7.1 (its agent and its command generator) for
//!   what PySNMP adds: 3DES and AES-192/256 with both key extensions;
//! * the negative cases on both sides: wrong passwords, unknown user,
//!   security level too low, wrong context — each with its report,
//!   counter and error.
//!
//! Without Net-SNMP or PySNMP the tests print a skip; under `CI=true` they
//! fail. Traffic stays on 127.0.0.1.

use std::process::Output;
use std::sync::Arc;

use oxsnmp_core::agent::{Access, AgentConfig, SystemInfo};
use oxsnmp_core::manager::{ClientError, V3Security};
use oxsnmp_core::usm::{AuthProtocol, PrivProtocol, Secret, UsmUser};
use oxsnmp_core::v3::{EngineId, ReportKind, SecurityLevel};
use oxsnmp_core::{ErrorStatus, Oid, Value, VarBind, Version};
use oxsnmp_tests::agent_fixture::{self, target, tool, Runtime, Served};
use oxsnmp_tests::peers::{require, Snmpd, SnmpdConfig};
use oxsnmp_tests::pysnmp::{pysnmp_get, require_python, PyAgent, PyUser};
use oxsnmp_tests::runtimes::{all_clients, Options, TestClient};

const AUTH_PASS: &str = "auth-secret-1";
const PRIV_PASS: &str = "priv-secret-1";
const SYS_NAME: &str = "1.3.6.1.2.1.1.5.0";
const SYS_LOCATION: &str = "1.3.6.1.2.1.1.6.0";
const ENGINE_ID_OID: &str = "1.3.6.1.6.3.10.2.1.1.0";

fn oid(s: &str) -> Oid {
    s.parse().expect("valid OID")
}

/// One user: a name and its protocols.
#[derive(Debug, Clone)]
struct Combo {
    name: String,
    auth: Option<AuthProtocol>,
    privacy: Option<PrivProtocol>,
}

impl Combo {
    fn new(auth: Option<AuthProtocol>, privacy: Option<PrivProtocol>) -> Self {
        let name = match (auth, privacy) {
            (None, _) => "noauth".to_owned(),
            (Some(a), None) => format!("u-{}", a.name()),
            (Some(a), Some(p)) => format!("u-{}-{}", a.name(), p.name()),
        };
        Self {
            name,
            auth,
            privacy,
        }
    }

    fn level(&self) -> SecurityLevel {
        match (self.auth, self.privacy) {
            (None, _) => SecurityLevel::NoAuthNoPriv,
            (Some(_), None) => SecurityLevel::AuthNoPriv,
            _ => SecurityLevel::AuthPriv,
        }
    }

    fn user_with(&self, auth_pass: &str, priv_pass: &str) -> UsmUser {
        let mut u = UsmUser::new(&self.name).unwrap();
        if let Some(a) = self.auth {
            u = u
                .with_auth(a, Secret::Password(auth_pass.as_bytes()))
                .unwrap();
        }
        if let Some(p) = self.privacy {
            u = u
                .with_privacy(p, Secret::Password(priv_pass.as_bytes()))
                .unwrap();
        }
        u
    }

    fn user(&self) -> UsmUser {
        self.user_with(AUTH_PASS, PRIV_PASS)
    }

    /// snmpd.conf's createUser line.
    fn create_user(&self) -> String {
        let mut line = format!("createUser {}", self.name);
        if let Some(a) = self.auth {
            line.push_str(&format!(" {} {AUTH_PASS}", a.name()));
            if let Some(p) = self.privacy {
                line.push_str(&format!(" {} {PRIV_PASS}", p.name()));
            }
        }
        line
    }

    /// Net-SNMP tool options for this user.
    fn tool_args(&self) -> Vec<String> {
        let mut v = vec![
            "-v3".into(),
            "-u".into(),
            self.name.clone(),
            "-l".into(),
            self.level().name().into(),
        ];
        if let Some(a) = self.auth {
            v.extend(["-a".into(), a.name().into(), "-A".into(), AUTH_PASS.into()]);
        }
        if let Some(p) = self.privacy {
            v.extend(["-x".into(), p.name().into(), "-X".into(), PRIV_PASS.into()]);
        }
        v
    }

    fn py(&self) -> PyUser {
        PyUser {
            name: self.name.clone(),
            auth: self.auth.map(|a| a.name().to_owned()),
            auth_pass: AUTH_PASS.into(),
            privacy: self.privacy.map(|p| p.name().to_owned()),
            priv_pass: PRIV_PASS.into(),
        }
    }
}

/// Every pair Net-SNMP 5.9 (Debian) speaks: no 3DES, no Reeder extension.
fn netsnmp_combos() -> Vec<Combo> {
    let mut v = vec![Combo::new(None, None)];
    for a in AuthProtocol::ALL {
        v.push(Combo::new(Some(a), None));
        for p in [
            PrivProtocol::Des,
            PrivProtocol::Aes128,
            PrivProtocol::Aes192,
            PrivProtocol::Aes256,
        ] {
            v.push(Combo::new(Some(a), Some(p)));
        }
    }
    v
}

/// What PySNMP adds: 3DES and both AES-192/256 extensions, with hashes
/// short enough that the key extension matters, and one that is not.
fn pysnmp_combos() -> Vec<Combo> {
    let mut v = Vec::new();
    for a in [
        AuthProtocol::Md5,
        AuthProtocol::Sha1,
        AuthProtocol::Sha256,
        AuthProtocol::Sha512,
    ] {
        for p in [
            PrivProtocol::TripleDes,
            PrivProtocol::Aes192,
            PrivProtocol::Aes256,
            PrivProtocol::Aes192Reeder,
            PrivProtocol::Aes256Reeder,
        ] {
            v.push(Combo::new(Some(a), Some(p)));
        }
    }
    v
}

fn options(security: V3Security) -> Options {
    Options {
        version: Version::V3,
        v3: Some(Arc::new(security)),
        ..Options::default()
    }
}

fn clients_for(target: &str, combo: &Combo) -> Vec<Box<dyn TestClient>> {
    all_clients(
        target,
        &options(V3Security::new(combo.user(), combo.level())),
    )
}

fn snmpd_with(combos: &[Combo], extra: &[&str]) -> Snmpd {
    let mut config = SnmpdConfig::default();
    for c in combos {
        config.extra.push(c.create_user());
        let level = match c.level() {
            SecurityLevel::NoAuthNoPriv => "noauth",
            SecurityLevel::AuthNoPriv => "auth",
            SecurityLevel::AuthPriv => "priv",
        };
        config.extra.push(format!("rwuser {} {level}", c.name));
    }
    config.extra.extend(extra.iter().map(|s| s.to_string()));
    Snmpd::start(config).expect("snmpd starts")
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn netsnmp_get(combo: &Combo, extra: &[&str], target: &str, oid: &str) -> Output {
    let mut args: Vec<String> = vec![
        "-On".into(),
        "-t".into(),
        "3".into(),
        "-r".into(),
        "1".into(),
    ];
    args.extend(combo.tool_args());
    args.extend(extra.iter().map(|s| s.to_string()));
    args.push(target.into());
    args.push(oid.into());
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    tool("snmpget", &refs).expect("snmpget runs")
}

#[test]
fn our_clients_against_snmpd_every_pair() {
    if !require("snmpd", "our_clients_against_snmpd_every_pair") {
        return;
    }
    let combos = netsnmp_combos();
    let snmpd = snmpd_with(&combos, &[]);
    let target = format!("udp:{}", snmpd.addr);
    let sys_name = oid(SYS_NAME);
    for combo in &combos {
        // What Net-SNMP's own tool reads with the same user.
        let out = netsnmp_get(combo, &[], &target, SYS_NAME);
        assert!(
            text(&out).contains("STRING: \"oxsnmp-test\""),
            "snmpget as {}: {}",
            combo.name,
            text(&out)
        );
        for client in clients_for(&target, combo) {
            let vbs = client
                .get(std::slice::from_ref(&sys_name))
                .unwrap_or_else(|e| panic!("{} as {}: {e}", client.runtime(), combo.name));
            assert_eq!(
                vbs[0].value,
                Value::from("oxsnmp-test"),
                "{} {}",
                client.runtime(),
                combo.name
            );
        }
    }
    // A walk of the static table and a SET, at authPriv with SHA-512 and
    // AES-256, through every runtime; the walk must match snmpbulkwalk's.
    let combo = Combo::new(Some(AuthProtocol::Sha512), Some(PrivProtocol::Aes256));
    let mut args: Vec<String> = vec!["-On".into(), "-Cr5".into()];
    args.extend(combo.tool_args());
    args.extend([target.clone(), oxsnmp_tests::peers::OX_TABLE.into()]);
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let walked = tool("snmpbulkwalk", &refs).unwrap();
    let expected = oxsnmp_tests::peers::parse_on_output(&String::from_utf8_lossy(&walked.stdout));
    assert!(expected.len() >= 3, "{}", text(&walked));
    for client in clients_for(&target, &combo) {
        let got = client
            .bulk_walk(&oid(oxsnmp_tests::peers::OX_TABLE))
            .unwrap();
        assert_eq!(got.len(), expected.len(), "{}", client.runtime());
        for (vb, (o, _)) in got.iter().zip(&expected) {
            assert_eq!(format!(".{}", vb.oid), *o, "{}", client.runtime());
        }
        let location = format!("set by {}", client.runtime());
        client
            .set(&[VarBind::new(
                oid(SYS_LOCATION),
                Value::from(location.as_str()),
            )])
            .unwrap_or_else(|e| panic!("{}: {e}", client.runtime()));
        assert_eq!(
            client.get(&[oid(SYS_LOCATION)]).unwrap()[0].value,
            Value::from(location.as_str())
        );
    }
}

/// Reads one of snmpd's counters with SNMPv2c.
fn snmpd_counter(snmpd: &Snmpd, oid: &Oid) -> u32 {
    let clients = all_clients(&format!("udp:{}", snmpd.addr), &Options::default());
    match clients[0].get(std::slice::from_ref(oid)).unwrap()[0].value {
        Value::Counter32(c) => c,
        ref v => panic!("{oid} is {v:?}"),
    }
}

#[test]
fn our_clients_negative_cases_against_snmpd() {
    if !require("snmpd", "our_clients_negative_cases_against_snmpd") {
        return;
    }
    let good = Combo::new(Some(AuthProtocol::Sha1), Some(PrivProtocol::Aes128));
    let snmpd = snmpd_with(std::slice::from_ref(&good), &[]);
    let target = format!("udp:{}", snmpd.addr);
    let quick = |security: V3Security| Options {
        timeout: std::time::Duration::from_millis(500),
        retries: 1,
        ..options(security)
    };
    let sys_name = [oid(SYS_NAME)];
    for (i, client) in all_clients(
        &target,
        &quick(V3Security::new(
            good.user_with("wrong-pass-1", PRIV_PASS),
            SecurityLevel::AuthPriv,
        )),
    )
    .into_iter()
    .enumerate()
    {
        let err = client.get(&sys_name).unwrap_err();
        assert!(
            matches!(err, ClientError::Report(ReportKind::WrongDigest)),
            "{}: {err}",
            client.runtime()
        );
        assert_eq!(
            err.to_string(),
            "Authentication failure (incorrect password, community or key)"
        );
        assert_eq!(
            snmpd_counter(&snmpd, &ReportKind::WrongDigest.oid()),
            i as u32 + 1
        );
    }
    let stranger = Combo::new(Some(AuthProtocol::Sha1), None);
    let mut u = stranger.clone();
    u.name = "nobody".into();
    for client in all_clients(
        &target,
        &quick(V3Security::new(u.user(), SecurityLevel::AuthNoPriv)),
    ) {
        let err = client.get(&sys_name).unwrap_err();
        assert!(
            matches!(err, ClientError::Report(ReportKind::UnknownUserName)),
            "{err}"
        );
        assert_eq!(err.to_string(), "Unknown user name");
    }
    // snmpd's rwuser line asks for priv: authNoPriv is refused by VACM.
    for client in all_clients(
        &target,
        &quick(V3Security::new(good.user(), SecurityLevel::AuthNoPriv)),
    ) {
        let err = client.get(&sys_name).unwrap_err();
        assert!(
            matches!(&err, ClientError::Snmp(e) if e.status == ErrorStatus::AuthorizationError),
            "{err}"
        );
    }
    // snmpd drops a message it cannot decrypt, and one for an unknown
    // context, without a report: the request times out.
    for security in [
        V3Security::new(
            good.user_with(AUTH_PASS, "wrong-pass-2"),
            SecurityLevel::AuthPriv,
        ),
        V3Security::new(good.user(), SecurityLevel::AuthPriv).context_name("no-such-context"),
    ] {
        for client in all_clients(&target, &quick(security.clone())) {
            let err = client.get(&sys_name).unwrap_err();
            assert!(matches!(err, ClientError::Timeout(_)), "{err}");
        }
    }
    assert!(snmpd_counter(&snmpd, &ReportKind::UnknownUserName.oid()) >= 3);
}

const RUNTIMES: [Runtime; 3] = [Runtime::Blocking, Runtime::Tokio, Runtime::Smol];

fn our_agent(runtime: Runtime, combos: &[Combo], engine_id: &EngineId) -> Served {
    let mut config: AgentConfig = agent_fixture::config()
        .system(
            SystemInfo::new("v3 interop")
                .name("oxsnmp-v3")
                .writable(true),
        )
        .engine_id(engine_id.clone())
        .engine_boots(5);
    for c in combos {
        config = config.user(c.user(), Access::ReadWrite);
    }
    Served::start(runtime, &["udp:127.0.0.1:0"], config, agent_fixture::mib())
        .expect("agent starts")
}

#[test]
fn netsnmp_tools_against_our_agent_every_pair() {
    if !require("snmpget", "netsnmp_tools_against_our_agent_every_pair") {
        return;
    }
    let combos = netsnmp_combos();
    let engine_id = EngineId::from_text(99999, "interop-v3");
    for runtime in RUNTIMES {
        let served = our_agent(runtime, &combos, &engine_id);
        let target = served.target();
        for combo in &combos {
            let out = netsnmp_get(combo, &[], &target, SYS_NAME);
            assert_eq!(
                String::from_utf8_lossy(&out.stdout),
                ".1.3.6.1.2.1.1.5.0 = STRING: \"oxsnmp-v3\"\n",
                "{runtime:?} as {}: {}",
                combo.name,
                text(&out)
            );
        }
        // snmpbulkwalk of the table and snmpset, at authPriv.
        let combo = Combo::new(Some(AuthProtocol::Sha256), Some(PrivProtocol::Aes192));
        let mut args: Vec<String> = vec!["-On".into(), "-Cr7".into()];
        args.extend(combo.tool_args());
        args.extend([target.clone(), agent_fixture::OX_ENTRY.into()]);
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        let walked = tool("snmpbulkwalk", &refs).unwrap();
        let lines = oxsnmp_tests::peers::parse_on_output(&String::from_utf8_lossy(&walked.stdout));
        let model =
            agent_fixture::subtree(&agent_fixture::expected(), &oid(agent_fixture::OX_ENTRY));
        assert_eq!(lines.len(), model.len(), "{runtime:?}: {}", text(&walked));
        for ((o, rendered), (expected_oid, expected_value)) in lines.iter().zip(&model) {
            assert_eq!(*o, format!(".{expected_oid}"));
            assert_eq!(
                &oxsnmp_tests::netsnmp::parse_value(rendered).unwrap(),
                expected_value
            );
        }
        let mut args: Vec<String> = combo.tool_args();
        args.extend([
            target.clone(),
            SYS_LOCATION.into(),
            "s".into(),
            "via snmpset v3".into(),
        ]);
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        let set = tool("snmpset", &refs).unwrap();
        assert!(set.status.success(), "{}", text(&set));
        assert_eq!(
            served.with_agent(|a| a.engine_id().map(<[u8]>::to_vec)),
            Some(engine_id.as_bytes().to_vec())
        );
        let out = netsnmp_get(&combo, &[], &target, SYS_LOCATION);
        assert!(text(&out).contains("\"via snmpset v3\""), "{}", text(&out));
        served.stop();
    }
}

#[test]
fn netsnmp_tools_negative_cases_against_our_agent() {
    if !require("snmpget", "netsnmp_tools_negative_cases_against_our_agent") {
        return;
    }
    let engine_id = EngineId::from_text(99999, "interop-neg");
    let good = Combo::new(Some(AuthProtocol::Md5), Some(PrivProtocol::Des));
    let auth_only = Combo::new(Some(AuthProtocol::Sha1), None);
    for runtime in RUNTIMES {
        let served = our_agent(runtime, &[good.clone(), auth_only.clone()], &engine_id);
        let target = served.target();
        let run = |combo: &Combo, patch: &dyn Fn(&mut Vec<String>)| {
            let mut args: Vec<String> = vec![
                "-On".into(),
                "-t".into(),
                "2".into(),
                "-r".into(),
                "0".into(),
            ];
            let mut user_args = combo.tool_args();
            patch(&mut user_args);
            args.extend(user_args);
            args.extend([target.clone(), SYS_NAME.into()]);
            let refs: Vec<&str> = args.iter().map(String::as_str).collect();
            let out = tool("snmpget", &refs).unwrap();
            assert!(!out.status.success());
            String::from_utf8_lossy(&out.stderr).into_owned()
        };
        let replace = |flag: &'static str, value: &'static str| {
            move |args: &mut Vec<String>| {
                if let Some(i) = args.iter().position(|a| a == flag) {
                    args[i + 1] = value.into();
                }
            }
        };
        let stats = || served.with_agent(|a| a.stats());

        let err = run(&good, &replace("-A", "wrong-pass-3"));
        assert!(
            err.contains("Authentication failure (incorrect password, community or key)"),
            "{err}"
        );
        assert_eq!(stats().usm_wrong_digests, 1);

        let err = run(&good, &replace("-X", "wrong-pass-4"));
        assert!(err.contains("Decryption error"), "{err}");
        assert_eq!(stats().usm_decryption_errors, 1);

        let err = run(&good, &replace("-u", "nobody"));
        assert!(err.contains("Unknown user name"), "{err}");
        assert_eq!(stats().usm_unknown_user_names, 1);

        // The auth-only user asked for authPriv.
        let err = run(&auth_only, &|args: &mut Vec<String>| {
            args[4] = "authPriv".into();
            args.extend(["-x".into(), "DES".into(), "-X".into(), PRIV_PASS.into()]);
        });
        assert!(err.contains("Unsupported security level"), "{err}");
        assert_eq!(stats().usm_unsupported_sec_levels, 1);

        // A level below the user's VACM entry (authNoPriv) is refused.
        let err = run(&good, &|args: &mut Vec<String>| {
            args.truncate(3);
            args.extend(["-l".into(), "noAuthNoPriv".into()]);
        });
        assert!(err.contains("authorizationError"), "{err}");

        let err = run(&good, &|args: &mut Vec<String>| {
            args.extend(["-n".into(), "no-such-context".into()]);
        });
        assert!(err.contains("Bad context specified"), "{err}");
        assert_eq!(stats().unknown_contexts, 1);

        // The agent kept serving.
        let ok = netsnmp_get(&good, &[], &target, SYS_NAME);
        assert!(ok.status.success(), "{}", text(&ok));
        served.stop();
    }
}

#[test]
fn our_clients_against_pysnmp_agent() {
    let Some(python) = require_python("our_clients_against_pysnmp_agent") else {
        return;
    };
    let combos = pysnmp_combos();
    let engine_id = EngineId::from_text(99999, "pysnmp-agent");
    let users: Vec<PyUser> = combos.iter().map(Combo::py).collect();
    let agent = PyAgent::start(&python, engine_id.as_bytes(), &users).expect("PySNMP agent starts");
    let target = target(agent.addr);
    let engine_oid = oid(ENGINE_ID_OID);
    for combo in &combos {
        for client in clients_for(&target, combo) {
            let vbs = client
                .get(std::slice::from_ref(&engine_oid))
                .unwrap_or_else(|e| panic!("{} as {}: {e}", client.runtime(), combo.name));
            assert_eq!(
                vbs[0].value,
                Value::OctetString(engine_id.as_bytes().to_vec()),
                "{} {}",
                client.runtime(),
                combo.name
            );
        }
    }
    // The two AES key extensions are not interchangeable: a Reeder user
    // talking Blumenthal fails to decrypt at the agent.
    let reeder = Combo::new(Some(AuthProtocol::Sha1), Some(PrivProtocol::Aes256Reeder));
    let mut mismatched = reeder.clone();
    mismatched.privacy = Some(PrivProtocol::Aes256);
    let clients = all_clients(
        &target,
        &Options {
            retries: 1,
            ..options(V3Security::new(mismatched.user(), SecurityLevel::AuthPriv))
        },
    );
    for client in clients {
        let err = client.get(std::slice::from_ref(&engine_oid)).unwrap_err();
        assert!(
            matches!(err, ClientError::Report(ReportKind::DecryptionError)),
            "{err}"
        );
    }
}

#[test]
fn pysnmp_manager_against_our_agent() {
    let Some(python) = require_python("pysnmp_manager_against_our_agent") else {
        return;
    };
    let mut combos = pysnmp_combos();
    combos.push(Combo::new(
        Some(AuthProtocol::Sha384),
        Some(PrivProtocol::Aes128),
    ));
    combos.push(Combo::new(
        Some(AuthProtocol::Sha224),
        Some(PrivProtocol::Des),
    ));
    combos.push(Combo::new(None, None));
    let engine_id = EngineId::from_text(99999, "oxsnmp-for-py");
    let users: Vec<PyUser> = combos.iter().map(Combo::py).collect();
    for runtime in RUNTIMES {
        let served = our_agent(runtime, &combos, &engine_id);
        let port = served.addrs()[0].port();
        let results = pysnmp_get(&python, port, &users, SYS_NAME).expect("manager.py runs");
        assert_eq!(results.len(), users.len(), "{runtime:?}");
        for (name, result) in results {
            assert_eq!(result, Ok("oxsnmp-v3".to_owned()), "{runtime:?} {name}");
        }
        // A wrong privacy password: our agent reports a decryption error.
        let mut wrong = combos[0].py();
        wrong.priv_pass = "not-the-pass".into();
        let results = pysnmp_get(&python, port, &[wrong], SYS_NAME).unwrap();
        assert!(results[0].1.is_err(), "{runtime:?}: {:?}", results[0]);
        // PySNMP retries after the report, so one or more were counted.
        assert!(served.with_agent(|a| a.stats().usm_decryption_errors) >= 1);
        served.stop();
    }
}
