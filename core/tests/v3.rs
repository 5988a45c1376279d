//! SNMPv3 end to end inside the core: the manager state machine against
//! the agent state machine, datagrams handed over directly, time virtual.
//! Every auth x priv combination, discovery, time synchronization, the
//! Reports of each USM failure, VACM and contexts.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use oxsnmp_core::agent::{Access, Agent, AgentConfig, MemoryMib, SystemInfo};
use oxsnmp_core::manager::{
    Event, Manager, ManagerConfig, Request, RequestError, Response, Target, V3Security,
};
use oxsnmp_core::usm::{AuthProtocol, PrivProtocol, Secret, UsmUser};
use oxsnmp_core::v3::{EngineId, ReportKind, SecurityLevel, LOCAL_ENGINE_ID};
use oxsnmp_core::{Oid, Value};

const SYS_NAME: Oid = Oid::from_static(&[1, 3, 6, 1, 2, 1, 1, 5, 0]);
const SNMP_ENGINE_ID: Oid = Oid::from_static(&[1, 3, 6, 1, 6, 3, 10, 2, 1, 1, 0]);
const ENTERPRISE_SCALAR: Oid = Oid::from_static(&[1, 3, 6, 1, 4, 1, 99999, 1, 0]);

struct Pair {
    manager: Manager,
    agent: Agent<MemoryMib>,
    now: Instant,
    agent_addr: SocketAddr,
    manager_addr: SocketAddr,
    /// Every datagram the manager sent, for replays.
    sent: Vec<Vec<u8>>,
}

fn engine_id() -> EngineId {
    EngineId::from_text(99999, "v3-test-agent")
}

fn mib() -> MemoryMib {
    let mut mib = MemoryMib::new();
    mib.add_scalar(ENTERPRISE_SCALAR.parent().unwrap(), Value::Gauge32(42))
        .unwrap();
    mib
}

impl Pair {
    fn new(config: AgentConfig) -> Self {
        Self::started_at(config, Instant::now())
    }

    fn started_at(config: AgentConfig, now: Instant) -> Self {
        Self {
            manager: Manager::new(ManagerConfig::with_seed(7)),
            agent: Agent::new(config, mib(), now),
            now,
            agent_addr: "192.0.2.10:161".parse().unwrap(),
            manager_addr: "192.0.2.20:40000".parse().unwrap(),
            sent: Vec::new(),
        }
    }

    /// Runs one request to completion (the network is perfect, time only
    /// moves when a timeout is due).
    fn request(&mut self, target: &Target, request: Request) -> Result<Response, RequestError> {
        let handle = self
            .manager
            .send_request(self.now, target, request)
            .unwrap();
        for _ in 0..100 {
            while let Some(tx) = self.manager.poll_transmit() {
                assert_eq!(tx.destination, self.agent_addr);
                self.sent.push(tx.payload.clone());
                self.agent
                    .handle_datagram(self.now, self.manager_addr, &tx.payload);
                while let Some(reply) = self.agent.poll_transmit() {
                    assert_eq!(reply.destination, self.manager_addr);
                    self.manager
                        .handle_datagram(self.now, self.agent_addr, &reply.payload);
                }
            }
            if let Some(Event::Completed { handle: h, result }) = self.manager.poll_event() {
                assert_eq!(h, handle);
                return result;
            }
            let Some(t) = self.manager.poll_timeout() else {
                panic!("no event and no timer")
            };
            self.now = self.now.max(t);
            self.manager.handle_timeout(self.now);
        }
        panic!("request did not complete");
    }

    fn get(&mut self, target: &Target, oid: &Oid) -> Result<Value, RequestError> {
        self.request(target, Request::get(std::slice::from_ref(oid)))
            .map(|r| r.varbinds[0].value.clone())
    }

    fn target(&self, user: UsmUser, level: SecurityLevel) -> Target {
        let mut t = Target::v3(self.agent_addr, V3Security::new(user, level));
        t.retry.retries = 1;
        t
    }
}

fn user(name: &str, auth: Option<AuthProtocol>, privacy: Option<PrivProtocol>) -> UsmUser {
    let mut u = UsmUser::new(name).unwrap();
    if let Some(a) = auth {
        u = u
            .with_auth(a, Secret::Password(format!("{name}-auth-pw").as_bytes()))
            .unwrap();
    }
    if let Some(p) = privacy {
        u = u
            .with_privacy(p, Secret::Password(format!("{name}-priv-pw").as_bytes()))
            .unwrap();
    }
    u
}

