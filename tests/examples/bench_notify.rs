//! Notification receiver benchmark: SNMPv2c traps decoded and delivered
//! per second, by the core `NotificationReceiver` alone and through the
//! blocking and tokio `TrapListener`s fed by an in-process sender, with
//! Net-SNMP's `snmptrapd` under the same flood for a ratio.
//!
//! ```text
//! bench_notify [--seconds 3] [--rounds 3] [--only core|blocking|tokio|snmptrapd] [--rate R]
//! ```
//!
//! * **core**: one thread feeds the same pre-encoded trap to
//!   `handle_datagram` and takes the event with `poll_event`, in a loop;
//!   traps per second of that thread's CPU time.
//! * **blocking / tokio**: a sender thread pinned to CPU 1 floods the
//!   listener with the trap (`sendmmsg`, 64 per call) for `--seconds`
//!   (`--rate R`: R traps per second instead of as fast as it can); the
//!   receiving threads (blocking: the socket thread and the consumer;
//!   tokio: a current-thread runtime running the socket task and the
//!   consumer) are pinned to CPU 0. Reported: traps delivered per second of
//!   wall time, the receiving threads' CPU (utime+stime from
//!   `/proc/self/task/TID/stat`), and delivered traps per second of that
//!   CPU ("per core"): what one fully busy core would deliver. Datagrams
//!   the kernel dropped because the receiver was full are counted, not
//!   delivered.
//! * **snmptrapd**: `snmptrapd` (pinned to CPU 0, logging one short line
//!   per notification to a file) under the same flood; delivered = lines
//!   logged.
//!
//! `BENCH_DEBUG=1` prints each thread's CPU after a blocking run.
//!
//! The trap is a typical linkDown: sysUpTime.0, snmpTrapOID.0, ifIndex,
//! ifAdminStatus, ifOperStatus, ifDescr (120 octets).

use std::io;
use std::net::{SocketAddr, UdpSocket};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use oxsnmp_blocking::batch::{send_batch, SendBatch};
use oxsnmp_core::notify::{oids, Notification, NotificationReceiver, ReceiverConfig};
use oxsnmp_core::{Message, Pdu, PduType, Value, Version};
use oxsnmp_tests::peers::{free_udp_port, which, TempDir, NO_MIBS};

/// USER_HZ: the unit of /proc CPU times on Linux.
const TICKS_PER_SECOND: f64 = 100.0;

fn trap_bytes() -> Vec<u8> {
    let oid = |s: &str| s.parse().expect("literal OID");
    let n = Notification::new(123_456, oids::LINK_DOWN)
        .varbind(oid("1.3.6.1.2.1.2.2.1.1.7"), Value::Integer(7))
        .varbind(oid("1.3.6.1.2.1.2.2.1.7.7"), Value::Integer(1))
        .varbind(oid("1.3.6.1.2.1.2.2.1.8.7"), Value::Integer(2))
        .varbind(oid("1.3.6.1.2.1.2.2.1.2.7"), "GigabitEthernet0/7");
    let pdu = Pdu {
        pdu_type: PduType::SnmpV2Trap,
        request_id: 1_234_567,
        error_status: 0,
        error_index: 0,
        varbinds: n.to_varbinds(),
    };
    Message::new(Version::V2c, "public", pdu).to_bytes()
}

/// This thread's id.
fn tid() -> u32 {
    std::fs::read_link("/proc/thread-self")
        .ok()
        .and_then(|p| p.file_name()?.to_str()?.parse().ok())
        .unwrap_or(0)
}

/// utime + stime of one thread, in seconds.
fn thread_cpu(tid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/self/task/{tid}/stat")).unwrap_or_default();
    cpu_fields(&stat)
}

/// utime + stime of a process (all threads), in seconds.
fn process_cpu(pid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    cpu_fields(&stat)
}

fn cpu_fields(stat: &str) -> f64 {
    // Fields 14 and 15 of proc(5); after the ") " of field 2 comes field 3.
    let after = stat.rsplit_once(") ").map_or("", |(_, a)| a);
    let f: Vec<&str> = after.split_whitespace().collect();
    let ticks = |i: usize| f.get(i).and_then(|v| v.parse::<u64>().ok()).unwrap_or(0);
    (ticks(11) + ticks(12)) as f64 / TICKS_PER_SECOND
}

