//! The SNMPv3 engine of `oxsnmp trap` and `oxsnmp inform`, kept across
//! runs as Net-SNMP's tools keep theirs (`snmpapp.conf` in their
//! persistent directory): a local engine ID, generated once, and for each
//! engine a trap was sent as, its snmpEngineBoots and the wall-clock
//! second its snmpEngineTime was 0.
//!
//! A trap's sending engine is the authoritative one (RFC 3412 §7.1 step
//! 9a), and a receiver drops an authenticated trap whose time is more than
//! 150 s behind the latest it saw from that engine with the same boots
//! (RFC 3414 §3.2 step 7b; snmptrapd does). Starting at time 0 on every run
//! made every trap after the first 150 s of an engine's life late; with
//! the clock kept here, consecutive runs send a time that keeps growing,
//! and a clock that went backwards starts a new boots count instead.
//!
//! The file is `$XDG_STATE_HOME/oxsnmp/notify-engine.conf`, else
//! `~/.local/state/oxsnmp/notify-engine.conf`; without either (or when it
//! cannot be read or written, said once on stderr) the engine lives for
//! one run only.

use std::fmt::Write as _;
use std::path::PathBuf;

use oxsnmp_core::v3::{EngineId, DEFAULT_ENTERPRISE};

/// snmpEngineBoots and snmpEngineTime stop at 2^31-1 (RFC 3414 §2.2.1).
const MAX: u32 = 2_147_483_647;

/// One engine a trap was sent as.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Record {
    engine_id: EngineId,
    boots: u32,
    /// Unix second at which its snmpEngineTime was 0 (before 1970 when
    /// `-Z` set a time longer than the clock's).
    epoch: i64,
}

/// The whole file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NotifyEngineState {
    local: Option<EngineId>,
    records: Vec<Record>,
}

impl NotifyEngineState {
    /// Parses `localEngineID HEX` and `engine HEX BOOTS EPOCH` lines;
    /// anything else (comments, a damaged line) is skipped.
    pub fn parse(text: &str) -> Self {
        let mut state = Self::default();
        for line in text.lines() {
            let mut words = line.split_whitespace();
            match (words.next(), words.next(), words.next(), words.next()) {
                (Some("localEngineID"), Some(hex), None, None) => {
                    state.local = EngineId::from_hex(hex).ok();
                }
                (Some("engine"), Some(hex), Some(boots), Some(epoch)) => {
                    let (Ok(engine_id), Ok(boots), Ok(epoch)) =
                        (EngineId::from_hex(hex), boots.parse(), epoch.parse())
                    else {
                        continue;
                    };
                    state.records.retain(|r: &Record| r.engine_id != engine_id);
                    state.records.push(Record {
                        engine_id,
                        boots: u32::min(boots, MAX),
                        epoch,
                    });
                }
                _ => {}
            }
        }
        state
    }

    /// The text form.
    pub fn render(&self) -> String {
        let mut s = String::from(
            "# oxsnmp trap/inform SNMPv3 engine: the local engine ID, and per engine a\n\
             # trap was sent as: engine ID, snmpEngineBoots, Unix time of engine time 0.\n",
        );
        if let Some(local) = &self.local {
            let _ = writeln!(s, "localEngineID {local}");
        }
        for r in &self.records {
            let _ = writeln!(s, "engine {} {} {}", r.engine_id, r.boots, r.epoch);
        }
        s
    }

    /// The local engine ID, generated with `fresh` the first time.
    pub fn local_engine_id(&mut self, fresh: impl FnOnce() -> [u8; 8]) -> EngineId {
        self.local
            .get_or_insert_with(|| EngineId::generated(DEFAULT_ENTERPRISE, fresh()))
            .clone()
    }

