//! AgentServer tests shared by `oxsnmp-tokio` and `oxsnmp-smol`: the same
//! bodies run against each crate's `AgentServer` and `Client`. Each crate's
//! `tests/agent.rs` includes this file with `#[path]` as `mod suite`, after
//! a `mod rt` that re-exports its crate, its agent module and `NAME`, the
//! sysDescr its servers report, and calls these functions from tests on its
//! own executors.

use std::net::{SocketAddr, UdpSocket};
use std::time::Duration;

use super::rt::*;

pub fn oid(s: &str) -> Oid {
    s.parse().expect("test OID")
}

pub fn config() -> AgentConfig {
    AgentConfig::new()
        .community("public", Access::ReadOnly)
        .community("private", Access::ReadWrite)
        .system(SystemInfo::new(NAME).location("lab").writable(true))
}

pub async fn client(addr: SocketAddr, community: &str) -> Client {
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

pub async fn serves_several_sockets_from_one_agent() {
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
        assert_eq!(got[0].value, Value::from(NAME), "{addr}");
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

pub async fn bind_errors() {
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
