//! Client tests shared by `oxsnmp-tokio` and `oxsnmp-smol`: the same
//! bodies run against each crate's `Client`. Each crate's `tests/client.rs`
//! includes this file with `#[path]` as `mod suite`, after a `mod rt` that
//! re-exports its crate, its test `common` module and its stream extension
//! traits, and calls these functions from tests on its own executors.

use std::time::{Duration, Instant};

use super::rt::*;

pub async fn connect(responder: &Responder) -> Client {
    Client::connect(&responder.addr().to_string(), ClientOptions::default())
        .await
        .expect("connect")
}

pub fn short_timeout() -> ClientOptions {
    ClientOptions {
        timeout: Duration::from_millis(100),
        retries: 1,
        ..ClientOptions::default()
    }
}

pub fn v1() -> ClientOptions {
    ClientOptions {
        version: Version::V1,
        ..ClientOptions::default()
    }
}

pub async fn get_get_next_get_bulk_set() {
    let agent = Responder::start("127.0.0.1:0", test_mib());
    let client = connect(&agent).await;
    let got = client
        .get(&[oid("1.3.6.1.2.1.1.5.0"), oid("1.3.6.1.2.1.1.9.0")])
        .await
        .unwrap();
    assert_eq!(got[0].value, Value::from("router-1"));
    assert_eq!(got[1].value, Value::NoSuchObject);

    let next = client.get_next(&[oid("1.3.6.1.2.1.1.4.0")]).await.unwrap();
    assert_eq!(
        next,
        vec![VarBind::new(
            oid("1.3.6.1.2.1.1.5.0"),
            Value::from("router-1")
        )]
    );

    let bulk = client
        .get_bulk(1, 3, &[oid("1.3.6.1.2.1.1"), oid("1.3.6.1.4.1.9999.1")])
        .await
        .unwrap();
    let oids: Vec<String> = bulk.iter().map(|vb| vb.oid.to_string()).collect();
    assert_eq!(
        oids,
        [
            "1.3.6.1.2.1.1.1.0",
            "1.3.6.1.4.1.9999.1.1",
            "1.3.6.1.4.1.9999.1.2",
            "1.3.6.1.4.1.9999.1.3"
        ]
    );

    let set = client
        .set(&[VarBind::new(
            oid("1.3.6.1.2.1.1.6.0"),
            Value::from("rack 7"),
        )])
        .await
        .unwrap();
    assert_eq!(set[0].value, Value::from("rack 7"));
    let after = client.get(&[oid("1.3.6.1.2.1.1.6.0")]).await.unwrap();
    assert_eq!(after[0].value, Value::from("rack 7"));

    let v1 = Client::connect(&agent.addr().to_string(), v1())
        .await
        .unwrap();
    match v1.get(&[oid("1.3.6.1.2.1.1.9.0")]).await {
        Err(ClientError::Snmp(e)) => assert_eq!((e.status, e.index), (ErrorStatus::NoSuchName, 1)),
        other => panic!("expected noSuchName, got {other:?}"),
    }
    let raw = v1
        .request(Request::Get(vec![oid("1.3.6.1.2.1.1.9.0")]))
        .await
        .unwrap();
    assert_eq!(raw.error_status, ErrorStatus::NoSuchName);
}

pub async fn walks_return_exactly_the_subtree() {
    let mib = test_mib();
    let agent = Responder::start("127.0.0.1:0", mib.clone());
    let client = connect(&agent).await;
    for root in [
        "1.3.6.1.2.1.1",
        "1.3.6.1.4.1.9999.1",
        "1.3.6.1.4.1.9999",
        "1.3.6.1.4.1.9999.2.1.3",
    ] {
        let root = oid(root);
        let expected = subtree(&mib, &root);
        let getnext: Vec<VarBind> = client.walk(root.clone()).try_collect().await.unwrap();
        assert_eq!(getnext, expected, "walk {root}");
        let bulk: Vec<VarBind> = client.bulk_walk(root.clone()).try_collect().await.unwrap();
        assert_eq!(bulk, expected, "bulk walk {root}");
        let fixed: Vec<VarBind> = client
            .walk_with(root.clone(), WalkOptions::bulk(Repetitions::Fixed(7)))
            .try_collect()
            .await
            .unwrap();
        assert_eq!(fixed, expected, "fixed bulk walk {root}");
    }
    assert_eq!(client.bulk_walk(oid("1.3.6.1.9")).count().await, 0);

    let v1 = Client::connect(&agent.addr().to_string(), v1())
        .await
        .unwrap();
    let root = oid("1.3.6.1.4.1.9999");
    let walked: Vec<VarBind> = v1.bulk_walk(root.clone()).try_collect().await.unwrap();
    assert_eq!(walked, subtree(&mib, &root));
}

