//! Real peers for interop tests: Net-SNMP's `snmpd` started on a free
//! loopback port with its own configuration in a temporary directory.
//!
//! Without Net-SNMP installed the tests print a clear skip message; with
//! `CI=true` a missing peer is a failure, never a silent pass.

use std::io;
use std::net::{SocketAddr, UdpSocket};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use oxsnmp_core::{Message, MessageRef, Oid, Pdu, PduType, Version};

/// The small MIB that describes the static table snmpd serves.
pub const TEST_MIB: &str = include_str!("../data/OXSNMP-TEST-MIB.txt");

/// Root of the static test table: `oxTable` under enterprises.99999.
pub const OX_TABLE: &str = "1.3.6.1.4.1.99999.1";

/// A read-only community whose view holds only what never changes between
/// two walks (the system group and `oxTable`), so whole-tree walks can be
/// compared line by line (sysUpTime aside).
pub const STABLE_COMMUNITY: &str = "stable";

/// Whether the tests run in CI, where a missing peer must fail.
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}

/// Finds an executable on PATH.
pub fn which(program: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(program))
        .find(|p| p.is_file())
}

/// Returns true when `program` is installed; otherwise prints a skip
/// message, or panics under CI.
pub fn require(program: &str, test: &str) -> bool {
    if which(program).is_some() {
        return true;
    }
    if in_ci() {
        panic!("{program} is required under CI=true but is not installed (test {test})");
    }
    eprintln!("SKIP {test}: {program} is not installed (apt-get install snmp snmpd snmptrapd)");
    false
}

/// A temporary directory removed on drop.
#[derive(Debug)]
pub struct TempDir(PathBuf);

