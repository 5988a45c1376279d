//! A tiny SNMP agent for tests: a thread answering Get, GetNext, GetBulk and
//! Set from a sorted map, on 127.0.0.1 or ::1 only. It can also stay silent.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::net::{SocketAddr, UdpSocket};
use std::ops::Bound;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use oxsnmp_core::{ErrorStatus, Message, MessageRef, Oid, Pdu, PduType, Value, VarBind, Version};

/// The agent's data.
pub type Mib = BTreeMap<Oid, Value>;

/// Parses an OID written in a test.
pub fn oid(s: &str) -> Oid {
    s.parse().expect("test OID")
}

/// A MIB with a system group, a big subtree and a sparse table.
///
/// * `1.3.6.1.2.1.1.{1..=7}.0` — system group
/// * `1.3.6.1.4.1.9999.1.{1..=300}` — Integer(n)
/// * `1.3.6.1.4.1.9999.2.1.{1,2,3}.{1..=20}` — table, column 3 only on even rows
/// * `1.3.6.1.4.1.9999.3.0` — a trailing scalar after the table
pub fn test_mib() -> Mib {
    let mut mib = Mib::new();
    mib.insert(oid("1.3.6.1.2.1.1.1.0"), Value::from("oxsnmp test agent"));
    mib.insert(
        oid("1.3.6.1.2.1.1.2.0"),
        Value::ObjectIdentifier(oid("1.3.6.1.4.1.9999")),
    );
    mib.insert(oid("1.3.6.1.2.1.1.3.0"), Value::TimeTicks(4242));
    mib.insert(oid("1.3.6.1.2.1.1.4.0"), Value::from("ops@example.invalid"));
    mib.insert(oid("1.3.6.1.2.1.1.5.0"), Value::from("router-1"));
    mib.insert(oid("1.3.6.1.2.1.1.6.0"), Value::from("lab"));
    mib.insert(oid("1.3.6.1.2.1.1.7.0"), Value::Integer(72));
    for n in 1..=300u32 {
        mib.insert(
            oid(&format!("1.3.6.1.4.1.9999.1.{n}")),
            Value::Integer(n as i32),
        );
    }
    for row in 1..=20u32 {
        mib.insert(
            oid(&format!("1.3.6.1.4.1.9999.2.1.1.{row}")),
            Value::Integer(row as i32),
        );
        mib.insert(
            oid(&format!("1.3.6.1.4.1.9999.2.1.2.{row}")),
            Value::from(format!("if{row}").as_str()),
        );
        if row % 2 == 0 {
            mib.insert(
                oid(&format!("1.3.6.1.4.1.9999.2.1.3.{row}")),
                Value::Counter32(row * 100),
            );
        }
    }
    mib.insert(oid("1.3.6.1.4.1.9999.3.0"), Value::Integer(-1));
    mib
}

/// The entries of `mib` under `root`, in order.
pub fn subtree(mib: &Mib, root: &Oid) -> Vec<VarBind> {
    mib.range(root.clone()..)
        .take_while(|(k, _)| k.starts_with(root))
        .map(|(k, v)| VarBind::new(k.clone(), v.clone()))
        .collect()
}

/// A running test agent; stops when dropped.
pub struct Responder {
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    requests: Arc<AtomicUsize>,
    sources: Arc<Mutex<Vec<SocketAddr>>>,
    thread: Option<JoinHandle<()>>,
}

impl Responder {
    /// An agent on `bind` (e.g. `127.0.0.1:0`) answering from `mib`.
    pub fn start(bind: &str, mib: Mib) -> Responder {
        Self::spawn(bind, Some(mib))
    }

    /// An agent on `bind` that receives requests and never answers.
    pub fn silent(bind: &str) -> Responder {
        Self::spawn(bind, None)
    }

    fn spawn(bind: &str, mib: Option<Mib>) -> Responder {
        let socket = UdpSocket::bind(bind).expect("bind test agent");
        let addr = socket.local_addr().expect("test agent address");
        let stop = Arc::new(AtomicBool::new(false));
        let requests = Arc::new(AtomicUsize::new(0));
        let sources = Arc::new(Mutex::new(Vec::new()));
        let thread = {
            let (stop, requests, sources) = (stop.clone(), requests.clone(), sources.clone());
            std::thread::spawn(move || serve(socket, mib, stop, requests, sources))
        };
        Responder {
            addr,
            stop,
            requests,
            sources,
            thread: Some(thread),
        }
    }

    /// Where the agent listens.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// How many SNMP requests arrived so far.
    pub fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }

    /// The distinct source addresses requests came from.
    pub fn sources(&self) -> Vec<SocketAddr> {
        let mut v = self.sources.lock().expect("sources").clone();
        v.sort();
        v.dedup();
        v
    }
}