/// Pins a thread (or process) to a CPU.
fn pin(id: u32, cpu: u32) {
    let status = Command::new("taskset")
        .args(["-cp", &cpu.to_string(), &id.to_string()])
        .stdout(Stdio::null())
        .status()
        .expect("run taskset");
    assert!(status.success(), "taskset failed for {id}");
}

/// The threads of this process whose name starts with `prefix`.
fn threads_named(prefix: &str) -> Vec<u32> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir("/proc/self/task")
        .into_iter()
        .flatten()
        .flatten()
    {
        let comm = std::fs::read_to_string(entry.path().join("comm")).unwrap_or_default();
        if comm.starts_with(prefix) {
            if let Some(t) = entry.file_name().to_str().and_then(|s| s.parse().ok()) {
                out.push(t);
            }
        }
    }
    out
}

#[derive(Debug, Clone, Copy, Default)]
struct Run {
    delivered: u64,
    sent: u64,
    wall: f64,
    cpu: f64,
}

impl Run {
    fn per_wall(&self) -> f64 {
        self.delivered as f64 / self.wall
    }
    fn per_core(&self) -> f64 {
        self.delivered as f64 / self.cpu.max(1e-9)
    }
}

fn core_alone(seconds: f64) -> Run {
    let bytes = trap_bytes();
    let mut receiver = NotificationReceiver::new(ReceiverConfig::new().community("public"));
    let from: SocketAddr = "127.0.0.1:40000".parse().expect("literal");
    let me = tid();
    let (cpu0, t0) = (thread_cpu(me), Instant::now());
    let mut delivered = 0u64;
    while t0.elapsed().as_secs_f64() < seconds {
        for _ in 0..10_000 {
            receiver.handle_datagram(t0, from, &bytes);
            if let Some(e) = receiver.poll_event() {
                std::hint::black_box(e);
                delivered += 1;
            }
        }
    }
    Run {
        delivered,
        sent: delivered,
        wall: t0.elapsed().as_secs_f64(),
        cpu: thread_cpu(me) - cpu0,
    }
}

/// Sends to `to` from a thread pinned to CPU 1 until `stop`, as fast as
/// it can or at `rate` traps per second, counting in `sent`.
fn flood(
    to: SocketAddr,
    rate: Option<f64>,
    stop: Arc<AtomicBool>,
    sent: Arc<AtomicU64>,
) -> std::thread::JoinHandle<()> {
    std::thread::Builder::new()
        .name("bench-sender".into())
        .spawn(move || {
            pin(tid(), 1);
            let socket = UdpSocket::bind("127.0.0.1:0").expect("sender socket");
            let bytes = trap_bytes();
            let mut batch = SendBatch::new();
            let start = Instant::now();
            let mut total = 0u64;
            while !stop.load(Ordering::Relaxed) {
                if let Some(rate) = rate {
                    let due = start + Duration::from_secs_f64(total as f64 / rate);
                    let now = Instant::now();
                    if due > now {
                        std::thread::sleep(due - now);
                    }
                }
                batch.clear();
                for _ in 0..64 {
                    batch.push(&bytes, to);
                }
                if let Ok(n) = send_batch(&socket, &mut batch) {
                    sent.fetch_add(n as u64, Ordering::Relaxed);
                    total += n as u64;
                }
            }
        })
        .expect("sender thread")
}

