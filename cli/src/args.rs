//! Command-line syntax: Net-SNMP's options on clap subcommands.
//!
//! `oxsnmp get [OPTIONS] AGENT OID...` reads like `snmpget [OPTIONS] AGENT
//! OID...`: `-v 1|2c|3` (also glued, `-v2c`), `-c COMMUNITY`, `-r RETRIES`,
//! `-t SECONDS`, `-O` output flags and `-C` application flags, both as
//! letter strings (`-Onq`, `-Cr25`).

use std::ffi::OsString;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};
use oxsnmp_blocking::{ClientOptions, Version};
use oxsnmp_core::agent::recording::{RecordingFormat, UnknownFormat};

use crate::netsnmp_conf;
use crate::render::OutputOptions;
use crate::v3args::V3Args;

const EXAMPLES: &str = "\
Examples:
  oxsnmp get -v2c -c public 127.0.0.1 .1.3.6.1.2.1.1.5.0
  oxsnmp get -v3 -u ops -l authPriv -a SHA-256 -A authpass1 -x AES -X privpass1 127.0.0.1 sysName.0
  oxsnmp walk -v1 -c public udp:192.0.2.1:1161 .1.3.6.1.2.1.1
  oxsnmp bulkwalk -c public -Cr50 -Oq udp6:[::1]:161 .1.3.6.1.2.1.2.2
  oxsnmp set -c private 127.0.0.1 .1.3.6.1.2.1.1.4.0 s admin@example.com

OIDs may be names (sysDescr.0, IF-MIB::ifDescr.2). With MIB files found
(-m, -M, MIBS, MIBDIRS, /usr/share/snmp/mibs), output is symbolic like
Net-SNMP's default; without them (or with -On) it is Net-SNMP's `-On`
output with no MIBs loaded, byte for byte.
Errors go to stderr with Net-SNMP's wording; the exit status is 0 on
success, 1 for usage, address, timeout and walk errors, 2 when the agent
answers with an error-status.";

const AGENT_HELP: &str = "The agent, in Net-SNMP transport syntax: HOST, HOST:PORT, \
udp:HOST:PORT, udp6:[ADDR]:PORT (port 161 when none is given)";

/// The `oxsnmp` command line.
#[derive(Debug, Parser)]
#[command(
    name = "oxsnmp",
    version,
    about = "SNMPv1/v2c/v3 manager tools with Net-SNMP-compatible options and output",
    long_about = "SNMPv1/v2c/v3 manager tools with Net-SNMP-compatible options and output.\n\n\
        Each subcommand takes the options of the Net-SNMP tool it replaces \
        (get = snmpget, getnext = snmpgetnext, bulkget = snmpbulkget, walk = snmpwalk, \
        bulkwalk = snmpbulkwalk, set = snmpset) and prints the same text.",
    after_help = EXAMPLES,
    subcommand_required = true,
    arg_required_else_help = true
)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// GET the given objects (like snmpget).
    #[command(
        after_help = "Example: oxsnmp get -c public 127.0.0.1 .1.3.6.1.2.1.1.1.0 .1.3.6.1.2.1.1.5.0"
    )]
    Get(GetArgs),
    /// GETNEXT: the objects following the given OIDs (like snmpgetnext).
    #[command(after_help = "Example: oxsnmp getnext -c public 127.0.0.1 .1.3.6.1.2.1.1")]
    Getnext(GetArgs),
    /// One GETBULK request (like snmpbulkget; SNMPv2c and SNMPv3, not SNMPv1).
    #[command(
        after_help = "Example: oxsnmp bulkget -c public -Cn1 -Cr5 127.0.0.1 .1.3.6.1.2.1.1.1 .1.3.6.1.2.1.2.2.1.2"
    )]
    Bulkget(BulkgetArgs),
    /// Walk a subtree with GETNEXT (like snmpwalk).
    #[command(after_help = "Example: oxsnmp walk -v1 -c public 127.0.0.1 .1.3.6.1.2.1.1")]
    Walk(WalkArgs),
    /// Walk a subtree with GETBULK (like snmpbulkwalk; SNMPv2c and SNMPv3, not SNMPv1).
    ///
    /// Without -Cr the number of repetitions adapts to the agent: it grows
    /// while the agent answers in full and the responses stay small, and
    /// halves when the agent says tooBig or genErr.
    #[command(after_help = "Example: oxsnmp bulkwalk -c public 127.0.0.1 .1.3.6.1.2.1.2.2")]
    Bulkwalk(BulkwalkArgs),
    /// SET objects from OID TYPE VALUE triples (like snmpset).
    ///
    /// TYPE is one of Net-SNMP's letters:
    ///   i INTEGER, u Gauge32/Unsigned32, t TimeTicks, a IpAddress,
    ///   o OBJECT IDENTIFIER, s STRING, x hex STRING ("01 02" or "0102"),
    ///   d decimal STRING ("1.2.3"), b BITS ("0 3 9"), n NULL,
    ///   U / I / F / D Opaque-wrapped UInt64 / Int64 / Float / Double,
    ///   and, beyond snmpset, c Counter32 and C Counter64.
    /// "=" (type from the MIB) needs MIB support and is rejected for now.
    ///
    /// Options must come before the triples: every argument after the
    /// first OID is read as part of a triple, so values may start with "-".
    #[command(
        after_help = "Example: oxsnmp set -c private 127.0.0.1 .1.3.6.1.2.1.1.4.0 s \"ops@example.com\" .1.3.6.1.2.1.1.6.0 s \"rack 4\""
    )]
    Set(SetArgs),
    /// Walk a table and print it as rows (like snmptable).
    #[command(after_help = crate::table::EXAMPLES)]
    Table(crate::table::TableArgs),
}

/// The whole `oxsnmp` command line: the manager tools of [`Cli`] plus the
/// agent and the demo.
#[derive(Debug, Parser)]
#[command(
    name = "oxsnmp",
    version,
    about = "SNMPv1/v2c/v3 manager tools, agent and trap receiver with Net-SNMP-compatible options and output",
    long_about = "SNMPv1/v2c/v3 manager tools, agent and trap receiver with Net-SNMP-compatible options and output.\n\n\
        Each manager subcommand takes the options of the Net-SNMP tool it replaces \
        (get = snmpget, getnext = snmpgetnext, bulkget = snmpbulkget, walk = snmpwalk, \
        bulkwalk = snmpbulkwalk, set = snmpset, trap = snmptrap, inform = snmpinform) \
        and prints the same text. \
        `oxsnmp agent` serves a recorded device or a built-in dataset; \
        `oxsnmp listen` receives traps and informs (snmptrapd's role); \
        `oxsnmp demo` shows the tools at work against that dataset.",
    after_help = TOP_EXAMPLES,
    subcommand_required = true,
    arg_required_else_help = true
)]
pub struct Oxsnmp {
    /// What to do.
    #[command(subcommand)]
    pub command: TopCommand,
}

