//! `oxsnmp trap` and `oxsnmp inform`: Net-SNMP's `snmptrap` and
//! `snmpinform` on `oxsnmp-blocking`'s [`Session`].
//!
//! The trap parameters are read as `snmptrap` reads them:
//!
//! * SNMPv2c: `UPTIME TRAP-OID [OID TYPE VALUE]...`;
//! * SNMPv1: `ENTERPRISE AGENT-ADDR GENERIC SPECIFIC UPTIME [OID TYPE VALUE]...`.
//!
//! An empty UPTIME is the host's uptime (what `snmptrap` sends, read from
//! `/proc/uptime`), an empty ENTERPRISE Net-SNMP's default enterprise
//! `.1.3.6.1.4.1.3.1.1`, and an empty AGENT-ADDR the IPv4 address the trap
//! leaves from (`snmptrap` takes the first non-loopback interface's). The
//! receiver's port defaults to 162.

use std::net::{Ipv4Addr, SocketAddr, ToSocketAddrs};

use oxsnmp_blocking::{ClientError, Notification, Session, Trap};
use oxsnmp_core::transport::{Resolution, TransportAddr, TRAP_PORT};
use oxsnmp_core::{Oid, TrapV1Pdu, VarBind, Version};

use crate::args::TrapArgs;
use crate::run::{EXIT_ERROR, EXIT_OK};
use crate::serve::transport;
use crate::set_value::{parse_oid, parse_set_args, SetArgsError};

/// Net-SNMP's enterprise for an empty ENTERPRISE argument.
const DEFAULT_ENTERPRISE: Oid = Oid::from_static(&[1, 3, 6, 1, 4, 1, 3, 1, 1]);

/// What the arguments ask to send.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Parsed {
    V2(Notification),
    /// A v1 trap; its agent-addr is `None` when left empty.
    V1(TrapV1Pdu, bool),
}

/// Runs `trap` (`inform == false`, unless `-Ci`) or `inform`; returns the
/// exit status.
pub fn run(args: TrapArgs, inform: bool) -> u8 {
    // OIDs may be given by name (`IF-MIB::linkDown`, `sysName.0`).
    crate::mibs::init(&crate::mibs::MibArgs::from(&args.common));
    let tool = if inform { "snmpinform" } else { "snmptrap" };
    let inform = inform || args.app.iter().any(|a| a.contains('i'));
    if let Some(bad) = args.app.iter().flat_map(|a| a.chars()).find(|c| *c != 'i') {
        eprintln!("Unknown flag passed to -C: {bad}");
        return EXIT_ERROR;
    }
    if inform && args.common.version() == Version::V1 {
        eprintln!("Cannot send INFORM as SNMPv1 PDU");
        return EXIT_ERROR;
    }
    let raw: Vec<Vec<u8>> = args.params.iter().map(|a| os_bytes(a)).collect();
    let parsed = match parse_params(args.common.version(), &raw, host_uptime) {
        Ok(p) => p,
        Err(lines) => {
            for line in lines {
                eprintln!("{line}");
            }
            return EXIT_ERROR;
        }
    };
    let addr = match resolve(&args.receiver) {
        Ok(addr) => addr,
        Err(e) => {
            eprintln!("oxsnmp: Unknown host ({}) ({e})", args.receiver);
            return EXIT_ERROR;
        }
    };
    let mut options = match args.common.client_options() {
        Ok(o) => o,
        Err(e) => {
            eprintln!("{e}");
            return EXIT_ERROR;
        }
    };
    if let Some(security) = options.v3.as_mut() {
        keep_engine(std::sync::Arc::make_mut(security), inform);
    }
    let mut session = match Session::connect(&transport(addr), options) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("oxsnmp: {e}");
            return EXIT_ERROR;
        }
    };
    let sent = match parsed {
        Parsed::V2(n) if inform => session.inform(&n),
        Parsed::V2(n) => session.trap(n),
        Parsed::V1(mut t, addr_given) => {
            if !addr_given {
                t.agent_addr = match session.local_addr() {
                    Ok(SocketAddr::V4(a)) => *a.ip(),
                    _ => Ipv4Addr::UNSPECIFIED,
                };
            }
            session.trap(Trap::V1(t))
        }
    };
    match sent {
        Ok(()) => EXIT_OK,
        Err(ClientError::Timeout(_)) => {
            eprintln!("{tool}: Timeout");
            EXIT_ERROR
        }
        Err(e) => {
            eprintln!("{tool}: {e}");
            EXIT_ERROR
        }
    }
}

