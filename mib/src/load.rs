//! Loading a MIB set: the search path, the guard scan, the compiler and the
//! on-disk cache of compiled sets.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use crate::cache;
use crate::convert::{model_from, use_module_definitions, Labels, Origins};
use crate::model::Model;
use crate::prescan::{self, Scan, MAX_OID_ARCS};
use crate::repair;
use crate::search::{apply_dirs, default_dirs, ModuleSelection};
use crate::Mibs;

/// The modules built into the crate (RFC text), used when no file on the
/// search path defines them: with the compiler's own SMI base (SNMPv2-SMI,
/// SNMPv2-TC, SNMPv2-CONF, RFC1155-SMI, RFC-1212, RFC-1215) they make
/// `SNMPv2-MIB::sysDescr.0` and the SNMPv3 framework objects resolve on a
/// machine without MIB files.
pub const BUILTIN_MODULES: &[(&str, &str)] = &[
    ("SNMPv2-MIB", include_str!("../builtin/SNMPv2-MIB.txt")),
    (
        "SNMP-FRAMEWORK-MIB",
        include_str!("../builtin/SNMP-FRAMEWORK-MIB.txt"),
    ),
    ("SNMP-MPD-MIB", include_str!("../builtin/SNMP-MPD-MIB.txt")),
    (
        "SNMP-USER-BASED-SM-MIB",
        include_str!("../builtin/SNMP-USER-BASED-SM-MIB.txt"),
    ),
    (
        "SNMP-VIEW-BASED-ACM-MIB",
        include_str!("../builtin/SNMP-VIEW-BASED-ACM-MIB.txt"),
    ),
];

/// A problem met while loading. Loading goes on: the rest of the set is
/// usable. `Display` gives `FILE:LINE: message` (or `FILE: message`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// The file (or `built-in:MODULE`), when known.
    pub file: Option<String>,
    /// The 1-based line, when known.
    pub line: Option<usize>,
    /// What is wrong.
    pub message: String,
}

impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (&self.file, self.line) {
            (Some(file), Some(line)) => write!(f, "{file}:{line}: {}", self.message),
            (Some(file), None) => write!(f, "{file}: {}", self.message),
            _ => f.write_str(&self.message),
        }
    }
}

/// Why a set could not be loaded at all (problems with single files or
/// modules are [`Warning`]s instead).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LoadError {
    /// The compiler gave up on the whole set.
    #[error("MIB compiler failed: {0}")]
    Compiler(String),
}

/// Builds a [`Mibs`] set: which directories, which modules, and whether to
/// use the cache of compiled sets.
///
/// ```no_run
/// let mibs = oxsnmp_mib::MibLoader::from_env()
///     .mib_dirs("+/opt/vendor/mibs")
///     .modules("+IF-MIB")
///     .load()
///     .unwrap();
/// for w in mibs.warnings() {
///     eprintln!("warning: {w}");
/// }
/// ```
#[derive(Debug, Clone)]
pub struct MibLoader {
    dirs: Vec<PathBuf>,
    selection: ModuleSelection,
    cache_dir: Option<PathBuf>,
}

impl Default for MibLoader {
    fn default() -> Self {
        Self::new()
    }
}

impl MibLoader {
    /// No directories (only the built-in modules), Net-SNMP's default
    /// module list, no cache.
    pub fn new() -> Self {
        MibLoader {
            dirs: Vec::new(),
            selection: ModuleSelection::default(),
            cache_dir: None,
        }
    }

