//! `oxsnmp agent`: the core agent on `oxsnmp-blocking`'s [`AgentServer`],
//! serving a recorded device or the demo dataset until SIGINT or SIGTERM.

use std::io::{self, Write};
use std::net::SocketAddr;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use oxsnmp_blocking::AgentServer;
use std::cell::OnceCell;

use oxsnmp_core::agent::recording::{RecordedMib, RecordingFormat, WalkMibs};
use oxsnmp_core::agent::{
    Access, AgentConfig, EngineStateLock, FileEngineStore, MemoryEngineStore, Mib,
};
use oxsnmp_core::usm::parse_create_user;
use oxsnmp_core::v3::EngineId;
use oxsnmp_core::{Oid, Value};
use oxsnmp_mib::Mibs;

use crate::args::AgentArgs;
use crate::demo_data;
use crate::mibs::MibArgs;
use crate::run::{EXIT_ERROR, EXIT_OK};

/// How often the main thread looks at the stop flag.
const STOP_POLL: Duration = Duration::from_millis(50);

/// The `snmp` group, which `--agent-counters` serves from the agent's own
/// counters.
const SNMP_GROUP: &[u32] = &[1, 3, 6, 1, 2, 1, 11];

/// Runs `oxsnmp agent`; returns the exit status.
pub fn run(args: AgentArgs) -> u8 {
    init_logging(args.debug);
    let stop = match stop_flag() {
        Ok(flag) => flag,
        Err(e) => {
            eprintln!("oxsnmp: cannot install the SIGINT/SIGTERM handlers: {e}");
            return EXIT_ERROR;
        }
    };
    let config = match community_config(&args) {
        Ok(c) => c,
        Err(message) => {
            eprintln!("oxsnmp: {message}");
            return EXIT_ERROR;
        }
    };
    let (config, _engine_lock) = match v3_config(&args, config) {
        Ok(c) => c,
        Err(message) => {
            eprintln!("oxsnmp: {message}");
            return EXIT_ERROR;
        }
    };
    match &args.data {
        Some(path) => {
            let mib_args = MibArgs {
                modules: args.mibs.clone(),
                dirs: args.mib_dirs.clone(),
            };
            let mib = match load(path, args.format, &mib_args) {
                Ok(mib) => mib,
                Err(message) => {
                    eprintln!("oxsnmp: {message}");
                    return EXIT_ERROR;
                }
            };
            let shadowed = mib
                .iter()
                .filter(|(name, _)| name.starts_with(SNMP_GROUP))
                .count();
            if args.agent_counters && shadowed > 0 {
                let objects = if shadowed == 1 { "object" } else { "objects" };
                eprintln!(
                    "oxsnmp: note: {shadowed} recorded {objects} under .1.3.6.1.2.1.11 (the snmp group) \
                     answered from this agent's own counters instead"
                );
            }
            let what = format!("{} recorded objects from {}", mib.len(), path.display());
            // The recording as recorded: its system and snmp groups too.
            let config = config
                .system(None)
                .snmp_group(args.agent_counters)
                .engine_objects(args.agent_counters);
            serve(&args.listen, config, mib, &what, &stop)
        }
        None => match demo_data::mib() {
            Ok(mib) => serve(
                &args.listen,
                config.system(demo_data::system()),
                mib,
                "the built-in demo dataset",
                &stop,
            ),
            Err(e) => {
                eprintln!("oxsnmp: demo dataset: {e}");
                EXIT_ERROR
            }
        },
    }
}

/// The communities served: those given, or `public` read-only when
/// nothing at all is configured (no community, no user). An agent with
/// users and no community serves SNMPv3 only. The error is the message to
/// print.
fn community_config(args: &AgentArgs) -> Result<AgentConfig, String> {
    let nothing_configured = args.community.is_none()
        && args.rw_community.is_none()
        && args.users.is_empty()
        && args.engine_id.is_none();
    let read_only = match &args.community {
        Some(c) => Some(c.as_str()),
        None if nothing_configured => Some("public"),
        None => None,
    };
    let mut config = AgentConfig::new();
    let given = [
        (read_only, Access::ReadOnly, "-c"),
        (
            args.rw_community.as_deref(),
            Access::ReadWrite,
            "--rw-community",
        ),
    ];
    for (community, access, option) in given {
        let Some(community) = community else {
            continue;
        };
        if community.is_empty() && !args.allow_empty_community {
            return Err(format!(
                "{option} '': an empty community is refused (--allow-empty-community accepts it)"
            ));
        }
        config = config.community(community, access);
    }
    if config.communities.is_empty() {
        // SNMPv3 only: v1/v2c messages count as snmpInBadVersions.
        config.v1 = false;
        config.v2c = false;
    }
    Ok(config)
}