const TOP_EXAMPLES: &str = "\
Examples:
  oxsnmp demo
  oxsnmp get -v2c -c public 127.0.0.1 .1.3.6.1.2.1.1.5.0
  oxsnmp get -v3 -u ops -l authPriv -a SHA-256 -A authpass1 -x AES -X privpass1 127.0.0.1 sysName.0
  oxsnmp walk -v1 -c public udp:192.0.2.1:1161 .1.3.6.1.2.1.1
  oxsnmp bulkwalk -c public -Cr50 -Oq udp6:[::1]:161 .1.3.6.1.2.1.2.2
  oxsnmp set -c private 127.0.0.1 .1.3.6.1.2.1.1.4.0 s admin@example.com
  oxsnmp agent --data router.snmprec udp:127.0.0.1:1161
  oxsnmp listen -o json udp:127.0.0.1:1162
  oxsnmp trap -c public udp:127.0.0.1:1162 '' .1.3.6.1.6.3.1.1.5.1

OIDs may be names (sysDescr.0, IF-MIB::ifDescr.2). With MIB files found
(-m, -M, MIBS, MIBDIRS, /usr/share/snmp/mibs), output is symbolic like
Net-SNMP's default; without them (or with -On) it is Net-SNMP's `-On`
output with no MIBs loaded, byte for byte.
Errors go to stderr with Net-SNMP's wording; the exit status is 0 on
success, 1 for usage, address, timeout and walk errors, 2 when the agent
answers with an error-status.";

