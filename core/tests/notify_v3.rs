//! SNMPv3 notifications inside the core: traps from the manager's and the
//! agent's engines, informs with discovery through the manager, the
//! receiver's users per engine or for any engine, and what it drops.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use oxsnmp_core::agent::{Access, Agent, AgentConfig, MemoryMib};
use oxsnmp_core::manager::{
    Event, Manager, ManagerConfig, Request, RequestError, Target, V3Security,
};
use oxsnmp_core::notify::{
    oids, DropReason, Notification, NotificationKind, NotificationReceiver, ReceiverConfig,
};
use oxsnmp_core::usm::{AuthProtocol, PrivProtocol, Secret, UsmUser};
use oxsnmp_core::v3::{EngineId, ReportKind, SecurityLevel};
use oxsnmp_core::{Value, Version};

const SENDER: &str = "192.0.2.1:50000";
const RECEIVER: &str = "192.0.2.9:162";

fn user(name: &str, auth_pass: &str) -> UsmUser {
    UsmUser::new(name)
        .unwrap()
        .with_auth(AuthProtocol::Sha256, Secret::Password(auth_pass.as_bytes()))
        .unwrap()
        .with_privacy(PrivProtocol::Aes128, Secret::Password(b"priv-pass-1"))
        .unwrap()
}

fn addr(s: &str) -> SocketAddr {
    s.parse().unwrap()
}

fn trap() -> Notification {
    Notification::new(4200, oids::LINK_DOWN)
        .varbind("1.3.6.1.2.1.2.2.1.1.2".parse().unwrap(), Value::Integer(2))
}

/// Sends one trap from a manager whose engine is `engine`, returns the datagram.
fn trap_from(engine: &EngineId, u: &UsmUser, now: Instant) -> Vec<u8> {
    let mut m = Manager::new(ManagerConfig::with_seed(3));
    m.set_local_engine(engine.clone(), 7, now);
    let t = Target::v3(
        addr(RECEIVER),
        V3Security::new(u.clone(), SecurityLevel::AuthPriv),
    );
    m.send_trap(now, &t, trap()).unwrap();
    m.poll_transmit().unwrap().payload
}

#[test]
fn traps_with_users_per_engine_and_for_any_engine() {
    let now = Instant::now();
    let known = EngineId::from_text(99999, "router-1");
    let other = EngineId::from_text(99999, "router-2");
    let config = ReceiverConfig::new()
        .user(Some(known.clone()), user("tied", "auth-pass-1"))
        .user(None, user("any", "auth-pass-2"));
    let mut r = NotificationReceiver::new(config);

    r.handle_datagram(
        now,
        addr(SENDER),
        &trap_from(&known, &user("tied", "auth-pass-1"), now),
    );
    let e = r.poll_event().expect("trap from the tied engine");
    assert_eq!(e.version, Version::V3);
    assert_eq!(e.kind, NotificationKind::Trap);
    assert_eq!(e.notification, trap());
    let v3 = e.v3.expect("SNMPv3 source");
    assert_eq!(v3.user_name, b"tied");
    assert_eq!(v3.level, SecurityLevel::AuthPriv);
    assert_eq!(v3.engine_id, known.as_bytes());

    // The tied user from another engine: unknown.
    r.handle_datagram(
        now,
        addr(SENDER),
        &trap_from(&other, &user("tied", "auth-pass-1"), now),
    );
    assert!(r.poll_event().is_none());
    assert_eq!(r.stats().usm_unknown_user_names, 1);

    // The any-engine user from both engines.
    for engine in [&known, &other] {
        r.handle_datagram(
            now,
            addr(SENDER),
            &trap_from(engine, &user("any", "auth-pass-2"), now),
        );
        let e = r.poll_event().expect("trap from any engine");
        assert_eq!(e.v3.unwrap().engine_id, engine.as_bytes());
    }

    // A wrong password: wrong digest, nothing decrypted or delivered.
    r.handle_datagram(
        now,
        addr(SENDER),
        &trap_from(&other, &user("any", "not-the-pass"), now),
    );
    assert!(r.poll_event().is_none());
    assert_eq!(r.stats().usm_wrong_digests, 1);
    assert_eq!(r.stats().usm_decryption_errors, 0);
    assert!(r.poll_transmit().is_none(), "traps are never answered");
    assert!(r.stats().accounted());
}