/// Applies the engine kept across runs (see [`crate::notify_engine`]):
/// the local engine ID as contextEngineID unless `-E` names one (what
/// snmptrap and snmpinform send there), and for a trap the sending
/// engine — `-e`, else the local one — with its kept boots and time
/// (or `-Z`'s), the state updated for the next run.
fn keep_engine(security: &mut oxsnmp_core::manager::V3Security, inform: bool) {
    use crate::notify_engine::{load, lock, save, state_path, NotifyEngineState};
    let path = state_path();
    // Held until the state is saved.
    let _lock = path.as_deref().and_then(lock);
    let (mut state, keep) = match path.as_deref().map(load) {
        Some(Ok(state)) => (state, true),
        Some(Err(e)) => {
            eprintln!("oxsnmp: SNMPv3 engine state not kept: {e}");
            (NotifyEngineState::default(), false)
        }
        None => (NotifyEngineState::default(), false),
    };
    let local = state.local_engine_id(crate::serve::fresh_octets);
    if security.context_engine_id.is_none() {
        security.context_engine_id = Some(local.as_bytes().to_vec());
    }
    if !inform {
        let engine = security.engine_id.clone().unwrap_or(local);
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
        let (boots, time) = state.clock(&engine, now, security.engine_clock);
        security.engine_id = Some(engine);
        security.engine_clock = Some((boots, time));
    }
    if let (true, Some(path)) = (keep, path) {
        if let Err(e) = save(&path, &state) {
            eprintln!("oxsnmp: SNMPv3 engine state not kept: {e}");
        }
    }
}

/// The receiver address, port 162 unless given.
fn resolve(spec: &str) -> Result<SocketAddr, String> {
    let parsed = TransportAddr::parse_target_with_port(spec, TRAP_PORT, |zone| zone.parse().ok())
        .map_err(|e| e.to_string())?;
    match parsed {
        Resolution::Ready(addr) => Ok(addr),
        Resolution::Lookup(name) => name
            .choose((name.lookup_host(), name.port).to_socket_addrs())
            .map_err(|e| e.to_string()),
    }
}

/// The host's uptime in hundredths of a second (Linux: `/proc/uptime`;
/// elsewhere 0), modulo 2^32 as TimeTicks wrap.
fn host_uptime() -> u32 {
    let Ok(text) = std::fs::read_to_string("/proc/uptime") else {
        return 0;
    };
    let secs = text.split_whitespace().next().unwrap_or("0");
    let (whole, frac) = secs.split_once('.').unwrap_or((secs, "0"));
    let whole: u64 = whole.parse().unwrap_or(0);
    let cs: u64 = format!("{frac:0<2}")
        .get(..2)
        .and_then(|f| f.parse().ok())
        .unwrap_or(0);
    (whole * 100 + cs) as u32
}

fn text(arg: &[u8]) -> String {
    String::from_utf8_lossy(arg).into_owned()
}

fn uptime(arg: &[u8], now: impl Fn() -> u32) -> Result<u32, String> {
    if arg.is_empty() {
        return Ok(now());
    }
    text(arg).parse().map_err(|_| {
        format!(
            "Invalid uptime: {} (hundredths of a second, or '' for now)",
            text(arg)
        )
    })
}

fn oid_arg(arg: &[u8]) -> Result<Oid, String> {
    let t = text(arg);
    parse_oid(&t).map_err(|e| format!("{t}: {e}"))
}

fn int_arg(arg: &[u8], what: &str) -> Result<i32, String> {
    text(arg)
        .parse()
        .map_err(|_| format!("Invalid {what}: {}", text(arg)))
}

/// Reads the trap parameters after the receiver; the error lines are the
/// messages to print.
fn parse_params(
    version: Version,
    args: &[Vec<u8>],
    now: impl Fn() -> u32,
) -> Result<Parsed, Vec<String>> {
    let one = |e: String| vec![e];
    let triples = |rest: &[Vec<u8>]| -> Result<Vec<VarBind>, Vec<String>> {
        parse_set_args(rest).map_err(|e| match e {
            SetArgsError::Usage(line) => vec![line],
            SetArgsError::Values(lines) => lines,
        })
    };
    if version == Version::V1 {
        let [enterprise, agent, generic, specific, up, rest @ ..] = args else {
            return Err(one(
                "Missing parameters: ENTERPRISE AGENT-ADDR GENERIC SPECIFIC UPTIME [OID TYPE VALUE]..."
                    .to_owned(),
            ));
        };
        let enterprise = if enterprise.is_empty() {
            DEFAULT_ENTERPRISE
        } else {
            oid_arg(enterprise).map_err(one)?
        };
        let (agent_addr, given) = if agent.is_empty() {
            (Ipv4Addr::UNSPECIFIED, false)
        } else {
            let a = text(agent)
                .parse()
                .map_err(|_| one(format!("Invalid agent address: {}", text(agent))))?;
            (a, true)
        };
        let trap = TrapV1Pdu {
            enterprise,
            agent_addr,
            generic_trap: int_arg(generic, "generic trap").map_err(one)?,
            specific_trap: int_arg(specific, "specific trap").map_err(one)?,
            time_stamp: uptime(up, now).map_err(one)?,
            varbinds: triples(rest)?,
        };
        return Ok(Parsed::V1(trap, given));
    }
    let [up, trap_oid, rest @ ..] = args else {
        return Err(one(match args {
            [] => "Missing up-time parameter".to_owned(),
            _ => "Missing trap-oid parameter".to_owned(),
        }));
    };
    Ok(Parsed::V2(Notification {
        sys_up_time: uptime(up, now).map_err(one)?,
        trap_oid: oid_arg(trap_oid).map_err(one)?,
        varbinds: triples(rest)?,
    }))
}