fn base_config() -> AgentConfig {
    AgentConfig::new()
        .system(SystemInfo::new("v3 test").name("agent-1"))
        .engine_id(engine_id())
        .engine_boots(3)
}

#[test]
fn every_auth_and_privacy_protocol() {
    let mut users = vec![user("plain", None, None)];
    for a in AuthProtocol::ALL {
        users.push(user(&format!("a-{}", a.name()), Some(a), None));
        for p in PrivProtocol::ALL {
            users.push(user(
                &format!("ap-{}-{}", a.name(), p.name()),
                Some(a),
                Some(p),
            ));
        }
    }
    let mut config = base_config();
    for u in &users {
        config = config.user(u.clone(), Access::ReadOnly);
    }
    let mut pair = Pair::new(config);
    for u in users {
        let level = u.max_level();
        let name = String::from_utf8_lossy(u.name()).into_owned();
        let target = pair.target(u, level);
        assert_eq!(
            pair.get(&target, &SYS_NAME),
            Ok(Value::from("agent-1")),
            "{name} at {level}"
        );
        assert_eq!(
            pair.get(&target, &ENTERPRISE_SCALAR),
            Ok(Value::Gauge32(42)),
            "{name}"
        );
    }
    // One discovery for the address, then every user used the engine it learnt.
    assert_eq!(pair.manager.stats().discovery_probes, 1);
    assert_eq!(
        pair.manager.engine_id_of(pair.agent_addr),
        Some(engine_id().as_bytes())
    );
    let s = pair.agent.stats();
    assert_eq!(s.usm_unknown_engine_ids, 1);
    assert_eq!(
        s.usm_wrong_digests + s.usm_decryption_errors + s.usm_not_in_time_windows,
        0
    );
}

#[test]
fn wrong_secrets_unknown_user_and_low_level_get_their_reports() {
    let good = user(
        "alice",
        Some(AuthProtocol::Sha1),
        Some(PrivProtocol::Aes128),
    );
    let config = base_config().user(good.clone(), Access::ReadOnly);
    let mut pair = Pair::new(config);
    // Discovery and a good request first.
    let t = pair.target(good.clone(), SecurityLevel::AuthPriv);
    assert!(pair.get(&t, &SYS_NAME).is_ok());

    let wrong_auth = UsmUser::new("alice")
        .unwrap()
        .with_auth(AuthProtocol::Sha1, Secret::Password(b"not-the-password"))
        .unwrap()
        .with_privacy(PrivProtocol::Aes128, Secret::Password(b"alice-priv-pw"))
        .unwrap();
    let t = pair.target(wrong_auth, SecurityLevel::AuthPriv);
    assert_eq!(
        pair.get(&t, &SYS_NAME),
        Err(RequestError::Report(ReportKind::WrongDigest))
    );
    assert_eq!(pair.agent.stats().usm_wrong_digests, 1);

    let wrong_priv = UsmUser::new("alice")
        .unwrap()
        .with_auth(AuthProtocol::Sha1, Secret::Password(b"alice-auth-pw"))
        .unwrap()
        .with_privacy(PrivProtocol::Aes128, Secret::Password(b"not-the-password"))
        .unwrap();
    let t = pair.target(wrong_priv, SecurityLevel::AuthPriv);
    assert_eq!(
        pair.get(&t, &SYS_NAME),
        Err(RequestError::Report(ReportKind::DecryptionError))
    );
    assert_eq!(pair.agent.stats().usm_decryption_errors, 1);

    let t = pair.target(
        user("mallory", Some(AuthProtocol::Sha1), None),
        SecurityLevel::AuthNoPriv,
    );
    assert_eq!(
        pair.get(&t, &SYS_NAME),
        Err(RequestError::Report(ReportKind::UnknownUserName))
    );
    assert_eq!(pair.agent.stats().usm_unknown_user_names, 1);

    // A user whose agent-side entry has no privacy, asked at authPriv.
    let config = base_config().user(user("bob", Some(AuthProtocol::Md5), None), Access::ReadOnly);
    let mut pair = Pair::new(config);
    let t = pair.target(
        user("bob", Some(AuthProtocol::Md5), Some(PrivProtocol::Des)),
        SecurityLevel::AuthPriv,
    );
    assert_eq!(
        pair.get(&t, &SYS_NAME),
        Err(RequestError::Report(ReportKind::UnsupportedSecLevel))
    );
    assert_eq!(pair.agent.stats().usm_unsupported_sec_levels, 1);

    // VACM: alice may not use noAuthNoPriv (her entry starts at authNoPriv).
    let config = base_config().user(good.clone(), Access::ReadOnly);
    let mut pair = Pair::new(config);
    let t = pair.target(good, SecurityLevel::NoAuthNoPriv);
    let r = pair.request(&t, Request::get(&[SYS_NAME])).unwrap();
    assert_eq!(r.error_status, oxsnmp_core::ErrorStatus::AuthorizationError);
}

