//! `oxsnmp demo`: the demo agent on a free loopback port, driven by the
//! real subcommands.
//!
//! Each step is an `oxsnmp` command line, printed as a newcomer would type
//! it and then run in this process through the same code as from a shell
//! (so the output is exactly what that command prints: Net-SNMP's format,
//! errors on stderr). A step passes when its exit status is the expected
//! one; the SET is also checked on the agent itself.

use std::io::{self, Write};

use clap::Parser;
use oxsnmp_blocking::AgentServer;
use oxsnmp_core::agent::{Access, AgentConfig};
use oxsnmp_core::usm::{AuthProtocol, PrivProtocol, Secret, UsmUser};
use oxsnmp_core::v3::{EngineId, DEFAULT_ENTERPRISE};
use oxsnmp_core::Value;

use crate::args::{Cli, Oxsnmp, TopCommand};
use crate::demo_data::{self, if_column, IF_ENTRY};
use crate::run::{self, EXIT_ERROR, EXIT_OK, EXIT_PACKET_ERROR};
use crate::serve::transport;

/// One demonstrated command.
struct Step {
    /// What the step shows, printed as a `#` comment.
    title: &'static str,
    /// The arguments after `oxsnmp`; `{agent}` is the demo agent.
    args: &'static [&'static str],
    /// The exit status the command must end with.
    expect: u8,
}

const SYS_DESCR: &str = ".1.3.6.1.2.1.1.1.0";
const SYS_OBJECT_ID: &str = ".1.3.6.1.2.1.1.2.0";
const SYS_UP_TIME: &str = ".1.3.6.1.2.1.1.3.0";
const SYS_CONTACT: &str = ".1.3.6.1.2.1.1.4.0";
const SYS_NAME: &str = ".1.3.6.1.2.1.1.5.0";
const IF_ADMIN_STATUS_3: &str = ".1.3.6.1.2.1.2.2.1.7.3";
const IF_HC_IN_OCTETS_2: &str = ".1.3.6.1.2.1.31.1.1.1.6.2";

const STEPS: &[Step] = &[
    Step {
        title: "GET: sysDescr, sysObjectID, sysUpTime and sysName (like snmpget)",
        args: &[
            "get", "-v2c", "-c", "public", "{agent}", SYS_DESCR, SYS_OBJECT_ID, SYS_UP_TIME,
            SYS_NAME,
        ],
        expect: EXIT_OK,
    },
    Step {
        title: "GETNEXT: the object after each OID given (like snmpgetnext)",
        args: &[
            "getnext",
            "-v2c",
            "-c",
            "public",
            "{agent}",
            ".1.3.6.1.2.1.1",
            ".1.3.6.1.2.1.2.2.1.2",
        ],
        expect: EXIT_OK,
    },
    Step {
        title: "Bulk walk of IF-MIB's ifTable with GETBULK (like snmpbulkwalk)",
        args: &["bulkwalk", "-v2c", "-c", "public", "{agent}", ".1.3.6.1.2.1.2.2"],
        expect: EXIT_OK,
    },
    Step {
        title: "SET sysContact and ifAdminStatus.3 = down(2) with the read-write community (like snmpset)",
        args: &[
            "set",
            "-v2c",
            "-c",
            "private",
            "{agent}",
            SYS_CONTACT,
            "s",
            "ops@example.org",
            IF_ADMIN_STATUS_3,
            "i",
            "2",
        ],
        expect: EXIT_OK,
    },
    Step {
        title: "GET them back",
        args: &[
            "get",
            "-v2c",
            "-c",
            "public",
            "{agent}",
            SYS_CONTACT,
            IF_ADMIN_STATUS_3,
        ],
        expect: EXIT_OK,
    },
    Step {
        title: "SNMPv2c walk of ifXTable: ifName, ifHCInOctets and ifHCOutOctets (Counter64), ifAlias",
        args: &["walk", "-v2c", "-c", "public", "{agent}", ".1.3.6.1.2.1.31.1.1.1"],
        expect: EXIT_OK,
    },
    Step {
        title: "The same walk in SNMPv1: Counter64 cannot be sent in v1, so the agent skips it (RFC 3584)",
        args: &["walk", "-v1", "-c", "public", "{agent}", ".1.3.6.1.2.1.31.1.1.1"],
        expect: EXIT_OK,
    },
    Step {
        title: "SNMPv1 GET of a Counter64: noSuchName (the error goes to stderr, exit status 2)",
        args: &["get", "-v1", "-c", "public", "{agent}", IF_HC_IN_OCTETS_2],
        expect: EXIT_PACKET_ERROR,
    },
    Step {
        title: "The same GET in SNMPv2c",
        args: &["get", "-v2c", "-c", "public", "{agent}", IF_HC_IN_OCTETS_2],
        expect: EXIT_OK,
    },
    Step {
        title: "SNMPv3, authenticated (SHA-256) and encrypted (AES-128): engine discovery, time synchronization, then the GET",
        args: &[
            "get", "-v3", "-u", DEMO_USER, "-l", "authPriv", "-a", "SHA-256", "-A", DEMO_AUTH,
            "-x", "AES", "-X", DEMO_PRIV, "{agent}", SYS_NAME, SYS_UP_TIME,
        ],
        expect: EXIT_OK,
    },
    Step {
        title: "SNMPv3 with a wrong passphrase: the agent's Report, in Net-SNMP's words (exit status 1)",
        args: &[
            "get", "-v3", "-u", DEMO_USER, "-l", "authPriv", "-a", "SHA-256", "-A",
            "not-the-passphrase", "-x", "AES", "-X", DEMO_PRIV, "-r", "0", "{agent}", SYS_NAME,
        ],
        expect: EXIT_ERROR,
    },
];