/// The manager subcommands, the agent and the demo.
#[derive(Debug, Subcommand)]
pub enum TopCommand {
    /// get, getnext, bulkget, walk, bulkwalk, set.
    #[command(flatten)]
    Manager(Box<Command>),
    /// Run an SNMP agent serving a recorded device or the demo dataset.
    ///
    /// Serves SNMPv1, SNMPv2c and, with --user, SNMPv3 on UDP until SIGINT
    /// (Ctrl-C) or SIGTERM, then exits 0. Only what is configured is
    /// served: with no -c, --rw-community or --user, the community `public`
    /// read-only (SNMPv1/v2c); with --user and no community, SNMPv3 only;
    /// an empty community only with --allow-empty-community. SNMPv3 users
    /// need authNoPriv at least when they have an authentication key.
    /// Without --data it serves the built-in demo dataset:
    /// the system group (sysContact, sysName and sysLocation writable),
    /// ifNumber, a 4-row ifTable (ifAdminStatus writable) and ifXTable
    /// (ifName, ifHCInOctets/ifHCOutOctets as Counter64, ifAlias writable).
    ///
    /// --data serves a recording read-only: an snmpsim .snmprec file
    /// (OID|TYPE|VALUE lines, read as snmpsim reads them), the output of
    /// `snmpwalk` or `oxsnmp walk` (numeric in any style, or with names:
    /// MIBs are then loaded as for the other subcommands, -m/-M, and a
    /// value or name that cannot be read back exactly is refused with its
    /// line; snmpsim's .snmpwalk files too)
    /// or a SimpleAgentPro .sapwalk file, chosen by the file's extension
    /// (.snmprec, .sapwalk, anything else is snmpwalk output) or by
    /// --format. Lines that snmpsim computes with a variation module
    /// (TYPE:MODULE tags such as 2:numeric) are refused: oxsnmp serves
    /// static data only. A recording is served exactly as recorded and
    /// nothing is added: its system group (sysUpTime included) and its
    /// snmp group (.1.3.6.1.2.1.11) as recorded, or none if it has none.
    /// The same goes for the SNMPv3 engine's objects (snmpEngine group,
    /// usmStats, snmpMPDStats...) with --user. --agent-counters serves this
    /// agent's own snmp group counters (and with --user its engine's
    /// objects) instead, as the demo dataset always does.
    ///
    /// Listening addresses use snmpd's syntax: udp:HOST:PORT,
    /// udp6:[ADDR]:PORT, HOST:PORT or a bare PORT (every IPv4 interface);
    /// port 0 picks a free port. The default, udp:127.0.0.1:1161, keeps the
    /// agent on the loopback interface and needs no privileges (161 does).
    /// The bound addresses are printed on start, one `listening on ...`
    /// line each.
    #[command(
        after_help = "Examples:\n  oxsnmp agent\n  oxsnmp agent --rw-community private udp:127.0.0.1:1161 udp6:[::1]:1161\n  oxsnmp agent --user 'ops SHA-256 authsecret AES privsecret' --rw-user ops --engine-id 0x80001f8804616263\n  oxsnmp agent --data router.snmprec -c public udp:0.0.0.0:1161\n  oxsnmp agent --data router.snmprec --agent-counters\n  oxsnmp walk -v2c -c public router .1 > router.walk && oxsnmp agent --data router.walk"
    )]
    Agent(AgentArgs),
    /// Translate between OID names and numbers, describe objects (like snmptranslate).
    #[command(after_help = crate::translate::EXAMPLES)]
    Translate(crate::translate::TranslateArgs),
    /// Show what oxsnmp does, against a built-in agent (no setup needed).
    ///
    /// Starts the demo agent on a free loopback port and runs get, getnext,
    /// bulkwalk, set, SNMPv1 and SNMPv2c commands against it, printing each
    /// command line and its output. Needs nothing but the loopback
    /// interface. Exits 0 when every step behaved as expected.
    Demo(DemoArgs),
    /// Send a trap (like snmptrap)
    ///
    /// SNMPv2c (-v 2c, the default):
    ///   oxsnmp trap [OPTIONS] RECEIVER UPTIME TRAP-OID [OID TYPE VALUE]...
    /// SNMPv1 (-v 1):
    ///   oxsnmp trap -v 1 [OPTIONS] RECEIVER ENTERPRISE AGENT-ADDR GENERIC SPECIFIC UPTIME [OID TYPE VALUE]...
    ///
    /// UPTIME is sysUpTime in hundredths of a second; an empty UPTIME ('')
    /// sends the host's uptime, as snmptrap does. An empty ENTERPRISE is
    /// Net-SNMP's default .1.3.6.1.4.1.3.1.1; an empty AGENT-ADDR is the
    /// IPv4 address the trap leaves from (snmptrap uses the first
    /// non-loopback interface's). GENERIC is 0 coldStart, 1 warmStart,
    /// 2 linkDown, 3 linkUp, 4 authenticationFailure, 5 egpNeighborLoss or
    /// 6 enterpriseSpecific (then SPECIFIC counts). The varbinds are OID
    /// TYPE VALUE triples with the types of `oxsnmp set` (i u c C t a o s
    /// x d b n U I F D). The receiver's port defaults to 162. Prints
    /// nothing on success; -Ci sends an inform instead, as `oxsnmp inform`.
    ///
    /// SNMPv3 (-v 3): the trap is sent by the engine -e names (else this
    /// tool's own), with that engine's snmpEngineBoots and snmpEngineTime
    /// kept across runs in $XDG_STATE_HOME/oxsnmp/notify-engine.conf (or
    /// ~/.local/state/oxsnmp/), so receivers that saw an earlier trap
    /// accept the next one; -Z BOOTS,TIME sets them (and later runs go on
    /// from there). The contextEngineID is this tool's own engine ID, kept
    /// in the same file, unless -E names one (as snmptrap and snmpinform).
    #[command(
        verbatim_doc_comment,
        after_help = "Examples:\n  oxsnmp trap -v 2c -c public udp:127.0.0.1:1162 '' .1.3.6.1.6.3.1.1.5.3 .1.3.6.1.2.1.2.2.1.1.2 i 2\n  oxsnmp trap -v 1 -c public 127.0.0.1:1162 .1.3.6.1.4.1.8072 '' 6 17 '' .1.3.6.1.2.1.1.5.0 s router-1"
    )]
    Trap(TrapArgs),
    /// Send an inform and wait for its acknowledgement (like snmpinform)
    ///
    ///   oxsnmp inform [OPTIONS] RECEIVER UPTIME TRAP-OID [OID TYPE VALUE]...
    ///
    /// SNMPv2c, or SNMPv3 with the -u -l -a -A -x -X options (the receiver
    /// is the authoritative engine, discovered first, as snmpinform does).
    /// The parameters are those of `oxsnmp trap -v 2c`. The
    /// inform is retried by -r and -t until acknowledged; without an
    /// acknowledgement it prints "snmpinform: Timeout" (snmpinform's words)
    /// and exits 1. Prints nothing on success.
    #[command(
        verbatim_doc_comment,
        after_help = "Example:\n  oxsnmp inform -c public -r 3 -t 2 udp:127.0.0.1:1162 '' .1.3.6.1.6.3.1.1.5.4 .1.3.6.1.2.1.2.2.1.1.2 i 2"
    )]
    Inform(TrapArgs),
    /// Receive traps and informs and print them (like snmptrapd)
    ///
    /// Listens for SNMPv1 and SNMPv2c notifications until SIGINT (Ctrl-C)
    /// or SIGTERM (or --count notifications), acknowledges informs, and
    /// prints each notification on stdout: by default a line with the
    /// time (UTC), the source address, the kind (TRAP, TRAP2, INFORM),
    /// version and community, then one tab-indented line per varbind in
    /// the format of the other tools (-O flags apply); with -o json one
    /// JSON object per line:
    ///
    ///   {"time":"2026-12-02T00:24:57.123Z", "source":"127.0.0.1:33644",
    ///    "version":"2c", "community":"public", "kind":"trap",
    ///    "request_id":77, "uptime":54335,
    ///    "trap_oid":"1.3.6.1.4.1.8072.2.3.0.1",
    ///    "varbinds":[{"oid":"1.3.6.1.2.1.1.5.0","type":"OCTET STRING","value":"hello"}]}
    ///
    /// kind is trap, inform or trap-v1; uptime is sysUpTime (the time-stamp
    /// of a v1 trap) in hundredths of a second; trap_oid is snmpTrapOID
    /// (for a v1 trap its RFC 3584 translation). varbinds leave out
    /// sysUpTime.0 and snmpTrapOID.0. Each has a type (INTEGER, OCTET
    /// STRING, NULL, OBJECT IDENTIFIER, IpAddress, Counter32, Gauge32,
    /// TimeTicks, Opaque, Counter64) and a value: a number, a string, or
    /// null; an OCTET STRING that is not UTF-8 and an Opaque have "hex"
    /// instead of "value". A v1 trap adds
    /// "v1":{"enterprise","agent_addr","generic_trap","specific_trap","time_stamp"}.
    ///
    /// Listening addresses use snmptrapd's syntax: udp:HOST:PORT,
    /// udp6:[ADDR]:PORT, HOST:PORT, a bare PORT (every IPv4 interface);
    /// port 162 when none is given. The default, udp:127.0.0.1:1162,
    /// needs no privileges (162 does). The bound addresses are printed on
    /// stderr, one `listening on ...` line each; on exit a count of
    /// notifications received and datagrams dropped (-d logs each drop
    /// with its reason).
    ///
    /// Anyone can send a trap, so: control characters in any field of the
    /// text output (CR, LF, tab, escape sequences) are printed escaped
    /// (\r, \n, \t, \xHH), one record per notification; an SNMPv3
    /// notification below its user's minimum level (--min-level; by
    /// default authNoPriv for a user with a key) is dropped and never
    /// acknowledged; and notifications waiting for stdout take at most
    /// --max-queued-bytes (16 MiB; more are dropped and counted, informs
    /// left unanswered so their senders retry).
    #[command(
        verbatim_doc_comment,
        after_help = "Examples:\n  oxsnmp listen\n  oxsnmp listen -c public -c traps udp:0.0.0.0:162 udp6:[::]:162\n  oxsnmp listen -o json udp:127.0.0.1:1162 | jq .trap_oid"
    )]
    Listen(ListenArgs),
    /// Record an agent into a .snmprec file (like snmpsim-record-commands)
    ///
    /// Walks the agent (SNMPv1: GETNEXT; SNMPv2c and SNMPv3: GETBULK with
    /// adaptive max-repetitions, or --getnext) under each OID given
    /// (default: the whole tree, .1) and writes every object as an snmpsim
    /// `.snmprec` line, `OID|TAG|VALUE`, with its exact type and octets —
    /// no MIB and no display hint is involved, so `oxsnmp agent --data
    /// FILE` and snmpsim serve it exactly as the agent answered. Strings of
    /// printable ASCII are written as text, others in hex (`4x|00ff`).
    /// Takes every option of the other manager subcommands (-v, -c, the
    /// SNMPv3 options, snmp.conf defaults).
    #[command(
        after_help = "Examples:\n  oxsnmp record -v2c -c public -o router.snmprec udp:192.0.2.1:161\n  oxsnmp record -v1 -c public 127.0.0.1 .1.3.6.1.2.1.1 .1.3.6.1.2.1.2 > part.snmprec\n  oxsnmp agent --data router.snmprec"
    )]
    Record(RecordArgs),
    /// Show the Net-SNMP client configuration (snmp.conf) oxsnmp reads
    ///
    /// The manager subcommands (get, getnext, bulkget, walk, bulkwalk,
    /// set, table), translate, trap, inform and listen read Net-SNMP's
    /// client configuration as Net-SNMP's tools do (snmp.conf(5)):
    ///
    ///   Files: for each directory of SNMPCONFPATH (colon-separated), else
    ///   of /etc/snmp, /usr/share/snmp, /usr/lib/x86_64-linux-gnu/snmp,
    ///   ~/.snmp and /var/lib/snmp: snmp.conf, then snmp.local.conf. Later
    ///   settings replace earlier ones. includeFile FILE, includeDir DIR
    ///   (its *.conf files) and includeSearch FILE read more; [snmp]
    ///   section lines are honoured.
    ///   Precedence: command-line options over the environment (MIBS,
    ///   MIBDIRS) over the files. Any directive may also be given on the
    ///   command line as --TOKEN=VALUE, e.g. --defVersion=3.
    ///
    /// Honoured directives:
    ///   mibs, mibdirs           as -m and -M (A:B replaces, +A adds)
    ///   mibfile FILE            FILE's modules too (also MIBFILES)
    ///   defVersion, defCommunity, defaultPort, timeout, retries
    ///   defSecurityName, defSecurityLevel, defAuthType, defPrivType,
    ///   defPassphrase, defAuthPassphrase, defPrivPassphrase,
    ///   defAuthMasterKey, defPrivMasterKey, defAuthLocalizedKey,
    ///   defPrivLocalizedKey, defContext, defSecurityEngineId
    ///   printNumericOids (-On), printNumericEnums (-Oe),
    ///   dontBreakdownOids (-Ob), escapeQuotes (-OE), quickPrinting (-Oq),
    ///   printValueOnly (-Ov), dontPrintUnits (-OU), numericTimeticks
    ///   (-Ot), printHexText (-OT), suffixPrinting (1: -Os, 2: -OS),
    ///   oidOutputFormat (1 -Os, 2 -OS, 3 -Of, 4 -On, 5 -Ou),
    ///   hexOutputLength (octets per line of hex dumps; 0: one line)
    ///   noDisplayHint (-Ih): what oxsnmp always does (no DISPLAY-HINT
    ///   is used to read values to set or index strings)
    ///
    /// Accepted with no effect (the other directives `snmpget -H` lists:
    /// logging, debugging, TLS/SSH, MIB parser strictness, buffers,
    /// persistence, ...); extendedIndex (-OX) is not supported and warns
    /// when set. A malformed line is reported as Net-SNMP
    /// reports it ("FILE: line N: Error: Bad integer value") and an
    /// unknown directive as "Warning: Unknown token: NAME."; the rest is
    /// still read. Host-specific files (hosts/HOST.conf) are not read.
    ///
    /// `oxsnmp config` prints the directories searched, the files read
    /// and the settings that result (secrets shown as "(set)").
    #[command(verbatim_doc_comment)]
    Config(ConfigArgs),
}