#[test]
fn read_only_users_cannot_write_and_views_hide_what_they_exclude() {
    let ro = user("ro", Some(AuthProtocol::Sha256), None);
    let rw = user("rw", Some(AuthProtocol::Sha256), Some(PrivProtocol::Aes256));
    let config = base_config()
        .system(SystemInfo::new("v3 test").name("agent-1").writable(true))
        .user(ro.clone(), Access::ReadOnly)
        .user_in_subtree(
            rw.clone(),
            Access::ReadWrite,
            "1.3.6.1.2.1.1".parse().unwrap(),
        );
    let mut pair = Pair::new(config);
    let set = Request::set(&[oxsnmp_core::VarBind::new(SYS_NAME, Value::from("renamed"))]);

    let t = pair.target(ro.clone(), SecurityLevel::AuthNoPriv);
    let r = pair.request(&t, set.clone()).unwrap();
    // notInView in the (empty) write view: noAccess naming the varbind.
    assert_eq!(
        (r.error_status, r.error_index),
        (oxsnmp_core::ErrorStatus::NoAccess, 1)
    );

    let t = pair.target(rw, SecurityLevel::AuthPriv);
    let r = pair.request(&t, set).unwrap();
    assert_eq!(r.error_status, oxsnmp_core::ErrorStatus::NoError);
    assert_eq!(pair.get(&t, &SYS_NAME), Ok(Value::from("renamed")));
    // Outside its subtree the rw user sees nothing: GET says noSuchObject,
    // GETNEXT skips to the end of the view.
    assert_eq!(pair.get(&t, &ENTERPRISE_SCALAR), Ok(Value::NoSuchObject));
    let r = pair
        .request(&t, Request::get_next(&["1.3.6.1.2.1.1.9".parse().unwrap()]))
        .unwrap();
    assert_eq!(r.varbinds[0].value, Value::EndOfMibView);
    let r = pair
        .request(
            &t,
            Request::get_bulk(0, 50, &["1.3.6.1.2.1".parse().unwrap()]),
        )
        .unwrap();
    assert!(r
        .varbinds
        .iter()
        .all(|vb| vb.oid.starts_with(&"1.3.6.1.2.1.1".parse().unwrap())
            || vb.value == Value::EndOfMibView));
    // The read-only user reads the whole tree, the v3 engine objects included.
    let t = pair.target(ro, SecurityLevel::AuthNoPriv);
    assert_eq!(
        pair.get(&t, &SNMP_ENGINE_ID),
        Ok(Value::OctetString(engine_id().as_bytes().to_vec()))
    );
}

#[test]
fn contexts_and_local_engine_id() {
    let u = user("ctx", Some(AuthProtocol::Sha1), None);
    let config = base_config()
        .user(u.clone(), Access::ReadOnly)
        .context("vrf-a");
    let mut pair = Pair::new(config);
    let sec = V3Security::new(u.clone(), SecurityLevel::AuthNoPriv).context_name("vrf-a");
    let t = Target::v3(pair.agent_addr, sec);
    assert_eq!(pair.get(&t, &SYS_NAME), Ok(Value::from("agent-1")));

    let sec = V3Security::new(u.clone(), SecurityLevel::AuthNoPriv).context_name("nope");
    let t = Target::v3(pair.agent_addr, sec);
    assert_eq!(
        pair.get(&t, &SYS_NAME),
        Err(RequestError::Report(ReportKind::UnknownContext))
    );
    assert_eq!(pair.agent.stats().unknown_contexts, 1);

    // RFC 5343: read snmpEngineID.0 through localEngineID.
    let sec = V3Security::new(u, SecurityLevel::AuthNoPriv).context_engine_id(LOCAL_ENGINE_ID);
    let t = Target::v3(pair.agent_addr, sec);
    assert_eq!(
        pair.get(&t, &SNMP_ENGINE_ID),
        Ok(Value::OctetString(engine_id().as_bytes().to_vec()))
    );
}

