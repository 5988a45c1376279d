//! `oxsnmp listen`: snmptrapd's role on `oxsnmp-blocking`'s
//! [`TrapListener`], printing each notification until SIGINT or SIGTERM
//! (or `--count` notifications).

use std::io::{self, Write};
use std::time::{Duration, Instant, SystemTime};

use oxsnmp_blocking::{ReceiverConfig, TrapListener};
use oxsnmp_core::v3::{EngineId, SecurityLevel};

use crate::args::{ListenArgs, ListenFormat};
use crate::event_format;
use crate::render::OutputOptions;
use crate::run::{EXIT_ERROR, EXIT_OK};
use crate::serve::{init_logging, stop_flag, transport};

/// How long a wait for the next notification lasts before the stop flag
/// is looked at again.
const STOP_POLL: Duration = Duration::from_millis(50);

/// Runs `oxsnmp listen`; returns the exit status.
pub fn run(args: ListenArgs) -> u8 {
    init_logging(args.debug);
    let mibs = crate::mibs::init(&crate::mibs::MibArgs {
        modules: args.mibs.clone(),
        dirs: args.mib_dirs.clone(),
    });
    let mut out_options = OutputOptions::default();
    if let Err(e) = out_options.apply_flags(&crate::netsnmp_conf::get().output.flags()) {
        eprintln!("{e}");
        return EXIT_ERROR;
    }
    for flags in &args.output_flags {
        if let Err(e) = out_options.apply_flags(flags) {
            eprintln!("{e}");
            return EXIT_ERROR;
        }
    }
    // Symbolic names in the text format when MIB files were read, as the
    // other subcommands print them.
    if mibs.modules_from_files() > 0 {
        out_options.with_mibs(mibs);
    }
    let stop = match stop_flag() {
        Ok(flag) => flag,
        Err(e) => {
            eprintln!("oxsnmp: cannot install the SIGINT/SIGTERM handlers: {e}");
            return EXIT_ERROR;
        }
    };
    let mut config = ReceiverConfig::new().translate_v1(args.translate_v1);
    config.max_queued_bytes = args.max_queued_bytes;
    for c in &args.communities {
        config = config.community(c);
    }
    for line in &args.users {
        match oxsnmp_core::usm::parse_create_user(line) {
            Ok(u) => config = config.user(u.engine_id, u.user),
            Err(e) => {
                eprintln!("oxsnmp: --user {line:?}: {e}");
                return EXIT_ERROR;
            }
        }
    }
    for line in &args.min_levels {
        if let Err(e) = apply_min_level(&mut config, line) {
            eprintln!("oxsnmp: --min-level {line:?}: {e}");
            return EXIT_ERROR;
        }
    }
    if let Some(hex) = &args.engine_id {
        match oxsnmp_core::v3::EngineId::from_hex(hex) {
            Ok(id) => config = config.engine_id(id),
            Err(e) => {
                eprintln!("oxsnmp: --engine-id: {e}");
                return EXIT_ERROR;
            }
        }
    }
    let addrs: Vec<&str> = args.listen.iter().map(String::as_str).collect();
    let listener = match TrapListener::bind(&addrs, config) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("oxsnmp: {e}");
            return EXIT_ERROR;
        }
    };
    for addr in listener.local_addrs() {
        eprintln!("listening on {}", transport(addr));
    }
    // Wall-clock time of each notification from its receive instant.
    let (wall, mono) = (SystemTime::now(), Instant::now());
    let mut received = 0u64;
    let mut stdout = io::stdout().lock();
    while !stop.load(std::sync::atomic::Ordering::SeqCst)
        && !matches!(args.count, Some(n) if received >= n)
    {
        let Some(event) = listener.recv_timeout(STOP_POLL) else {
            continue;
        };
        received += 1;
        let time = match event.received_at.checked_duration_since(mono) {
            Some(d) => wall + d,
            None => SystemTime::now(),
        };
        let text = match args.output {
            ListenFormat::Text => event_format::text(&event, time, &out_options),
            ListenFormat::Json => (event_format::json(&event, time) + "\n").into_bytes(),
        };
        // A closed stdout (`| head`) ends the listener quietly.
        if stdout
            .write_all(&text)
            .and_then(|()| stdout.flush())
            .is_err()
        {
            break;
        }
    }
    listener.stop();
    let s = listener.stats();
    eprintln!(
        "oxsnmp listen: {} notifications received, {} datagrams dropped",
        s.delivered(),
        s.dropped()
    );
    EXIT_OK
}

