//! Running the subcommands: requests through `oxsnmp-blocking`, output and
//! diagnostics the way Net-SNMP's tools print them.
//!
//! Walks are driven here (with the core's [`Walk`] state machine choosing
//! each request, so `bulkwalk` gets the adaptive max-repetitions) rather
//! than through the client's walk iterator, because Net-SNMP prints things
//! that iterator rightly hides: the exception that ends a walk at the end
//! of the MIB view, `End of MIB` for SNMPv1, and the varbind that went
//! backwards before it complains.

use std::io::{self, BufWriter, Write};

use oxsnmp_blocking::oxsnmp_core::walk::Walk;
use oxsnmp_blocking::{
    AddressError, ClientError, ErrorStatus, Oid, Repetitions, Request, Response, Value, Version,
    WalkOptions,
};

use crate::args::{AppOptions, BulkgetArgs, BulkwalkArgs, Cli, Command, Common, GetArgs};
use crate::args::{SetArgs, WalkArgs};
use crate::messages;
use crate::render::OutputOptions;
use crate::set_value::{parse_oid, parse_set_args, SetArgsError};

/// Exit status: success.
pub const EXIT_OK: u8 = 0;
/// Exit status: usage, address, timeout or walk errors (Net-SNMP's 1).
pub const EXIT_ERROR: u8 = 1;
/// Exit status: the agent answered with an error-status (Net-SNMP's 2).
pub const EXIT_PACKET_ERROR: u8 = 2;

/// The default walk root, mib-2, as `snmpwalk` uses.
const MIB_2: &str = "1.3.6.1.2.1";

/// max-repetitions of `bulkget` without `-Cr`, as `snmpbulkget`.
const DEFAULT_BULKGET_REPETITIONS: u32 = 10;

/// Runs a parsed command line; returns the exit status.
pub fn run(cli: Cli) -> u8 {
    crate::mibs::init(&crate::mibs::MibArgs::from(cli.command.common()));
    let mut console = Console::new();
    let status = match cli.command {
        Command::Get(args) => get(&mut console, args, false),
        Command::Getnext(args) => get(&mut console, args, true),
        Command::Bulkget(args) => bulkget(&mut console, args),
        Command::Walk(args) => {
            let WalkArgs {
                common,
                app,
                agent,
                root,
            } = args;
            walk(
                &mut console,
                &common,
                &app,
                "ciIp",
                &agent,
                root.as_deref(),
                false,
            )
        }
        Command::Bulkwalk(args) => {
            let BulkwalkArgs {
                common,
                app,
                agent,
                root,
            } = args;
            walk(
                &mut console,
                &common,
                &app,
                "nrciIp",
                &agent,
                root.as_deref(),
                true,
            )
        }
        Command::Set(args) => set(&mut console, args),
        Command::Table(args) => crate::table::run(&mut console, args),
    };
    console.flush();
    status
}

/// Buffered stdout; stderr writes flush it first so the two stay in order
/// on a terminal. A closed stdout (`| head`) ends the process quietly.
pub(crate) struct Console {
    out: BufWriter<io::Stdout>,
}

impl Console {
    pub(crate) fn new() -> Self {
        Self {
            out: BufWriter::with_capacity(64 * 1024, io::stdout()),
        }
    }

    pub(crate) fn line(&mut self, text: &str) {
        if writeln!(self.out, "{text}").is_err() {
            std::process::exit(i32::from(EXIT_ERROR));
        }
    }

    /// Writes text that already ends in its newline(s).
    pub(crate) fn raw(&mut self, text: &str) {
        self.bytes(text.as_bytes());
    }

    /// Writes output that may hold octets that are not UTF-8 (strings under
    /// a text DISPLAY-HINT, written as they are, like Net-SNMP does).
    pub(crate) fn bytes(&mut self, bytes: &[u8]) {
        if self.out.write_all(bytes).is_err() {
            std::process::exit(i32::from(EXIT_ERROR));
        }
    }

