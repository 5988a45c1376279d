//! Keeping snmpEngineID and snmpEngineBoots across restarts (RFC 3414
//! §2.2.2: "each time an SNMP engine re-boots, it retrieves, increments,
//! and then stores snmpEngineBoots in non-volatile storage").
//!
//! [`EngineStore`] is where the [`EngineState`] lives: one
//! [`EngineRecord`] per engine ID ever started from it, so that switching
//! to another engine ID and back never starts a count again (a repeated
//! boots value would let a message captured in an earlier run be replayed,
//! RFC 3414 §3.2 step 7a). [`FileEngineStore`] keeps it in a small text
//! file (the drivers' default), [`MemoryEngineStore`] in memory.
//! [`AgentConfig::start_engine`] does the retrieve-increment-store step and
//! puts the result in the configuration.

use std::fmt::Write as _;
use std::fs::{File, OpenOptions};
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};

use crate::v3::{EngineId, DEFAULT_ENTERPRISE};

use super::config::AgentConfig;

/// One engine's record: its ID and how many times it has started.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EngineRecord {
    /// snmpEngineID.
    pub engine_id: EngineId,
    /// snmpEngineBoots of the last start.
    pub boots: u32,
}

/// snmpEngineBoots latches at 2^31-1 (RFC 3414 §2.2.2).
const BOOTS_LATCHED: u32 = 2_147_483_647;

/// Everything an [`EngineStore`] keeps: a record per engine ID, the one
/// started last first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EngineState {
    /// The records, most recently started first; one per engine ID.
    pub records: Vec<EngineRecord>,
}

impl EngineState {
    /// Parses the text form: `engineID HEX` lines, each followed by its
    /// `engineBoots N`; blank lines and `#` comments are ignored. A file
    /// of the older one-record form reads as one record. An engine ID
    /// listed twice keeps its highest boots.
    ///
    /// ```
    /// use oxsnmp_core::agent::EngineState;
    /// let text = "# oxsnmp engine\nengineID 80001f880401020304\nengineBoots 7\n\
    ///             engineID 80001f880405060708\nengineBoots 2\n";
    /// let state = EngineState::parse(text).unwrap();
    /// assert_eq!(state.records.len(), 2);
    /// assert_eq!(state.records[0].boots, 7);
    /// assert_eq!(EngineState::parse(&state.render()).unwrap(), state);
    /// ```
    pub fn parse(text: &str) -> Result<Self, String> {
        let mut state = Self::default();
        let mut current: Option<EngineRecord> = None;
        for (n, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (key, value) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
            let value = value.trim();
            match key {
                "engineID" => {
                    let engine_id =
                        EngineId::from_hex(value).map_err(|e| format!("line {}: {e}", n + 1))?;
                    if let Some(r) = current.take() {
                        state.merge(r);
                    }
                    current = Some(EngineRecord {
                        engine_id,
                        boots: 0,
                    });
                }
                "engineBoots" => {
                    let boots = value
                        .parse::<u32>()
                        .map_err(|_| format!("line {}: bad engineBoots {value:?}", n + 1))?;
                    match current.as_mut() {
                        Some(r) => r.boots = boots,
                        None => {
                            return Err(format!("line {}: engineBoots before any engineID", n + 1))
                        }
                    }
                }
                other => return Err(format!("line {}: unknown setting {other:?}", n + 1)),
            }
        }
        if let Some(r) = current {
            state.merge(r);
        }
        if state.records.is_empty() {
            return Err("no engineID line".to_owned());
        }
        Ok(state)
    }

    /// Adds a parsed record, keeping the higher boots of a repeated ID.
    fn merge(&mut self, record: EngineRecord) {
        match self
            .records
            .iter_mut()
            .find(|r| r.engine_id == record.engine_id)
        {
            Some(r) => r.boots = r.boots.max(record.boots),
            None => self.records.push(record),
        }
    }

    /// The text form [`parse`](Self::parse) reads.
    pub fn render(&self) -> String {
        let mut s = String::from(
            "# oxsnmp SNMPv3 engine state (RFC 3414 §2.2.2), one engineID/engineBoots pair per\n\
             # engine started from this file, the last started first; do not edit while the\n\
             # agent runs, and never lower a count.\n",
        );
        for r in &self.records {
            let _ = writeln!(s, "engineID {}", r.engine_id);
            let _ = writeln!(s, "engineBoots {}", r.boots);
        }
        s
    }

    /// The engine started last, if any.
    pub fn last_started(&self) -> Option<&EngineId> {
        self.records.first().map(|r| &r.engine_id)
    }