fn blocking(seconds: f64, rate: Option<f64>) -> io::Result<Run> {
    let listener = oxsnmp_blocking::TrapListener::bind(
        &["udp:127.0.0.1:0"],
        ReceiverConfig::new().community("public"),
    )?;
    let to = listener.local_addrs()[0];
    // The socket thread names itself once it runs: wait for it.
    let named = Instant::now() + Duration::from_secs(5);
    let mut receivers = threads_named("oxsnmp-traps-");
    while receivers.is_empty() && Instant::now() < named {
        std::thread::sleep(Duration::from_millis(5));
        receivers = threads_named("oxsnmp-traps-");
    }
    if receivers.is_empty() {
        return Err(io::Error::other(
            "the listener's socket thread was not found",
        ));
    }
    receivers.push(tid());
    for t in &receivers {
        pin(*t, 0);
    }
    let (stop, sent) = (
        Arc::new(AtomicBool::new(false)),
        Arc::new(AtomicU64::new(0)),
    );
    let cpu = || receivers.iter().map(|t| thread_cpu(*t)).sum::<f64>();
    let sender = flood(to, rate, Arc::clone(&stop), Arc::clone(&sent));
    // Warm up, then measure.
    let warm = Instant::now() + Duration::from_millis(300);
    while Instant::now() < warm {
        listener.recv_timeout(Duration::from_millis(10));
    }
    let (cpu0, t0, sent0) = (cpu(), Instant::now(), sent.load(Ordering::Relaxed));
    let mut delivered = 0u64;
    let end = t0 + Duration::from_secs_f64(seconds);
    loop {
        let left = end.saturating_duration_since(Instant::now());
        if left.is_zero() {
            break;
        }
        if listener.recv_timeout(left).is_some() {
            delivered += 1;
        }
    }
    let run = Run {
        delivered,
        sent: sent.load(Ordering::Relaxed) - sent0,
        wall: t0.elapsed().as_secs_f64(),
        cpu: cpu() - cpu0,
    };
    if std::env::var_os("BENCH_DEBUG").is_some() {
        for entry in std::fs::read_dir("/proc/self/task")
            .into_iter()
            .flatten()
            .flatten()
        {
            let comm = std::fs::read_to_string(entry.path().join("comm")).unwrap_or_default();
            let t: u32 = entry
                .file_name()
                .to_str()
                .and_then(|s| s.parse().ok())
                .unwrap_or(0);
            eprintln!(
                "thread {t} {} cpu {:.2} (receiver: {})",
                comm.trim(),
                thread_cpu(t),
                receivers.contains(&t)
            );
        }
        eprintln!("process cpu {:.2}", process_cpu(std::process::id()));
    }
    stop.store(true, Ordering::Relaxed);
    let _ = sender.join();
    Ok(run)
}

fn tokio(seconds: f64, rate: Option<f64>) -> io::Result<Run> {
    use futures_util::StreamExt;
    let me = tid();
    pin(me, 0);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    rt.block_on(async {
        let mut listener = oxsnmp_tokio::TrapListener::bind(
            &["udp:127.0.0.1:0"],
            ReceiverConfig::new().community("public"),
        )
        .await?;
        let to = listener.local_addrs()[0];
        let (stop, sent) = (
            Arc::new(AtomicBool::new(false)),
            Arc::new(AtomicU64::new(0)),
        );
        let sender = flood(to, rate, Arc::clone(&stop), Arc::clone(&sent));
        let warm = Instant::now() + Duration::from_millis(300);
        while Instant::now() < warm {
            let _ = tokio::time::timeout(Duration::from_millis(10), listener.next()).await;
        }
        let (cpu0, t0, sent0) = (thread_cpu(me), Instant::now(), sent.load(Ordering::Relaxed));
        let mut delivered = 0u64;
        let end = tokio::time::Instant::from_std(t0 + Duration::from_secs_f64(seconds));
        while let Ok(Some(_)) = tokio::time::timeout_at(end, listener.next()).await {
            delivered += 1;
        }
        let run = Run {
            delivered,
            sent: sent.load(Ordering::Relaxed) - sent0,
            wall: t0.elapsed().as_secs_f64(),
            cpu: thread_cpu(me) - cpu0,
        };
        stop.store(true, Ordering::Relaxed);
        let _ = sender.join();
        Ok(run)
    })
}