    pub(crate) fn err(&mut self, text: &str) {
        self.flush();
        let mut stderr = io::stderr().lock();
        let _ = stderr.write_all(text.as_bytes());
        let _ = stderr.flush();
    }

    pub(crate) fn flush(&mut self) {
        if self.out.flush().is_err() {
            std::process::exit(i32::from(EXIT_ERROR));
        }
    }
}

/// What every subcommand needs after its arguments were checked.
pub(crate) struct Session<'a> {
    pub(crate) console: &'a mut Console,
    /// One request at a time from this thread: a `Session` does its I/O
    /// inline, without the driver thread and channel hand-offs of a `Client`.
    pub(crate) client: oxsnmp_blocking::Session,
    /// The agent as typed, for `Timeout: No Response from ...`.
    agent: String,
    pub(crate) out: OutputOptions,
    /// The line being printed, reused for every varbind.
    line: Vec<u8>,
}

impl Session<'_> {
    fn print(&mut self, vb: &oxsnmp_blocking::VarBind) {
        self.line.clear();
        self.out.push_varbind_bytes(&mut self.line, vb);
        self.line.push(b'\n');
        self.console.bytes(&self.line);
    }

    /// Reports a failed request; `period` selects snmpget's timeout text.
    pub(crate) fn report(&mut self, error: &ClientError, period: bool) {
        let text = match error {
            ClientError::Timeout(_) => messages::timeout(&self.agent, period),
            other => format!("oxsnmp: {other}\n"),
        };
        self.console.err(&text);
    }

    fn packet_error(&mut self, response: &Response, period: bool) {
        let text = messages::packet_error(response, period, &self.out);
        self.console.err(&text);
    }
}

/// Output options, OIDs and the client, or the exit status of the failure
/// (already reported).
pub(crate) fn open<'a>(
    console: &'a mut Console,
    common: &Common,
    agent: &str,
) -> Result<Session<'a>, u8> {
    let out = match common.output_options() {
        Ok(out) => out,
        Err(e) => {
            console.err(&format!("{e}\n"));
            return Err(EXIT_ERROR);
        }
    };
    let options = match common.client_options() {
        Ok(o) => o,
        Err(e) => {
            console.err(&format!("oxsnmp: {e}\n"));
            return Err(EXIT_ERROR);
        }
    };
    let address = Common::agent_address(agent);
    let client = match oxsnmp_blocking::Session::connect(&address, options) {
        Ok(client) => client,
        Err(ClientError::Address(e)) => {
            let detail = match e {
                AddressError::UnsupportedTransport(_) => {
                    " (only the udp: and udp6: transports are supported)"
                }
                AddressError::BadPort(_) => " (invalid port)",
                AddressError::UnknownZone(_) => " (unknown IPv6 zone)",
                _ => "",
            };
            console.err(&format!("oxsnmp: Unknown host ({agent}){detail}\n"));
            return Err(EXIT_ERROR);
        }
        Err(e) => {
            console.err(&format!("oxsnmp: {e}\n"));
            return Err(EXIT_ERROR);
        }
    };
    Ok(Session {
        console,
        client,
        agent: agent.to_owned(),
        out,
        line: Vec::with_capacity(256),
    })
}

/// Parses `-C` flags or reports the bad one.
pub(crate) fn app_options(
    console: &mut Console,
    app: &[String],
    allowed: &str,
) -> Result<AppOptions, u8> {
    AppOptions::parse(app, allowed).map_err(|e| {
        console.err(&format!("{e}\n"));
        EXIT_ERROR
    })
}

