//! Bytes in use per request in flight: the core `Manager` alone, and
//! oxsnmp-tokio's and oxsnmp-smol's `Client` whole (driver, channels and the
//! caller's future), each with K GETs outstanding to K silent targets (bound
//! sockets that never read).
//!
//! Measured with [`alloc_meter`], which the calling
//! binary must install as its global allocator (and run nothing else
//! meanwhile). "Cold": a fresh manager or client, whose tables grow for the
//! K requests; "warm": a second wave after the first has timed out, as in a
//! poller that has been running. Used by `tests/tests/scale_memory.rs` (the
//! budget) and `bench_scale memory` (the figures).

use std::net::{SocketAddr, UdpSocket};
use std::time::{Duration, Instant};

use futures_util::stream::{FuturesUnordered, StreamExt};
use oxsnmp_core::client::ClientOptions;
use oxsnmp_core::manager::{Manager, ManagerConfig, Request};
use oxsnmp_core::Oid;

use crate::alloc_meter;

/// Bytes in use per request in flight, before and after a first wave.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PerRequest {
    /// A fresh manager or client.
    pub cold: usize,
    /// The second wave, after the first has ended.
    pub warm: usize,
}

/// What each request asks: sysName.0 and one more scalar.
fn oids() -> [Oid; 2] {
    [
        Oid::from_slice(&[1, 3, 6, 1, 2, 1, 1, 5, 0]).expect("sysName.0"),
        Oid::from_slice(&[1, 3, 6, 1, 4, 1, 99999, 7, 0]).expect("a scalar"),
    ]
}

/// K bound sockets that never read: targets that never answer.
fn silent_targets(k: usize) -> (Vec<UdpSocket>, Vec<SocketAddr>) {
    let sockets: Vec<UdpSocket> = (0..k)
        .map(|_| {
            let s = UdpSocket::bind("127.0.0.1:0").expect("silent socket");
            s.set_nonblocking(true).expect("nonblocking");
            s
        })
        .collect();
    let addrs = sockets
        .iter()
        .map(|s| s.local_addr().expect("addr"))
        .collect();
    (sockets, addrs)
}

/// Whether every silent socket holds its request, i.e. the driver has sent
/// the whole wave.
fn all_sent(sockets: &[UdpSocket]) -> bool {
    let mut buf = [0u8; 1500];
    sockets.iter().all(|s| s.peek_from(&mut buf).is_ok())
}

/// How long a wave may take to go out on a busy machine.
const SEND_DEADLINE: Duration = Duration::from_secs(60);

/// Empties the silent sockets between waves.
fn drain(sockets: &[UdpSocket]) {
    let mut buf = [0u8; 1500];
    for s in sockets {
        while s.recv_from(&mut buf).is_ok() {}
    }
}

/// One attempt, long enough that no request of a wave times out before the
/// whole wave is out on a busy machine, and short enough that a wave whose
/// callers are gone has left the driver's tables before the next one.
fn wave_options() -> ClientOptions {
    ClientOptions {
        timeout: WAVE_TIMEOUT,
        retries: 0,
        ..ClientOptions::default()
    }
}

/// A wave's requests time out after this.
const WAVE_TIMEOUT: Duration = Duration::from_secs(5);

/// How long after a wave was dropped the next one starts: past its timeout.
const WAVE_GONE: Duration = Duration::from_secs(7);

/// The core `Manager` alone: requests started, their datagrams taken (and
/// dropped, as a driver does once sent), nothing answered.
pub fn manager(k: usize) -> PerRequest {
    let (_sockets, addrs) = silent_targets(k);
    let targets: Vec<_> = addrs
        .iter()
        .map(|a| ClientOptions::default().target(*a))
        .collect();
    let request = Request::Get(oids().to_vec());
    let now = Instant::now();
    let mut manager = Manager::new(ManagerConfig::with_seed(1));
    let mut measure = || {
        let before = alloc_meter::live();
        let handles: Vec<_> = targets
            .iter()
            .map(|t| {
                let h = manager.send_request(now, t, request.clone()).expect("send");
                drop(manager.poll_transmit());
                h
            })
            .collect();
        let per = alloc_meter::live().saturating_sub(before) / k;
        for h in handles {
            manager.cancel(h);
        }
        while manager.poll_event().is_some() {}
        per
    };
    let cold = measure();
    let warm = measure();
    PerRequest { cold, warm }
}

/// oxsnmp-tokio's `Client` on a current-thread runtime.
pub fn tokio_client(k: usize) -> PerRequest {
    let (sockets, addrs) = silent_targets(k);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        let mut before = alloc_meter::live();
        let client = oxsnmp_tokio::Client::connect(&addrs[0].to_string(), wave_options())
            .await
            .expect("client");
        let clients: Vec<_> = addrs.iter().map(|a| client.with_target(*a)).collect();
        let oids = oids();
        let mut per = Vec::new();
        for wave in 0..2 {
            if wave > 0 {
                before = alloc_meter::live();
            }
            let mut calls: FuturesUnordered<_> = clients.iter().map(|c| c.get(&oids)).collect();
            // Let the driver run until the whole wave is out; none is answered.
            let deadline = Instant::now() + SEND_DEADLINE;
            while !all_sent(&sockets) {
                assert!(Instant::now() < deadline, "the wave never went out");
                let tick = tokio::time::timeout(Duration::from_millis(20), calls.next());
                assert!(
                    tick.await.is_err(),
                    "a request ended (answered or timed out) before its wave was out"
                );
            }
            per.push(alloc_meter::live().saturating_sub(before) / k);
            drop(calls);
            drain(&sockets);
            tokio::time::sleep(WAVE_GONE).await;
        }
        PerRequest {
            cold: per[0],
            warm: per[1],
        }
    })
}

/// oxsnmp-smol's `Client` (its driver runs on its own thread).
pub fn smol_client(k: usize) -> PerRequest {
    let (sockets, addrs) = silent_targets(k);
    futures_lite::future::block_on(async {
        let mut before = alloc_meter::live();
        let client = oxsnmp_smol::Client::connect(&addrs[0].to_string(), wave_options())
            .await
            .expect("client");
        let clients: Vec<_> = addrs.iter().map(|a| client.with_target(*a)).collect();
        let oids = oids();
        let mut per = Vec::new();
        for wave in 0..2 {
            if wave > 0 {
                before = alloc_meter::live();
            }
            let mut calls: FuturesUnordered<_> = clients.iter().map(|c| c.get(&oids)).collect();
            // Poll each once so that every command reaches the driver thread.
            let _ = futures_lite::future::poll_once(calls.next()).await;
            let deadline = Instant::now() + SEND_DEADLINE;
            while !all_sent(&sockets) {
                assert!(Instant::now() < deadline, "the wave never went out");
                std::thread::sleep(Duration::from_millis(20));
            }
            per.push(alloc_meter::live().saturating_sub(before) / k);
            drop(calls);
            drain(&sockets);
            std::thread::sleep(WAVE_GONE);
        }
        PerRequest {
            cold: per[0],
            warm: per[1],
        }
    })
}