#[test]
fn old_traps_are_outside_the_window() {
    let start = Instant::now();
    let engine = EngineId::from_text(99999, "clocked");
    let u = user("any", "auth-pass-2");
    let mut r = NotificationReceiver::new(ReceiverConfig::new().user(None, u.clone()));
    // The sender's engine has run 1000 s: the receiver learns its clock.
    let recent = trap_from(&engine, &u, start);
    // A copy made "long ago" (engine time 0 instead of 1000).
    let mut m = Manager::new(ManagerConfig::with_seed(5));
    m.set_local_engine(engine.clone(), 7, start);
    let t = Target::v3(
        addr(RECEIVER),
        V3Security::new(u.clone(), SecurityLevel::AuthPriv),
    );
    m.send_trap(start + Duration::from_secs(1000), &t, trap())
        .unwrap();
    let later = m.poll_transmit().unwrap().payload;
    r.handle_datagram(start, addr(SENDER), &later);
    assert!(r.poll_event().is_some());
    r.handle_datagram(start, addr(SENDER), &recent);
    assert!(
        r.poll_event().is_none(),
        "a trap 1000 s older than the engine's clock"
    );
    assert_eq!(r.stats().usm_not_in_time_windows, 1);
}

/// Runs one inform from `m` to `r` to completion.
fn inform(
    m: &mut Manager,
    r: &mut NotificationReceiver,
    t: &Target,
    now: Instant,
) -> Result<(), RequestError> {
    let h = m.send_request(now, t, Request::inform(&trap())).unwrap();
    for _ in 0..20 {
        while let Some(tx) = m.poll_transmit() {
            r.handle_datagram(now, addr(SENDER), &tx.payload);
            while let Some(ack) = r.poll_transmit() {
                assert_eq!(ack.destination, addr(SENDER));
                m.handle_datagram(now, addr(RECEIVER), &ack.payload);
            }
        }
        if let Some(Event::Completed { handle, result }) = m.poll_event() {
            assert_eq!(handle, h);
            return result.map(|_| ());
        }
    }
    panic!("inform did not complete");
}

#[test]
fn informs_discover_the_receivers_engine_and_are_acknowledged() {
    let now = Instant::now();
    let own = EngineId::from_text(99999, "trap-receiver");
    let u = user("ops", "auth-pass-1");
    let mut r = NotificationReceiver::new(
        ReceiverConfig::new()
            .engine_id(own.clone())
            .user(None, u.clone()),
    );
    let mut m = Manager::new(ManagerConfig::with_seed(9));
    let t = Target::v3(
        addr(RECEIVER),
        V3Security::new(u.clone(), SecurityLevel::AuthPriv),
    );
    inform(&mut m, &mut r, &t, now).unwrap();
    assert_eq!(m.engine_id_of(addr(RECEIVER)), Some(own.as_bytes()));
    assert_eq!(m.stats().discovery_probes, 1);
    let e = r.poll_event().expect("the inform");
    assert_eq!(e.kind, NotificationKind::Inform);
    assert_eq!(e.v3.unwrap().engine_id, own.as_bytes());
    assert!(
        r.poll_event().is_none(),
        "the discovery probe is no notification"
    );
    assert_eq!(r.stats().informs, 1);
    assert_eq!(r.stats().reports, 1);

    // A wrong password: the receiver reports a wrong digest.
    let wrong = Target::v3(
        addr(RECEIVER),
        V3Security::new(user("ops", "wrong-pass-9"), SecurityLevel::AuthPriv),
    );
    assert_eq!(
        inform(&mut m, &mut r, &wrong, now),
        Err(RequestError::Report(ReportKind::WrongDigest))
    );
    assert!(r.poll_event().is_none());
    assert!(r.stats().accounted());
}

