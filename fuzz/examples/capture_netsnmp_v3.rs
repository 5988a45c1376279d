//! Captures real SNMPv3 traffic as seeds: Net-SNMP's command-line tools
//! (snmpget, snmpgetnext, snmpbulkget, snmpset, with discovery, every
//! security level, DES and AES, wrong keys, unknown users and contexts)
//! against the fuzz targets' own agent (`oxsnmp_fuzz::v3::agent`: the same
//! engine ID, boots and user keys, given to Net-SNMP as master keys with
//! `-3m`/`-3M`), on 127.0.0.1 only. The tools' requests therefore pass the
//! real digest check when the `usm_incoming` target replays them.
//!
//! Writes every datagram (both directions) to
//! `corpus/decode_v3/seed-netsnmp-*.bin`, and each conversation's requests
//! as a `usm_incoming` script (`corpus/usm_incoming/seed-netsnmp-*.bin`:
//! mode 0, then one raw-datagram step per request).
//!
//! Run from `fuzz/`: `cargo run --example capture_netsnmp_v3` (needs
//! Net-SNMP's tools; prints what it wrote).

use std::fs;
use std::net::{SocketAddr, UdpSocket};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use oxsnmp_fuzz::v3::{agent, engine_id, users, BOOTS};

/// (direction, datagram): true for a request to the agent.
type Log = Arc<Mutex<Vec<(bool, Vec<u8>)>>>;

fn hex(bytes: &[u8]) -> String {
    let mut s = String::from("0x");
    for b in bytes {
        s.push_str(&format!("{b:02x}"));
    }
    s
}

/// The master keys of fixture user `i` as Net-SNMP options.
fn key_args(i: usize, level: &str) -> Vec<String> {
    let u = &users()[i];
    let mut args = vec![
        "-u".to_string(),
        String::from_utf8_lossy(u.user.name()).into_owned(),
        "-l".into(),
        level.into(),
    ];
    if let Some(a) = u.user.auth_protocol() {
        let ku: Vec<u8> = (0..a.key_len() as u8).map(|i| i ^ 0x5a).collect();
        args.extend(["-a".into(), a.name().to_string(), "-3m".into(), hex(&ku)]);
        if let Some(p) = u.user.privacy_protocol() {
            let kp: Vec<u8> = (0..a.key_len() as u8).map(|i| i ^ 0xa5).collect();
            let name = match p.name() {
                "AES-128" | "AES128" => "AES".to_string(),
                n => n.to_string(),
            };
            args.extend(["-x".into(), name, "-3M".into(), hex(&kp)]);
        }
    }
    args
}