/// The demo agent's SNMPv3 user and its passphrases.
const DEMO_USER: &str = "demo";
const DEMO_AUTH: &str = "demo-auth-pass";
const DEMO_PRIV: &str = "demo-priv-pass";

/// A word for a shell command line: quoted when it holds anything but
/// characters every shell takes literally.
fn shell_word(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.:/@%+=,[]".contains(&b));
    if plain {
        word.to_owned()
    } else {
        format!("'{}'", word.replace('\'', "'\\''"))
    }
}

/// Runs the demo; returns the exit status.
pub fn run() -> u8 {
    let mib = match demo_data::mib() {
        Ok(mib) => mib,
        Err(e) => {
            eprintln!("oxsnmp demo: demo dataset: {e}");
            return EXIT_ERROR;
        }
    };
    let user = UsmUser::new(DEMO_USER)
        .and_then(|u| u.with_auth(AuthProtocol::Sha256, Secret::Password(DEMO_AUTH.as_bytes())))
        .and_then(|u| u.with_privacy(PrivProtocol::Aes128, Secret::Password(DEMO_PRIV.as_bytes())));
    let user = match user {
        Ok(u) => u,
        Err(e) => {
            eprintln!("oxsnmp demo: demo user: {e}");
            return EXIT_ERROR;
        }
    };
    let config = AgentConfig::new()
        .community("public", Access::ReadOnly)
        .community("private", Access::ReadWrite)
        .system(demo_data::system())
        .engine_id(EngineId::from_text(DEFAULT_ENTERPRISE, "oxsnmp-demo"))
        .engine_boots(1)
        .user(user, Access::ReadOnly);
    let server = match AgentServer::bind(&["udp:127.0.0.1:0"], config, mib) {
        Ok(server) => server,
        Err(e) => {
            eprintln!("oxsnmp demo: cannot start the demo agent on the loopback interface: {e}");
            return EXIT_ERROR;
        }
    };
    let Some(&addr) = server.local_addrs().first() else {
        eprintln!("oxsnmp demo: the demo agent has no address");
        return EXIT_ERROR;
    };
    let agent = transport(addr);
    say(&format!(
        "oxsnmp demo: an SNMP agent serving the built-in demo dataset is listening on {agent}\n\
         (community \"public\" reads, \"private\" also writes; SNMPv3 user \"{DEMO_USER}\"). Each step\n\
         below is an oxsnmp command line, followed by what it prints: the same text as\n\
         Net-SNMP's tools print with the same MIBs loaded.\n"
    ));

    let mut failed = Vec::new();
    for (n, step) in STEPS.iter().enumerate() {
        let args: Vec<String> = step
            .args
            .iter()
            .map(|a| a.replace("{agent}", &agent))
            .collect();
        let line: Vec<String> = args.iter().map(|a| shell_word(a)).collect();
        say(&format!(
            "\n# {}. {}\n$ oxsnmp {}\n",
            n + 1,
            step.title,
            line.join(" ")
        ));
        let status = run_command(&args);
        if status != step.expect {
            eprintln!(
                "oxsnmp demo: step {} exited with status {status}, expected {}",
                n + 1,
                step.expect
            );
            failed.push(n + 1);
        }
    }

    // The SET reached the agent's MIB (not only its answer).
    let admin_status = IF_ENTRY
        .extended(&[if_column::ADMIN_STATUS, 3])
        .and_then(|oid| server.with_agent(|a| a.mib().value(oid.arcs()).cloned()));
    if admin_status != Some(Value::Integer(2)) {
        eprintln!("oxsnmp demo: ifAdminStatus.3 is {admin_status:?} after the SET, expected 2");
        failed.push(4);
    }
    let requests = server.with_agent(|a| a.stats().in_pkts);
    server.stop();

    if failed.is_empty() {
        say(&format!(
            "\nDemo finished: {} commands, {requests} requests received by the agent.\n\
             Serve the same dataset yourself with `oxsnmp agent` (udp:127.0.0.1:1161),\n\
             or a device you recorded (`oxsnmp record -o FILE HOST`, or a walk's output) with `oxsnmp agent --data FILE`.\n",
            STEPS.len()
        ));
        EXIT_OK
    } else {
        failed.dedup();
        eprintln!(
            "oxsnmp demo: FAILED at step(s) {}",
            failed
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        );
        EXIT_ERROR
    }
}

