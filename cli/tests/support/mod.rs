//! Helpers for comparing `oxsnmp` with Net-SNMP's tools: an `snmpd` on a
//! free loopback port with a static subtree, a scripted agent for values
//! `snmpd` cannot serve, and runners for both command-line tools.
//!
//! Net-SNMP is run with `-m '' -M /nonexistent` and with `SNMPCONFPATH`
//! pointing at an empty directory: `-m ''` alone already stops it loading
//! MIBs (measured with `MIBS=ALL`, with `mibs +ALL` in `~/.snmp/snmp.conf`
//! and with `-m ALL` earlier on the line), `-M /nonexistent` makes sure no
//! MIB could be found anyway, and the empty config path keeps a user's or
//! the system's `snmp.conf` (`quickPrinting`, `printNumericOids`...) out.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::io;
use std::net::{SocketAddr, UdpSocket};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use oxsnmp_core::{ErrorStatus, Message, MessageRef, Oid, Pdu, PduType, Value, VarBind};

/// The Net-SNMP programs the tests need.
pub const NET_SNMP_TOOLS: [&str; 7] = [
    "snmpd",
    "snmpget",
    "snmpgetnext",
    "snmpbulkget",
    "snmpwalk",
    "snmpbulkwalk",
    "snmpset",
];

/// Whether the tests run in CI, where a missing Net-SNMP is a failure.
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}

/// Finds a program on PATH or in the sbin directories (`snmpd` lives in
/// `/usr/sbin`, which a normal user's PATH may lack).
pub fn find_program(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain(["/usr/sbin", "/usr/local/sbin", "/sbin"].map(PathBuf::from))
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
}

/// True when every Net-SNMP tool is installed. Otherwise prints why the
/// test is skipped, or panics when `CI=true`.
pub fn net_snmp_available(test: &str) -> bool {
    let missing: Vec<&str> = NET_SNMP_TOOLS
        .into_iter()
        .filter(|t| find_program(t).is_none())
        .collect();
    if missing.is_empty() {
        return true;
    }
    let message = format!(
        "{test}: Net-SNMP is not installed (missing {}); install the `snmp` and `snmpd` packages",
        missing.join(", ")
    );
    if in_ci() {
        panic!("{message} (CI=true: a missing peer is a failure)");
    }
    eprintln!("SKIPPED {message}");
    false
}

/// A temporary directory, removed on drop.
#[derive(Debug)]
pub struct TempDir(PathBuf);

impl TempDir {
    /// A new empty directory.
    pub fn new(tag: &str) -> io::Result<Self> {
        static N: AtomicU32 = AtomicU32::new(0);
        let dir = std::env::temp_dir().join(format!(
            "oxsnmp-cli-{tag}-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir)?;
        Ok(Self(dir))
    }

    /// Its path.
    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// What a command printed and how it exited.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
    /// Exit status (-1 when killed by a signal).
    pub code: i32,
}

impl From<Output> for Outcome {
    fn from(o: Output) -> Self {
        Self {
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
            code: o.status.code().unwrap_or(-1),
        }
    }
}

/// Settings shared by every Net-SNMP client run: an empty config path and
/// a private persistent directory.
#[derive(Debug)]
pub struct NetSnmpEnv {
    dir: TempDir,
}

impl NetSnmpEnv {
    /// A fresh environment.
    pub fn new() -> Self {
        let dir = TempDir::new("netsnmp-env").expect("temp dir");
        // Else the first run says "Created directory: .../cert_indexes" on stderr.
        std::fs::create_dir_all(dir.path().join("cert_indexes")).expect("cert_indexes");
        Self { dir }
    }

    /// Runs a Net-SNMP tool with `-m '' -M /nonexistent` before `args`.
    pub fn run(&self, tool: &str, args: &[&str]) -> Outcome {
        let program = find_program(tool).unwrap_or_else(|| PathBuf::from(tool));
        Command::new(program)
            .args(["-m", "", "-M", "/nonexistent"])
            .args(args)
            .env("SNMPCONFPATH", self.dir.path())
            .env("SNMP_PERSISTENT_DIR", self.dir.path())
            .env_remove("MIBS")
            .env_remove("MIBDIRS")
            .stdin(Stdio::null())
            .output()
            .map(Outcome::from)
            .unwrap_or_else(|e| panic!("cannot run {tool}: {e}"))
    }
}

impl Default for NetSnmpEnv {
    fn default() -> Self {
        Self::new()
    }
}

/// A configuration directory (for `SNMPCONFPATH`) whose `snmp.conf` says
/// `printNumericOids yes`: the tests' expectations are written in `-On`
/// style, and a user's or the machine's own `snmp.conf` stays out.
pub fn numeric_conf_dir() -> &'static Path {
    static DIR: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("oxsnmp-cli-conf-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("conf dir");
        std::fs::write(dir.join("snmp.conf"), "printNumericOids yes\n").expect("snmp.conf");
        dir
    })
}

