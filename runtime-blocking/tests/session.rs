//! The single-thread `Session` against an in-test agent on loopback.

mod common;

use std::time::{Duration, Instant};

use common::{free_port, oid, subtree, test_mib, Responder};
use oxsnmp_blocking::oxsnmp_core::walk::Walk;
use oxsnmp_blocking::{
    ClientError, ClientOptions, ErrorStatus, Repetitions, Request, Session, Value, Version,
    WalkOptions,
};

fn short_timeout() -> ClientOptions {
    ClientOptions {
        timeout: Duration::from_millis(100),
        retries: 1,
        ..ClientOptions::default()
    }
}

#[test]
fn get_and_error_status_as_answered() {
    let agent = Responder::start("127.0.0.1:0", test_mib());
    let mut session =
        Session::connect(&agent.addr().to_string(), ClientOptions::default()).expect("connect");
    assert_eq!(session.target(), agent.addr());
    let local = session.local_addr().unwrap();
    let response = session
        .request(Request::Get(vec![oid("1.3.6.1.2.1.1.5.0")]))
        .unwrap();
    assert_eq!(response.error_status, ErrorStatus::NoError);
    assert_eq!(response.varbinds[0].value, Value::from("router-1"));
    // One socket for the session's life.
    assert_eq!(session.local_addr().unwrap(), local);

    let mut v1 = Session::connect(
        &agent.addr().to_string(),
        ClientOptions {
            version: Version::V1,
            ..ClientOptions::default()
        },
    )
    .unwrap();
    let response = v1
        .request(Request::Get(vec![oid("1.3.6.1.2.1.1.9.0")]))
        .unwrap();
    assert_eq!(response.error_status, ErrorStatus::NoSuchName);
}

#[test]
fn bulk_walks_match_the_agent() {
    let agent = Responder::start("127.0.0.1:0", test_mib());
    let mib = test_mib();
    let mut session =
        Session::connect(&agent.addr().to_string(), ClientOptions::default()).unwrap();
    for repetitions in [Repetitions::Fixed(7), Repetitions::default()] {
        let root = oid("1.3.6.1.4.1.9999");
        let mut walk = Walk::new(root.clone(), Version::V2c, WalkOptions::bulk(repetitions));
        let mut got = Vec::new();
        while let Some(request) = walk.next_request() {
            let response = session.request(request).unwrap();
            got.extend(walk.handle_response(response).unwrap());
        }
        assert_eq!(got, subtree(&mib, &root), "{repetitions:?}");
    }
}

#[test]
fn silent_agent_times_out_after_the_retries() {
    let agent = Responder::silent("127.0.0.1:0");
    let mut session = Session::connect(&agent.addr().to_string(), short_timeout()).unwrap();
    let started = Instant::now();
    match session.request(Request::Get(vec![oid("1.3.6.1.2.1.1.1.0")])) {
        Err(ClientError::Timeout(addr)) => assert_eq!(addr, agent.addr()),
        other => panic!("expected a timeout, got {other:?}"),
    }
    // Two attempts of 100 ms, on a busy machine perhaps much later.
    assert!(started.elapsed() >= Duration::from_millis(190));
    let give_up = Instant::now() + Duration::from_secs(10);
    while agent.requests() < 2 && Instant::now() < give_up {
        std::thread::sleep(Duration::from_millis(5));
    }
    assert_eq!(agent.requests(), 2);
}

#[test]
fn nobody_listening_times_out_and_the_session_still_works() {
    let port = free_port("127.0.0.1");
    let mut session = Session::connect(&port.to_string(), short_timeout()).unwrap();
    assert!(matches!(
        session.request(Request::Get(vec![oid("1.3.6.1.2.1.1.1.0")])),
        Err(ClientError::Timeout(_))
    ));
    assert!(matches!(
        session.request(Request::Get(vec![oid("1.3.6.1.2.1.1.1.0")])),
        Err(ClientError::Timeout(_))
    ));
}

#[test]
fn bad_targets_are_refused() {
    assert!(matches!(
        Session::connect("tcp:127.0.0.1:161", ClientOptions::default()),
        Err(ClientError::Address(_))
    ));
}
