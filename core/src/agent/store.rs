//! Keeping snmpEngineID and snmpEngineBoots across restarts (RFC 3414
//! §2.2.2: "each time an SNMP engine re-boots, it retrieves, increments,
//! and then stores snmpEngineBoots in non-volatile storage").
//!
//! [`EngineStore`] is where the record lives; [`FileEngineStore`] keeps it
//! in a small text file (the drivers' default), [`MemoryEngineStore`] in
//! memory. [`AgentConfig::start_engine`] does the retrieve-increment-store
//! step and puts the result in the configuration.

use std::fmt::Write as _;
use std::io;
use std::path::{Path, PathBuf};

use crate::v3::{EngineId, DEFAULT_ENTERPRISE};

use super::config::AgentConfig;

/// What is kept: the engine's ID and how many times it has started.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EngineRecord {
    /// snmpEngineID.
    pub engine_id: EngineId,
    /// snmpEngineBoots of the last start.
    pub boots: u32,
}

/// snmpEngineBoots latches at 2^31-1 (RFC 3414 §2.2.2).
const BOOTS_LATCHED: u32 = 2_147_483_647;

impl EngineRecord {
    /// Parses the text form: `engineID HEX` and `engineBoots N` lines;
    /// blank lines and `#` comments are ignored.
    ///
    /// ```
    /// use oxsnmp_core::agent::EngineRecord;
    /// let r = EngineRecord::parse("# oxsnmp engine\nengineID 80001f880401020304\nengineBoots 7\n").unwrap();
    /// assert_eq!(r.boots, 7);
    /// assert_eq!(EngineRecord::parse(&r.render()).unwrap(), r);
    /// ```
    pub fn parse(text: &str) -> Result<Self, String> {
        let mut engine_id = None;
        let mut boots = None;
        for (n, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (key, value) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
            let value = value.trim();
            match key {
                "engineID" => {
                    engine_id = Some(
                        EngineId::from_hex(value).map_err(|e| format!("line {}: {e}", n + 1))?,
                    )
                }
                "engineBoots" => {
                    boots = Some(
                        value
                            .parse::<u32>()
                            .map_err(|_| format!("line {}: bad engineBoots {value:?}", n + 1))?,
                    )
                }
                other => return Err(format!("line {}: unknown setting {other:?}", n + 1)),
            }
        }
        Ok(Self {
            engine_id: engine_id.ok_or("no engineID line")?,
            boots: boots.unwrap_or(0),
        })
    }

    /// The text form [`parse`](Self::parse) reads.
    pub fn render(&self) -> String {
        let mut s = String::from(
            "# oxsnmp SNMPv3 engine state (RFC 3414 §2.2.2); do not edit while the agent runs\n",
        );
        let _ = writeln!(s, "engineID {}", self.engine_id);
        let _ = writeln!(s, "engineBoots {}", self.boots);
        s
    }
}

/// Non-volatile storage for an [`EngineRecord`].
pub trait EngineStore {
    /// The stored record, if any.
    fn load(&mut self) -> io::Result<Option<EngineRecord>>;
    /// Replaces the stored record.
    fn save(&mut self, record: &EngineRecord) -> io::Result<()>;
}

/// An [`EngineStore`] in memory (tests; agents that may restart boots).
#[derive(Debug, Clone, Default)]
pub struct MemoryEngineStore(pub Option<EngineRecord>);

impl EngineStore for MemoryEngineStore {
    fn load(&mut self) -> io::Result<Option<EngineRecord>> {
        Ok(self.0.clone())
    }
    fn save(&mut self, record: &EngineRecord) -> io::Result<()> {
        self.0 = Some(record.clone());
        Ok(())
    }
}

/// An [`EngineStore`] in a text file (written to a temporary file and
/// renamed, so a crash never leaves half a record).
#[derive(Debug, Clone)]
pub struct FileEngineStore {
    path: PathBuf,
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
}