    /// The boots stored for `engine_id`, if it was ever started.
    pub fn boots_of(&self, engine_id: &EngineId) -> Option<u32> {
        self.records
            .iter()
            .find(|r| &r.engine_id == engine_id)
            .map(|r| r.boots)
    }

    /// Records a start of `engine_id`: its boots one higher than stored
    /// (latched at 2^31-1), or 1 for an engine never started; it becomes
    /// the first record. Returns the new boots.
    ///
    /// ```
    /// use oxsnmp_core::agent::EngineState;
    /// use oxsnmp_core::v3::EngineId;
    /// let (a, b) = (EngineId::from_text(8072, "a"), EngineId::from_text(8072, "b"));
    /// let mut state = EngineState::default();
    /// assert_eq!(state.start(&a), 1);
    /// assert_eq!(state.start(&b), 1);
    /// assert_eq!(state.start(&a), 2); // back to a: never 1 again
    /// assert_eq!(state.last_started(), Some(&a));
    /// ```
    pub fn start(&mut self, engine_id: &EngineId) -> u32 {
        let boots = match self.boots_of(engine_id) {
            Some(b) => b.saturating_add(1).min(BOOTS_LATCHED),
            None => 1,
        };
        self.records.retain(|r| &r.engine_id != engine_id);
        self.records.insert(
            0,
            EngineRecord {
                engine_id: engine_id.clone(),
                boots,
            },
        );
        boots
    }
}

/// Non-volatile storage for an [`EngineState`].
pub trait EngineStore {
    /// The stored state (empty if nothing was ever stored).
    fn load(&mut self) -> io::Result<EngineState>;
    /// Replaces the stored state.
    fn save(&mut self, state: &EngineState) -> io::Result<()>;
}

/// An [`EngineStore`] in memory (tests; agents that may restart boots).
#[derive(Debug, Clone, Default)]
pub struct MemoryEngineStore(pub EngineState);

impl EngineStore for MemoryEngineStore {
    fn load(&mut self) -> io::Result<EngineState> {
        Ok(self.0.clone())
    }
    fn save(&mut self, state: &EngineState) -> io::Result<()> {
        self.0 = state.clone();
        Ok(())
    }
}

/// An [`EngineStore`] in a text file, written to a temporary file that is
/// flushed to disk and then renamed over it, so a crash or a full disk
/// never leaves half a record: either the old state or the new one is
/// there. Anything that is not a regular file (a FIFO, a directory, a
/// device) is refused, and every failure is an error naming the file,
/// never a silent start at boots 1.
#[derive(Debug, Clone)]
pub struct FileEngineStore {
    path: PathBuf,
}

/// An exclusive lock on an engine state file, held while an agent runs
/// from it (see [`FileEngineStore::lock`]); released on drop.
#[derive(Debug)]
pub struct EngineStateLock {
    _file: File,
}

impl FileEngineStore {
    /// A store in the file at `path` (created on the first save, with its
    /// directory).
    pub fn new(path: impl AsRef<Path>) -> Self {
        Self {
            path: path.as_ref().to_path_buf(),
        }
    }

    /// The file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Takes an exclusive lock on the state (a `.lock` file beside it,
    /// created with its directory), so that two agents never run from
    /// one state at the same time: they would share an snmpEngineID, which
    /// RFC 3411 §5 requires to be unique, and lose boots increments. Fails
    /// at once with [`io::ErrorKind::WouldBlock`] if another process holds
    /// it.
    pub fn lock(&self) -> io::Result<EngineStateLock> {
        self.create_dir()?;
        let mut name = self.path.as_os_str().to_owned();
        name.push(".lock");
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(PathBuf::from(name))?;
        match file.try_lock() {
            Ok(()) => Ok(EngineStateLock { _file: file }),
            Err(std::fs::TryLockError::WouldBlock) => Err(io::Error::new(
                io::ErrorKind::WouldBlock,
                "in use by another running agent (give each agent its own engine state file)",
            )),
            Err(std::fs::TryLockError::Error(e)) => Err(e),
        }
    }

    fn create_dir(&self) -> io::Result<()> {
        match self.path.parent().filter(|d| !d.as_os_str().is_empty()) {
            Some(dir) => std::fs::create_dir_all(dir),
            None => Ok(()),
        }
    }

    /// Refuses a path that exists and is not a regular file.
    fn check_regular(&self) -> io::Result<bool> {
        match std::fs::metadata(&self.path) {
            Ok(m) if m.is_file() => Ok(true),
            Ok(_) => Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "not a regular file",
            )),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(false),
            Err(e) => Err(e),
        }
    }
}