const RECEIVER_HELP: &str = "The notification receiver, in Net-SNMP transport syntax: HOST, \
HOST:PORT, udp:HOST:PORT, udp6:[ADDR]:PORT (port 162 when none is given)";

/// `trap` and `inform`.
#[derive(Debug, Args)]
pub struct TrapArgs {
    #[command(flatten)]
    pub common: Common,

    /// Application flags:
    ///   i  send an INFORM instead of a TRAP
    #[arg(short = 'C', value_name = "APPOPTS", verbatim_doc_comment)]
    pub app: Vec<String>,

    #[arg(help = RECEIVER_HELP)]
    pub receiver: String,

    /// v2c: UPTIME TRAP-OID [OID TYPE VALUE]...; v1: ENTERPRISE AGENT-ADDR
    /// GENERIC SPECIFIC UPTIME [OID TYPE VALUE]...
    #[arg(
        value_name = "TRAP-PARAMETERS",
        allow_hyphen_values = true,
        trailing_var_arg = true,
        value_parser = clap::value_parser!(OsString)
    )]
    pub params: Vec<OsString>,
}

/// `listen`'s output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ListenFormat {
    /// A readable block per notification.
    Text,
    /// One JSON object per line.
    Json,
}

/// `listen`.
#[derive(Debug, Args)]
pub struct ListenArgs {
    /// Accept this community (repeatable). Without -c every community is
    /// accepted; with it, notifications in other communities are dropped
    /// (and informs in them not acknowledged).
    #[arg(short = 'c', long = "community", value_name = "COMMUNITY")]
    pub communities: Vec<String>,

    /// Output format: text or json (one object per line).
    #[arg(
        short = 'o',
        long = "output",
        value_name = "FORMAT",
        value_enum,
        default_value = "text"
    )]
    pub output: ListenFormat,

    /// Output flags for the text format's varbinds, as for the other
    /// subcommands (e.g. -Oq, -Ot; -On for numeric OIDs when MIBs are
    /// loaded).
    #[arg(short = 'O', value_name = "OUTOPTS")]
    pub output_flags: Vec<String>,

    /// MIBs to load for the text format's names (as for the other subcommands).
    #[arg(short = 'm', value_name = "MIB[:...]")]
    pub mibs: Option<String>,

    /// MIB directories (as for the other subcommands).
    #[arg(short = 'M', value_name = "DIR[:...]")]
    pub mib_dirs: Option<String>,

    /// Exit after N notifications.
    #[arg(long, value_name = "N")]
    pub count: Option<u64>,

    /// Add snmpTrapAddress.0, snmpTrapCommunity.0 and snmpTrapEnterprise.0
    /// to the varbinds of SNMPv1 traps (RFC 3584 §3.1 (4)), so that they
    /// read like SNMPv2 notifications with nothing lost.
    #[arg(long)]
    pub translate_v1: bool,

    /// An SNMPv3 user, in Net-SNMP's createUser syntax:
    /// '[-e ENGINEID] NAME [AUTH AUTHPASS [PRIV [PRIVPASS]]]' (repeatable).
    /// With -e, traps from that sending engine only (snmptrapd's
    /// `createUser -e`); without, authenticated traps from any engine (the
    /// keys are localized to each new engine as it is first seen) and
    /// informs, which are addressed to this listener's own engine.
    #[arg(long = "user", value_name = "CREATEUSER", allow_hyphen_values = true)]
    pub users: Vec<String>,

    /// The least security level accepted from a --user, as snmptrapd's
    /// `authUser log NAME LEVEL`: '[-e ENGINEID] NAME LEVEL', LEVEL one of
    /// noAuthNoPriv, authNoPriv, authPriv (or snmptrapd's noauth, auth,
    /// priv); with -e, only that user's entry for that engine (repeatable).
    /// Default: authNoPriv for a user with an authentication passphrase or
    /// key, noAuthNoPriv for one without. Notifications below the level
    /// are dropped and counted, never printed and never acknowledged:
    /// user names travel in clear, so anyone can send a noAuthNoPriv trap
    /// under an authenticated user's name.
    #[arg(
        long = "min-level",
        value_name = "[-e ENGINEID] NAME LEVEL",
        allow_hyphen_values = true
    )]
    pub min_levels: Vec<String>,

    /// The most memory notifications waiting to be printed may take, in
    /// bytes (default 16 MiB); beyond it they are dropped and counted, and
    /// informs go unanswered so their senders retry.
    #[arg(long = "max-queued-bytes", value_name = "BYTES", default_value_t = oxsnmp_core::notify::DEFAULT_MAX_QUEUED_BYTES)]
    pub max_queued_bytes: usize,

    /// This listener's snmpEngineID in hex, the engine SNMPv3 informs are
    /// addressed to (default: generated at start; senders discover it).
    #[arg(long = "engine-id", value_name = "HEX")]
    pub engine_id: Option<String>,

    /// Log to stderr at debug level (RUST_LOG works too).
    #[arg(short = 'd', long)]
    pub debug: bool,

    /// Where to listen, in snmptrapd's syntax.
    #[arg(value_name = "LISTENING ADDRESS", default_value = "udp:127.0.0.1:1162")]
    pub listen: Vec<String>,
}