/// Applies `[-e ENGINEID] NAME LEVEL` to the users of that name (of that
/// engine with `-e`); the error says what is wrong.
fn apply_min_level(config: &mut ReceiverConfig, line: &str) -> Result<(), String> {
    let words: Vec<&str> = line.split_whitespace().collect();
    let (engine, rest) = match words.as_slice() {
        ["-e", hex, rest @ ..] => (
            Some(EngineId::from_hex(hex).map_err(|e| e.to_string())?),
            rest,
        ),
        rest => (None, rest),
    };
    let [name, level] = rest else {
        return Err("expected [-e ENGINEID] NAME LEVEL".to_owned());
    };
    let level = parse_level(level)?;
    let mut found = false;
    for u in config.users.iter_mut() {
        let engine_matches = engine.is_none() || u.engine_id == engine;
        if u.user.name() == name.as_bytes() && engine_matches {
            u.min_level = level;
            found = true;
        }
    }
    if !found {
        return Err(format!("no --user {name} to apply it to"));
    }
    Ok(())
}

/// A security level in Net-SNMP's `-l` spellings or snmptrapd's
/// `authUser` ones (`noauth`, `auth`, `priv`).
fn parse_level(word: &str) -> Result<SecurityLevel, String> {
    match word.to_ascii_lowercase().as_str() {
        "noauth" => Ok(SecurityLevel::NoAuthNoPriv),
        "auth" => Ok(SecurityLevel::AuthNoPriv),
        "priv" => Ok(SecurityLevel::AuthPriv),
        _ => word.parse().map_err(|_| {
            format!("{word:?} is not a security level (noAuthNoPriv, authNoPriv, authPriv)")
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxsnmp_core::usm::parse_create_user;

    fn config() -> ReceiverConfig {
        let mut config = ReceiverConfig::new();
        for line in [
            "ops SHA-256 authsecret AES privsecret",
            "-e 0x8000000001020304 ops SHA-256 authsecret AES privsecret",
            "guest",
        ] {
            let u = parse_create_user(line).unwrap();
            config = config.user(u.engine_id, u.user);
        }
        config
    }

    #[test]
    fn users_default_to_the_level_their_keys_allow() {
        let levels: Vec<SecurityLevel> = config().users.iter().map(|u| u.min_level).collect();
        assert_eq!(
            levels,
            [
                SecurityLevel::AuthNoPriv,
                SecurityLevel::AuthNoPriv,
                SecurityLevel::NoAuthNoPriv
            ]
        );
    }

    #[test]
    fn min_level_by_name_and_by_engine() {
        let mut c = config();
        apply_min_level(&mut c, "-e 8000000001020304 ops priv").unwrap();
        let levels: Vec<SecurityLevel> = c.users.iter().map(|u| u.min_level).collect();
        assert_eq!(
            levels[..2],
            [SecurityLevel::AuthNoPriv, SecurityLevel::AuthPriv]
        );
        apply_min_level(&mut c, "ops authPriv").unwrap();
        assert!(c.users[..2]
            .iter()
            .all(|u| u.min_level == SecurityLevel::AuthPriv));
        apply_min_level(&mut c, "guest noauth").unwrap();
        assert!(apply_min_level(&mut c, "nobody auth").is_err());
        assert!(apply_min_level(&mut c, "ops").is_err());
        assert!(apply_min_level(&mut c, "ops secret").is_err());
    }
}