    /// Net-SNMP's defaults as changed by the environment: directories
    /// `~/.snmp/mibs` and `/usr/share/snmp/mibs` (or `MIBDIRS`), modules
    /// from the default list (or `MIBS`), and the cache in
    /// `$OXSNMP_MIB_CACHE`, `$XDG_CACHE_HOME/oxsnmp` or `~/.cache/oxsnmp`
    /// (`OXSNMP_MIB_CACHE=off` disables it).
    pub fn from_env() -> Self {
        let mut loader = Self::new();
        loader.dirs = default_dirs();
        if let Ok(spec) = std::env::var("MIBDIRS") {
            apply_dirs(&mut loader.dirs, &spec);
        }
        if let Ok(spec) = std::env::var("MIBS") {
            loader.selection.apply(&spec);
        }
        loader.cache_dir = match std::env::var_os("OXSNMP_MIB_CACHE") {
            Some(v) if v == "off" || v.is_empty() => None,
            Some(v) => Some(PathBuf::from(v)),
            None => std::env::var_os("XDG_CACHE_HOME")
                .map(PathBuf::from)
                .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))
                .map(|d| d.join("oxsnmp")),
        };
        loader
    }

    /// Applies a `-M` value: `DIR:DIR` replaces the directories, `+DIR`
    /// searches DIR after them, `-DIR` before them.
    pub fn mib_dirs(mut self, spec: &str) -> Self {
        apply_dirs(&mut self.dirs, spec);
        self
    }

    /// Adds one directory, searched last (taking precedence on duplicate
    /// modules, as later directories do in Net-SNMP).
    pub fn dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.dirs.push(dir.into());
        self
    }

    /// Applies a `-m` value: `ALL`, `A:B` (instead of the default list),
    /// `+A:B` (in addition), `-A:B`; `""` loads no module from files.
    pub fn modules(mut self, spec: &str) -> Self {
        self.selection.apply(spec);
        self
    }

    /// Sets the module selection directly.
    pub fn selection(mut self, selection: ModuleSelection) -> Self {
        self.selection = selection;
        self
    }

    /// Where compiled sets are cached (`None`: never cached).
    pub fn cache_dir(mut self, dir: Option<PathBuf>) -> Self {
        self.cache_dir = dir;
        self
    }

    /// The directories, in search order.
    pub fn dirs(&self) -> &[PathBuf] {
        &self.dirs
    }

    /// Loads the set. Problems with single files or modules become
    /// [`Mibs::warnings`]; only a failure of the whole compiler is an error.
    pub fn load(self) -> Result<Mibs, LoadError> {
        let files = list_files(&self.dirs);
        let key = cache_key(&self.dirs, &files, &self.selection);
        let cache_file = self
            .cache_dir
            .as_ref()
            .map(|d| d.join(format!("mibs-{:016x}.bin", fnv1a(key.as_bytes()))));
        if let Some(path) = &cache_file {
            if let Some((model, warnings)) = cache::read(path, &key) {
                return Ok(Mibs::new(model, warnings));
            }
        }
        let (model, warnings) = compile(&files, &self.selection)?;
        if let Some(path) = &cache_file {
            // Best effort: a read-only or full disk only costs speed.
            let _ = cache::write(path, &key, &model, &warnings);
        }
        Ok(Mibs::new(model, warnings))
    }
}

/// A file on the search path with what identifies its version.
#[derive(Debug, Clone)]
struct FileEntry {
    path: PathBuf,
    len: u64,
    mtime_ns: u128,
}

/// Regular files of each directory (not recursive; names starting with `.`
/// skipped, as Net-SNMP does), sorted by name within a directory.
fn list_files(dirs: &[PathBuf]) -> Vec<FileEntry> {
    let mut out = Vec::new();
    for dir in dirs {
        let Ok(entries) = std::fs::read_dir(dir) else {
            continue;
        };
        let mut here: Vec<FileEntry> = entries
            .filter_map(Result::ok)
            .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
            .filter_map(|e| {
                let meta = std::fs::metadata(e.path()).ok()?;
                if !meta.is_file() {
                    return None;
                }
                let mtime_ns = meta
                    .modified()
                    .ok()
                    .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
                    .map_or(0, |d| d.as_nanos());
                Some(FileEntry {
                    path: e.path(),
                    len: meta.len(),
                    mtime_ns,
                })
            })
            .collect();
        here.sort_by(|a, b| a.path.cmp(&b.path));
        out.extend(here);
    }
    out
}

fn cache_key(dirs: &[PathBuf], files: &[FileEntry], selection: &ModuleSelection) -> String {
    use std::fmt::Write as _;
    let mut key = format!(
        "oxsnmp-mib {} / mib-rs 0.10.0\nselection {selection:?}\n",
        env!("CARGO_PKG_VERSION")
    );
    for d in dirs {
        let _ = writeln!(key, "dir {}", d.display());
    }
    for f in files {
        let _ = writeln!(key, "file {} {} {}", f.path.display(), f.len, f.mtime_ns);
    }
    key
}