#[test]
fn the_agent_sends_v3_traps_from_its_engine() {
    let now = Instant::now();
    let agent_engine = EngineId::from_text(99999, "agent-engine");
    let u = user("notifier", "auth-pass-3");
    let config = AgentConfig::new()
        .community("public", Access::ReadOnly)
        .engine_id(agent_engine.clone())
        .engine_boots(2)
        .notify(Target::v3(
            addr(RECEIVER),
            V3Security::new(u.clone(), SecurityLevel::AuthPriv),
        ));
    let mut agent = Agent::new(config, MemoryMib::new(), now);
    let cold_start = agent.poll_transmit().expect("coldStart");
    let mut r =
        NotificationReceiver::new(ReceiverConfig::new().user(Some(agent_engine.clone()), u));
    r.handle_datagram(now, addr(SENDER), &cold_start.payload);
    let e = r.poll_event().expect("coldStart over SNMPv3");
    assert_eq!(e.trap_oid(), &oids::COLD_START);
    assert_eq!(e.v3.unwrap().engine_id, agent_engine.as_bytes());
}

/// A trap from `engine` under `u` at `level` (the user's keys may allow more).
fn trap_at(engine: &EngineId, u: &UsmUser, level: SecurityLevel, now: Instant) -> Vec<u8> {
    let mut m = Manager::new(ManagerConfig::with_seed(11));
    m.set_local_engine(engine.clone(), 7, now);
    let t = Target::v3(addr(RECEIVER), V3Security::new(u.clone(), level));
    m.send_trap(now, &t, trap()).unwrap();
    m.poll_transmit().unwrap().payload
}

/// User names travel in clear: a noAuthNoPriv notification naming a user
/// with keys is a forgery anyone can send (RFC 3414 §3.2 step 5 only
/// refuses levels above the user's; the minimum is the receiver's rule).
#[test]
fn forged_noauth_notifications_under_authenticated_names_are_dropped() {
    let now = Instant::now();
    let own = EngineId::from_text(99999, "trap-receiver");
    let known = EngineId::from_text(99999, "router-1");
    let other = EngineId::from_text(99999, "router-2");
    let tied = user("tied", "auth-pass-1");
    let any = user("any", "auth-pass-2");
    let mut r = NotificationReceiver::new(
        ReceiverConfig::new()
            .engine_id(own.clone())
            .user(Some(known.clone()), tied.clone())
            .user(None, any.clone()),
    );
    for (engine, u) in [(&known, &tied), (&other, &any)] {
        let forged = trap_at(engine, u, SecurityLevel::NoAuthNoPriv, now);
        assert_eq!(
            r.handle_datagram(now, addr(SENDER), &forged),
            Some(DropReason::BelowMinLevel)
        );
        assert!(r.poll_event().is_none(), "forged trap delivered");
    }
    assert_eq!(r.stats().below_min_level, 2);
    // authNoPriv is the default minimum for a user with keys: accepted.
    let authed = trap_at(&known, &tied, SecurityLevel::AuthNoPriv, now);
    assert_eq!(r.handle_datagram(now, addr(SENDER), &authed), None);
    assert_eq!(
        r.poll_event().unwrap().v3.unwrap().level,
        SecurityLevel::AuthNoPriv
    );

    // A noAuthNoPriv inform under `any`: discovery is answered (and is no
    // drop), the inform itself is dropped and never acknowledged.
    let mut m = Manager::new(ManagerConfig::with_seed(12));
    let mut t = Target::v3(
        addr(RECEIVER),
        V3Security::new(any.clone(), SecurityLevel::NoAuthNoPriv),
    );
    t.retry.retries = 0;
    m.send_request(now, &t, Request::inform(&trap())).unwrap();
    let mut acks = 0;
    for _ in 0..5 {
        while let Some(tx) = m.poll_transmit() {
            r.handle_datagram(now, addr(SENDER), &tx.payload);
            while let Some(answer) = r.poll_transmit() {
                acks += 1;
                m.handle_datagram(now, addr(RECEIVER), &answer.payload);
            }
        }
    }
    assert_eq!(acks, 1, "only the discovery Report is sent");
    assert_eq!(r.stats().discovery_probes, 1);
    assert_eq!(r.stats().below_min_level, 3);
    assert_eq!(r.stats().informs, 0);
    assert!(r.poll_event().is_none(), "forged inform delivered");
    assert!(r.stats().accounted(), "{:?}", r.stats());
    // The discovery probe is not a drop.
    assert_eq!(r.stats().dropped(), 3);
}