/// `agent`.
#[derive(Debug, Args)]
pub struct AgentArgs {
    /// Serve the records of FILE (.snmprec, .sapwalk, or snmpwalk /
    /// oxsnmp walk output) instead of the demo dataset.
    #[arg(long, value_name = "FILE")]
    pub data: Option<std::path::PathBuf>,

    /// The format of --data: snmprec, snmpwalk or sapwalk (default:
    /// .snmprec files are snmprec, .sapwalk files sapwalk, others snmpwalk
    /// output).
    #[arg(long, value_name = "FORMAT", requires = "data", value_parser = parse_format)]
    pub format: Option<RecordingFormat>,

    /// MIB modules to read a walk printed with MIBs (names such as
    /// SNMPv2-MIB::sysName.0), Net-SNMP style as for the other
    /// subcommands: ALL, A:B, +A:B, '' for none from files.
    #[arg(short = 'm', value_name = "MIB[:...]", requires = "data")]
    pub mibs: Option<String>,

    /// MIB directories for such a walk: DIR:DIR, +DIR, -DIR.
    #[arg(short = 'M', value_name = "DIR[:...]", requires = "data")]
    pub mib_dirs: Option<String>,

    /// With --data: serve the snmp group (.1.3.6.1.2.1.11: snmpInPkts and
    /// the other counters, snmpEnableAuthenTraps) from this agent's own
    /// counters, in place of the recording's (default: the recording's
    /// own, or none); with --user, the SNMPv3 engine's objects
    /// (snmpEngineID, usmStats...) too.
    #[arg(long, requires = "data")]
    pub agent_counters: bool,

    /// Read-only community. Without -c, --rw-community and --user the agent
    /// serves `public` read-only over SNMPv1/v2c (and nothing else); with
    /// --user alone it is SNMPv3-only and answers no community.
    #[arg(short = 'c', long = "community", value_name = "COMMUNITY")]
    pub community: Option<String>,

    /// Read-write community (none by default: every SET is refused).
    #[arg(long, value_name = "COMMUNITY")]
    pub rw_community: Option<String>,

    /// Accept an empty community string (`-c ''`), refused otherwise: any
    /// sender can send one by accident.
    #[arg(long)]
    pub allow_empty_community: bool,

    /// An SNMPv3 user, in Net-SNMP's createUser syntax:
    /// 'NAME [AUTH AUTHPASS [PRIV [PRIVPASS]]]', e.g.
    /// --user 'ops SHA-256 authsecret AES privsecret' (repeatable). AUTH is
    /// MD5, SHA, SHA-224, SHA-256, SHA-384 or SHA-512; PRIV is DES, 3DES,
    /// AES, AES-192, AES-256 (Blumenthal key extension) or AES-192C,
    /// AES-256C (Reeder). Without PRIVPASS the AUTHPASS is used. `-m`/`-l`
    /// before NAME take master/localized keys in hex instead of
    /// passphrases. Each user may read the whole tree at authNoPriv or
    /// above (noAuthNoPriv for a user without AUTH).
    #[arg(long = "user", value_name = "CREATEUSER", allow_hyphen_values = true)]
    pub users: Vec<String>,

    /// Let this --user write too (repeatable).
    #[arg(long = "rw-user", value_name = "NAME")]
    pub rw_users: Vec<String>,

    /// The SNMPv3 snmpEngineID, in hex (default: generated once and kept
    /// in the --engine-state file).
    #[arg(long = "engine-id", value_name = "HEX")]
    pub engine_id: Option<String>,

    /// Where the SNMPv3 engine IDs and boots counters are kept between
    /// runs (default: one file per set of listening addresses, so two
    /// agents never share an engine ID:
    /// $XDG_STATE_HOME/oxsnmp/agent-ADDRESSES.conf, or under
    /// ~/.local/state/oxsnmp/). snmpEngineBoots grows by one at every
    /// start and never repeats for an engine ID, switching --engine-id
    /// back and forth included; the file is locked while the agent runs,
    /// and an unreadable or unwritable file stops the agent.
    #[arg(long = "engine-state", value_name = "FILE")]
    pub engine_state: Option<std::path::PathBuf>,

    /// Log every request to stderr (debug level). RUST_LOG=debug does the
    /// same; RUST_LOG=trace shows more.
    #[arg(short = 'd', long)]
    pub debug: bool,

    /// Where to listen, in snmpd's syntax.
    #[arg(value_name = "LISTENING ADDRESS", default_value = "udp:127.0.0.1:1161")]
    pub listen: Vec<String>,
}

/// `demo` (no options).
#[derive(Debug, Args)]
pub struct DemoArgs {}

/// `config` (no options).
#[derive(Debug, Args)]
pub struct ConfigArgs {}

/// `record`.
#[derive(Debug, Args)]
pub struct RecordArgs {
    #[command(flatten)]
    pub common: Common,

    /// Write to FILE (replaced whole once the walk is done) instead of
    /// standard output.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output_file: Option<std::path::PathBuf>,

    /// Walk with GETNEXT also for SNMPv2c and SNMPv3.
    #[arg(long)]
    pub getnext: bool,

    /// GETBULK max-repetitions, always N (default: adaptive).
    #[arg(long = "max-repetitions", value_name = "N")]
    pub max_repetitions: Option<u32>,

    #[arg(help = AGENT_HELP)]
    pub agent: String,

    /// Subtrees to record (default: .1, everything the agent serves).
    #[arg(value_name = "OID")]
    pub oids: Vec<String>,
}

fn parse_format(s: &str) -> Result<RecordingFormat, String> {
    s.parse().map_err(|e: UnknownFormat| e.to_string())
}

