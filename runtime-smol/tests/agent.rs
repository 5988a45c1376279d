//! The smol AgentServer on loopback sockets, driven by this crate's own
//! Client and by raw datagrams.

use std::net::UdpSocket;
use std::time::Duration;

use futures_lite::FutureExt;

use oxsnmp_smol::agent::{AgentServer, MemoryMib};
use oxsnmp_smol::oxsnmp_core::{Message, MessageRef, Pdu, PduType};
use oxsnmp_smol::Version;

mod rt {
    pub use oxsnmp_smol::agent::*;
    pub use oxsnmp_smol::*;

    /// The sysDescr of the servers in these tests.
    pub const NAME: &str = "smol agent";
}

/// The tests shared with the other async runtime crate.
#[path = "../../tests/shared/async_agent.rs"]
mod suite;

use suite::{config, oid};

#[async_std::test]
async fn serves_several_sockets_from_one_agent() {
    suite::serves_several_sockets_from_one_agent().await
}

#[async_std::test]
async fn bind_errors() {
    suite::bind_errors().await
}

#[async_std::test]
async fn answers_from_the_socket_the_request_came_in_on() {
    let server = AgentServer::bind(&["127.0.0.1:0,127.0.0.1:0"], config(), MemoryMib::new())
        .await
        .unwrap();
    let me = async_net::UdpSocket::bind("127.0.0.1:0").await.unwrap();
    let request = Message::new(
        Version::V1,
        "public",
        Pdu::request(PduType::GetRequest, 77, &[oid("1.3.6.1.2.1.1.5.0")]),
    )
    .to_bytes();
    let mut buf = [0u8; 1500];
    for addr in server.local_addrs() {
        me.send_to(&request, addr).await.unwrap();
        let (n, from) = me
            .recv_from(&mut buf)
            .or(async {
                async_io::Timer::after(Duration::from_secs(10)).await;
                panic!("not answered")
            })
            .await
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
fn needs_no_executor_and_drop_joins() {
    let server = futures_lite::future::block_on(AgentServer::bind(
        &["127.0.0.1:0"],
        config(),
        MemoryMib::new(),
    ))
    .unwrap();
    let addr = server.local_addrs()[0];
    drop(server);
    UdpSocket::bind(addr).expect("port released by drop");
}

#[test]
fn server_is_send_and_sync() {
    fn check<T: Send + Sync>() {}
    check::<AgentServer<MemoryMib>>();
}
