//! PySNMP 7.1 as an interop peer: an SNMPv3 agent (`tests/pysnmp/agent.py`)
//! and a command generator (`tests/pysnmp/manager.py`), run with the
//! Python of the venv `.ci/run` prepares (`.venv/` at the repository root,
//! or `$OXSNMP_PYTHON`).
//!
//! Without that Python (or without pysnmp in it) the tests print a skip;
//! with `CI=true` they fail.

use std::io::{self, BufRead, BufReader};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::peers::{free_udp_port, in_ci};

/// A user for the PySNMP scripts: name and oxsnmp's protocol spellings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PyUser {
    /// The user name.
    pub name: String,
    /// `MD5`, `SHA`, `SHA-224`, ... or none.
    pub auth: Option<String>,
    /// Authentication passphrase.
    pub auth_pass: String,
    /// `DES`, `3DES`, `AES`, `AES-192`, `AES-256`, `AES-192C`, `AES-256C` or none.
    pub privacy: Option<String>,
    /// Privacy passphrase.
    pub priv_pass: String,
}

fn json_str(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn json_opt(s: &Option<String>) -> String {
    s.as_deref().map_or_else(|| "null".to_owned(), json_str)
}

/// The users as the scripts' JSON list.
pub fn users_json(users: &[PyUser]) -> String {
    let items: Vec<String> = users
        .iter()
        .map(|u| {
            format!(
                "{{\"name\":{},\"auth\":{},\"auth_pass\":{},\"priv\":{},\"priv_pass\":{}}}",
                json_str(&u.name),
                json_opt(&u.auth),
                json_str(&u.auth_pass),
                json_opt(&u.privacy),
                json_str(&u.priv_pass)
            )
        })
        .collect();
    format!("[{}]", items.join(","))
}

fn script(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("pysnmp")
        .join(name)
}

/// The Python that has PySNMP, if any.
pub fn python() -> Option<PathBuf> {
    let candidate = std::env::var_os("OXSNMP_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../.venv/bin/python"));
    let ok = Command::new(&candidate)
        .args(["-c", "import pysnmp, cryptography"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    ok.then_some(candidate)
}

/// The Python with PySNMP, or a skip message (a panic under CI).
pub fn require_python(test: &str) -> Option<PathBuf> {
    if let Some(p) = python() {
        return Some(p);
    }
    if in_ci() {
        panic!("PySNMP is required under CI=true (run .ci/run, or set OXSNMP_PYTHON) for {test}");
    }
    eprintln!("SKIP {test}: no Python with pysnmp (python3 -m venv .venv && .venv/bin/pip install 'pysnmp==7.1.*' cryptography)");
    None
}

/// A running PySNMP agent, killed on drop.
#[derive(Debug)]
pub struct PyAgent {
    child: Child,
    /// Where it listens.
    pub addr: SocketAddr,
}

impl PyAgent {
    /// Starts the agent with `engine_id` and `users`; waits for its
    /// "ready" line and for it to answer (up to 30 s).
    pub fn start(python: &PathBuf, engine_id: &[u8], users: &[PyUser]) -> io::Result<Self> {
        let port = free_udp_port("127.0.0.1")?;
        let hex: String = engine_id.iter().map(|b| format!("{b:02x}")).collect();
        let mut child = Command::new(python)
            .arg(script("agent.py"))
            .arg(port.to_string())
            .arg(hex)
            .arg(users_json(users))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()?;
        let stdout = child
            .stdout
            .take()
            .ok_or_else(|| io::Error::other("no stdout"))?;
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = BufReader::new(stdout).read_line(&mut line);
            let _ = tx.send(line);
        });
        let start = Instant::now();
        let line = rx
            .recv_timeout(Duration::from_secs(30))
            .map_err(|_| io::Error::other("PySNMP agent did not start within 30 s"))?;
        if line.trim() != "ready" {
            let _ = child.kill();
            return Err(io::Error::other(format!("PySNMP agent said {line:?}")));
        }
        let _ = start;
        Ok(Self {
            child,
            addr: SocketAddr::from(([127, 0, 0, 1], port)),
        })
    }
}

impl Drop for PyAgent {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// What the PySNMP manager got for one user: the value's text or the error.
pub type PyResult = Result<String, String>;

/// GETs `oid` from the agent at 127.0.0.1:`port` once per user with
/// PySNMP's command generator.
pub fn pysnmp_get(
    python: &PathBuf,
    port: u16,
    users: &[PyUser],
    oid: &str,
) -> io::Result<Vec<(String, PyResult)>> {
    let out = Command::new(python)
        .arg(script("manager.py"))
        .arg(port.to_string())
        .arg(users_json(users))
        .arg(oid)
        .stdin(Stdio::null())
        .output()?;
    if !out.status.success() {
        return Err(io::Error::other(format!(
            "manager.py failed: {}",
            String::from_utf8_lossy(&out.stderr)
        )));
    }
    let text = String::from_utf8_lossy(&out.stdout);
    Ok(text
        .lines()
        .filter_map(|l| {
            let mut parts = l.splitn(3, '\t');
            let (name, status, rest) = (parts.next()?, parts.next()?, parts.next().unwrap_or(""));
            let r = if status == "OK" {
                Ok(rest.to_owned())
            } else {
                Err(rest.to_owned())
            };
            Some((name.to_owned(), r))
        })
        .collect())
}