/// Options every subcommand takes.
#[derive(Debug, Args)]
pub struct Common {
    /// SNMP version: 1, 2c or 3 (also glued: -v1, -v2c, -v3). Default:
    /// snmp.conf's defVersion, else 2c.
    #[arg(short = 'v', value_name = "1|2c|3", value_parser = parse_version)]
    pub version: Option<Version>,

    /// Community string. Default: snmp.conf's defCommunity, else public.
    #[arg(short = 'c', value_name = "COMMUNITY")]
    pub community: Option<String>,

    /// Number of retries after the first attempt. Default: snmp.conf's
    /// retries, else 5.
    #[arg(short = 'r', value_name = "RETRIES", value_parser = parse_retries)]
    pub retries: Option<u32>,

    /// Seconds to wait for each attempt, fractions allowed (-t 0.5).
    /// Default: snmp.conf's timeout, else 1.
    #[arg(short = 't', value_name = "TIMEOUT", value_parser = parse_timeout)]
    pub timeout: Option<Duration>,

    /// Output flags, Net-SNMP style, e.g. -Oq or -Onv:
    ///   n  numeric OIDs (the default when no MIB files were found)
    ///   q  quick print: no type labels, "OID value"
    ///   Q  quick print with equal signs: "OID = value"
    ///   v  print values only
    ///   t  TimeTicks as plain numbers
    ///   x  all strings in hex;  a  all strings as text;  T  text beside hex strings
    ///   p  float format for Opaque floats: -Op[WIDTH][.PRECISION], e.g. -Op.2
    ///   S  MODULE::name.index (the default when MIB files were loaded)
    ///   s  name.index;  f u  .iso.org.dod...name.index
    ///      (without MIBs: iso.3.6... / .iso.3.6...)
    ///   b  table indexes as plain numbers;  e  enums as numbers
    ///   U  no UNITS;  E X 0  accepted, no effect
    #[arg(short = 'O', value_name = "OUTOPTS", verbatim_doc_comment)]
    pub output: Vec<String>,

    /// MIB modules to load, Net-SNMP style: ALL, A:B (instead of the
    /// default list), +A:B (in addition); '' loads none from files.
    #[arg(short = 'm', value_name = "MIB[:...]")]
    pub mibs: Option<String>,

    /// MIB directories: DIR:DIR (instead of ~/.snmp/mibs and
    /// /usr/share/snmp/mibs), +DIR (after them), -DIR (before them).
    #[arg(short = 'M', value_name = "DIR[:...]")]
    pub mib_dirs: Option<String>,

    #[command(flatten)]
    pub v3: V3Args,
}

impl Common {
    /// The SNMP version: `-v`, else snmp.conf's `defVersion`, else 2c.
    pub fn version(&self) -> Version {
        self.version
            .or(netsnmp_conf::get().version)
            .unwrap_or(Version::V2c)
    }

    /// The community: `-c`, else `defCommunity`, else `public`.
    pub fn community(&self) -> String {
        self.community
            .clone()
            .or_else(|| netsnmp_conf::get().community.clone())
            .unwrap_or_else(|| "public".to_owned())
    }

    /// The agent address with snmp.conf's `defaultPort` when it names no
    /// port.
    pub fn agent_address(agent: &str) -> String {
        match netsnmp_conf::get().default_port {
            Some(port) => netsnmp_conf::with_default_port(agent, port),
            None => agent.to_owned(),
        }
    }

    /// Client settings from these options (and snmp.conf's defaults for
    /// what they leave out); SNMPv3 options that do not add up are
    /// reported with Net-SNMP's wording.
    pub fn client_options(&self) -> Result<ClientOptions, String> {
        let conf = netsnmp_conf::get();
        let version = self.version();
        let v3 = match version {
            Version::V3 => Some(self.v3.with_defaults(conf).security()?),
            _ => None,
        };
        Ok(ClientOptions {
            version,
            community: self.community(),
            timeout: self
                .timeout
                .or(conf.timeout)
                .unwrap_or(Duration::from_secs(1)),
            retries: self.retries.or(conf.retries).unwrap_or(5),
            v3,
            ..ClientOptions::default()
        })
    }

    /// The output options: snmp.conf's output directives, then every
    /// `-O`, applied in order.
    pub fn output_options(&self) -> Result<OutputOptions, String> {
        let mut options = OutputOptions::default();
        options.apply_flags(&netsnmp_conf::get().output.flags())?;
        for flags in &self.output {
            options.apply_flags(flags)?;
        }
        if let Some(mibs) = crate::mibs::for_output() {
            options.with_mibs(mibs);
        }
        Ok(options)
    }
}

/// `get` and `getnext`.
#[derive(Debug, Args)]
pub struct GetArgs {
    #[command(flatten)]
    pub common: Common,

    /// Application flags:
    ///   f  do not fix errors and retry the request
    #[arg(short = 'C', value_name = "APPOPTS", verbatim_doc_comment)]
    pub app: Vec<String>,

    #[arg(help = AGENT_HELP)]
    pub agent: String,

    /// OIDs: numeric (.1.3.6.1.2.1.1.1.0, iso.3.6...) or names (sysDescr.0, IF-MIB::ifDescr.2).
    #[arg(required = true, value_name = "OID")]
    pub oids: Vec<String>,
}

/// `bulkget`.
#[derive(Debug, Args)]
pub struct BulkgetArgs {
    #[command(flatten)]
    pub common: Common,

    /// Application flags:
    ///   n<NUM>  non-repeaters (default 0)
    ///   r<NUM>  max-repetitions (default 10)
    #[arg(short = 'C', value_name = "APPOPTS", verbatim_doc_comment)]
    pub app: Vec<String>,

    #[arg(help = AGENT_HELP)]
    pub agent: String,

    /// OIDs, numeric or names; the first NUM (-Cn) are non-repeaters.
    #[arg(required = true, value_name = "OID")]
    pub oids: Vec<String>,
}

/// `walk`.
#[derive(Debug, Args)]
pub struct WalkArgs {
    #[command(flatten)]
    pub common: Common,

    /// Application flags:
    ///   p  print the number of variables found
    ///   i  include the given OID: GET it before walking
    ///   I  don't GET the given OID when the walk finds nothing
    ///   c  do not check that returned OIDs increase
    #[arg(short = 'C', value_name = "APPOPTS", verbatim_doc_comment)]
    pub app: Vec<String>,

    #[arg(help = AGENT_HELP)]
    pub agent: String,

    /// The subtree to walk. Default .1.3.6.1.2.1 (mib-2).
    #[arg(value_name = "OID")]
    pub root: Option<String>,
}

/// `bulkwalk`.
#[derive(Debug, Args)]
pub struct BulkwalkArgs {
    #[command(flatten)]
    pub common: Common,

