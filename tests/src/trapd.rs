//! Net-SNMP's `snmptrapd` as a peer: started on a free loopback port with
//! its own configuration in a temporary directory, logging every
//! notification to a file in a format this module reads back.
//!
//! Each logged notification is a block:
//!
//! ```text
//! NOTIFICATION kind=TRAP2, SNMP v2c, community public
//! V1 enterprise=.1.3.6.1.4.1.99999.5 agent=127.0.0.9 generic=6 specific=.17 uptime=0:00:07.77
//! .1.3.6.1.2.1.1.3.0 = Timeticks: (4242) 0:00:42.42
//! ...
//! END
//! ```
//!
//! (the `V1` line only for SNMPv1 traps), with numeric OIDs and no MIBs.

use std::io;
use std::net::{SocketAddr, UdpSocket};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use oxsnmp_core::notify::{oids, Notification};
use oxsnmp_core::{Message, MessageRef, Oid, Pdu, PduType, Value, Version};

use crate::netsnmp::parse_value;
use crate::peers::{free_udp_port, parse_on_output, TempDir, NO_MIBS};

/// The trap OID of the readiness probe (its log entries are left out).
pub const PROBE_TRAP: &str = "1.3.6.1.4.1.99999.0.4711";

/// One notification as snmptrapd logged it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Logged {
    /// `TRAP, SNMP v1, community public`, `TRAP2, SNMP v2c, ...`, `INFORM, ...`.
    pub security: String,
    /// For SNMPv1 traps: enterprise, agent-addr, generic, specific, time-stamp.
    pub v1: Option<(Oid, String, i32, i32, u32)>,
    /// The varbinds, each value read back by [`parse_value`] (the whole
    /// list, sysUpTime.0 and snmpTrapOID.0 included for SNMPv2).
    pub varbinds: Vec<(Oid, Value)>,
}

impl Logged {
    /// The notification in SNMPv2 form, for SNMPv2 traps and informs.
    pub fn notification(&self) -> Option<Notification> {
        let vbs: Vec<_> = self
            .varbinds
            .iter()
            .map(|(o, v)| oxsnmp_core::VarBind::new(o.clone(), v.clone()))
            .collect();
        Notification::from_varbinds(&vbs).ok()
    }
}

/// A running snmptrapd, killed on drop.
#[derive(Debug)]
pub struct Snmptrapd {
    child: Child,
    /// Where it listens.
    pub addr: SocketAddr,
    /// Its configuration, log and persistent state.
    pub dir: TempDir,
}

impl Snmptrapd {
    /// Starts snmptrapd accepting (logging) notifications with `community`
    /// only, and waits until it acknowledges an inform (up to 20 s).
    pub fn start(community: &str) -> io::Result<Self> {
        Self::start_with(community, &[])
    }

    /// [`start`](Self::start) with more configuration lines (`createUser`,
    /// `authUser` for SNMPv3).
    pub fn start_with(community: &str, extra: &[&str]) -> io::Result<Self> {
        let mut last = None;
        for _ in 0..5 {
            match Self::try_start(community, extra) {
                Ok(t) => return Ok(t),
                Err(e) => last = Some(e),
            }
        }
        Err(last.unwrap_or_else(|| io::Error::other("snmptrapd did not start")))
    }

    fn try_start(community: &str, extra: &[&str]) -> io::Result<Self> {
        let dir = TempDir::new("snmptrapd")?;
        let mut conf = format!(
            "authCommunity log {community}\n\
             doNotRetainNotificationLogs yes\n\
             format1 NOTIFICATION kind=%P\\nV1 enterprise=%N agent=%a generic=%w specific=%q uptime=%#T\\n%V\\n%v\\nEND\\n\n\
             format2 NOTIFICATION kind=%P\\n%V\\n%v\\nEND\\n\n"
        );
        for line in extra {
            conf.push_str(line);
            conf.push('\n');
        }
        let conf_path = dir.path().join("snmptrapd.conf");
        std::fs::write(&conf_path, conf)?;
        let port = free_udp_port("127.0.0.1")?;
        let addr: SocketAddr = ([127, 0, 0, 1], port).into();
        let log = dir.path().join("traps.log");
        let stderr = std::fs::File::create(dir.path().join("stderr.log"))?;
        let child = Command::new("snmptrapd")
            .args([
                "-f",
                "-n",
                "-X",
                "-On",
                "-m",
                "",
                "-M",
                "/nonexistent",
                "-Lf",
            ])
            .arg(&log)
            .arg("-C")
            .arg("-c")
            .arg(&conf_path)
            .arg("-p")
            .arg(dir.path().join("snmptrapd.pid"))
            .arg(format!("udp:127.0.0.1:{port}"))
            .envs(NO_MIBS)
            .env("HOME", dir.path())
            .env("SNMP_PERSISTENT_DIR", dir.path())
            .env("SNMPCONFPATH", dir.path())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(stderr)
            .spawn()?;
        let mut me = Self { child, addr, dir };
        me.wait_ready(community, Duration::from_secs(20))?;
        Ok(me)
    }