/// Parses OID arguments, reporting every bad one as `snmpget` does.
pub(crate) fn parse_oids(console: &mut Console, args: &[String]) -> Result<Vec<Oid>, u8> {
    let mut oids = Vec::with_capacity(args.len());
    let mut failed = false;
    let mut unencodable = false;
    for arg in args {
        match parse_oid(arg) {
            Ok(oid) => oids.push(oid),
            // Net-SNMP parses `.5` or `.1.40` and fails when it builds the
            // request, once, after every name was read.
            Err(crate::set_value::OidArgError::Unencodable(_)) => unencodable = true,
            Err(e) => {
                console.err(&format!("{arg}: {e}\n"));
                failed = true;
            }
        }
    }
    if failed {
        Err(EXIT_ERROR)
    } else if unencodable {
        console.err(
            "snmp_build: unknown failure\n\
             oxsnmp: Error building ASN.1 representation (Can't build OID for variable)\n",
        );
        Err(EXIT_ERROR)
    } else {
        Ok(oids)
    }
}

macro_rules! tri {
    ($e:expr) => {
        match $e {
            Ok(v) => v,
            Err(code) => return code,
        }
    };
}

/// `get` (`next == false`) and `getnext`: like `snmpget`/`snmpgetnext`,
/// an error-status is reported and, unless `-Cf`, the request is sent
/// again without the failed varbind, until it succeeds or none is left.
fn get(console: &mut Console, args: GetArgs, next: bool) -> u8 {
    let app = tri!(app_options(console, &args.app, "f"));
    let mut oids = tri!(parse_oids(console, &args.oids));
    let mut s = tri!(open(console, &args.common, &args.agent));
    let mut status = EXIT_OK;
    loop {
        let request = if next {
            Request::GetNext(oids.clone())
        } else {
            Request::Get(oids.clone())
        };
        let response = match s.client.request(request) {
            Ok(r) => r,
            Err(e) => {
                s.report(&e, true);
                return EXIT_ERROR;
            }
        };
        if response.error_status == ErrorStatus::NoError {
            for vb in &response.varbinds {
                s.print(vb);
            }
            return status;
        }
        // snmpget says "Error in packet", snmpgetnext "Error in packet.".
        s.packet_error(&response, next);
        status = EXIT_PACKET_ERROR;
        let index = response.error_index as usize;
        if app.no_fix || index == 0 || index > response.varbinds.len() || index > oids.len() {
            return status;
        }
        oids.remove(index - 1);
        if oids.is_empty() {
            return status;
        }
    }
}

/// `bulkget`: one GETBULK, printed as answered.
fn bulkget(console: &mut Console, args: BulkgetArgs) -> u8 {
    let app = tri!(app_options(console, &args.app, "nr"));
    let oids = tri!(parse_oids(console, &args.oids));
    if args.common.version() == Version::V1 {
        console.err("oxsnmp: Cannot send V2 PDU on V1 session\n");
        return EXIT_ERROR;
    }
    let non_repeaters = app.non_repeaters.unwrap_or(0);
    if non_repeaters as usize > oids.len() {
        console.err("oxsnmp: need more objects than <nonrep>\n");
        return EXIT_ERROR;
    }
    let mut s = tri!(open(console, &args.common, &args.agent));
    let request = Request::GetBulk {
        non_repeaters,
        max_repetitions: app.max_repetitions.unwrap_or(DEFAULT_BULKGET_REPETITIONS),
        oids,
    };
    match s.client.request(request) {
        Err(e) => {
            s.report(&e, false);
            EXIT_ERROR
        }
        Ok(response) if response.error_status != ErrorStatus::NoError => {
            s.packet_error(&response, true);
            EXIT_PACKET_ERROR
        }
        Ok(response) => {
            for vb in &response.varbinds {
                s.print(vb);
            }
            EXIT_OK
        }
    }
}