/// Runs the `oxsnmp` binary under test, without MIB files (like the
/// Net-SNMP side's `-m '' -M /nonexistent`: `MIBS=` loads no module) and
/// with `printNumericOids` (see [`numeric_conf_dir`]), so output is `-On`
/// style and names are unknown.
pub fn oxsnmp(args: &[&str]) -> Outcome {
    Command::new(env!("CARGO_BIN_EXE_oxsnmp"))
        .args(args)
        .env("SNMPCONFPATH", numeric_conf_dir())
        // Engine state (trap senders' clocks) in a temporary directory.
        .env("XDG_STATE_HOME", numeric_conf_dir())
        .env("MIBDIRS", "/nonexistent")
        .env("MIBS", "")
        .env("OXSNMP_MIB_CACHE", "off")
        .stdin(Stdio::null())
        .output()
        .map(Outcome::from)
        .expect("run oxsnmp")
}

/// A free UDP port on 127.0.0.1 (free when asked; the caller retries if
/// someone takes it in between).
pub fn free_udp_port() -> u16 {
    UdpSocket::bind("127.0.0.1:0")
        .and_then(|s| s.local_addr())
        .map(|a| a.port())
        .expect("bind an ephemeral port")
}

/// The static subtree the `pass` script serves under `.1.3.6.1.4.1.99999`:
/// index, pass type, value. Chosen for the formats they print.
pub const PASS_OBJECTS: [(u32, &str, &str); 18] = [
    (1, "integer", "-42"),
    (2, "gauge", "4294967295"),
    (3, "counter", "123"),
    (4, "timeticks", "123456789"),
    (5, "ipaddress", "10.1.2.3"),
    (6, "objectid", ".1.3.6.1.4.1.8072"),
    // 19 bytes with non-printables: Hex-STRING over two lines.
    (7, "octet", "00 1a 2b 3c 4d 5e 6f 70 81 92 a3 b4 c5 d6 e7 f8 09 10 11"),
    (8, "string", ""),
    (9, "string", "He said \"hi\" \\ back"),
    (10, "octet", "41 42 0a 43"),
    (11, "timeticks", "8640000"),
    (12, "timeticks", "4242"),
    (13, "octet", "41 42 43 00"),
    (14, "string", "a very long string that is more than sixteen bytes long indeed"),
    // Exactly 16 non-printable bytes, and 32.
    (15, "octet", "ff ff ff ff ff ff ff ff ff ff ff ff ff ff ff ff"),
    (
        16,
        "octet",
        "00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f 10 11 12 13 14 15 16 17 18 19 1a 1b 1c 1d 1e 1f",
    ),
    (17, "timeticks", "0"),
    (18, "string", "tab\there"),
];

/// Root of [`PASS_OBJECTS`].
pub const PASS_ROOT: &str = ".1.3.6.1.4.1.99999";

/// Root of the `override` objects (`.1.0` INTEGER, `.2.0` STRING,
/// `.3.0` Gauge32, `.4.0` OID, `.5.0` a writable STRING).
pub const OVERRIDE_ROOT: &str = ".1.3.6.1.4.1.99998";

fn pass_script() -> String {
    let mut cases = String::new();
    for (index, kind, value) in PASS_OBJECTS {
        cases.push_str(&format!(
            "  {index}) printf '%s\\n%s\\n%s\\n' \"$BASE.{index}\" '{kind}' '{}' ;;\n",
            value.replace('\'', "'\\''")
        ));
    }
    format!(
        r#"#!/bin/sh
# snmpd "pass" handler for the oxsnmp CLI tests: a static table {PASS_ROOT}.N.
BASE={PASS_ROOT}
LAST={last}
value() {{
  case "$1" in
{cases}  esac
}}
case "$1" in
  -g)
    rest=${{2#"$BASE".}}
    case "$rest" in ''|*[!0-9]*) exit 0 ;; esac
    [ "$rest" -ge 1 ] && [ "$rest" -le "$LAST" ] && value "$rest"
    ;;
  -n)
    if [ "$2" = "$BASE" ]; then value 1; exit 0; fi
    rest=${{2#"$BASE".}}
    first=${{rest%%.*}}
    case "$first" in ''|*[!0-9]*) exit 0 ;; esac
    next=$((first + 1))
    [ "$next" -le "$LAST" ] && value "$next"
    ;;
esac
exit 0
"#,
        last = PASS_OBJECTS.len()
    )
}

/// `snmpd` on 127.0.0.1 and a free port, stopped on drop.
#[derive(Debug)]
pub struct Snmpd {
    child: Child,
    port: u16,
    dir: TempDir,
}