/// Adds the SNMPv3 users and starts the engine (ID and boots from the
/// state file, locked while the agent runs) when there are any; the error
/// is the message to print.
fn v3_config(
    args: &AgentArgs,
    mut config: AgentConfig,
) -> Result<(AgentConfig, Option<EngineStateLock>), String> {
    if args.users.is_empty() && args.engine_id.is_none() {
        if let Some(name) = args.rw_users.first() {
            return Err(format!("--rw-user {name}: no --user of that name"));
        }
        return Ok((config, None));
    }
    let engine_id = match &args.engine_id {
        Some(hex) => Some(EngineId::from_hex(hex).map_err(|e| format!("--engine-id: {e}"))?),
        None => None,
    };
    let mut names = Vec::new();
    for line in &args.users {
        let created = parse_create_user(line).map_err(|e| format!("--user {line:?}: {e}"))?;
        if created.engine_id.is_some() && created.engine_id != engine_id {
            return Err(format!(
                "--user {line:?}: -e must be this agent's --engine-id (its keys are localized to it)"
            ));
        }
        let name = String::from_utf8_lossy(created.user.name()).into_owned();
        let access = if args.rw_users.contains(&name) {
            Access::ReadWrite
        } else {
            Access::ReadOnly
        };
        names.push(name);
        config = config.user(created.user, access);
    }
    if let Some(name) = args.rw_users.iter().find(|n| !names.contains(n)) {
        return Err(format!("--rw-user {name}: no --user of that name"));
    }
    if let Some(id) = engine_id {
        config = config.engine_id(id);
    }
    let (config, lock) = match engine_state_path(args)? {
        Some(path) => {
            let store = FileEngineStore::new(&path);
            let failed = |e: std::io::Error| format!("engine state {}: {e}", path.display());
            let lock = store.lock().map_err(failed)?;
            let config = config
                .start_engine(&mut store.clone(), fresh_octets())
                .map_err(failed)?;
            (config, Some(lock))
        }
        None => {
            let config = config
                .start_engine(&mut MemoryEngineStore::default(), fresh_octets())
                .map_err(|e| e.to_string())?;
            (config, None)
        }
    };
    if let Some(id) = &config.engine_id {
        println!(
            "oxsnmp agent: SNMPv3 engine ID {id}, boots {}",
            config.engine_boots
        );
    }
    Ok((config, lock))
}

/// Where the engine state lives: `--engine-state`; else, in the XDG state
/// directory, a file for the `--engine-id` given (boots are a property of
/// the engine ID, RFC 3414 §2.2.2) or, for a generated ID, a file named
/// after the listening addresses (two agents running at once cannot listen
/// on the same ones, so they never share a generated snmpEngineID, RFC
/// 3411 §5). `Ok(None)`: a generated ID kept in memory, fresh at every
/// start (boots 1 of a never-seen ID replays nothing) — for agents on
/// ephemeral ports (`:0`) or without a home directory. An `--engine-id`
/// without anywhere to keep its boots is an error.
fn engine_state_path(args: &AgentArgs) -> Result<Option<std::path::PathBuf>, String> {
    if let Some(p) = &args.engine_state {
        return Ok(Some(p.clone()));
    }
    let base = std::env::var_os("XDG_STATE_HOME")
        .filter(|v| !v.is_empty())
        .map(std::path::PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME")
                .filter(|v| !v.is_empty())
                .map(|h| std::path::PathBuf::from(h).join(".local").join("state"))
        });
    let dir = base.map(|b| b.join("oxsnmp"));
    match (&args.engine_id, dir) {
        (Some(hex), Some(dir)) => Ok(Some(dir.join(format!(
            "agent-engine-{}.conf",
            hex.trim_start_matches("0x")
                .chars()
                .filter(char::is_ascii_hexdigit)
                .collect::<String>()
                .to_ascii_lowercase()
        )))),
        (Some(_), None) => Err(
            "--engine-id needs --engine-state FILE (no HOME or XDG_STATE_HOME to keep its boots in)"
                .to_owned(),
        ),
        (None, Some(_)) if args.listen.iter().any(|a| a.ends_with(":0")) => Ok(None),
        (None, Some(dir)) => Ok(Some(dir.join(instance_file_name(&args.listen)))),
        (None, None) => Ok(None),
    }
}