pub async fn walk_is_lazy() {
    let agent = Responder::start("127.0.0.1:0", test_mib());
    let client = connect(&agent).await;
    let mut walk = client.walk(oid("1.3.6.1.4.1.9999.1"));
    assert_eq!(agent.requests(), 0);
    for _ in 0..3 {
        walk.next().await.unwrap().unwrap();
    }
    // A handful of GETNEXTs for three varbinds (a retry or two at most on
    // a loaded machine), not the 300 of the subtree.
    assert!((3..10).contains(&agent.requests()), "{}", agent.requests());
}

pub async fn bulk_walk_rows_yields_rows() {
    let agent = Responder::start("127.0.0.1:0", test_mib());
    let options = ClientOptions {
        repetitions: Repetitions::Fixed(6),
        ..ClientOptions::default()
    };
    let client = Client::connect(&agent.addr().to_string(), options)
        .await
        .unwrap();
    let columns = [
        oid("1.3.6.1.4.1.9999.2.1.1"),
        oid("1.3.6.1.4.1.9999.2.1.2"),
        oid("1.3.6.1.4.1.9999.2.1.3"),
    ];
    let rows: Vec<_> = client.bulk_walk_rows(&columns).try_collect().await.unwrap();
    assert_eq!(rows.len(), 20);
    for (i, row) in rows.iter().enumerate() {
        let n = i as u32 + 1;
        assert_eq!(row.index, vec![n]);
        assert_eq!(row.values[0], Some(Value::Integer(n as i32)));
        assert_eq!(row.values[1], Some(Value::from(format!("if{n}").as_str())));
        let third = n.is_multiple_of(2).then_some(Value::Counter32(n * 100));
        assert_eq!(row.values[2], third);
    }
}

pub async fn silent_agent_times_out() {
    let agent = Responder::silent("127.0.0.1:0");
    let client = Client::connect(&agent.addr().to_string(), short_timeout())
        .await
        .unwrap();
    let started = Instant::now();
    match client.get(&[oid("1.3.6.1.2.1.1.1.0")]).await {
        Err(ClientError::Timeout(addr)) => assert_eq!(addr, agent.addr()),
        other => panic!("expected a timeout, got {other:?}"),
    }
    assert!(started.elapsed() < Duration::from_secs(20));
    // The first attempt and one retry; the agent thread may count the
    // retry a moment after the client gave up.
    let give_up = Instant::now() + Duration::from_secs(10);
    while agent.requests() < 2 && Instant::now() < give_up {
        std::thread::sleep(Duration::from_millis(5));
    }
    assert_eq!(agent.requests(), 2);
    let walked: Vec<_> = client.bulk_walk(oid("1.3")).collect().await;
    assert!(matches!(walked.as_slice(), [Err(ClientError::Timeout(_))]));
}

pub async fn nobody_listening_times_out() {
    let port = free_port("127.0.0.1");
    let client = Client::connect(&port.to_string(), short_timeout())
        .await
        .unwrap();
    assert!(matches!(
        client.get(&[oid("1.3.6.1.2.1.1.1.0")]).await,
        Err(ClientError::Timeout(_))
    ));
}

pub async fn ipv6_loopback() {
    let mib = test_mib();
    let agent = Responder::start("[::1]:0", mib.clone());
    let target = format!("udp6:[::1]:{}", agent.addr().port());
    let client = Client::connect(&target, ClientOptions::default())
        .await
        .unwrap();
    assert!(client.target().is_ipv6());
    let got = client.get(&[oid("1.3.6.1.2.1.1.5.0")]).await.unwrap();
    assert_eq!(got[0].value, Value::from("router-1"));
    let root = oid("1.3.6.1.4.1.9999");
    let walked: Vec<VarBind> = client.bulk_walk(root.clone()).try_collect().await.unwrap();
    assert_eq!(walked, subtree(&mib, &root));

    // One driver talks to both families: the IPv4 socket is bound on first use.
    let v4_agent = Responder::start("127.0.0.1:0", mib);
    let v4 = client.with_target(v4_agent.addr());
    let got = v4.get(&[oid("1.3.6.1.2.1.1.5.0")]).await.unwrap();
    assert_eq!(got[0].value, Value::from("router-1"));
}

pub async fn target_syntax() {
    let agent = Responder::start("127.0.0.1:0", test_mib());
    let port = agent.addr().port();
    for target in [
        format!("udp:127.0.0.1:{port}"),
        format!("localhost:{port}"),
        format!("udp:localhost:{port}"),
    ] {
        let client = Client::connect(&target, ClientOptions::default())
            .await
            .unwrap();
        assert_eq!(client.target(), agent.addr(), "{target}");
        client.get(&[oid("1.3.6.1.2.1.1.5.0")]).await.unwrap();
    }
    assert!(matches!(
        Client::connect("tcp:127.0.0.1:1", ClientOptions::default()).await,
        Err(ClientError::Address(_))
    ));
}