#[test]
fn known_engine_id_skips_discovery_and_resynchronizes_once() {
    let u = user(
        "e",
        Some(AuthProtocol::Sha512),
        Some(PrivProtocol::Aes256Reeder),
    );
    let config = base_config().user(u.clone(), Access::ReadOnly);
    let start = Instant::now();
    // The agent has been up for an hour: its engine time is 3600.
    let mut pair = Pair::started_at(config, start);
    pair.now = start + Duration::from_secs(3600);
    let sec = V3Security::new(u, SecurityLevel::AuthPriv).engine_id(engine_id());
    let t = Target::v3(pair.agent_addr, sec);
    assert_eq!(pair.get(&t, &SYS_NAME), Ok(Value::from("agent-1")));
    let m = pair.manager.stats();
    assert_eq!(m.discovery_probes, 0);
    assert_eq!(
        m.resynchronizations, 1,
        "boots/time 0 get one notInTimeWindow report"
    );
    assert_eq!(pair.agent.stats().usm_not_in_time_windows, 1);
    let time = pair.manager.engine_time(engine_id().as_bytes()).unwrap();
    assert_eq!((time.boots, time.time), (3, 3600));
    // In sync now: no more reports.
    assert!(pair.get(&t, &SYS_NAME).is_ok());
    assert_eq!(pair.manager.stats().resynchronizations, 1);
}

#[test]
fn restart_drift_and_replay() {
    let u = user(
        "r",
        Some(AuthProtocol::Sha224),
        Some(PrivProtocol::TripleDes),
    );
    let config = base_config().user(u.clone(), Access::ReadOnly);
    let start = Instant::now();
    let mut pair = Pair::started_at(config.clone(), start);
    let t = pair.target(u, SecurityLevel::AuthPriv);
    assert!(pair.get(&t, &SYS_NAME).is_ok());

    // A replay of that request 200 s later is outside the window.
    let old = pair.sent.last().unwrap().clone();
    pair.now += Duration::from_secs(200);
    pair.agent
        .handle_datagram(pair.now, pair.manager_addr, &old);
    assert_eq!(pair.agent.stats().usm_not_in_time_windows, 1);
    let report = pair
        .agent
        .poll_transmit()
        .expect("a notInTimeWindow report");
    // The manager ignores the stray report (its request is finished).
    pair.manager
        .handle_datagram(pair.now, pair.agent_addr, &report.payload);
    assert_eq!(pair.manager.outstanding(), 0);

    // The agent restarts: boots 4, time 0. The manager, still at boots 3,
    // is told (authenticated) and retries once.
    pair.agent = Agent::new(config.clone().engine_boots(4), mib(), pair.now);
    pair.now += Duration::from_secs(5);
    assert!(pair.get(&t, &SYS_NAME).is_ok());
    let time = pair.manager.engine_time(engine_id().as_bytes()).unwrap();
    assert_eq!(time.boots, 4);
    assert_eq!(pair.manager.stats().resynchronizations, 1);

    // Clock drift: the agent's clock runs 10 minutes ahead of the
    // manager's notion (here: it restarted long ago with the same boots).
    pair.agent = Agent::new(
        config.engine_boots(4),
        mib(),
        pair.now - Duration::from_secs(600),
    );
    assert!(pair.get(&t, &SYS_NAME).is_ok());
    assert_eq!(pair.manager.stats().resynchronizations, 2);
}