/// `agent-udp_127.0.0.1_1161.conf`: the listening addresses, in the order
/// given, with every character a file name should not hold replaced.
fn instance_file_name(listen: &[String]) -> String {
    let addresses: Vec<String> = listen
        .iter()
        .map(|a| {
            a.chars()
                .map(|c| match c {
                    'a'..='z' | 'A'..='Z' | '0'..='9' | '.' | '-' => c,
                    _ => '_',
                })
                .collect()
        })
        .collect();
    let mut name = addresses.join("+");
    // File names stay under common limits (255 octets).
    name.truncate(200);
    format!("agent-{name}.conf")
}

/// Eight fresh octets for a generated engine ID, from the standard
/// library's randomly keyed hasher (no RNG dependency).
pub(crate) fn fresh_octets() -> [u8; 8] {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos()),
    );
    h.write_u32(std::process::id());
    h.finish().to_be_bytes()
}

/// Reads and parses a recording (UTF-8, or else Latin-1 as snmpsim reads
/// it); the error is the message to print.
///
/// A walk printed with MIBs loaded (names such as `SNMPv2-MIB::sysName.0`,
/// values under DISPLAY-HINTs) is read with the MIBs the other subcommands
/// load (Net-SNMP's search path, snmp.conf, `MIBS`/`MIBDIRS`, `-m`/`-M`),
/// loaded at its first name, so a numeric walk costs no MIB loading.
pub fn load(
    path: &Path,
    format: Option<RecordingFormat>,
    mib_args: &MibArgs,
) -> Result<RecordedMib, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let format = format.unwrap_or_else(|| {
        RecordingFormat::from_file_name(&path.file_name().unwrap_or_default().to_string_lossy())
    });
    let mibs = LazyMibs {
        args: mib_args,
        loaded: OnceCell::new(),
    };
    format
        .parse_bytes_with(&bytes, &mibs)
        .and_then(RecordedMib::from_records)
        .map_err(|e| format!("{}: {e}", path.display()))
}

/// The MIBs for reading a walk, loaded when its first name is met.
struct LazyMibs<'a> {
    args: &'a MibArgs,
    loaded: OnceCell<&'static Mibs>,
}

impl WalkMibs for LazyMibs<'_> {
    fn resolve(&self, name: &str) -> Result<Oid, String> {
        self.loaded
            .get_or_init(|| crate::mibs::init(self.args))
            .resolve(name)
    }

    fn units(&self, instance: &Oid) -> Option<String> {
        self.loaded.get()?.units(instance)
    }

    fn read_value(
        &self,
        name: &str,
        instance: &Oid,
        label: &str,
        text: &[u8],
    ) -> Option<Result<Value, String>> {
        self.loaded.get()?.read_value(name, instance, label, text)
    }
}

/// `udp:127.0.0.1:1161` / `udp6:[::1]:1161`: the transport syntax the other
/// subcommands take as their agent argument.
pub fn transport(addr: SocketAddr) -> String {
    match addr {
        SocketAddr::V4(a) => format!("udp:{}:{}", a.ip(), a.port()),
        SocketAddr::V6(a) => format!("udp6:[{}]:{}", a.ip(), a.port()),
    }
}

/// A flag raised by SIGINT or SIGTERM. A second signal while the first is
/// being handled ends the process at once (exit 1), so a stuck shutdown
/// can still be interrupted.
pub(crate) fn stop_flag() -> io::Result<Arc<AtomicBool>> {
    use signal_hook::consts::{SIGINT, SIGTERM};
    let flag = Arc::new(AtomicBool::new(false));
    for signal in [SIGINT, SIGTERM] {
        // Registered first so it sees the flag before this signal sets it.
        signal_hook::flag::register_conditional_shutdown(signal, 1, Arc::clone(&flag))?;
        signal_hook::flag::register(signal, Arc::clone(&flag))?;
    }
    Ok(flag)
}