#[test]
fn the_minimum_level_is_configurable_both_ways() {
    let now = Instant::now();
    let engine = EngineId::from_text(99999, "router-1");
    let u = user("ops", "auth-pass-1");
    // Lowered: noAuthNoPriv accepted (snmptrapd's `authUser log ops noauth`).
    let mut lax = NotificationReceiver::new(ReceiverConfig::new().user_with_min_level(
        None,
        u.clone(),
        SecurityLevel::NoAuthNoPriv,
    ));
    let plain = trap_at(&engine, &u, SecurityLevel::NoAuthNoPriv, now);
    assert_eq!(lax.handle_datagram(now, addr(SENDER), &plain), None);
    assert_eq!(
        lax.poll_event().unwrap().v3.unwrap().level,
        SecurityLevel::NoAuthNoPriv
    );
    // Raised: only authPriv.
    let mut strict = NotificationReceiver::new(ReceiverConfig::new().user_with_min_level(
        Some(engine.clone()),
        u.clone(),
        SecurityLevel::AuthPriv,
    ));
    for (level, delivered) in [
        (SecurityLevel::NoAuthNoPriv, false),
        (SecurityLevel::AuthNoPriv, false),
        (SecurityLevel::AuthPriv, true),
    ] {
        let bytes = trap_at(&engine, &u, level, now);
        strict.handle_datagram(now, addr(SENDER), &bytes);
        assert_eq!(strict.poll_event().is_some(), delivered, "{level}");
    }
    assert_eq!(strict.stats().below_min_level, 2);
    assert!(strict.stats().accounted());
}

/// A trap sent for another engine (`-e`) with the clock the caller keeps
/// (`-Z`): that engine's boots and time on the wire, counting up from the
/// given time, and the local engine's ID as contextEngineID, as snmptrap
/// sends; a receiver that saw the earlier trap takes the later one.
#[test]
fn traps_carry_the_given_engine_clock_and_the_local_context_engine() {
    use oxsnmp_core::v3::{ScopedPduData, V3MessageRef};
    let start = Instant::now();
    let local = EngineId::from_text(99999, "local");
    let claimed = EngineId::from_text(99999, "claimed");
    let u = user("any", "auth-pass-2");
    let send = |security: V3Security, at: Instant| {
        let mut m = Manager::new(ManagerConfig::with_seed(9));
        m.set_local_engine(local.clone(), 1, start);
        m.send_trap(at, &Target::v3(addr(RECEIVER), security), trap())
            .unwrap();
        m.poll_transmit().unwrap().payload
    };
    let plain = V3Security::new(u.clone(), SecurityLevel::NoAuthNoPriv)
        .engine_id(claimed.clone())
        .engine_clock(3, 5000);
    let bytes = send(plain, start + Duration::from_secs(20));
    let m = V3MessageRef::decode(&bytes).unwrap();
    let usm = m.usm().unwrap();
    assert_eq!(usm.engine_id, claimed.as_bytes());
    // 20 s after the local engine started: the given time plus 20.
    assert_eq!((usm.boots, usm.time), (3, 5020));
    let ScopedPduData::Plaintext(scoped) = m.data else {
        panic!("plaintext expected")
    };
    assert_eq!(scoped.context_engine_id, local.as_bytes());

    // The receiver saw time 100000 from that engine; a trap that starts
    // its clock there again is timely, one from time 0 is not.
    let mut r = NotificationReceiver::new(ReceiverConfig::new().user(None, u.clone()));
    let secured = |clock: Option<(u32, u32)>| {
        let mut s = V3Security::new(u.clone(), SecurityLevel::AuthPriv).engine_id(claimed.clone());
        if let Some((b, t)) = clock {
            s = s.engine_clock(b, t);
        }
        s
    };
    r.handle_datagram(
        start,
        addr(SENDER),
        &send(secured(Some((1, 100_000))), start),
    );
    assert!(r.poll_event().is_some());
    r.handle_datagram(start, addr(SENDER), &send(secured(None), start));
    assert!(r.poll_event().is_none(), "engine time 0 after 100000");
    r.handle_datagram(
        start,
        addr(SENDER),
        &send(secured(Some((1, 100_003))), start),
    );
    assert!(r.poll_event().is_some());
}