impl EngineStore for FileEngineStore {
    fn load(&mut self) -> io::Result<EngineState> {
        if !self.check_regular()? {
            return Ok(EngineState::default());
        }
        let text = std::fs::read_to_string(&self.path)?;
        EngineState::parse(&text).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
    }

    fn save(&mut self, state: &EngineState) -> io::Result<()> {
        self.create_dir()?;
        self.check_regular()?;
        let mut name = self.path.as_os_str().to_owned();
        name.push(format!(".tmp.{}", std::process::id()));
        let tmp = PathBuf::from(name);
        let written = (|| {
            let mut file = File::create(&tmp)?;
            file.write_all(state.render().as_bytes())?;
            file.sync_all()?;
            std::fs::rename(&tmp, &self.path)
        })();
        if written.is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
        written?;
        // The rename itself reaches the disk with the directory.
        if let Some(dir) = self.path.parent().filter(|d| !d.as_os_str().is_empty()) {
            if let Ok(d) = File::open(dir) {
                let _ = d.sync_all();
            }
        }
        Ok(())
    }
}

impl AgentConfig {
    /// Starts the SNMPv3 engine from `store`: the engine ID is this
    /// configuration's if set, else the one started last from the store,
    /// else a new one made of `fresh` octets ([`EngineId::generated`]);
    /// snmpEngineBoots is that engine's stored count plus one (1 for an
    /// engine ID the store never saw), saved before the agent answers
    /// anything. Counts of other engine IDs are kept, so a later start
    /// with one of them goes on from its own count.
    ///
    /// ```
    /// use oxsnmp_core::agent::{AgentConfig, MemoryEngineStore};
    /// use oxsnmp_core::v3::EngineId;
    /// let mut store = MemoryEngineStore::default();
    /// let first = AgentConfig::new().start_engine(&mut store, [1; 8]).unwrap();
    /// let second = AgentConfig::new().start_engine(&mut store, [2; 8]).unwrap();
    /// assert_eq!(first.engine_id, second.engine_id); // generated once
    /// assert_eq!((first.engine_boots, second.engine_boots), (1, 2));
    /// let other = EngineId::from_text(8072, "other");
    /// let third = AgentConfig::new().engine_id(other).start_engine(&mut store, [3; 8]).unwrap();
    /// assert_eq!(third.engine_boots, 1);
    /// let back = AgentConfig::new().engine_id(first.engine_id.clone().unwrap());
    /// assert_eq!(back.start_engine(&mut store, [4; 8]).unwrap().engine_boots, 3);
    /// ```
    pub fn start_engine(
        mut self,
        store: &mut impl EngineStore,
        fresh: [u8; 8],
    ) -> io::Result<Self> {
        let mut state = store.load()?;
        let engine_id = match (&self.engine_id, state.last_started()) {
            (Some(id), _) => id.clone(),
            (None, Some(id)) => id.clone(),
            (None, None) => EngineId::generated(DEFAULT_ENTERPRISE, fresh),
        };
        let boots = state.start(&engine_id);
        store.save(&state)?;
        self.engine_id = Some(engine_id);
        self.engine_boots = boots;
        Ok(self)
    }
}

impl AgentConfig {
    /// What a driver does before starting the agent, with fresh entropy
    /// in `seed`: starts the engine from
    /// [`engine_state`](Self::engine_state) if set
    /// ([`start_engine`](Self::start_engine) with a [`FileEngineStore`]),
    /// then [`with_entropy`](Self::with_entropy).
    pub fn prepare(self, seed: u64) -> io::Result<Self> {
        let config = match self.engine_state.clone() {
            Some(path) => {
                let octets = seed
                    .rotate_left(13)
                    .wrapping_mul(0x2545_f491_4f6c_dd1d)
                    .to_be_bytes();
                self.start_engine(&mut FileEngineStore::new(&path), octets)
                    .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", path.display())))?
            }
            None => self,
        };
        Ok(config.with_entropy(seed))
    }

