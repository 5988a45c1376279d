//! snmpEngineBoots kept across restarts by every runtime's `AgentServer`
//! (RFC 3414 §2.2.2): the engine ID generated once and kept in the state
//! file, the boots one higher at every start.

use oxsnmp_core::agent::{Access, AgentConfig, MemoryMib};
use oxsnmp_core::usm::{AuthProtocol, Secret, UsmUser};
use oxsnmp_tests::agent_fixture::{Runtime, Served};
use oxsnmp_tests::peers::TempDir;

#[test]
fn every_runtime_increments_boots_and_keeps_the_engine_id() {
    let dir = TempDir::new("engine-state").unwrap();
    let path = dir.path().join("engine.conf");
    let user = UsmUser::new("u")
        .unwrap()
        .with_auth(AuthProtocol::Sha1, Secret::Password(b"auth-pass-1"))
        .unwrap();
    let mut seen = Vec::new();
    for runtime in [
        Runtime::Blocking,
        Runtime::Tokio,
        Runtime::Smol,
        Runtime::Blocking,
    ] {
        let config = AgentConfig::new()
            .community("public", Access::ReadOnly)
            .user(user.clone(), Access::ReadOnly)
            .engine_state(&path);
        let served =
            Served::start(runtime, &["udp:127.0.0.1:0"], config, MemoryMib::new()).unwrap();
        let (id, boots) =
            served.with_agent(|a| (a.engine_id().map(<[u8]>::to_vec), a.engine_boots()));
        seen.push((id.expect("an engine"), boots.expect("boots")));
        served.stop();
    }
    let ids: Vec<&Vec<u8>> = seen.iter().map(|(i, _)| i).collect();
    assert!(
        ids.windows(2).all(|w| w[0] == w[1]),
        "one engine ID: {seen:?}"
    );
    let boots: Vec<u32> = seen.iter().map(|(_, b)| *b).collect();
    assert_eq!(boots, [1, 2, 3, 4]);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("engineBoots 4"), "{text}");
}