    /// Application flags:
    ///   r<NUM>  max-repetitions: always NUM (default: adaptive)
    ///   n<NUM>  non-repeaters: accepted, no effect (a walk has one OID)
    ///   p       print the number of variables found
    ///   i       include the given OID: GET it before walking
    ///   I       don't GET the given OID when the walk finds nothing
    ///   c       do not check that returned OIDs increase
    #[arg(short = 'C', value_name = "APPOPTS", verbatim_doc_comment)]
    pub app: Vec<String>,

    #[arg(help = AGENT_HELP)]
    pub agent: String,

    /// The subtree to walk. Default .1.3.6.1.2.1 (mib-2).
    #[arg(value_name = "OID")]
    pub root: Option<String>,
}

/// `set`.
#[derive(Debug, Args)]
pub struct SetArgs {
    #[command(flatten)]
    pub common: Common,

    /// Application flags:
    ///   q  don't print the results on success
    #[arg(short = 'C', value_name = "APPOPTS", verbatim_doc_comment)]
    pub app: Vec<String>,

    #[arg(help = AGENT_HELP)]
    pub agent: String,

    /// OID TYPE VALUE, repeated.
    #[arg(
        required = true,
        value_name = "OID TYPE VALUE",
        allow_hyphen_values = true,
        trailing_var_arg = true,
        value_parser = clap::value_parser!(OsString)
    )]
    pub triples: Vec<OsString>,
}

/// The `-C` flags, over all subcommands.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AppOptions {
    /// `f`: no retry without the failed varbind.
    pub no_fix: bool,
    /// `n<NUM>`.
    pub non_repeaters: Option<u32>,
    /// `r<NUM>`.
    pub max_repetitions: Option<u32>,
    /// `c`.
    pub no_check_increasing: bool,
    /// `i`.
    pub include_root: bool,
    /// `I`.
    pub dont_get_root: bool,
    /// `p`.
    pub print_count: bool,
    /// `q`.
    pub quiet: bool,
}

impl AppOptions {
    /// Parses `-C` arguments, accepting only the letters in `allowed`.
    /// Errors use Net-SNMP's `Unknown flag passed to -C: x`.
    pub fn parse(values: &[String], allowed: &str) -> Result<Self, String> {
        let mut options = AppOptions::default();
        for value in values {
            let mut rest = value.as_str();
            while let Some(c) = rest.chars().next() {
                rest = &rest[c.len_utf8()..];
                if !allowed.contains(c) {
                    return Err(format!("Unknown flag passed to -C: {c}"));
                }
                match c {
                    'n' | 'r' => {
                        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
                        let (number, after) = rest.split_at(digits);
                        rest = after;
                        let n: u32 = number
                            .parse()
                            .map_err(|_| format!("-C{c} needs a number, e.g. -C{c}10"))?;
                        if c == 'n' {
                            options.non_repeaters = Some(n);
                        } else {
                            options.max_repetitions = Some(n);
                        }
                    }
                    'f' => options.no_fix = true,
                    'c' => options.no_check_increasing = true,
                    'i' => options.include_root = true,
                    'I' => options.dont_get_root = true,
                    'p' => options.print_count = true,
                    'q' => options.quiet = true,
                    _ => return Err(format!("Unknown flag passed to -C: {c}")),
                }
            }
        }
        Ok(options)
    }
}

fn parse_version(s: &str) -> Result<Version, String> {
    match s {
        "1" => Ok(Version::V1),
        "2c" | "2C" => Ok(Version::V2c),
        "3" => Ok(Version::V3),
        _ => Err(format!("Invalid version specified after -v flag: {s}")),
    }
}

fn parse_retries(s: &str) -> Result<u32, String> {
    s.parse()
        .map_err(|_| "Invalid number of retries after -r flag.".to_owned())
}