fn snmptrapd(seconds: f64, rate: Option<f64>) -> io::Result<Run> {
    let dir = TempDir::new("bench-snmptrapd")?;
    let conf = dir.path().join("snmptrapd.conf");
    std::fs::write(
        &conf,
        "disableAuthorization yes\ndoNotRetainNotificationLogs yes\nformat2 t\\n\n",
    )?;
    let port = free_udp_port("127.0.0.1")?;
    let log = dir.path().join("traps.log");
    let mut child = Command::new("taskset")
        .args([
            "-c",
            "0",
            "snmptrapd",
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
        .args(["-C", "-c"])
        .arg(&conf)
        .arg(format!("udp:127.0.0.1:{port}"))
        .envs(NO_MIBS)
        .env("HOME", dir.path())
        .env("SNMP_PERSISTENT_DIR", dir.path())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()?;
    let lines = || {
        std::fs::read_to_string(&log)
            .map(|t| t.lines().filter(|l| *l == "t").count() as u64)
            .unwrap_or(0)
    };
    let to: SocketAddr = ([127, 0, 0, 1], port).into();
    // Ready once one trap is logged.
    let probe = UdpSocket::bind("127.0.0.1:0")?;
    let ready = Instant::now() + Duration::from_secs(20);
    while lines() == 0 && Instant::now() < ready {
        probe.send_to(&trap_bytes(), to)?;
        std::thread::sleep(Duration::from_millis(50));
    }
    let (stop, sent) = (
        Arc::new(AtomicBool::new(false)),
        Arc::new(AtomicU64::new(0)),
    );
    let (cpu0, lines0, t0) = (process_cpu(child.id()), lines(), Instant::now());
    let sender = flood(to, rate, Arc::clone(&stop), Arc::clone(&sent));
    std::thread::sleep(Duration::from_secs_f64(seconds));
    stop.store(true, Ordering::Relaxed);
    let _ = sender.join();
    // What was received by now is logged within moments.
    std::thread::sleep(Duration::from_millis(500));
    let wall = t0.elapsed().as_secs_f64() - 0.5;
    let run = Run {
        delivered: lines() - lines0,
        sent: sent.load(Ordering::Relaxed),
        wall,
        cpu: process_cpu(child.id()) - cpu0,
    };
    let _ = child.kill();
    let _ = child.wait();
    Ok(run)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v.get(v.len() / 2).copied().unwrap_or(0.0)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let opt = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let seconds: f64 = opt("--seconds").map_or(Ok(3.0), |s| s.parse())?;
    let rate: Option<f64> = opt("--rate").map(|s| s.parse()).transpose()?;
    let rounds: usize = opt("--rounds").map_or(Ok(3), |s| s.parse())?;
    let only = opt("--only");
    let wanted = |name: &str| only.as_deref().is_none_or(|o| o == name);
    if which("taskset").is_none() {
        return Err("taskset is required (util-linux)".into());
    }
    println!(
        "trap: {} octets; {rounds} rounds of {seconds} s",
        trap_bytes().len()
    );
    let mut results: Vec<(&str, Vec<Run>)> = Vec::new();
    for round in 0..rounds {
        for name in ["core", "blocking", "tokio", "snmptrapd"] {
            if !wanted(name) || (name == "snmptrapd" && which("snmptrapd").is_none()) {
                continue;
            }
            let run = match name {
                "core" => core_alone(seconds),
                "blocking" => blocking(seconds, rate)?,
                "tokio" => tokio(seconds, rate)?,
                _ => snmptrapd(seconds, rate)?,
            };
            println!(
                "round {round} {name:>9}: delivered {:>9} sent {:>9} in {:.2} s, receiver CPU {:.2} s: {:>9.0}/s wall, {:>9.0}/s per core",
                run.delivered, run.sent, run.wall, run.cpu, run.per_wall(), run.per_core()
            );
            match results.iter_mut().find(|(n, _)| *n == name) {
                Some((_, runs)) => runs.push(run),
                None => results.push((name, vec![run])),
            }
        }
    }
    println!();
    println!("| receiver | traps/s (wall) | receiver CPU busy | traps/s per core | µs CPU per trap | sent/s | dropped by the kernel |");
    println!("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
    for (name, runs) in &results {
        let wall = median(runs.iter().map(Run::per_wall).collect());
        let core = median(runs.iter().map(Run::per_core).collect());
        let busy = median(runs.iter().map(|r| r.cpu / r.wall).collect());
        let sent = median(runs.iter().map(|r| r.sent as f64 / r.wall).collect());
        let dropped = median(
            runs.iter()
                .map(|r| 1.0 - r.delivered as f64 / r.sent.max(1) as f64)
                .collect(),
        );
        println!(
            "| {name} | {wall:.0} | {:.0}% | {core:.0} | {:.2} | {} | {} |",
            busy * 100.0,
            1e6 / core,
            if *name == "core" {
                "-".to_owned()
            } else {
                format!("{sent:.0}")
            },
            if *name == "core" {
                "-".to_owned()
            } else {
                format!("{:.0}%", dropped * 100.0)
            },
        );
    }
    Ok(())
}