/// FNV-1a, 64 bits: names the cache file (the full key is checked inside).
pub(crate) fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

struct ReadFile {
    path: PathBuf,
    bytes: Vec<u8>,
    scan: Scan,
}

fn compile(
    files: &[FileEntry],
    selection: &ModuleSelection,
) -> Result<(Model, Vec<Warning>), LoadError> {
    let mut warnings = Vec::new();
    let mut sources = Vec::new();
    for f in files {
        if f.len > prescan::MAX_FILE_BYTES {
            warnings.push(Warning {
                file: Some(f.path.display().to_string()),
                line: None,
                message: prescan::Refusal::TooLarge { bytes: f.len }.to_string(),
            });
            continue;
        }
        match std::fs::read(&f.path) {
            Ok(bytes) => sources.push((f.path.clone(), bytes)),
            Err(e) => warnings.push(Warning {
                file: Some(f.path.display().to_string()),
                line: None,
                message: format!("cannot read: {e}"),
            }),
        }
    }
    compile_sources(sources, selection, true, warnings)
}

/// Fuzzing only (`--cfg fuzzing`): one file's octets through the loader
/// (guard scan, compiler, model) as if read from `name`, with or without
/// the built-in modules, no cache.
#[cfg(fuzzing)]
#[doc(hidden)]
pub fn load_bytes_for_fuzzing(name: &str, bytes: &[u8], builtins: bool) -> Result<Mibs, LoadError> {
    let sources = vec![(PathBuf::from(name), bytes.to_vec())];
    let (model, warnings) = compile_sources(sources, &ModuleSelection::All, builtins, Vec::new())?;
    Ok(Mibs::new(model, warnings))
}