fn parse_timeout(s: &str) -> Result<Duration, String> {
    let bad = || "Invalid timeout in seconds after -t flag.".to_owned();
    let secs: f64 = s.parse().map_err(|_| bad())?;
    if !secs.is_finite() || secs <= 0.0 || secs > 1.0e6 {
        return Err(bad());
    }
    Ok(Duration::from_secs_f64(secs))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    fn parse(args: &[&str]) -> Result<Cli, clap::Error> {
        Cli::try_parse_from(std::iter::once("oxsnmp").chain(args.iter().copied()))
    }

    #[test]
    fn clap_definition_is_valid() {
        Cli::command().debug_assert();
    }

    #[test]
    fn agent_and_demo_subcommands() {
        Oxsnmp::command().debug_assert();
        let top = |args: &[&str]| {
            Oxsnmp::try_parse_from(std::iter::once("oxsnmp").chain(args.iter().copied()))
        };
        let TopCommand::Agent(a) = top(&["agent"]).unwrap().command else {
            panic!()
        };
        assert_eq!(a.listen, ["udp:127.0.0.1:1161"]);
        assert_eq!(
            (a.community, a.rw_community, a.data, a.debug),
            (None, None, None, false)
        );
        let TopCommand::Agent(a) = top(&[
            "agent",
            "-d",
            "-c",
            "ro",
            "--rw-community",
            "rw",
            "--data",
            "x.txt",
            "--format",
            "snmprec",
            "udp:127.0.0.1:0",
            "udp6:[::1]:0",
        ])
        .unwrap()
        .command
        else {
            panic!()
        };
        assert_eq!(a.listen, ["udp:127.0.0.1:0", "udp6:[::1]:0"]);
        assert_eq!(a.format, Some(RecordingFormat::Snmprec));
        assert_eq!(
            (a.community.as_deref(), a.rw_community.as_deref()),
            (Some("ro"), Some("rw"))
        );
        assert!(a.debug);
        assert!(!a.agent_counters);
        assert!(
            top(&["agent", "--format", "snmprec"]).is_err(),
            "--format needs --data"
        );
        let TopCommand::Agent(a) = top(&["agent", "--data", "x", "--agent-counters"])
            .unwrap()
            .command
        else {
            panic!()
        };
        assert!(a.agent_counters);
        assert!(
            top(&["agent", "--agent-counters"]).is_err(),
            "--agent-counters needs --data"
        );
        assert!(top(&["agent", "--data", "x", "--format", "csv"]).is_err());
        assert!(matches!(
            top(&["demo"]).unwrap().command,
            TopCommand::Demo(_)
        ));
        let TopCommand::Manager(command) = top(&["get", "h", "1.3"]).unwrap().command else {
            panic!("a manager command")
        };
        assert!(matches!(*command, Command::Get(_)));
    }

    #[test]
    fn trap_inform_and_listen_subcommands() {
        let top = |args: &[&str]| {
            Oxsnmp::try_parse_from(std::iter::once("oxsnmp").chain(args.iter().copied()))
        };
        let TopCommand::Trap(t) = top(&[
            "trap", "-v", "1", "-c", "x", "-Ci", "host", "", "", "6", "17", "", "1.3.6", "s", "-v",
        ])
        .unwrap()
        .command
        else {
            panic!()
        };
        assert_eq!(
            (t.common.version, t.common.community.as_deref()),
            (Some(Version::V1), Some("x"))
        );
        assert_eq!(
            (t.receiver.as_str(), t.app.as_slice()),
            ("host", &["i".to_owned()][..])
        );
        assert_eq!(
            t.params,
            ["", "", "6", "17", "", "1.3.6", "s", "-v"],
            "values may look like options"
        );
        let TopCommand::Inform(t) = top(&["inform", "h", "1", "1.3"]).unwrap().command else {
            panic!()
        };
        assert_eq!(t.common.version, None, "defVersion, else 2c");
        assert!(top(&["trap"]).is_err(), "the receiver is required");

        let TopCommand::Listen(l) = top(&["listen"]).unwrap().command else {
            panic!()
        };
        assert_eq!(l.listen, ["udp:127.0.0.1:1162"]);
        assert!(l.communities.is_empty() && l.count.is_none() && !l.translate_v1);
        assert_eq!(l.output, ListenFormat::Text);
        let TopCommand::Listen(l) = top(&[
            "listen",
            "-c",
            "a",
            "-c",
            "b",
            "-o",
            "json",
            "--count",
            "3",
            "--translate-v1",
            "-Oq",
            "udp:127.0.0.1:1",
            "udp6:[::1]:1",
        ])
        .unwrap()
        .command
        else {
            panic!()
        };
        assert_eq!(l.communities, ["a", "b"]);
        assert_eq!(
            (l.output, l.count, l.translate_v1),
            (ListenFormat::Json, Some(3), true)
        );
        assert_eq!(l.output_flags, ["q"]);
        assert_eq!(l.listen, ["udp:127.0.0.1:1", "udp6:[::1]:1"]);
        assert!(top(&["listen", "-o", "xml"]).is_err());
    }

    #[test]
    fn net_snmp_style_options() {
        let cli = parse(&[
            "get",
            "-v2c",
            "-cpublic",
            "-On",
            "-t0.2",
            "-r",
            "0",
            "127.0.0.1:1161",
            ".1.3.6.1.2.1.1.5.0",
            "1.3.6.1.2.1.1.4.0",
        ])
        .unwrap();
        let Command::Get(args) = cli.command else {
            panic!()
        };
        assert_eq!(args.common.version, Some(Version::V2c));
        assert_eq!(args.common.community.as_deref(), Some("public"));
        assert_eq!(args.common.timeout, Some(Duration::from_millis(200)));
        assert_eq!(args.common.retries, Some(0));
        assert_eq!(args.agent, "127.0.0.1:1161");
        assert_eq!(args.oids.len(), 2);

        let cli = parse(&["walk", "-v", "1", "-c", "x", "host", "-Cp", "-Oq"]).unwrap();
        let Command::Walk(args) = cli.command else {
            panic!()
        };
        assert_eq!(args.common.version, Some(Version::V1));
        assert_eq!(args.root, None);
        assert_eq!(args.app, ["p"]);
        assert_eq!(args.common.output, ["q"]);

        let cli = parse(&[
            "bulkwalk",
            "-v2C",
            "-Cr25",
            "-Cc",
            "udp6:[::1]:1161",
            ".1.3",
        ])
        .unwrap();
        let Command::Bulkwalk(args) = cli.command else {
            panic!()
        };
        let app = AppOptions::parse(&args.app, "nrpiIc").unwrap();
        assert_eq!(app.max_repetitions, Some(25));
        assert!(app.no_check_increasing);
    }

    #[test]
    fn set_values_may_look_like_options() {
        let cli = parse(&[
            "set", "-c", "private", "h", "1.3.6", "i", "-5", "1.3.7", "s", "-x",
        ])
        .unwrap();
        let Command::Set(args) = cli.command else {
            panic!()
        };
        assert_eq!(args.triples, ["1.3.6", "i", "-5", "1.3.7", "s", "-x"]);
    }

    #[test]
    fn bad_values() {
        let err = |args: &[&str]| parse(args).unwrap_err().to_string();
        assert!(parse(&["get", "-v", "3", "-u", "ops", "h", "1.3"]).is_ok());
        assert!(err(&["get", "-v3", "-l", "secret", "h", "1.3"]).contains("Invalid security level"));
        assert!(err(&["get", "-v3", "-a", "SHA-3", "h", "1.3"])
            .contains("Invalid authentication protocol specified after -a flag: SHA-3"));
        assert!(err(&["get", "-v3", "-x", "RC4", "h", "1.3"])
            .contains("Invalid privacy protocol specified after -x flag: RC4"));
        assert!(err(&["get", "-v3", "-e", "0x12", "h", "1.3"]).contains("Bad engine ID"));
        assert!(err(&["get", "-v", "2", "h", "1.3"])
            .contains("Invalid version specified after -v flag: 2"));
        assert!(err(&["get", "-t", "abc", "h", "1.3"]).contains("Invalid timeout"));
        assert!(err(&["get", "-t", "0", "h", "1.3"]).contains("Invalid timeout"));
        assert!(err(&["get", "-r", "x", "h", "1.3"]).contains("Invalid number of retries"));
        assert!(parse(&["get", "-r", "-1", "h", "1.3"]).is_err());
        assert!(parse(&["get", "h"]).is_err());
        assert!(parse(&["walk", "h", "1.3", "1.4"]).is_err());
        assert!(parse(&[]).is_err());
    }

    #[test]
    fn app_flags() {
        let p = |v: &[&str], allowed: &str| {
            AppOptions::parse(
                &v.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
                allowed,
            )
        };
        let o = p(&["n1r3"], "nr").unwrap();
        assert_eq!((o.non_repeaters, o.max_repetitions), (Some(1), Some(3)));
        let o = p(&["pc", "I"], "ciIp").unwrap();
        assert!(o.print_count && o.no_check_increasing && o.dont_get_root && !o.include_root);
        assert_eq!(p(&["x"], "nr").unwrap_err(), "Unknown flag passed to -C: x");
        assert_eq!(p(&["I"], "nr").unwrap_err(), "Unknown flag passed to -C: I");
        assert!(p(&["r"], "nr").unwrap_err().contains("needs a number"));
        assert!(p(&["f"], "f").unwrap().no_fix);
        assert!(p(&["q"], "q").unwrap().quiet);
    }

    #[test]
    fn output_flags_in_order() {
        let cli = parse(&["get", "-Oq", "-Ov", "-Oqs", "h", "1.3"]).unwrap();
        let Command::Get(args) = cli.command else {
            panic!()
        };
        let o = args.common.output_options().unwrap();
        assert!(!o.quick && o.bare_value);
        assert_eq!(o.oid_format, crate::render::OidFormat::Suffix);
    }
}