fn main() {
    let socket = UdpSocket::bind("127.0.0.1:0").expect("bind 127.0.0.1");
    socket
        .set_read_timeout(Some(Duration::from_millis(50)))
        .expect("timeout");
    let addr = socket.local_addr().expect("address");
    let log: Log = Arc::new(Mutex::new(Vec::new()));
    let stop = Arc::new(AtomicBool::new(false));
    let serving = {
        let log = Arc::clone(&log);
        let stop = Arc::clone(&stop);
        std::thread::spawn(move || serve(socket, log, stop))
    };
    let target = format!("udp:{addr}");
    println!(
        "agent engine {} boots {BOOTS} on {addr}",
        hex(engine_id().as_bytes())
    );

    let mut runs: Vec<(&str, Vec<String>)> = Vec::new();
    let oid = |n: u32| format!(".1.3.6.1.4.1.99999.1.{n}.0");
    let mut add =
        |name: &'static str, tool: &str, keys: Vec<String>, options: &[&str], oids: &[&str]| {
            let mut args = vec![tool.to_string(), "-v3".into()];
            args.extend(keys);
            args.extend(["-t", "1", "-r", "0", "-On"].map(String::from));
            args.extend(options.iter().map(|s| s.to_string()));
            args.push(target.clone());
            args.extend(oids.iter().map(|s| s.to_string()));
            runs.push((name, args));
        };
    let sys_descr = ".1.3.6.1.2.1.1.1.0";
    let o1 = oid(1);
    let o3 = oid(3);
    add(
        "plain-get",
        "snmpget",
        key_args(0, "noAuthNoPriv"),
        &[],
        &[sys_descr, &o1],
    );
    add(
        "md5-getnext",
        "snmpgetnext",
        key_args(1, "authNoPriv"),
        &[],
        &[&o1],
    );
    add(
        "md5des-get",
        "snmpget",
        key_args(2, "authPriv"),
        &[],
        &[&o3],
    );
    add(
        "sha256aes-bulk",
        "snmpbulkget",
        key_args(4, "authPriv"),
        &["-Cn1", "-Cr5"],
        &[sys_descr, ".1.3.6.1.4.1.99999.1"],
    );
    add(
        "sha512aes256-set",
        "snmpset",
        key_args(5, "authPriv"),
        &[],
        &[&o3, "i", "33"],
    );
    add(
        "md5des-context",
        "snmpget",
        key_args(2, "authPriv"),
        &["-n", "ctx"],
        &[&o1],
    );
    add(
        "md5des-unknown-context",
        "snmpget",
        key_args(2, "authPriv"),
        &["-n", "nope"],
        &[&o1],
    );
    let mut wrong = key_args(1, "authNoPriv");
    if let Some(k) = wrong.iter_mut().find(|a| a.starts_with("0x")) {
        *k = format!("0x{}", "11".repeat(16));
    }
    add("md5-wrong-key", "snmpget", wrong, &[], &[&o1]);
    add(
        "unknown-user",
        "snmpget",
        vec![
            "-u".into(),
            "nobody".into(),
            "-l".into(),
            "noAuthNoPriv".into(),
        ],
        &[],
        &[&o1],
    );

    let home = std::env::temp_dir().join(format!("oxsnmp-capture-{}", std::process::id()));
    fs::create_dir_all(&home).expect("temp home");
    let here = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let mut written = 0;
    for (name, args) in runs {
        log.lock().expect("log").clear();
        let mut cmd = Command::new(&args[0]);
        cmd.args(&args[1..])
            .env("MIBS", "")
            .env("MIBDIRS", "/nonexistent")
            .env("HOME", &home)
            .env("SNMPCONFPATH", &home)
            .env("SNMP_PERSISTENT_DIR", &home)
            .stdin(Stdio::null());
        let out = match cmd.output() {
            Ok(o) => o,
            Err(e) => {
                eprintln!("SKIP {name}: {e}");
                continue;
            }
        };
        println!(
            "{name}: {}{}",
            String::from_utf8_lossy(&out.stdout).trim(),
            String::from_utf8_lossy(&out.stderr).trim()
        );
        std::thread::sleep(Duration::from_millis(100));
        let datagrams = log.lock().expect("log").clone();
        let mut script = vec![0u8];
        for (i, (request, bytes)) in datagrams.iter().enumerate() {
            let dir = if *request { "req" } else { "rsp" };
            write(
                &here,
                "decode_v3",
                &format!("netsnmp-{name}-{i}-{dir}"),
                bytes,
            );
            written += 1;
            if *request {
                script.push(0);
                script.extend_from_slice(&(bytes.len() as u16).to_be_bytes());
                script.extend_from_slice(bytes);
                script.push(0);
            }
        }
        if script.len() > 1 {
            write(&here, "usm_incoming", &format!("netsnmp-{name}"), &script);
            written += 1;
        }
    }
    stop.store(true, Ordering::Relaxed);
    let _ = serving.join();
    let _ = fs::remove_dir_all(&home);
    println!("{written} seeds written under {}", here.display());
}

fn write(dir: &Path, target: &str, name: &str, data: &[u8]) {
    let d = dir.join(target);
    fs::create_dir_all(&d).expect("corpus dir");
    fs::write(d.join(format!("seed-{name}.bin")), data).expect("seed");
}

fn serve(socket: UdpSocket, log: Log, stop: Arc<AtomicBool>) {
    let start = Instant::now();
    let mut agent = agent(65507, BOOTS, start);
    let mut buf = vec![0u8; 65535];
    while !stop.load(Ordering::Relaxed) {
        let (n, from): (usize, SocketAddr) = match socket.recv_from(&mut buf) {
            Ok(got) => got,
            Err(_) => continue,
        };
        let request = buf[..n].to_vec();
        log.lock().expect("log").push((true, request.clone()));
        agent.handle_datagram(Instant::now(), from, &request);
        while let Some(tx) = agent.poll_transmit() {
            log.lock().expect("log").push((false, tx.payload.clone()));
            let _ = socket.send_to(&tx.payload, tx.destination);
        }
    }
}