/// The guard scan and the compiler over files already read, plus the
/// built-in modules that no file defines (when `builtins`).
fn compile_sources(
    sources: Vec<(PathBuf, Vec<u8>)>,
    selection: &ModuleSelection,
    builtins: bool,
    mut warnings: Vec<Warning>,
) -> Result<(Model, Vec<Warning>), LoadError> {
    let mut read = Vec::new();
    for (path, bytes) in sources {
        let warn = |message: String| Warning {
            file: Some(path.display().to_string()),
            line: None,
            message,
        };
        if bytes.len() as u64 > prescan::MAX_FILE_BYTES {
            let refusal = prescan::Refusal::TooLarge {
                bytes: bytes.len() as u64,
            };
            warnings.push(warn(refusal.to_string()));
            continue;
        }
        match prescan::scan(&bytes) {
            Ok(scan) if scan.modules.is_empty() => {} // not a MIB (README, index...)
            Ok(scan) => read.push(ReadFile { path, bytes, scan }),
            Err(refusal) => warnings.push(warn(refusal.to_string())),
        }
    }

    // Files defining OIDs deeper than SNMP allows are refused whole.
    let scans: Vec<&Scan> = read.iter().map(|r| &r.scan).collect();
    let mut refused: HashSet<usize> = HashSet::new();
    for (f, a, depth) in prescan::too_deep(&scans) {
        if refused.insert(f) {
            let assignment = &read[f].scan.assignments[a];
            warnings.push(Warning {
                file: Some(read[f].path.display().to_string()),
                line: Some(assignment.line),
                message: format!(
                    "OID of {} is {depth} arcs deep, over SNMP's limit of {MAX_OID_ARCS}; file skipped",
                    assignment.name
                ),
            });
        }
    }

    // Module name -> file; later directories (and files) win, as in Net-SNMP.
    let mut sources: HashMap<String, usize> = HashMap::new();
    for (i, r) in read.iter().enumerate() {
        if refused.contains(&i) {
            continue;
        }
        for m in &r.scan.modules {
            sources.insert(m.clone(), i);
        }
    }
    let mut origins: Origins = HashMap::new();
    let mut memory: Vec<(String, Vec<u8>)> = Vec::new();
    for (module, &i) in &sources {
        origins.insert(module.clone(), (read[i].path.display().to_string(), true));
        // What Net-SNMP reads and the compiler would refuse, repaired.
        let bytes = repair::repair(&read[i].bytes).unwrap_or_else(|| read[i].bytes.clone());
        memory.push((module.clone(), bytes));
    }
    let builtin_modules = if builtins { BUILTIN_MODULES } else { &[] };
    for (name, text) in builtin_modules {
        if !sources.contains_key(*name) {
            origins.insert((*name).to_owned(), (format!("built-in:{name}"), false));
            memory.push(((*name).to_owned(), text.as_bytes().to_vec()));
        }
    }

    let is_builtin = |m: &str| builtin_modules.iter().any(|(n, _)| *n == m);
    let mut wanted: Vec<String> = match selection {
        ModuleSelection::All => sources
            .keys()
            .cloned()
            .chain(builtin_modules.iter().map(|(n, _)| (*n).to_owned()))
            .collect(),
        ModuleSelection::List { explicit, defaults } => {
            let mut w = Vec::new();
            for m in explicit {
                if sources.contains_key(m) || is_builtin(m) {
                    w.push(m.clone());
                } else if !mib_rs::lower::base_modules::is_base_module(m) {
                    warnings.push(Warning {
                        file: None,
                        line: None,
                        message: format!("Cannot find module ({m})"),
                    });
                }
            }
            w.extend(
                defaults
                    .iter()
                    .filter(|m| sources.contains_key(*m) || is_builtin(m))
                    .cloned(),
            );
            w
        }
    };
    wanted.sort();
    wanted.dedup();
    if wanted.is_empty() {
        // `-m ''`: nothing (an empty list would make the compiler load all).
        return Ok((Model::empty(), warnings));
    }

    let config = mib_rs::DiagnosticConfig {
        fail_at: mib_rs::Severity::Fatal,
        ..mib_rs::DiagnosticConfig::quiet()
    };
    let loaded = mib_rs::Loader::new()
        .source(mib_rs::source::memory_modules(memory))
        .modules(wanted)
        .diagnostic_config(config)
        .parallelism(1)
        .load();
    let mib = match loaded {
        Ok(mib) => mib,
        Err(mib_rs::LoadError::MissingModules(missing)) => {
            return Err(LoadError::Compiler(format!(
                "modules not found: {}",
                missing.join(", ")
            )))
        }
        Err(e) => return Err(LoadError::Compiler(e.to_string())),
    };
    let report = mib.diagnostic_report();
    let mut seen = HashSet::new();
    for entry in report.iter() {
        let d = entry.diagnostic();
        // Severe and fatal only: lesser ones (style, SMI nits, duplicate
        // registrations) are everyday in real MIB sets. Syntax errors too:
        // the compiler drops the definition (Net-SNMP also reports them),
        // and a name missing without a word is what users cannot explain.
        if !d.severity.at_least(mib_rs::Severity::Severe) && d.code != mib_rs::DiagCode::ParseError
        {
            continue;
        }
        let mut w = Warning {
            file: d
                .module
                .as_ref()
                .and_then(|m| origins.get(m))
                .map(|o| o.0.clone()),
            line: None,
            message: d.message.clone(),
        };
        if let Ok(Some((start, _))) = entry.byte_positions() {
            w.line = Some(start.line() as usize + 1);
        }
        if seen.insert(w.to_string()) {
            warnings.push(w);
        }
    }
    let mut labels: Labels = HashMap::new();
    for (module, &i) in &sources {
        let names = read[i].scan.assignments.iter().map(|a| a.name.clone());
        labels.insert(module.clone(), names.collect());
    }
    let mut model = model_from(&mib, &origins, &labels);
    let order = netsnmp_link_order(&read, &refused, &sources, selection);
    let ids: HashMap<&str, u32> = model
        .modules
        .iter()
        .enumerate()
        .map(|(i, m)| (m.name.as_str(), i as u32))
        .collect();
    let order: Vec<u32> = order
        .iter()
        .filter_map(|m| ids.get(m.as_str()).copied())
        .collect();
    // (module, label) pairs Net-SNMP links only after every module.
    let mut orphans: HashSet<(u32, &str)> = HashSet::new();
    for (module, &i) in &sources {
        let scan = &read[i].scan;
        let (Some(at), Some(&m)) = (
            scan.modules.iter().position(|n| n == module),
            ids.get(module.as_str()),
        ) else {
            continue;
        };
        orphans.extend(scan.orphans(at).into_iter().map(|l| (m, l)));
    }
    let changed = model.apply_link_order(&order, |m, label| orphans.contains(&(m, label)));
    let linked: HashSet<u32> = order.iter().copied().collect();
    for (i, module) in model.modules.iter_mut().enumerate() {
        module.linked = linked.contains(&(i as u32));
    }
    use_module_definitions(&mib, &mut model, &changed);
    Ok((model, warnings))
}