    /// Fills in what needs randomness and was not configured, from `seed`
    /// (the runtime crates' `AgentServer`s pass fresh entropy): where the
    /// privacy salt counter starts and, when USM users are configured
    /// without an engine ID, a generated one with snmpEngineBoots 1 (use
    /// [`AgentConfig::start_engine`] for one kept across restarts).
    pub fn with_entropy(mut self, seed: u64) -> Self {
        if self.salt_seed == 0 {
            self.salt_seed = seed;
        }
        if self.engine_id.is_none() && !self.users.is_empty() {
            let octets = seed
                .rotate_left(29)
                .wrapping_mul(0x9e37_79b9_7f4a_7c15)
                .to_be_bytes();
            self.engine_id = Some(EngineId::generated(DEFAULT_ENTERPRISE, octets));
            self.engine_boots = self.engine_boots.max(1);
        }
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_dir(name: &str) -> PathBuf {
        std::env::temp_dir().join(format!("oxsnmp-store-{name}-{}", std::process::id()))
    }

    #[test]
    fn file_store_increments_and_survives_restarts() {
        let dir = temp_dir("restarts");
        let path = dir.join("sub").join("engine.conf");
        let mut store = FileEngineStore::new(&path);
        let a = AgentConfig::new().start_engine(&mut store, [9; 8]).unwrap();
        let b = AgentConfig::new()
            .start_engine(&mut FileEngineStore::new(&path), [8; 8])
            .unwrap();
        assert_eq!(a.engine_id, b.engine_id);
        assert_eq!(b.engine_boots, 2);
        // Another engine ID starts its own count and keeps the first one's.
        let id = EngineId::from_text(1, "other");
        let c = AgentConfig::new()
            .engine_id(id.clone())
            .start_engine(&mut store, [0; 8])
            .unwrap();
        assert_eq!((c.engine_id, c.engine_boots), (Some(id.clone()), 1));
        let back = AgentConfig::new()
            .engine_id(a.engine_id.clone().unwrap())
            .start_engine(&mut store, [0; 8])
            .unwrap();
        assert_eq!(back.engine_boots, 3, "boots never repeat for an engine ID");
        // Without a configured ID, the one started last.
        let d = AgentConfig::new().start_engine(&mut store, [7; 8]).unwrap();
        assert_eq!((d.engine_id, d.engine_boots), (a.engine_id, 4));
        let state = store.load().unwrap();
        assert_eq!(state.boots_of(&id), Some(1));
        std::fs::write(&path, "engineID zz\n").unwrap();
        assert_eq!(store.load().unwrap_err().kind(), io::ErrorKind::InvalidData);
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn the_older_one_record_form_still_reads() {
        let state = EngineState::parse(
            "# oxsnmp SNMPv3 engine state\nengineID 80001f880401020304\nengineBoots 7\n",
        )
        .unwrap();
        assert_eq!(state.records.len(), 1);
        assert_eq!(state.records[0].boots, 7);
    }

    #[test]
    fn a_repeated_engine_id_keeps_its_highest_count() {
        let text = "engineID 80001f880401020304\nengineBoots 9\n\
                    engineID 80001f880401020304\nengineBoots 3\n";
        let state = EngineState::parse(text).unwrap();
        assert_eq!(state.records.len(), 1);
        assert_eq!(state.records[0].boots, 9);
    }

    #[test]
    fn what_is_not_a_regular_file_is_an_error_never_a_fresh_start() {
        let dir = temp_dir("irregular");
        std::fs::create_dir_all(dir.join("a-directory")).unwrap();
        let mut store = FileEngineStore::new(dir.join("a-directory"));
        let err = AgentConfig::new()
            .start_engine(&mut store, [1; 8])
            .unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidInput, "{err}");
        #[cfg(unix)]
        {
            let fifo = dir.join("fifo");
            let made = std::process::Command::new("mkfifo").arg(&fifo).status();
            if made.is_ok_and(|s| s.success()) {
                // A FIFO would block a reader forever: refused at once.
                let mut store = FileEngineStore::new(&fifo);
                assert_eq!(
                    store.load().unwrap_err().kind(),
                    io::ErrorKind::InvalidInput
                );
            }
        }
        // A state that cannot be written (here: its directory is a file)
        // is an error too.
        std::fs::write(dir.join("plain"), "x").unwrap();
        let mut store = FileEngineStore::new(dir.join("plain").join("engine.conf"));
        assert!(AgentConfig::new().start_engine(&mut store, [1; 8]).is_err());
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn a_second_lock_on_one_state_is_refused() {
        let dir = temp_dir("lock");
        let store = FileEngineStore::new(dir.join("engine.conf"));
        let held = store.lock().unwrap();
        let err = FileEngineStore::new(dir.join("engine.conf"))
            .lock()
            .unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::WouldBlock);
        drop(held);
        assert!(store.lock().is_ok());
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn boots_latch() {
        let id = EngineId::from_text(1, "x");
        let mut store = MemoryEngineStore(EngineState {
            records: vec![EngineRecord {
                engine_id: id,
                boots: BOOTS_LATCHED,
            }],
        });
        let c = AgentConfig::new().start_engine(&mut store, [0; 8]).unwrap();
        assert_eq!(c.engine_boots, BOOTS_LATCHED);
        assert!(EngineState::parse("engineBoots 3\n").is_err());
        assert!(EngineState::parse("color blue\n").is_err());
        assert!(EngineState::parse("# nothing\n").is_err());
    }
}
