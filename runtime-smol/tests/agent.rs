//! The smol AgentServer on loopback sockets, driven by this crate's own
//! Client and by raw datagrams.

use std::net::{SocketAddr, UdpSocket};
use std::time::Duration;

use futures_lite::FutureExt;

use oxsnmp_smol::agent::{Access, AgentConfig, AgentServer, MemoryMib, SystemInfo};
use oxsnmp_smol::oxsnmp_core::{Message, MessageRef, Pdu, PduType};
use oxsnmp_smol::{Client, ClientOptions, Oid, Value, VarBind, Version};

fn oid(s: &str) -> Oid {
    s.parse().expect("test OID")
}

fn config() -> AgentConfig {
    AgentConfig::new()
        .community("public", Access::ReadOnly)
        .community("private", Access::ReadWrite)
        .system(SystemInfo::new("smol agent").location("lab").writable(true))
}

async fn client(addr: SocketAddr, community: &str) -> Client {
    let options = ClientOptions {
        community: community.into(),
        timeout: Duration::from_secs(2),
        retries: 3,
        ..ClientOptions::default()
    };
    Client::connect(&addr.to_string(), options)
        .await
        .expect("connect")
}

#[async_std::test]
async fn serves_several_sockets_from_one_agent() {
    let mut listen = vec!["udp:127.0.0.1:0".to_owned(), "127.0.0.1:0".to_owned()];
    let v6 = UdpSocket::bind("[::1]:0").is_ok();
    if v6 {
        listen.push("udp6:[::1]:0".to_owned());
    }
    let refs: Vec<&str> = listen.iter().map(String::as_str).collect();
    let server = AgentServer::bind(&refs, config(), MemoryMib::new())
        .await
        .unwrap();
    let addrs = server.local_addrs();
    assert_eq!(addrs.len(), listen.len());
    assert!(addrs.iter().all(|a| a.port() != 0));
    assert_eq!(addrs[2..].iter().all(SocketAddr::is_ipv6), v6);

    // A SET through one socket is seen through the others: one agent.
    client(addrs[0], "private")
        .await
        .set(&[VarBind::new(
            oid("1.3.6.1.2.1.1.6.0"),
            Value::from("rack 9"),
        )])
        .await
        .unwrap();
    for &addr in &addrs {
        let got = client(addr, "public")
            .await
            .get(&[oid("1.3.6.1.2.1.1.1.0"), oid("1.3.6.1.2.1.1.6.0")])
            .await
            .unwrap();
        assert_eq!(got[0].value, Value::from("smol agent"), "{addr}");
        assert_eq!(got[1].value, Value::from("rack 9"), "{addr}");
    }
    let stats = server.with_agent(|a| a.stats());
    assert_eq!(stats.in_set_requests, 1);
    assert!(stats.in_get_requests >= addrs.len() as u64);
    server.with_agent(|a| {
        a.mib_mut()
            .add_scalar(oid("1.3.6.1.4.1.99999.1"), 5)
            .unwrap()
    });
    let got = client(addrs[1], "public")
        .await
        .get(&[oid("1.3.6.1.4.1.99999.1.0")])
        .await
        .unwrap();
    assert_eq!(got[0].value, Value::Integer(5));
    server.stop().await;
    // Stopped: the ports are free again.
    for addr in addrs {
        UdpSocket::bind(addr).expect("port released");
    }
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

#[async_std::test]
async fn bind_errors() {
    let mib = MemoryMib::new;
    let err = AgentServer::bind(&["tcp:127.0.0.1:1"], config(), mib())
        .await
        .unwrap_err();
    assert_eq!(err.kind(), std::io::ErrorKind::InvalidInput);
    assert!(AgentServer::bind(&[], config(), mib()).await.is_err());
    let taken = UdpSocket::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    // The second address fails: the first is released again.
    let free = UdpSocket::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let spec = format!("{free},{addr}");
    assert!(AgentServer::bind(&[spec.as_str()], config(), mib())
        .await
        .is_err());
    UdpSocket::bind(free).expect("released after a failed bind");
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
