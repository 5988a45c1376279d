//! The blocking client against an in-test agent on loopback.

mod common;

use std::net::UdpSocket;
use std::time::{Duration, Instant};

use common::{free_port, oid, subtree, test_mib, Responder, PEER};
use oxsnmp_blocking::{
    Client, ClientError, ClientOptions, ErrorStatus, Repetitions, Value, VarBind, Version,
    WalkOptions,
};

fn connect(responder: &Responder) -> Client {
    Client::connect(&responder.addr().to_string(), ClientOptions::default()).expect("connect")
}

fn short_timeout() -> ClientOptions {
    ClientOptions {
        timeout: Duration::from_millis(100),
        retries: 1,
        ..ClientOptions::default()
    }
}

#[test]
fn get_get_next_get_bulk_set() {
    let agent = Responder::start("127.0.0.1:0", test_mib());
    let client = connect(&agent);
    let got = client
        .get(&[oid("1.3.6.1.2.1.1.5.0"), oid("1.3.6.1.2.1.1.9.0")])
        .unwrap();
    assert_eq!(got[0].value, Value::from("router-1"));
    assert_eq!(got[1].value, Value::NoSuchObject);

    let next = client.get_next(&[oid("1.3.6.1.2.1.1.1.0")]).unwrap();
    assert_eq!(
        next,
        vec![VarBind::new(
            oid("1.3.6.1.2.1.1.2.0"),
            Value::ObjectIdentifier(oid("1.3.6.1.4.1.9999"))
        )]
    );

    let bulk = client
        .get_bulk(1, 3, &[oid("1.3.6.1.2.1.1"), oid("1.3.6.1.4.1.9999.1")])
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
        .unwrap();
    assert_eq!(set[0].value, Value::from("rack 7"));
    let after = client.get(&[oid("1.3.6.1.2.1.1.6.0")]).unwrap();
    assert_eq!(after[0].value, Value::from("rack 7"));

    // The raw request keeps the error-status; get() turns it into an error.
    let v1 = Client::connect(
        &agent.addr().to_string(),
        ClientOptions {
            version: Version::V1,
            ..ClientOptions::default()
        },
    )
    .unwrap();
    match v1.get(&[oid("1.3.6.1.2.1.1.9.0")]) {
        Err(ClientError::Snmp(e)) => {
            assert_eq!(e.status, ErrorStatus::NoSuchName);
            assert_eq!(e.index, 1);
        }
        other => panic!("expected noSuchName, got {other:?}"),
    }
    let raw = v1
        .request(oxsnmp_blocking::Request::Get(vec![oid(
            "1.3.6.1.2.1.1.9.0",
        )]))
        .unwrap();
    assert_eq!(raw.error_status, ErrorStatus::NoSuchName);
    assert!(matches!(
        v1.get_bulk(0, 5, &[oid("1.3")]),
        Err(ClientError::Send(_))
    ));
}

#[test]
fn walks_return_exactly_the_subtree() {
    let mib = test_mib();
    let agent = Responder::start("127.0.0.1:0", mib.clone());
    let client = connect(&agent);
    for root in [
        "1.3.6.1.2.1.1",
        "1.3.6.1.4.1.9999.1",
        "1.3.6.1.4.1.9999",
        "1.3.6.1.4.1.9999.2.1.3",
    ] {
        let root = oid(root);
        let expected = subtree(&mib, &root);
        let getnext: Vec<VarBind> = client.walk(root.clone()).collect::<Result<_, _>>().unwrap();
        assert_eq!(getnext, expected, "walk {root}");
        let bulk: Vec<VarBind> = client
            .bulk_walk(root.clone())
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(bulk, expected, "bulk walk {root}");
        let fixed: Vec<VarBind> = client
            .walk_with(root.clone(), WalkOptions::bulk(Repetitions::Fixed(7)))
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(fixed, expected, "fixed bulk walk {root}");
    }
    // Walking an instance gets it; walking past the end yields nothing.
    let one: Vec<VarBind> = client
        .walk(oid("1.3.6.1.2.1.1.5.0"))
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        one,
        vec![VarBind::new(
            oid("1.3.6.1.2.1.1.5.0"),
            Value::from("router-1")
        )]
    );
    assert_eq!(client.bulk_walk(oid("1.3.6.1.9")).count(), 0);

    // SNMPv1 has no GETBULK: bulk_walk falls back to GETNEXT.
    let v1 = Client::connect(
        &agent.addr().to_string(),
        ClientOptions {
            version: Version::V1,
            ..ClientOptions::default()
        },
    )
    .unwrap();
    let root = oid("1.3.6.1.4.1.9999");
    let walked: Vec<VarBind> = v1
        .bulk_walk(root.clone())
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(walked, subtree(&mib, &root));
}