#[test]
fn responses_from_a_forged_engine_or_with_bad_digests_are_dropped() {
    let u = user("f", Some(AuthProtocol::Md5), None);
    let config = base_config().user(u.clone(), Access::ReadOnly);
    let mut pair = Pair::new(config);
    let t = pair.target(u, SecurityLevel::AuthNoPriv);
    assert!(pair.get(&t, &SYS_NAME).is_ok());
    let handle = pair
        .manager
        .send_request(pair.now, &t, Request::get(&[SYS_NAME]))
        .unwrap();
    let tx = pair.manager.poll_transmit().unwrap();
    pair.agent
        .handle_datagram(pair.now, pair.manager_addr, &tx.payload);
    let mut reply = pair.agent.poll_transmit().unwrap().payload;
    // Flip one bit of the varbind value: the digest no longer matches.
    let last = reply.len() - 1;
    reply[last] ^= 1;
    pair.manager
        .handle_datagram(pair.now, pair.agent_addr, &reply);
    assert_eq!(pair.manager.stats().wrong_digests, 1);
    assert!(pair.manager.poll_event().is_none());
    reply[last] ^= 1;
    pair.manager
        .handle_datagram(pair.now, pair.agent_addr, &reply);
    let Some(Event::Completed { handle: h, result }) = pair.manager.poll_event() else {
        panic!()
    };
    assert_eq!(h, handle);
    assert!(result.is_ok());
}

#[test]
fn users_added_while_the_agent_runs() {
    let mut pair = Pair::new(base_config());
    let late = user(
        "late",
        Some(AuthProtocol::Sha384),
        Some(PrivProtocol::Aes192),
    );
    let t = pair.target(late.clone(), SecurityLevel::AuthPriv);
    assert_eq!(
        pair.get(&t, &SYS_NAME),
        Err(RequestError::Report(ReportKind::UnknownUserName))
    );
    assert!(pair.agent.add_user(late, Access::ReadOnly, None));
    assert_eq!(pair.get(&t, &SYS_NAME), Ok(Value::from("agent-1")));
    // An agent without an engine has no SNMPv3 to add users to.
    let mut plain = Agent::new(AgentConfig::new(), mib(), Instant::now());
    assert!(!plain.add_user(user("x", None, None), Access::ReadOnly, None));
}

/// RFC 3414 §2.2.2 and §3.2 step 7a rest on boots never repeating for an
/// engine ID: an agent started with another engine ID on the same state,
/// then with its own again, must not take a SET captured in its first run.
#[test]
fn a_set_captured_before_restarts_with_another_engine_id_is_not_replayable() {
    use oxsnmp_core::agent::{EngineStore, FileEngineStore};
    let dir = std::env::temp_dir().join(format!("oxsnmp-v3-replay-{}", std::process::id()));
    let path = dir.join("engine.conf");
    let u = user("w", Some(AuthProtocol::Sha256), Some(PrivProtocol::Aes128));
    let config = |id: EngineId| {
        AgentConfig::new()
            .system(SystemInfo::new("v3 test").name("agent-1").writable(true))
            .engine_id(id)
            .user(u.clone(), Access::ReadWrite)
    };
    let a = engine_id();
    let b = EngineId::from_text(99999, "another-agent");
    let start = Instant::now();
    let mut boots = Vec::new();

    let first = config(a.clone())
        .start_engine(&mut FileEngineStore::new(&path), [1; 8])
        .unwrap();
    boots.push((first.engine_id.clone(), first.engine_boots));
    let mut pair = Pair::started_at(first, start);
    let t = pair.target(u.clone(), SecurityLevel::AuthPriv);
    let set = Request::set(&[oxsnmp_core::VarBind::new(SYS_NAME, Value::from("pwned"))]);
    pair.request(&t, set).unwrap();
    // The authenticated SET as it went over the wire (discovery before it).
    let captured = pair.sent.last().unwrap().clone();
    assert_eq!(pair.get(&t, &SYS_NAME).unwrap(), Value::from("pwned"));

    // Agent B on the same state, then A again, both in the first seconds
    // of their runs (as close to the capture's engine time as it gets).
    for id in [b.clone(), a.clone()] {
        let c = config(id)
            .start_engine(&mut FileEngineStore::new(&path), [2; 8])
            .unwrap();
        boots.push((c.engine_id.clone(), c.engine_boots));
        pair.agent = Agent::new(c, mib(), pair.now);
    }
    pair.agent
        .handle_datagram(pair.now, pair.manager_addr, &captured);
    assert_eq!(pair.agent.stats().usm_not_in_time_windows, 1);
    let report = pair
        .agent
        .poll_transmit()
        .expect("a notInTimeWindow report");
    assert!(!report.payload.is_empty());
    // sysName was not changed by the replay: ask the restarted agent.
    let mut fresh = Pair::started_at(
        config(a.clone())
            .start_engine(&mut FileEngineStore::new(&path), [3; 8])
            .unwrap(),
        pair.now,
    );
    assert_eq!(fresh.get(&t, &SYS_NAME).unwrap(), Value::from("agent-1"));
    boots.push((Some(a.clone()), fresh.agent.engine_boots().unwrap()));

    // A: 1, 2, 3; B: 1; never a count repeated for one engine ID.
    let of = |id: &EngineId| -> Vec<u32> {
        boots
            .iter()
            .filter(|(e, _)| e.as_ref() == Some(id))
            .map(|(_, b)| *b)
            .collect()
    };
    assert_eq!(of(&a), [1, 2, 3]);
    assert_eq!(of(&b), [1]);
    let state = FileEngineStore::new(&path).load().unwrap();
    assert_eq!(state.boots_of(&a), Some(3));
    assert_eq!(state.boots_of(&b), Some(1));
    let _ = std::fs::remove_dir_all(dir);
}

