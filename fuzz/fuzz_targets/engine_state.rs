//! The engine state file's parser under arbitrary text (a state file can
//! be damaged, or edited by hand). Invariants: no panic; what parses
//! renders to text that parses to the same state; a start of any engine ID
//! gives a boots value higher than any stored for it (or 1 for a new one,
//! or the latch), and never lowers another engine's count.
#![no_main]

use libfuzzer_sys::fuzz_target;
use oxsnmp_core::agent::EngineState;
use oxsnmp_core::v3::EngineId;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(state) = EngineState::parse(text) else {
        return;
    };
    let again = EngineState::parse(&state.render()).expect("a rendered state parses");
    assert_eq!(again, state, "render and parse round trip");
    let mut ids: Vec<EngineId> = state.records.iter().map(|r| r.engine_id.clone()).collect();
    ids.push(EngineId::from_text(8072, "fuzz-new-engine"));
    for id in ids {
        let mut started = state.clone();
        let before = started.boots_of(&id);
        let boots = started.start(&id);
        match before {
            Some(b) if b >= 2_147_483_647 => assert_eq!(boots, 2_147_483_647),
            Some(b) => assert!(boots > b, "{boots} after {b}"),
            None => assert_eq!(boots, 1),
        }
        assert_eq!(started.last_started(), Some(&id));
        for r in &state.records {
            if r.engine_id != id {
                assert_eq!(started.boots_of(&r.engine_id), Some(r.boots));
            }
        }
        let reread = EngineState::parse(&started.render()).expect("parses");
        assert_eq!(reread.boots_of(&id), Some(boots));
    }
});