impl Snmpd {
    /// Starts `snmpd` and waits (up to ~10 s) until it answers.
    ///
    /// Communities: `public` read-only, `private` read-write. sysContact
    /// is left unset in the configuration so that it stays writable.
    pub fn start(env: &NetSnmpEnv) -> Snmpd {
        let mut last_error = String::new();
        for _ in 0..5 {
            match Self::try_start(env) {
                Ok(agent) => return agent,
                Err(e) => last_error = e,
            }
        }
        panic!("snmpd did not start: {last_error}");
    }

    fn try_start(env: &NetSnmpEnv) -> Result<Snmpd, String> {
        let dir = TempDir::new("snmpd").map_err(|e| e.to_string())?;
        let port = free_udp_port();
        let script = dir.path().join("pass.sh");
        std::fs::write(&script, pass_script()).map_err(|e| e.to_string())?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755))
                .map_err(|e| e.to_string())?;
        }
        let config = format!(
            "rocommunity public 127.0.0.1\n\
             rwcommunity private 127.0.0.1\n\
             createUser ops SHA authsecret1 AES privsecret1\n\
             rouser ops priv\n\
             sysName oxsnmp-cli-test\n\
             sysLocation \"Test Lab\"\n\
             pass {PASS_ROOT} {script}\n\
             override {OVERRIDE_ROOT}.1.0 integer 7\n\
             override {OVERRIDE_ROOT}.2.0 octet_str \"hello\"\n\
             override {OVERRIDE_ROOT}.3.0 uinteger 99\n\
             override {OVERRIDE_ROOT}.4.0 object_id .1.3.6.1.2.1\n\
             override -rw {OVERRIDE_ROOT}.5.0 octet_str \"rw\"\n",
            script = script.display()
        );
        let conf = dir.path().join("snmpd.conf");
        std::fs::write(&conf, config).map_err(|e| e.to_string())?;
        let log = dir.path().join("snmpd.log");
        let program = find_program("snmpd").ok_or("snmpd not found")?;
        let child = Command::new(program)
            .arg("-f")
            .arg("-Lf")
            .arg(&log)
            .arg("-C")
            .arg("-c")
            .arg(&conf)
            .args(["-m", "", "-M", "/nonexistent", "-I", "-smux"])
            .arg(format!("udp:127.0.0.1:{port}"))
            .env("SNMPCONFPATH", dir.path())
            .env("SNMP_PERSISTENT_DIR", dir.path())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("spawn snmpd: {e}"))?;
        let mut agent = Snmpd { child, port, dir };
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Ok(Some(status)) = agent.child.try_wait() {
                let log = std::fs::read_to_string(&log).unwrap_or_default();
                return Err(format!("snmpd exited with {status}: {log}"));
            }
            let probe = env.run(
                "snmpget",
                &[
                    "-v2c",
                    "-c",
                    "public",
                    "-t",
                    "0.2",
                    "-r",
                    "0",
                    &agent.target(),
                    ".1.3.6.1.2.1.1.5.0",
                ],
            );
            if probe.code == 0 {
                return Ok(agent);
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let log = std::fs::read_to_string(agent.dir.path().join("snmpd.log")).unwrap_or_default();
        Err(format!(
            "snmpd on port {} did not answer within 10 s: {log}",
            agent.port
        ))
    }

    /// `127.0.0.1:PORT`.
    pub fn target(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    /// The port.
    pub fn port(&self) -> u16 {
        self.port
    }
}

impl Drop for Snmpd {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A UDP socket on loopback that never answers: requests to it time out.
#[derive(Debug)]
pub struct BlackHole {
    socket: UdpSocket,
}

impl BlackHole {
    /// Binds it.
    pub fn new() -> Self {
        Self {
            socket: UdpSocket::bind("127.0.0.1:0").expect("bind black hole"),
        }
    }