#[cfg(unix)]
fn os_bytes(s: &std::ffi::OsStr) -> Vec<u8> {
    use std::os::unix::ffi::OsStrExt;
    s.as_bytes().to_vec()
}

#[cfg(not(unix))]
fn os_bytes(s: &std::ffi::OsStr) -> Vec<u8> {
    s.to_string_lossy().into_owned().into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxsnmp_core::Value;

    fn args(a: &[&str]) -> Vec<Vec<u8>> {
        a.iter().map(|s| s.as_bytes().to_vec()).collect()
    }

    fn oid(s: &str) -> Oid {
        s.parse().unwrap()
    }

    #[test]
    fn v2c_parameters() {
        let p = parse_params(
            Version::V2c,
            &args(&[
                "42",
                ".1.3.6.1.6.3.1.1.5.3",
                "1.3.6.1.2.1.2.2.1.1.2",
                "i",
                "2",
            ]),
            || 7,
        )
        .unwrap();
        let want = Notification::new(42, oid("1.3.6.1.6.3.1.1.5.3"))
            .varbind(oid("1.3.6.1.2.1.2.2.1.1.2"), Value::Integer(2));
        assert_eq!(p, Parsed::V2(want));
        let Parsed::V2(n) =
            parse_params(Version::V2c, &args(&["", "1.3.6.1.6.3.1.1.5.1"]), || 7).unwrap()
        else {
            panic!()
        };
        assert_eq!(n.sys_up_time, 7, "an empty uptime is now");
        assert_eq!(
            parse_params(Version::V2c, &[], || 0).unwrap_err(),
            ["Missing up-time parameter"]
        );
        assert_eq!(
            parse_params(Version::V2c, &args(&["1"]), || 0).unwrap_err(),
            ["Missing trap-oid parameter"]
        );
        assert!(
            parse_params(Version::V2c, &args(&["x", "1.3"]), || 0).unwrap_err()[0]
                .starts_with("Invalid uptime")
        );
        assert!(
            parse_params(Version::V2c, &args(&["1", "1.3.x"]), || 0).unwrap_err()[0]
                .contains("Unknown Object Identifier")
        );
        assert_eq!(
            parse_params(Version::V2c, &args(&["1", "1.3", "1.3.6", "i"]), || 0).unwrap_err(),
            ["1.3.6: Needs value"]
        );
    }

    #[test]
    fn v1_parameters() {
        let p = parse_params(
            Version::V1,
            &args(&[
                ".1.3.6.1.4.1.8072",
                "192.0.2.5",
                "6",
                "17",
                "",
                "1.3.6.1.2.1.1.5.0",
                "s",
                "x",
            ]),
            || 99,
        )
        .unwrap();
        let Parsed::V1(t, given) = p else { panic!() };
        assert!(given);
        assert_eq!(
            (
                t.enterprise,
                t.agent_addr,
                t.generic_trap,
                t.specific_trap,
                t.time_stamp
            ),
            (
                oid("1.3.6.1.4.1.8072"),
                Ipv4Addr::new(192, 0, 2, 5),
                6,
                17,
                99
            )
        );
        assert_eq!(
            t.varbinds,
            [VarBind::new(oid("1.3.6.1.2.1.1.5.0"), Value::from("x"))]
        );
        let Parsed::V1(t, given) =
            parse_params(Version::V1, &args(&["", "", "0", "0", "5"]), || 0).unwrap()
        else {
            panic!()
        };
        assert!(!given);
        assert_eq!(t.enterprise, DEFAULT_ENTERPRISE);
        assert!(
            parse_params(Version::V1, &args(&["", "", "0", "0"]), || 0).unwrap_err()[0]
                .starts_with("Missing parameters")
        );
        assert!(
            parse_params(Version::V1, &args(&["", "nowhere", "0", "0", ""]), || 0).unwrap_err()[0]
                .starts_with("Invalid agent address")
        );
        assert!(
            parse_params(Version::V1, &args(&["", "", "x", "0", ""]), || 0).unwrap_err()[0]
                .starts_with("Invalid generic trap")
        );
    }

    #[test]
    fn receiver_port_defaults_to_162() {
        assert_eq!(
            resolve("127.0.0.1").unwrap(),
            "127.0.0.1:162".parse().unwrap()
        );
        assert_eq!(resolve("udp6:[::1]").unwrap(), "[::1]:162".parse().unwrap());
        assert_eq!(resolve("udp:127.0.0.1:1162").unwrap().port(), 1162);
        assert!(resolve("tcp:127.0.0.1").is_err());
        assert!(host_uptime() > 0 || !std::path::Path::new("/proc/uptime").exists());
    }
}