    fn wait_ready(&mut self, community: &str, limit: Duration) -> io::Result<()> {
        let sock = UdpSocket::bind("127.0.0.1:0")?;
        sock.set_read_timeout(Some(Duration::from_millis(200)))?;
        let probe = Notification::new(0, PROBE_TRAP.parse().map_err(io::Error::other)?);
        let pdu = Pdu {
            pdu_type: PduType::InformRequest,
            request_id: 4711,
            error_status: 0,
            error_index: 0,
            varbinds: probe.to_varbinds(),
        };
        let req = Message::new(Version::V2c, community, pdu).to_bytes();
        let start = Instant::now();
        let mut buf = [0u8; 2048];
        while start.elapsed() < limit {
            if let Some(status) = self.child.try_wait()? {
                let err =
                    std::fs::read_to_string(self.dir.path().join("stderr.log")).unwrap_or_default();
                return Err(io::Error::other(format!(
                    "snmptrapd exited ({status}): {err}"
                )));
            }
            sock.send_to(&req, self.addr)?;
            if let Ok((n, _)) = sock.recv_from(&mut buf) {
                let answered = buf
                    .get(..n)
                    .and_then(|b| MessageRef::decode(b).ok())
                    .is_some_and(|m| m.pdu().is_some_and(|p| p.request_id == 4711));
                if answered {
                    return Ok(());
                }
            }
        }
        Err(io::Error::other(
            "snmptrapd did not answer within the time limit",
        ))
    }

    /// The notifications logged so far, the readiness probes left out.
    pub fn logged(&self) -> Vec<Logged> {
        let text = std::fs::read_to_string(self.dir.path().join("traps.log")).unwrap_or_default();
        parse_log(&text)
            .into_iter()
            .filter(|l| {
                !l.varbinds.iter().any(|(o, v)| {
                    *o == oids::SNMP_TRAP_OID_0
                        && *v == Value::ObjectIdentifier(PROBE_TRAP.parse().expect("literal"))
                })
            })
            .collect()
    }

    /// Waits until at least `n` notifications are logged (up to 20 s).
    pub fn wait_for(&self, n: usize) -> Vec<Logged> {
        let start = Instant::now();
        loop {
            let got = self.logged();
            if got.len() >= n || start.elapsed() > Duration::from_secs(20) {
                return got;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Snmptrapd {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `0:02:03.45` (days are `N days, H:MM:SS.cc`) back to hundredths of a second.
fn parse_uptime(s: &str) -> Option<u32> {
    let (days, clock) = match s.split_once(", ") {
        Some((d, c)) => (d.split_whitespace().next()?.parse::<u32>().ok()?, c),
        None => (0, s),
    };
    let mut parts = clock.split(':');
    let h: u32 = parts.next()?.parse().ok()?;
    let m: u32 = parts.next()?.parse().ok()?;
    let (sec, cs) = parts.next()?.split_once('.')?;
    let (sec, cs): (u32, u32) = (sec.parse().ok()?, cs.parse().ok()?);
    Some((((days * 24 + h) * 60 + m) * 60 + sec) * 100 + cs)
}

/// Reads the blocks of the log format above.
pub fn parse_log(text: &str) -> Vec<Logged> {
    let mut out = Vec::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        let Some(security) = line.strip_prefix("NOTIFICATION kind=") else {
            continue;
        };
        let mut v1 = None;
        let mut body = String::new();
        for line in lines.by_ref() {
            if line == "END" {
                break;
            }
            if let Some(rest) = line.strip_prefix("V1 ") {
                let field = |name: &str| {
                    rest.split(' ')
                        .find_map(|f| f.strip_prefix(name))
                        .map(str::to_owned)
                };
                let uptime = rest.split_once("uptime=").map(|(_, u)| u.to_owned());
                v1 = (|| {
                    Some((
                        field("enterprise=")?.parse().ok()?,
                        field("agent=")?,
                        field("generic=")?.parse().ok()?,
                        field("specific=")?.trim_start_matches('.').parse().ok()?,
                        parse_uptime(&uptime?)?,
                    ))
                })();
                continue;
            }
            body.push_str(line);
            body.push('\n');
        }
        let varbinds = parse_on_output(&body)
            .into_iter()
            .filter_map(|(o, v)| Some((o.parse().ok()?, parse_value(&v)?)))
            .collect();
        out.push(Logged {
            security: security.to_owned(),
            v1,
            varbinds,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_blocks() {
        let text = "NET-SNMP version 5.9.3\n\
            NOTIFICATION kind=TRAP, SNMP v1, community public\n\
            V1 enterprise=.1.3.6.1.4.1.8072 agent=127.0.0.2 generic=6 specific=.17 uptime=1 day, 0:02:03.45\n\
            \n\
            .1.3.6.1.2.1.1.5.0 = STRING: \"v1\"\n\
            END\n\
            NOTIFICATION kind=TRAP2, SNMP v2c, community public\n\
            \n\
            .1.3.6.1.2.1.1.3.0 = Timeticks: (42) 0:00:00.42\n\
            .1.3.6.1.6.3.1.1.4.1.0 = OID: .1.3.6.1.6.3.1.1.5.1\n\
            END\n";
        let got = parse_log(text);
        assert_eq!(got.len(), 2);
        assert_eq!(
            got[0].v1,
            Some((
                "1.3.6.1.4.1.8072".parse().unwrap(),
                "127.0.0.2".into(),
                6,
                17,
                8_640_000 + 12345
            ))
        );
        assert_eq!(got[0].varbinds.len(), 1);
        let n = got[1].notification().unwrap();
        assert_eq!((n.sys_up_time, n.trap_oid), (42, oids::COLD_START));
        assert_eq!(parse_uptime("0:00:00.07"), Some(7));
    }
}