/// `set`: parse every triple, send one SET, print the agent's answer.
fn set(console: &mut Console, args: SetArgs) -> u8 {
    let app = tri!(app_options(console, &args.app, "q"));
    let raw: Vec<Vec<u8>> = args.triples.iter().map(|a| os_bytes(a)).collect();
    let varbinds = match parse_set_args(&raw) {
        Ok(v) => v,
        Err(SetArgsError::Usage(line)) => {
            console.err(&format!("{line}\n"));
            return EXIT_ERROR;
        }
        Err(SetArgsError::Values(lines)) => {
            for line in lines {
                console.err(&format!("{line}\n"));
            }
            return EXIT_ERROR;
        }
    };
    let mut s = tri!(open(console, &args.common, &args.agent));
    match s.client.request(Request::Set(varbinds)) {
        Err(e) => {
            s.report(&e, false);
            EXIT_ERROR
        }
        Ok(response) if response.error_status != ErrorStatus::NoError => {
            s.packet_error(&response, true);
            EXIT_PACKET_ERROR
        }
        Ok(response) => {
            if !app.quiet {
                for vb in &response.varbinds {
                    s.print(vb);
                }
            }
            EXIT_OK
        }
    }
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

/// `walk` and `bulkwalk`, with `snmpwalk`'s rules:
///
/// * every varbind inside the subtree is printed, an exception included
///   (which also ends the walk);
/// * a varbind outside the subtree ends the walk silently;
/// * an OID that does not increase is printed, then reported (exit 1),
///   unless `-Cc`;
/// * SNMPv1's noSuchName prints `End of MIB`;
/// * when nothing was printed, the root itself is fetched with GET and
///   printed if the agent answers without error-status (unless `-CI`);
///   `-Ci` does that GET first, always;
/// * `-Cp` prints `Variables found: N` at the end, even after an error.
fn walk(
    console: &mut Console,
    common: &Common,
    app: &[String],
    allowed: &str,
    agent: &str,
    root: Option<&str>,
    bulk: bool,
) -> u8 {
    let app = tri!(app_options(console, app, allowed));
    let root_arg = root.unwrap_or(MIB_2);
    let root = tri!(parse_oids(console, &[root_arg.to_owned()]))
        .pop()
        .unwrap_or_else(|| Oid::from_static(&[1, 3, 6, 1, 2, 1]));
    if bulk && common.version() == Version::V1 {
        console.err("oxsnmp: Cannot send V2 PDU on V1 session\n");
        return EXIT_ERROR;
    }
    let mut s = tri!(open(console, common, agent));

    let mut count: u64 = 0;
    let mut status = EXIT_OK;
    if app.include_root {
        count += get_and_print(&mut s, &root);
    }
    let options = if bulk {
        let repetitions = match app.max_repetitions {
            Some(n) => Repetitions::Fixed(n.max(1)),
            None => Repetitions::default(),
        };
        WalkOptions::bulk(repetitions)
    } else {
        WalkOptions::getnext()
    };
    let options = WalkOptions {
        // Checked here, after printing, as snmpwalk does.
        check_increasing: false,
        // Done here, to print exceptions as snmpwalk does.
        get_root_if_empty: false,
        ..options
    };
    let mut state = Walk::new(root.clone(), common.version(), options);
    let mut last = root.clone();
    let mut answered = true;
    // The adaptive window prints snmpbulkwalk's endOfMibView lines as its
    // default -Cr10 would (see `end_of_view_lines`); a given -Cr asks what
    // snmpbulkwalk -Cr asks, so prints the same without help.
    let emulate_window = bulk && app.max_repetitions.is_none();
    let mut walked: u64 = 0;
    while let Some(request) = state.next_request() {
        let asked = match &request {
            Request::GetBulk {
                max_repetitions,
                oids,
                ..
            } => usize::try_from(*max_repetitions)
                .unwrap_or(usize::MAX)
                .saturating_mul(oids.len()),
            _ => 1,
        };
        let response = match s.client.request(request) {
            Ok(r) => r,
            Err(e) => {
                s.report(&e, false);
                status = EXIT_ERROR;
                answered = false;
                break;
            }
        };
        if response.error_status != ErrorStatus::NoError {
            if response.error_status == ErrorStatus::NoSuchName {
                s.console.line("End of MIB");
                break;
            }
            // tooBig/genErr on GETBULK: the core asks again with fewer repetitions.
            let report = response.clone();
            if state.handle_response(response).is_ok() && !state.is_finished() {
                continue;
            }
            s.packet_error(&report, true);
            status = EXIT_PACKET_ERROR;
            break;
        }
        let mut stop = false;
        // The newest OID printed from this response (cloned into `last` once, after the loop).
        let mut newest: Option<&Oid> = None;
        let mut ends: Vec<&oxsnmp_blocking::VarBind> = Vec::new();
        for vb in &response.varbinds {
            if !vb.oid.starts_with(&root) {
                stop = true;
                continue;
            }
            if emulate_window && vb.value == Value::EndOfMibView {
                ends.push(vb);
                stop = true;
                continue;
            }
            s.print(vb);
            count += 1;
            if vb.value.is_exception() {
                stop = true;
                continue;
            }
            walked += 1;
            let previous = newest.unwrap_or(&last);
            if !app.no_check_increasing && vb.oid <= *previous {
                let text = messages::not_increasing(previous, &vb.oid, &s.out);
                s.console.err(&text);
                status = EXIT_ERROR;
                stop = true;
                break;
            }
            newest = Some(&vb.oid);
        }
        if let Some(last_end) = ends.last() {
            // Does the agent fill every repetition past the end (then
            // snmpbulkwalk's count depends on its window), or stop at the
            // first endOfMibView, as snmpd does? Several ends say it
            // fills; a single one in a response cut short says it stops;
            // a single one in a full response could be either: ask.
            let fills = ends.len() > 1
                || (response.varbinds.len() >= asked && agent_fills(&mut s, &last_end.oid));
            for i in 0..end_of_view_lines(walked, fills) {
                if let Some(vb) = ends.get(i).or(ends.last()) {
                    s.print(vb);
                    count += 1;
                }
            }
        }
        if let Some(oid) = newest {
            last = oid.clone();
        }
        if stop || state.handle_response(response).is_err() {
            break;
        }
    }
    if count == 0 && answered && !app.dont_get_root {
        count += get_and_print(&mut s, &root);
    }
    if app.print_count {
        s.console.raw(&messages::variables_found(count));
    }
    status
}

/// snmpbulkwalk's default max-repetitions.
const NET_SNMP_REPETITIONS: u64 = 10;

/// How many endOfMibView lines `snmpbulkwalk` (default -Cr10) prints at
/// the end of a walk that found `values` objects: it prints every varbind
/// of its last response, so one when the agent stops repeating at the
/// first endOfMibView (snmpd; RFC 3416 §4.2.3 lets it), and when the agent
/// fills every repetition, the rest of the last window of ten: 10 - values
/// mod 10 (a whole window of ten when values is a multiple of ten).
/// Measured against snmpbulkwalk 5.9 (`bulkwalk_end_of_view_lines_do_not_
/// depend_on_the_window` in cli/tests/netsnmp_compat.rs).
fn end_of_view_lines(values: u64, agent_fills: bool) -> usize {
    if !agent_fills {
        return 1;
    }
    let rest = NET_SNMP_REPETITIONS - values % NET_SNMP_REPETITIONS;
    usize::try_from(rest).unwrap_or(1)
}

/// Whether the agent answers a GETBULK past the end of its view with an
/// endOfMibView for every repetition (two asked from `name`).
fn agent_fills(s: &mut Session<'_>, name: &Oid) -> bool {
    let probe = Request::GetBulk {
        non_repeaters: 0,
        max_repetitions: 2,
        oids: vec![name.clone()],
    };
    match s.client.request(probe) {
        Ok(r) if r.error_status == ErrorStatus::NoError => {
            r.varbinds.len() >= 2 && r.varbinds.iter().all(|vb| vb.value == Value::EndOfMibView)
        }
        _ => false,
    }
}

/// GETs one OID and prints the answer if it carries no error-status (an
/// exception value is printed); failures are silent, as in `snmpwalk`.
fn get_and_print(s: &mut Session<'_>, oid: &Oid) -> u64 {
    match s.client.request(Request::Get(vec![oid.clone()])) {
        Ok(response) if response.error_status == ErrorStatus::NoError => {
            for vb in &response.varbinds {
                s.print(vb);
            }
            response.varbinds.len() as u64
        }
        _ => 0,
    }
}