impl TempDir {
    /// A fresh, empty directory under the system temp dir.
    pub fn new(tag: &str) -> io::Result<Self> {
        static N: AtomicU32 = AtomicU32::new(0);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let dir = std::env::temp_dir().join(format!(
            "oxsnmp-{tag}-{}-{}-{nanos}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&dir)?;
        Ok(Self(dir))
    }

    /// The directory.
    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A free UDP port on `ip` (bound then released; callers retry on a clash).
pub fn free_udp_port(ip: &str) -> io::Result<u16> {
    let s = UdpSocket::bind((ip, 0))?;
    Ok(s.local_addr()?.port())
}

/// Whether IPv6 loopback is usable on this machine.
pub fn ipv6_available() -> bool {
    UdpSocket::bind("[::1]:0").is_ok()
}

/// What the test snmpd serves beyond its defaults.
#[derive(Debug, Clone)]
pub struct SnmpdConfig {
    /// Read-only community.
    pub ro_community: String,
    /// Read-write community.
    pub rw_community: String,
    /// Rows of the static `oxTable` (index 1..=rows).
    pub table_rows: u32,
    /// Also listen on `[::1]`.
    pub ipv6: bool,
    /// Extra lines appended to snmpd.conf.
    pub extra: Vec<String>,
}

impl Default for SnmpdConfig {
    fn default() -> Self {
        Self {
            ro_community: "public".into(),
            rw_community: "private".into(),
            table_rows: 3,
            ipv6: false,
            extra: Vec::new(),
        }
    }
}

/// The deterministic content of row `i` of `oxTable`, as snmpd's `add_row` takes it.
pub fn table_row(i: u32) -> String {
    let count: u64 = if i == 1 {
        u64::MAX
    } else {
        u64::from(i) * 1_000_003
    };
    format!(
        "add_row oxTable {i} {i} \"row {i}\" {count} {} 10.{}.{}.{} {}",
        i % 1000,
        (i >> 16) & 0xff,
        (i >> 8) & 0xff,
        i & 0xff,
        i * 100
    )
}

/// A running snmpd, killed on drop.
#[derive(Debug)]
pub struct Snmpd {
    child: Child,
    /// Its IPv4 address.
    pub addr: SocketAddr,
    /// Its IPv6 address, when enabled.
    pub addr6: Option<SocketAddr>,
    /// The directory holding its configuration and MIB.
    pub dir: TempDir,
    /// The configuration it was started with.
    pub config: SnmpdConfig,
}

/// Environment that keeps Net-SNMP's tools from loading any MIB, so their
/// output is the plain `-On` form oxsnmp prints without MIBs.
pub const NO_MIBS: [(&str, &str); 2] = [("MIBS", ""), ("MIBDIRS", "/nonexistent")];

impl Snmpd {
    /// Starts snmpd and waits until it answers a GET (up to 20 s).
    pub fn start(config: SnmpdConfig) -> io::Result<Self> {
        let mut last_err = None;
        for _ in 0..5 {
            match Self::try_start(config.clone()) {
                Ok(s) => return Ok(s),
                Err(e) => last_err = Some(e),
            }
        }
        Err(last_err.unwrap_or_else(|| io::Error::other("snmpd did not start")))
    }

    fn try_start(config: SnmpdConfig) -> io::Result<Self> {
        let dir = TempDir::new("snmpd")?;
        let mibs = dir.path().join("mibs");
        std::fs::create_dir_all(&mibs)?;
        std::fs::write(mibs.join("OXSNMP-TEST-MIB.txt"), TEST_MIB)?;
        let mut conf = format!(
            "rocommunity {ro} 127.0.0.1\nrwcommunity {rw} 127.0.0.1\n\
             rocommunity6 {ro} ::1\nrwcommunity6 {rw} ::1\n\
             sysName oxsnmp-test\n\
             sysServices 72\ntable oxTable\n\
             view stableView included .1.3.6.1.2.1.1\n\
             view stableView included .1.3.6.1.4.1.99999\n\
             rocommunity {STABLE_COMMUNITY} 127.0.0.1 -V stableView\n\
             rocommunity6 {STABLE_COMMUNITY} ::1 -V stableView\n",
            ro = config.ro_community,
            rw = config.rw_community
        );
        for i in 1..=config.table_rows {
            conf.push_str(&table_row(i));
            conf.push('\n');
        }
        for line in &config.extra {
            conf.push_str(line);
            conf.push('\n');
        }
        let conf_path = dir.path().join("snmpd.conf");
        std::fs::write(&conf_path, conf)?;
        let port = free_udp_port("127.0.0.1")?;
        let addr: SocketAddr = ([127, 0, 0, 1], port).into();
        let mut listen = vec![format!("udp:127.0.0.1:{port}")];
        let addr6 = if config.ipv6 {
            let p6 = free_udp_port("::1")?;
            listen.push(format!("udp6:[::1]:{p6}"));
            Some(SocketAddr::from((std::net::Ipv6Addr::LOCALHOST, p6)))
        } else {
            None
        };
        let log = std::fs::File::create(dir.path().join("snmpd.log"))?;
        let child = Command::new("snmpd")
            .args(["-f", "-Lf"])
            .arg(dir.path().join("snmpd.log"))
            .arg("-C")
            .arg("-c")
            .arg(&conf_path)
            .arg("-p")
            .arg(dir.path().join("snmpd.pid"))
            .args(["-M"])
            .arg(&mibs)
            .args(["-m", "OXSNMP-TEST-MIB"])
            .args(&listen)
            .env("HOME", dir.path())
            .env("SNMP_PERSISTENT_DIR", dir.path())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()?;
        let mut me = Self {
            child,
            addr,
            addr6,
            dir,
            config,
        };
        me.wait_ready(Duration::from_secs(20))?;
        Ok(me)
    }

    fn wait_ready(&mut self, limit: Duration) -> io::Result<()> {
        let sock = UdpSocket::bind("127.0.0.1:0")?;
        sock.set_read_timeout(Some(Duration::from_millis(200)))?;
        let oid: Oid = "1.3.6.1.2.1.1.5.0".parse().map_err(io::Error::other)?;
        let req = Message::new(
            Version::V2c,
            &self.config.ro_community,
            Pdu::request(PduType::GetRequest, 4711, &[oid]),
        )
        .to_bytes();
        let start = Instant::now();
        let mut buf = [0u8; 2048];
        while start.elapsed() < limit {
            if let Some(status) = self.child.try_wait()? {
                let log =
                    std::fs::read_to_string(self.dir.path().join("snmpd.log")).unwrap_or_default();
                return Err(io::Error::other(format!("snmpd exited ({status}): {log}")));
            }
            sock.send_to(&req, self.addr)?;
            if let Ok((n, _)) = sock.recv_from(&mut buf) {
                if buf
                    .get(..n)
                    .and_then(|b| MessageRef::decode(b).ok())
                    .is_some_and(|m| m.pdu().is_some_and(|p| p.request_id == 4711))
                {
                    return Ok(());
                }
            }
        }
        Err(io::Error::other(
            "snmpd did not answer within the time limit",
        ))
    }

    /// Runs a Net-SNMP command-line tool (`snmpget`, `snmpbulkwalk`, ...)
    /// with no MIBs loaded and returns its output.
    pub fn tool(&self, program: &str, args: &[&str]) -> io::Result<Output> {
        Command::new(program)
            .args(args)
            .envs(NO_MIBS)
            .env("HOME", self.dir.path())
            .stdin(Stdio::null())
            .output()
    }

    /// The agent's log so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("snmpd.log")).unwrap_or_default()
    }
}

impl Drop for Snmpd {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Parses Net-SNMP `-On` output lines into (OID, rendered value) pairs.
pub fn parse_on_output(text: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for line in text.lines() {
        match line.split_once(" = ") {
            Some((oid, value)) if oid.starts_with('.') => {
                out.push((oid.to_owned(), value.to_owned()))
            }
            // Continuation of a multi-line value (long hex strings, strings with newlines).
            _ => {
                if let Some(last) = out.last_mut() {
                    last.1.push('\n');
                    last.1.push_str(line);
                }
            }
        }
    }
    out
}