    /// The boots and time of `engine` at Unix second `now`, updating its
    /// record: `given` (`-Z`) if set, else the kept clock; a new engine
    /// starts at boots 1, time 0, and a clock that went backwards (or a
    /// time past 2^31-1) at the next boots, time 0.
    pub fn clock(&mut self, engine: &EngineId, now: i64, given: Option<(u32, u32)>) -> (u32, u32) {
        let found = self.records.iter().position(|r| &r.engine_id == engine);
        let (boots, time) = match (given, found.and_then(|i| self.records.get(i))) {
            (Some(g), _) => g,
            (None, None) => (1, 0),
            (None, Some(r)) => match u32::try_from(now.saturating_sub(r.epoch)) {
                Ok(t) if t <= MAX => (r.boots, t),
                _ => (r.boots.saturating_add(1).min(MAX), 0),
            },
        };
        let record = Record {
            engine_id: engine.clone(),
            boots,
            epoch: now.saturating_sub(i64::from(time)),
        };
        if let Some(i) = found {
            self.records.remove(i);
        }
        // The most recent first; a bounded file.
        self.records.insert(0, record);
        self.records.truncate(1000);
        (boots, time)
    }
}

/// Where the state is kept, if anywhere.
pub fn state_path() -> Option<PathBuf> {
    std::env::var_os("XDG_STATE_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME")
                .filter(|v| !v.is_empty())
                .map(|h| PathBuf::from(h).join(".local").join("state"))
        })
        .map(|b| b.join("oxsnmp").join("notify-engine.conf"))
}

/// Takes the state's lock (a `.lock` file beside it), waiting for another
/// `oxsnmp trap` or `inform` that holds it, so that two runs at the same
/// moment never lose one another's update; `None` when it cannot be taken
/// (the state is then still read and written, as before).
pub fn lock(path: &std::path::Path) -> Option<std::fs::File> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).ok()?;
    }
    let mut name = path.as_os_str().to_owned();
    name.push(".lock");
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(PathBuf::from(name))
        .ok()?;
    file.lock().ok()?;
    Some(file)
}

/// Reads the state (empty when there is none yet).
pub fn load(path: &std::path::Path) -> Result<NotifyEngineState, String> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(NotifyEngineState::parse(&text)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(NotifyEngineState::default()),
        Err(e) => Err(format!("{}: {e}", path.display())),
    }
}

/// Writes the state atomically (see [`crate::atomic_write`]).
pub fn save(path: &std::path::Path, state: &NotifyEngineState) -> Result<(), String> {
    crate::atomic_write::write(path, state.render().as_bytes())
        .map_err(|e| format!("{}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lock_is_exclusive() {
        let dir = std::env::temp_dir().join(format!("oxsnmp-notify-lock-{}", std::process::id()));
        let path = dir.join("notify-engine.conf");
        let held = lock(&path).expect("the lock");
        let mut name = path.as_os_str().to_owned();
        name.push(".lock");
        let other = std::fs::OpenOptions::new()
            .write(true)
            .open(PathBuf::from(name))
            .expect("the lock file");
        assert!(
            other.try_lock().is_err(),
            "a second holder while the first holds it"
        );
        drop(held);
        assert!(other.try_lock().is_ok());
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn clock_continues_across_runs_and_restarts_when_it_goes_back() {
        let x = EngineId::from_hex("8000000001020304").unwrap();
        let mut s = NotifyEngineState::default();
        assert_eq!(s.clock(&x, 1_000, None), (1, 0));
        // The next run, 40 s later, from the text form.
        let mut s = NotifyEngineState::parse(&s.render());
        assert_eq!(s.clock(&x, 1_040, None), (1, 40));
        // The wall clock went back past engine time 0: a new boots.
        assert_eq!(s.clock(&x, 900, None), (2, 0));
        assert_eq!(s.clock(&x, 902, None), (2, 2));
        // -Z sets the clock, and later runs continue from it.
        assert_eq!(s.clock(&x, 1_050, Some((2, 100_000))), (2, 100_000));
        let mut s = NotifyEngineState::parse(&s.render());
        assert_eq!(s.clock(&x, 1_055, None), (2, 100_005));
        // The local engine ID is generated once and kept.
        let id = s.local_engine_id(|| [7; 8]);
        let mut s = NotifyEngineState::parse(&s.render());
        assert_eq!(s.local_engine_id(|| [9; 8]), id);
        assert_eq!(
            NotifyEngineState::parse("engine zz 1 2\ngarbage"),
            NotifyEngineState::default()
        );
    }
}