impl EngineStore for FileEngineStore {
    fn load(&mut self) -> io::Result<Option<EngineRecord>> {
        match std::fs::read_to_string(&self.path) {
            Ok(text) => EngineRecord::parse(&text).map(Some).map_err(|e| {
                io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!("{}: {e}", self.path.display()),
                )
            }),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }

    fn save(&mut self, record: &EngineRecord) -> io::Result<()> {
        if let Some(dir) = self.path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)?;
        }
        let tmp = self.path.with_extension("tmp");
        std::fs::write(&tmp, record.render())?;
        std::fs::rename(&tmp, &self.path)
    }
}

impl AgentConfig {
    /// Starts the SNMPv3 engine from `store`: the engine ID is this
    /// configuration's if set, else the stored one, else a new one made of
    /// `fresh` octets ([`EngineId::generated`]); snmpEngineBoots is the
    /// stored count plus one (1 on the first start, and when the engine ID
    /// changed), saved before the agent answers anything.
    ///
    /// ```
    /// use oxsnmp_core::agent::{AgentConfig, MemoryEngineStore};
    /// let mut store = MemoryEngineStore::default();
    /// let first = AgentConfig::new().start_engine(&mut store, [1; 8]).unwrap();
    /// let second = AgentConfig::new().start_engine(&mut store, [2; 8]).unwrap();
    /// assert_eq!(first.engine_id, second.engine_id); // generated once
    /// assert_eq!((first.engine_boots, second.engine_boots), (1, 2));
    /// ```
    pub fn start_engine(
        mut self,
        store: &mut impl EngineStore,
        fresh: [u8; 8],
    ) -> io::Result<Self> {
        let stored = store.load()?;
        let engine_id = match (&self.engine_id, &stored) {
            (Some(id), _) => id.clone(),
            (None, Some(r)) => r.engine_id.clone(),
            (None, None) => EngineId::generated(DEFAULT_ENTERPRISE, fresh),
        };
        let boots = match &stored {
            Some(r) if r.engine_id == engine_id => r.boots.saturating_add(1).min(BOOTS_LATCHED),
            _ => 1,
        };
        let record = EngineRecord { engine_id, boots };
        store.save(&record)?;
        self.engine_id = Some(record.engine_id);
        self.engine_boots = record.boots;
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

    #[test]
    fn file_store_increments_and_survives_restarts() {
        let dir = std::env::temp_dir().join(format!("oxsnmp-store-{}", std::process::id()));
        let path = dir.join("sub").join("engine.conf");
        let mut store = FileEngineStore::new(&path);
        let a = AgentConfig::new().start_engine(&mut store, [9; 8]).unwrap();
        let b = AgentConfig::new()
            .start_engine(&mut FileEngineStore::new(&path), [8; 8])
            .unwrap();
        assert_eq!(a.engine_id, b.engine_id);
        assert_eq!(b.engine_boots, 2);
        // A configured engine ID that differs starts boots again.
        let id = EngineId::from_text(1, "other");
        let c = AgentConfig::new()
            .engine_id(id.clone())
            .start_engine(&mut store, [0; 8])
            .unwrap();
        assert_eq!((c.engine_id, c.engine_boots), (Some(id), 1));
        std::fs::write(&path, "engineID zz\n").unwrap();
        assert_eq!(store.load().unwrap_err().kind(), io::ErrorKind::InvalidData);
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn boots_latch() {
        let mut store = MemoryEngineStore(Some(EngineRecord {
            engine_id: EngineId::from_text(1, "x"),
            boots: BOOTS_LATCHED,
        }));
        let c = AgentConfig::new().start_engine(&mut store, [0; 8]).unwrap();
        assert_eq!(c.engine_boots, BOOTS_LATCHED);
        assert!(EngineRecord::parse("engineBoots 3\n").is_err());
        assert!(EngineRecord::parse("color blue\n").is_err());
    }
}