/// Logs to stderr at debug level with `-d`, else at the level RUST_LOG
/// names (`debug`, `trace`, or `target=level` directives: the most verbose
/// level wins), else warnings only.
pub(crate) fn init_logging(debug: bool) {
    use tracing_subscriber::filter::LevelFilter;
    let from_env = std::env::var("RUST_LOG").ok().and_then(|spec| {
        spec.split(',')
            .filter_map(|d| {
                let level = d.rsplit_once('=').map_or(d, |(_, l)| l);
                level.trim().parse::<LevelFilter>().ok()
            })
            .max()
    });
    let level = match (debug, from_env) {
        (true, Some(env)) => env.max(LevelFilter::DEBUG),
        (true, None) => LevelFilter::DEBUG,
        (false, Some(env)) => env,
        (false, None) => LevelFilter::WARN,
    };
    // Fails only if a subscriber is already installed, which is fine.
    let _ = tracing_subscriber::fmt()
        .with_max_level(level)
        .with_writer(io::stderr)
        .try_init();
}

/// Binds, prints the addresses, serves until `stop` is raised.
fn serve<M>(listen: &[String], config: AgentConfig, mib: M, what: &str, stop: &AtomicBool) -> u8
where
    M: Mib + Send + 'static,
    M::Undo: Send,
{
    let addrs: Vec<&str> = listen.iter().map(String::as_str).collect();
    let server = match AgentServer::bind(&addrs, config, mib) {
        Ok(server) => server,
        Err(e) => {
            eprintln!("oxsnmp: {e}");
            return EXIT_ERROR;
        }
    };
    {
        // Errors ignored: a closed stdout must not stop the agent.
        let mut out = io::stdout().lock();
        let _ = writeln!(out, "oxsnmp agent: serving {what}");
        for addr in server.local_addrs() {
            let _ = writeln!(out, "listening on {}", transport(addr));
        }
        let _ = out.flush();
    }
    tracing::info!(addrs = ?server.local_addrs(), "serving {what}");
    while !stop.load(Ordering::SeqCst) {
        std::thread::sleep(STOP_POLL);
    }
    let requests = server.with_agent(|agent| agent.stats().in_pkts);
    server.stop();
    let mut out = io::stdout().lock();
    let _ = writeln!(
        out,
        "oxsnmp agent: stopped after {requests} datagrams received"
    );
    let _ = out.flush();
    EXIT_OK
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instance_file_names() {
        let names =
            |l: &[&str]| instance_file_name(&l.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        assert_eq!(
            names(&["udp:127.0.0.1:1161"]),
            "agent-udp_127.0.0.1_1161.conf"
        );
        assert_eq!(
            names(&["udp:127.0.0.1:1161", "udp6:[::1]:1161"]),
            "agent-udp_127.0.0.1_1161+udp6____1__1161.conf"
        );
        assert_ne!(
            names(&["udp:127.0.0.1:1161"]),
            names(&["udp:127.0.0.1:1162"])
        );
        assert!(names(&[&"x".repeat(400)]).len() < 255);
    }

    #[test]
    fn transport_syntax() {
        assert_eq!(
            transport("127.0.0.1:1161".parse().unwrap()),
            "udp:127.0.0.1:1161"
        );
        assert_eq!(transport("[::1]:161".parse().unwrap()), "udp6:[::1]:161");
    }

    #[test]
    fn load_reports_the_file_and_line() {
        let dir = std::env::temp_dir().join(format!("oxsnmp-serve-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("bad.snmprec");
        std::fs::write(&path, "1.3.6.1.2.1.1.5.0|4|ok\n\n1.3.x|2|1\n").unwrap();
        let err = load(&path, None, &MibArgs::default()).unwrap_err();
        assert_eq!(
            err,
            format!("{}: line 3: invalid OID \"1.3.x\"", path.display())
        );
        // The same text read as snmpwalk output fails on its first line.
        let err = load(&path, Some(RecordingFormat::Snmpwalk), &MibArgs::default()).unwrap_err();
        assert!(
            err.ends_with(
                "line 1: expected \"OID = TYPE: VALUE\", found \"1.3.6.1.2.1.1.5.0|4|ok\""
            ),
            "{err}"
        );
        // Not UTF-8: read as Latin-1, each byte as it is.
        let latin1 = dir.join("latin1.snmprec");
        std::fs::write(&latin1, b"1.3.6.1.2.1.1.5.0|4|caf\xe9\n").unwrap();
        let mib = load(&latin1, None, &MibArgs::default()).unwrap();
        assert_eq!(
            mib.value(&[1, 3, 6, 1, 2, 1, 1, 5, 0]),
            Some(&oxsnmp_core::Value::OctetString(b"caf\xe9".to_vec()))
        );
        let missing = dir.join("missing.snmprec");
        assert!(load(&missing, None, &MibArgs::default())
            .unwrap_err()
            .starts_with(&format!("{}: ", missing.display())));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
