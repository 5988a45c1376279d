//! The Tokio client against an in-test agent on loopback.

mod common;

use std::net::UdpSocket;
use std::time::{Duration, Instant};

use common::{free_port, oid, test_mib, Responder, PEER};
use futures_util::TryStreamExt;
use oxsnmp_tokio::{Client, ClientError, ClientOptions, Value, VarBind};
use suite::connect;

mod rt {
    pub use crate::common::*;
    pub use futures_util::{StreamExt, TryStreamExt};
    pub use oxsnmp_tokio::*;
}

/// The tests shared with the other async runtime crate.
#[path = "../../tests/shared/async_client.rs"]
mod suite;

#[tokio::test]
async fn get_get_next_get_bulk_set() {
    suite::get_get_next_get_bulk_set().await
}

#[tokio::test]
async fn walks_return_exactly_the_subtree() {
    suite::walks_return_exactly_the_subtree().await
}

#[tokio::test]
async fn walk_is_lazy() {
    suite::walk_is_lazy().await
}

#[tokio::test]
async fn bulk_walk_rows_yields_rows() {
    suite::bulk_walk_rows_yields_rows().await
}

#[tokio::test]
async fn silent_agent_times_out() {
    suite::silent_agent_times_out().await
}

#[tokio::test]
async fn nobody_listening_times_out() {
    suite::nobody_listening_times_out().await
}

#[tokio::test]
async fn ipv6_loopback() {
    suite::ipv6_loopback().await
}

#[tokio::test]
async fn target_syntax() {
    suite::target_syntax().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_requests_share_one_socket() {
    let agent = Responder::start("127.0.0.1:0", test_mib());
    let other = Responder::start("127.0.0.1:0", test_mib());
    let client = connect(&agent).await;
    let tasks: Vec<_> = (0..8u32)
        .map(|t| {
            let client = if t % 2 == 0 {
                client.clone()
            } else {
                client.with_target(other.addr())
            };
            tokio::spawn(async move {
                // Each task keeps several requests in flight at once.
                let requests = (0..40u32).map(|i| {
                    let client = client.clone();
                    async move {
                        let n = 1 + (t * 37 + i * 7) % 300;
                        let got = client
                            .get(&[oid(&format!("1.3.6.1.4.1.9999.1.{n}")), oid(PEER)])
                            .await
                            .unwrap();
                        assert_eq!(got[0].value, Value::Integer(n as i32));
                        // Where the agent saw the request come from.
                        got[1].value.clone()
                    }
                });
                futures_util::future::join_all(requests).await
            })
        })
        .collect();
    let mut sources = Vec::new();
    for t in tasks {
        sources.extend(t.await.unwrap());
    }
    // Every request, to both agents, left from the same socket.
    sources.dedup();
    assert_eq!(sources.len(), 1, "{sources:?}");
    // And from a plain thread with its own runtime.
    let from_thread = {
        let client = client.clone();
        std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(client.get(&[oid("1.3.6.1.2.1.1.5.0")]))
        })
    };
    let got = tokio::task::spawn_blocking(move || from_thread.join().unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(got[0].value, Value::from("router-1"));
    // At least one datagram per request; a burst this size may overflow a
    // socket buffer on the way, and then the core's retries fill the gap.
    assert!(agent.requests() >= 161);
    assert!(other.requests() >= 160);
}

#[tokio::test]
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
        tokio::spawn(async move { client.get(&[oid("1.3.6.1.2.1.1.1.0")]).await })
    };
    while agent.requests() == 0 && !waiting.is_finished() {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    client.close();
    assert!(matches!(waiting.await.unwrap(), Err(ClientError::Closed)));
    assert!(matches!(
        client.get(&[oid("1.3.6.1.2.1.1.1.0")]).await,
        Err(ClientError::Closed)
    ));
}

#[tokio::test]
async fn dropping_all_clients_ends_the_driver() {
    let agent = Responder::start("127.0.0.1:0", test_mib());
    let local = free_port("127.0.0.1");
    let options = ClientOptions {
        local_addr: Some(local),
        ..ClientOptions::default()
    };
    let client = Client::connect(&agent.addr().to_string(), options)
        .await
        .unwrap();
    let metrics = tokio::runtime::Handle::current().metrics();
    assert_eq!(metrics.num_alive_tasks(), 1);
    let walk = client.walk(oid("1.3.6.1.2.1.1"));
    let peer = client.get(&[oid(PEER)]).await.unwrap();
    assert_eq!(peer[0].value, Value::from(local.to_string().as_str()));
    assert!(UdpSocket::bind(local).is_err(), "the client holds its port");
    drop(client);
    // The walk stream still holds a handle.
    let walked: Vec<VarBind> = walk.try_collect().await.unwrap();
    assert_eq!(walked.len(), 7);
    // The stream is gone now: the driver task ends and closes its socket.
    let give_up = Instant::now() + Duration::from_secs(10);
    while metrics.num_alive_tasks() > 0 && Instant::now() < give_up {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    assert_eq!(metrics.num_alive_tasks(), 0);
    assert!(UdpSocket::bind(local).is_ok());
}

#[test]
fn handles_and_streams_are_send() {
    fn sync<T: Send + Sync>() {}
    fn send<T: Send + Unpin>() {}
    sync::<Client>();
    send::<oxsnmp_tokio::WalkStream>();
    send::<oxsnmp_tokio::RowStream>();
}