    /// `127.0.0.1:PORT`.
    pub fn target(&self) -> String {
        format!(
            "127.0.0.1:{}",
            self.socket.local_addr().expect("local addr").port()
        )
    }
}

impl Default for BlackHole {
    fn default() -> Self {
        Self::new()
    }
}

/// A tiny scripted v1/v2c agent on loopback for values `snmpd` cannot be
/// configured to return (Opaque floats, Counter64, NULL...). GET, GETNEXT,
/// GETBULK and SET (echoed) over a fixed sorted table; a GETBULK stops
/// repeating once every column is past the end, as `snmpd` does (or, from
/// [`start_filling`](Self::start_filling), fills every repetition with
/// endOfMibView, as many devices do; RFC 3416 §4.2.3 allows both).
#[derive(Debug)]
pub struct ScriptedAgent {
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl ScriptedAgent {
    /// Starts serving `objects` on 127.0.0.1.
    pub fn start(objects: Vec<(Oid, Value)>) -> Self {
        Self::start_on("127.0.0.1:0", objects).expect("bind agent on 127.0.0.1")
    }

    /// Starts serving `objects` on `bind` (e.g. `[::1]:0`).
    pub fn start_on(bind: &str, objects: Vec<(Oid, Value)>) -> io::Result<Self> {
        Self::spawn(bind, objects, false)
    }

    /// Starts serving `objects` on 127.0.0.1, answering GETBULK with every
    /// repetition asked for, endOfMibView past the end.
    pub fn start_filling(objects: Vec<(Oid, Value)>) -> Self {
        Self::spawn("127.0.0.1:0", objects, true).expect("bind agent on 127.0.0.1")
    }

    fn spawn(bind: &str, objects: Vec<(Oid, Value)>, fill: bool) -> io::Result<Self> {
        let socket = UdpSocket::bind(bind)?;
        socket.set_read_timeout(Some(Duration::from_millis(50)))?;
        let addr = socket.local_addr()?;
        let stop = Arc::new(AtomicBool::new(false));
        let table: BTreeMap<Oid, Value> = objects.into_iter().collect();
        let flag = Arc::clone(&stop);
        let thread = std::thread::spawn(move || serve(&socket, &table, &flag, fill));
        Ok(Self {
            addr,
            stop,
            thread: Some(thread),
        })
    }

    /// `127.0.0.1:PORT` or `[::1]:PORT`.
    pub fn target(&self) -> String {
        self.addr.to_string()
    }

    /// The port.
    pub fn port(&self) -> u16 {
        self.addr.port()
    }
}

impl Drop for ScriptedAgent {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn serve(socket: &UdpSocket, table: &BTreeMap<Oid, Value>, stop: &AtomicBool, fill: bool) {
    let mut buf = vec![0u8; 65535];
    while !stop.load(Ordering::SeqCst) {
        let Ok((n, from)) = socket.recv_from(&mut buf) else {
            continue;
        };
        let Some(datagram) = buf.get(..n) else {
            continue;
        };
        let Ok(msg) = MessageRef::decode(datagram) else {
            continue;
        };
        let Some(request) = msg.pdu() else { continue };
        let oids: Vec<VarBind> = request.varbinds.to_vec();
        let next = |oid: &Oid| -> VarBind {
            match table
                .range((
                    std::ops::Bound::Excluded(oid.clone()),
                    std::ops::Bound::Unbounded,
                ))
                .next()
            {
                Some((o, v)) => VarBind::new(o.clone(), v.clone()),
                None => VarBind::new(oid.clone(), Value::EndOfMibView),
            }
        };
        let varbinds = match request.pdu_type {
            PduType::GetRequest => oids
                .iter()
                .map(|vb| match table.get(&vb.oid) {
                    Some(v) => VarBind::new(vb.oid.clone(), v.clone()),
                    None => VarBind::new(vb.oid.clone(), Value::NoSuchObject),
                })
                .collect(),
            PduType::GetNextRequest => oids.iter().map(|vb| next(&vb.oid)).collect(),
            PduType::SetRequest => oids.clone(),
            PduType::GetBulkRequest => {
                let non_rep = usize::try_from(request.error_status.max(0)).unwrap_or(0);
                let max_rep = usize::try_from(request.error_index.max(0)).unwrap_or(0);
                let mut out: Vec<VarBind> =
                    oids.iter().take(non_rep).map(|vb| next(&vb.oid)).collect();
                let mut cursors: Vec<Oid> =
                    oids.iter().skip(non_rep).map(|vb| vb.oid.clone()).collect();
                for _ in 0..max_rep {
                    if cursors.is_empty() {
                        break;
                    }
                    let row: Vec<VarBind> = cursors.iter().map(next).collect();
                    let all_ended = row.iter().all(|vb| vb.value == Value::EndOfMibView);
                    cursors = row.iter().map(|vb| vb.oid.clone()).collect();
                    out.extend(row);
                    if all_ended && !fill {
                        break;
                    }
                }
                out
            }
            _ => continue,
        };
        let response = Pdu {
            pdu_type: PduType::Response,
            request_id: request.request_id,
            error_status: ErrorStatus::NoError.as_i32(),
            error_index: 0,
            varbinds,
        };
        let bytes = Message::new(msg.version, msg.community, response).to_bytes();
        let _ = socket.send_to(&bytes, from);
    }
}

/// Replaces the value of `oid` (numeric, with leading dot) in every line
/// that starts with it, for values that change between two runs.
pub fn mask(text: &str, oids: &[&str]) -> String {
    text.lines()
        .map(|line| {
            for oid in oids {
                if let Some(rest) = line.strip_prefix(oid) {
                    if rest.starts_with(' ') {
                        return format!("{oid} <masked>");
                    }
                }
            }
            line.to_owned()
        })
        .collect::<Vec<_>>()
        .join("\n")
}