#[test]
fn walk_is_lazy() {
    let agent = Responder::start("127.0.0.1:0", test_mib());
    let client = connect(&agent);
    let mut walk = client.walk(oid("1.3.6.1.4.1.9999.1"));
    assert_eq!(agent.requests(), 0);
    for _ in 0..3 {
        walk.next().unwrap().unwrap();
    }
    // A handful of GETNEXTs for three varbinds (a retry or two at most on
    // a loaded machine), not the 300 of the subtree.
    assert!((3..10).contains(&agent.requests()), "{}", agent.requests());
}

#[test]
fn bulk_walk_rows_yields_rows() {
    let agent = Responder::start("127.0.0.1:0", test_mib());
    let client = Client::connect(
        &agent.addr().to_string(),
        ClientOptions {
            repetitions: Repetitions::Fixed(6),
            ..ClientOptions::default()
        },
    )
    .unwrap();
    let columns = [
        oid("1.3.6.1.4.1.9999.2.1.1"),
        oid("1.3.6.1.4.1.9999.2.1.2"),
        oid("1.3.6.1.4.1.9999.2.1.3"),
    ];
    let rows: Vec<_> = client
        .bulk_walk_rows(&columns)
        .collect::<Result<_, _>>()
        .unwrap();
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

#[test]
fn concurrent_requests_share_one_socket() {
    let agent = Responder::start("127.0.0.1:0", test_mib());
    let other = Responder::start("127.0.0.1:0", test_mib());
    let client = connect(&agent);
    // The client's socket is bound to 0.0.0.0; the agents see 127.0.0.1.
    let local = format!("127.0.0.1:{}", client.local_addr().unwrap().port());
    let threads: Vec<_> = (0..8u32)
        .map(|t| {
            let client = if t % 2 == 0 {
                client.clone()
            } else {
                client.with_target(other.addr())
            };
            let local = local.clone();
            std::thread::spawn(move || {
                for i in 0..40u32 {
                    let n = 1 + (t * 37 + i * 7) % 300;
                    let got = client
                        .get(&[oid(&format!("1.3.6.1.4.1.9999.1.{n}")), oid(PEER)])
                        .unwrap();
                    assert_eq!(got[0].value, Value::Integer(n as i32));
                    // Every request, to both agents, left from the same socket.
                    assert_eq!(got[1].value, Value::from(local.as_str()));
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    // At least one datagram per request (more if a slow answer was retried).
    assert!(agent.requests() >= 160);
    assert!(other.requests() >= 160);
}

#[test]
fn silent_agent_times_out() {
    let agent = Responder::silent("127.0.0.1:0");
    let client = Client::connect(&agent.addr().to_string(), short_timeout()).unwrap();
    let started = Instant::now();
    match client.get(&[oid("1.3.6.1.2.1.1.1.0")]) {
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
    // Walks end with the timeout too.
    let walked: Vec<_> = client.bulk_walk(oid("1.3")).collect();
    assert!(matches!(walked.as_slice(), [Err(ClientError::Timeout(_))]));
}

#[test]
fn nobody_listening_times_out() {
    let port = free_port("127.0.0.1");
    let client = Client::connect(&port.to_string(), short_timeout()).unwrap();
    assert!(matches!(
        client.get(&[oid("1.3.6.1.2.1.1.1.0")]),
        Err(ClientError::Timeout(_))
    ));
}

#[test]
fn close_ends_requests_in_flight() {
    let agent = Responder::silent("127.0.0.1:0");
    let client = Client::connect(
        &agent.addr().to_string(),
        ClientOptions {
            timeout: Duration::from_secs(30),
            retries: 0,
            ..ClientOptions::default()
        },
    )
    .unwrap();
    let waiting = {
        let client = client.clone();
        std::thread::spawn(move || client.get(&[oid("1.3.6.1.2.1.1.1.0")]))
    };
    // Closing before the request reaches the driver is fine too: it then
    // fails with Closed at submission.
    while agent.requests() == 0 && !waiting.is_finished() {
        std::thread::sleep(Duration::from_millis(5));
    }
    client.close();
    assert!(matches!(waiting.join().unwrap(), Err(ClientError::Closed)));
    assert!(matches!(
        client.get(&[oid("1.3.6.1.2.1.1.1.0")]),
        Err(ClientError::Closed)
    ));
}

#[test]
fn dropping_all_clients_releases_the_socket() {
    let agent = Responder::start("127.0.0.1:0", test_mib());
    let local = free_port("127.0.0.1");
    let client = Client::connect(
        &agent.addr().to_string(),
        ClientOptions {
            local_addr: Some(local),
            ..ClientOptions::default()
        },
    )
    .unwrap();
    let clone = client.with_target(agent.addr());
    let peer = clone.get(&[oid(PEER)]).unwrap();
    assert_eq!(peer[0].value, Value::from(local.to_string().as_str()));
    assert!(UdpSocket::bind(local).is_err(), "the client holds its port");
    drop(client);
    clone.get(&[oid("1.3.6.1.2.1.1.1.0")]).unwrap();
    drop(clone);
    // Dropping the last handle joined the driver thread and closed the socket.
    assert!(UdpSocket::bind(local).is_ok());
}

#[test]
fn ipv6_loopback() {
    let mib = test_mib();
    let agent = Responder::start("[::1]:0", mib.clone());
    let target = format!("udp6:[::1]:{}", agent.addr().port());
    let client = Client::connect(&target, ClientOptions::default()).unwrap();
    assert!(client.target().is_ipv6());
    let got = client.get(&[oid("1.3.6.1.2.1.1.5.0")]).unwrap();
    assert_eq!(got[0].value, Value::from("router-1"));
    let root = oid("1.3.6.1.4.1.9999");
    let walked: Vec<VarBind> = client
        .bulk_walk(root.clone())
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(walked, subtree(&mib, &root));

    // One client talks to both families: the IPv4 side starts on first use.
    let v4_agent = Responder::start("127.0.0.1:0", mib);
    let v4 = client.with_target(v4_agent.addr());
    let got = v4.get(&[oid("1.3.6.1.2.1.1.5.0")]).unwrap();
    assert_eq!(got[0].value, Value::from("router-1"));
    assert!(v4.local_addr().unwrap().is_ipv4());
}

#[test]
fn target_syntax() {
    let agent = Responder::start("127.0.0.1:0", test_mib());
    let port = agent.addr().port();
    for target in [
        format!("udp:127.0.0.1:{port}"),
        format!("localhost:{port}"),
        format!("udp:localhost:{port}"),
    ] {
        let client = Client::connect(&target, ClientOptions::default()).unwrap();
        assert_eq!(client.target(), agent.addr(), "{target}");
        client.get(&[oid("1.3.6.1.2.1.1.5.0")]).unwrap();
    }
    assert!(matches!(
        Client::connect("tcp:127.0.0.1:1", ClientOptions::default()),
        Err(ClientError::Address(_))
    ));
    assert!(Client::connect("127.0.0.1:99999", ClientOptions::default()).is_err());
}

#[test]
fn clients_are_send_and_sync() {
    fn check<T: Send + Sync>() {}
    check::<Client>();
    fn check_send<T: Send>() {}
    check_send::<oxsnmp_blocking::WalkIter>();
    check_send::<oxsnmp_blocking::RowIter>();
}