/// The order in which Net-SNMP links the selected modules into its tree,
/// which decides the name and module printed for an OID that several
/// modules define (see `Model::apply_link_order` for that rule).
///
/// Net-SNMP notes one module per file (the file's first), directory by
/// directory in search order and file name order within one; a module
/// noted again keeps its place in the list (the later file is read). `-m
/// ALL` then reads the noted modules from the *last* noted to the first
/// (its list is built by prepending); a list reads its modules in the
/// given order (the default list before `+` additions, oxsnmp's
/// [`ModuleSelection`] not keeping where `-` additions went). Reading a
/// module first reads, depth first, each module its IMPORTS clause names
/// for a non-keyword symbol; the module is linked when its own parse ends.
/// Other modules in the same file follow the file's first one.
fn netsnmp_link_order(
    read: &[ReadFile],
    refused: &HashSet<usize>,
    sources: &HashMap<String, usize>,
    selection: &ModuleSelection,
) -> Vec<String> {
    let mut noted: Vec<&str> = Vec::new();
    let mut seen: HashSet<&str> = HashSet::new();
    for (i, r) in read.iter().enumerate() {
        if refused.contains(&i) {
            continue;
        }
        if let Some(m) = r.scan.modules.first() {
            if seen.insert(m.as_str()) {
                noted.push(m.as_str());
            }
        }
    }
    let roots: Vec<&str> = match selection {
        ModuleSelection::All => noted.iter().rev().copied().collect(),
        ModuleSelection::List { explicit, defaults } => defaults
            .iter()
            .chain(explicit)
            .map(String::as_str)
            .collect(),
    };
    // The file a module is read from and its place in that file.
    let place = |m: &str| -> Option<(usize, usize)> {
        let &f = sources.get(m)?;
        let at = read.get(f)?.scan.modules.iter().position(|n| n == m)?;
        Some((f, at))
    };
    let mut order: Vec<String> = Vec::new();
    let mut visited: HashSet<&str> = HashSet::new();
    // Iterative depth-first walk (import chains in hostile sets may be
    // long): (module, index of the next import to read).
    let mut stack: Vec<(&str, usize)> = Vec::new();
    for root in roots {
        stack.push((root, 0));
        while let Some((m, next)) = stack.pop() {
            if next == 0 && !visited.insert(m) {
                continue;
            }
            let Some((f, at)) = place(m) else {
                continue; // not on the search path: Net-SNMP reads nothing
            };
            let imports = read
                .get(f)
                .and_then(|r| r.scan.imports.get(at))
                .map_or(&[][..], Vec::as_slice);
            if let Some(import) = imports.get(next) {
                stack.push((m, next + 1));
                if !visited.contains(import.as_str()) {
                    stack.push((import.as_str(), 0));
                }
                continue;
            }
            order.push(m.to_owned());
            if at == 0 {
                // The rest of the file is parsed right after.
                if let Some(r) = read.get(f) {
                    for other in r.scan.modules.iter().skip(1).rev() {
                        if sources.get(other) == Some(&f) && !visited.contains(other.as_str()) {
                            stack.push((other.as_str(), 0));
                        }
                    }
                }
            }
        }
    }
    order
}

/// Loads the files at `paths` only (plus the built-in modules), every
/// module they define, without the cache: for tools and tests.
pub fn load_files(paths: &[&Path]) -> Result<Mibs, LoadError> {
    let files: Vec<FileEntry> = paths
        .iter()
        .map(|p| FileEntry {
            path: p.to_path_buf(),
            len: std::fs::metadata(p).map_or(0, |m| m.len()),
            mtime_ns: 0,
        })
        .collect();
    let (model, warnings) = compile(&files, &ModuleSelection::All)?;
    Ok(Mibs::new(model, warnings))
}
