//! The Tokio AgentServer on loopback sockets, driven by this crate's own
//! Client and by raw datagrams.

use std::time::Duration;

use oxsnmp_tokio::agent::{AgentServer, MemoryMib};
use oxsnmp_tokio::oxsnmp_core::{Message, MessageRef, Pdu, PduType};
use oxsnmp_tokio::Version;

mod rt {
    pub use oxsnmp_tokio::agent::*;
    pub use oxsnmp_tokio::*;

    /// The sysDescr of the servers in these tests.
    pub const NAME: &str = "tokio agent";
}

/// The tests shared with the other async runtime crate.
#[path = "../../tests/shared/async_agent.rs"]
mod suite;

use suite::{config, oid};

#[tokio::test]
async fn serves_several_sockets_from_one_agent() {
    suite::serves_several_sockets_from_one_agent().await
}

#[tokio::test]
async fn bind_errors() {
    suite::bind_errors().await
}

#[tokio::test]
async fn answers_from_the_socket_the_request_came_in_on() {
    let server = AgentServer::bind(&["127.0.0.1:0,127.0.0.1:0"], config(), MemoryMib::new())
        .await
        .unwrap();
    let me = tokio::net::UdpSocket::bind("127.0.0.1:0").await.unwrap();
    let request = Message::new(
        Version::V1,
        "public",
        Pdu::request(PduType::GetRequest, 77, &[oid("1.3.6.1.2.1.1.5.0")]),
    )
    .to_bytes();
    let mut buf = [0u8; 1500];
    for addr in server.local_addrs() {
        me.send_to(&request, addr).await.unwrap();
        let (n, from) = tokio::time::timeout(Duration::from_secs(10), me.recv_from(&mut buf))
            .await
            .expect("answered")
            .unwrap();
        assert_eq!(from, addr);
        let pdu = MessageRef::decode(&buf[..n])
            .unwrap()
            .pdu()
            .unwrap()
            .to_owned();
        assert_eq!(pdu.request_id, 77);
    }
    drop(server);
}

#[test]
fn bind_outside_a_runtime_fails() {
    let bound = futures_util::FutureExt::now_or_never(AgentServer::bind(
        &["127.0.0.1:0"],
        config(),
        MemoryMib::new(),
    ));
    assert!(matches!(bound, Some(Err(_))));
}

#[test]
fn server_is_send_and_sync() {
    fn check<T: Send + Sync>() {}
    check::<AgentServer<MemoryMib>>();
}