/// Prints demo text on stdout (flushed, so it stays in order with the
/// commands' own output and errors).
fn say(text: &str) {
    let mut out = io::stdout().lock();
    let _ = out.write_all(text.as_bytes());
    let _ = out.flush();
}

/// Parses and runs one manager command line as `main` would.
fn run_command(args: &[String]) -> u8 {
    let argv = std::iter::once("oxsnmp").chain(args.iter().map(String::as_str));
    match Oxsnmp::try_parse_from(argv) {
        Ok(Oxsnmp {
            command: TopCommand::Manager(command),
        }) => run::run(Cli { command: *command }),
        Ok(_) => EXIT_ERROR,
        Err(e) => {
            let _ = e.print();
            EXIT_ERROR
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_step_parses_as_a_manager_command() {
        for step in STEPS {
            let args = step
                .args
                .iter()
                .map(|a| a.replace("{agent}", "udp:127.0.0.1:1161"));
            let argv = std::iter::once("oxsnmp".to_owned()).chain(args);
            let parsed = Oxsnmp::try_parse_from(argv).unwrap();
            assert!(
                matches!(parsed.command, TopCommand::Manager(_)),
                "{}",
                step.title
            );
        }
    }

    #[test]
    fn shell_words() {
        assert_eq!(shell_word(".1.3.6.1.2.1.1.4.0"), ".1.3.6.1.2.1.1.4.0");
        assert_eq!(shell_word("udp6:[::1]:1161"), "udp6:[::1]:1161");
        assert_eq!(shell_word("ops@example.org"), "ops@example.org");
        assert_eq!(shell_word("two words"), "'two words'");
        assert_eq!(shell_word("it's"), "'it'\\''s'");
        assert_eq!(shell_word(""), "''");
    }
}