/// A wrong `-e`: the agent answers unknownEngineID; like snmpget, the
/// manager ignores the report, retransmits and times out (it used to fail
/// at the first report with "Unknown engine ID").
#[test]
fn a_wrong_given_engine_id_is_retried_until_the_timeout() {
    let u = user("plain", None, None);
    let mut pair = Pair::new(base_config().user(u.clone(), Access::ReadOnly));
    let wrong = EngineId::from_text(99999, "not-this-agent");
    let mut t = Target::v3(
        pair.agent_addr,
        V3Security::new(u.clone(), SecurityLevel::NoAuthNoPriv).engine_id(wrong),
    );
    t.retry.retries = 2;
    let err = pair.request(&t, Request::get(&[SYS_NAME])).unwrap_err();
    assert!(matches!(err, RequestError::Timeout(_)), "{err}");
    assert_eq!(err.to_string(), "Timeout: No Response from 192.0.2.10:161");
    let s = pair.manager.stats();
    assert_eq!((s.ignored_reports, s.retransmits), (3, 2));
    assert_eq!(pair.agent.stats().usm_unknown_engine_ids, 3);
    // Discovered (no -e), the same user reaches the agent.
    let t = pair.target(u, SecurityLevel::NoAuthNoPriv);
    assert_eq!(pair.get(&t, &SYS_NAME).unwrap(), Value::from("agent-1"));
}

/// RFC 3414 §3.1 step 6: after discovery an authenticated request carries
/// the agent's clock, an unauthenticated one zeros (6c). (Net-SNMP's tools
/// send the discovered clock at noAuthNoPriv too; the RFC decides here.)
#[test]
fn only_authenticated_requests_carry_the_discovered_clock() {
    use oxsnmp_core::v3::V3MessageRef;
    let plain = user("plain", None, None);
    let auth = user("auth", Some(AuthProtocol::Sha256), None);
    let config = base_config()
        .user(plain.clone(), Access::ReadOnly)
        .user(auth.clone(), Access::ReadOnly);
    let mut pair = Pair::new(config);
    let clock = |bytes: &[u8]| {
        let usm = V3MessageRef::decode(bytes).unwrap().usm().unwrap();
        (usm.engine_id.to_vec(), usm.boots, usm.time)
    };
    for (u, level, boots) in [
        (plain, SecurityLevel::NoAuthNoPriv, 0),
        (auth, SecurityLevel::AuthNoPriv, 3),
    ] {
        let t = pair.target(u, level);
        pair.sent.clear();
        pair.now += Duration::from_secs(5);
        pair.get(&t, &SYS_NAME).unwrap();
        let last = clock(pair.sent.last().unwrap());
        assert_eq!(last.0, engine_id().as_bytes(), "{level:?}");
        // Zeros at noAuthNoPriv; boots 3 and ~10 s at authNoPriv.
        assert_eq!((last.1, last.2 >= 5), (boots, boots > 0), "{level:?}");
        if boots == 0 {
            assert_eq!(last.2, 0);
        }
    }
}