impl Drop for Responder {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the agent thread out of recv_from.
        let bind = if self.addr.is_ipv6() {
            "[::1]:0"
        } else {
            "127.0.0.1:0"
        };
        if let Ok(s) = UdpSocket::bind(bind) {
            let _ = s.send_to(&[], self.addr);
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn serve(
    socket: UdpSocket,
    mib: Option<Mib>,
    stop: Arc<AtomicBool>,
    requests: Arc<AtomicUsize>,
    sources: Arc<Mutex<Vec<SocketAddr>>>,
) {
    let mut mib = mib;
    let mut buf = vec![0u8; 65535];
    while !stop.load(Ordering::SeqCst) {
        let Ok((n, from)) = socket.recv_from(&mut buf) else {
            continue;
        };
        let Some(bytes) = buf.get(..n) else { continue };
        if bytes.is_empty() {
            continue;
        }
        requests.fetch_add(1, Ordering::SeqCst);
        if let Ok(mut s) = sources.lock() {
            s.push(from);
        }
        if let Some(mib) = mib.as_mut() {
            if let Some(answer) = answer(mib, bytes) {
                let _ = socket.send_to(&answer, from);
            }
        }
    }
}

fn next_after<'a>(mib: &'a Mib, oid: &Oid) -> Option<(&'a Oid, &'a Value)> {
    mib.range((Bound::Excluded(oid.clone()), Bound::Unbounded))
        .next()
}

/// The Response message for one request, or `None` for garbage.
pub fn answer(mib: &mut Mib, bytes: &[u8]) -> Option<Vec<u8>> {
    let msg = MessageRef::decode(bytes).ok()?;
    let pdu = msg.pdu()?;
    let v1 = msg.version == Version::V1;
    let oids: Vec<Oid> = pdu.varbinds.iter().map(|vb| vb.oid.to_oid()).collect();
    let mut status = ErrorStatus::NoError;
    let mut index = 0usize;
    let mut out = Vec::new();
    match pdu.pdu_type {
        PduType::GetRequest => {
            for (i, o) in oids.iter().enumerate() {
                let value = match mib.get(o) {
                    Some(v) => v.clone(),
                    None if v1 => {
                        status = ErrorStatus::NoSuchName;
                        index = index.max(i + 1);
                        Value::Null
                    }
                    None => Value::NoSuchObject,
                };
                out.push(VarBind::new(o.clone(), value));
            }
        }
        PduType::GetNextRequest => {
            for (i, o) in oids.iter().enumerate() {
                out.push(match next_after(mib, o) {
                    Some((k, v)) => VarBind::new(k.clone(), v.clone()),
                    None if v1 => {
                        status = ErrorStatus::NoSuchName;
                        index = index.max(i + 1);
                        VarBind::null(o.clone())
                    }
                    None => VarBind::new(o.clone(), Value::EndOfMibView),
                });
            }
        }
        PduType::GetBulkRequest => {
            let non_repeaters = usize::try_from(pdu.error_status.max(0))
                .ok()?
                .min(oids.len());
            let reps = usize::try_from(pdu.error_index.max(0)).ok()?;
            let (singles, repeaters) = oids.split_at(non_repeaters);
            for o in singles {
                out.push(match next_after(mib, o) {
                    Some((k, v)) => VarBind::new(k.clone(), v.clone()),
                    None => VarBind::new(o.clone(), Value::EndOfMibView),
                });
            }
            let mut cursors: Vec<Oid> = repeaters.to_vec();
            'rows: for _ in 0..reps {
                if out.len() >= 2000 {
                    break 'rows;
                }
                let mut all_end = true;
                for c in cursors.iter_mut() {
                    match next_after(mib, c) {
                        Some((k, v)) => {
                            out.push(VarBind::new(k.clone(), v.clone()));
                            *c = k.clone();
                            all_end = false;
                        }
                        None => out.push(VarBind::new(c.clone(), Value::EndOfMibView)),
                    }
                }
                if all_end {
                    break 'rows;
                }
            }
        }
        PduType::SetRequest => {
            for vb in pdu.varbinds.iter() {
                let vb = vb.to_owned();
                mib.insert(vb.oid.clone(), vb.value.clone());
                out.push(vb);
            }
        }
        _ => return None,
    }
    let response = Pdu {
        pdu_type: PduType::Response,
        request_id: pdu.request_id,
        error_status: status.as_i32(),
        error_index: i32::try_from(index).ok()?,
        varbinds: if status == ErrorStatus::NoError {
            out
        } else {
            pdu.varbinds.to_vec()
        },
    };
    Some(Message::new(msg.version, msg.community, response).to_bytes())
}

/// A loopback port on which nothing listens (bound, then released).
pub fn free_port(ip: &str) -> SocketAddr {
    let s = UdpSocket::bind(format!("{ip}:0")).expect("bind probe socket");
    s.local_addr().expect("probe address")
}
