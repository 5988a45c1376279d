//! The smol client against an in-test agent on loopback. Most tests run on
//! `futures_lite::future::block_on`; some on async-std's executor.

mod common;

use std::net::UdpSocket;
use std::time::{Duration, Instant};

use common::{free_port, oid, test_mib, Responder, PEER};
use futures_lite::future::block_on;
use futures_lite::StreamExt;
use oxsnmp_smol::{Client, ClientError, ClientOptions, Value, VarBind};
use suite::connect;

mod rt {
    pub use crate::common::*;
    pub use futures_lite::StreamExt;
    pub use oxsnmp_smol::*;
}

/// The tests shared with the other async runtime crate.
#[path = "../../tests/shared/async_client.rs"]
mod suite;

#[async_std::test]
async fn get_get_next_get_bulk_set() {
    suite::get_get_next_get_bulk_set().await
}

#[test]
fn walks_return_exactly_the_subtree() {
    block_on(suite::walks_return_exactly_the_subtree())
}

#[async_std::test]
async fn walk_is_lazy() {
    suite::walk_is_lazy().await
}

#[test]
fn bulk_walk_rows_yields_rows() {
    async_io::block_on(suite::bulk_walk_rows_yields_rows())
}

#[async_std::test]
async fn silent_agent_times_out() {
    suite::silent_agent_times_out().await
}

#[async_std::test]
async fn nobody_listening_times_out() {
    suite::nobody_listening_times_out().await
}

#[async_std::test]
async fn ipv6_loopback() {
    suite::ipv6_loopback().await
}

#[async_std::test]
async fn target_syntax() {
    suite::target_syntax().await
}

#[async_std::test]
async fn concurrent_requests_share_one_socket() {
    let agent = Responder::start("127.0.0.1:0", test_mib());
    let other = Responder::start("127.0.0.1:0", test_mib());
    let client = connect(&agent).await;
    let mut tasks = Vec::new();
    for t in 0..8u32 {
        for i in 0..40u32 {
            let client = if t % 2 == 0 {
                client.clone()
            } else {
                client.with_target(other.addr())
            };
            tasks.push(async_std::task::spawn(async move {
                let n = 1 + (t * 37 + i * 7) % 300;
                let got = client
                    .get(&[oid(&format!("1.3.6.1.4.1.9999.1.{n}")), oid(PEER)])
                    .await
                    .unwrap();
                assert_eq!(got[0].value, Value::Integer(n as i32));
                // Where the agent saw the request come from.
                got[1].value.clone()
            }));
        }
    }
    let mut sources = Vec::new();
    for t in tasks {
        sources.push(t.await);
    }
    // Every request, to both agents, left from the same socket.
    sources.dedup();
    assert_eq!(sources.len(), 1, "{sources:?}");
    // And from a plain thread with no executor at all.
    let from_thread = {
        let client = client.clone();
        std::thread::spawn(move || block_on(client.get(&[oid("1.3.6.1.2.1.1.5.0")])))
    };
    let got = async_std::task::spawn_blocking(move || from_thread.join().unwrap())
        .await
        .unwrap();
    assert_eq!(got[0].value, Value::from("router-1"));
    // At least one datagram per request; a burst this size may overflow a
    // socket buffer on the way, and then the core's retries fill the gap.
    assert!(agent.requests() >= 161);
    assert!(other.requests() >= 160);
}

#[async_std::test]
async fn close_ends_requests_in_flight() {
    let agent = Responder::silent("127.0.0.1:0");
    let options = ClientOptions {
        timeout: Duration::from_secs(30),
        retries: 0,
        ..ClientOptions::default()
    };
    let client = Client::connect(&agent.addr().to_string(), options)
        .await
        .unwrap();
    let waiting = {
        let client = client.clone();
        async_std::task::spawn(async move { client.get(&[oid("1.3.6.1.2.1.1.1.0")]).await })
    };
    let give_up = Instant::now() + Duration::from_secs(10);
    while agent.requests() == 0 && Instant::now() < give_up {
        async_io::Timer::after(Duration::from_millis(5)).await;
    }
    client.close();
    assert!(matches!(waiting.await, Err(ClientError::Closed)));
    assert!(matches!(
        client.get(&[oid("1.3.6.1.2.1.1.1.0")]).await,
        Err(ClientError::Closed)
    ));
}

#[test]
fn dropping_all_clients_ends_the_driver() {
    block_on(dropping())
}

async fn dropping() {
    let agent = Responder::start("127.0.0.1:0", test_mib());
    let local = free_port("127.0.0.1");
    let options = ClientOptions {
        local_addr: Some(local),
        ..ClientOptions::default()
    };
    let client = Client::connect(&agent.addr().to_string(), options)
        .await
        .unwrap();
    let walk = client.walk(oid("1.3.6.1.2.1.1"));
    let peer = client.get(&[oid(PEER)]).await.unwrap();
    assert_eq!(peer[0].value, Value::from(local.to_string().as_str()));
    assert!(UdpSocket::bind(local).is_err(), "the client holds its port");
    drop(client);
    // The walk stream still holds a handle.
    let walked: Vec<VarBind> = walk.try_collect().await.unwrap();
    assert_eq!(walked.len(), 7);
    // The stream is gone now: the driver ends and closes its socket.
    let give_up = Instant::now() + Duration::from_secs(10);
    while UdpSocket::bind(local).is_err() && Instant::now() < give_up {
        async_io::Timer::after(Duration::from_millis(5)).await;
    }
    assert!(UdpSocket::bind(local).is_ok());
}

#[test]
fn handles_and_streams_are_send() {
    fn sync<T: Send + Sync>() {}
    fn send<T: Send + Unpin>() {}
    sync::<Client>();
    send::<oxsnmp_smol::WalkStream>();
    send::<oxsnmp_smol::RowStream>();
}
