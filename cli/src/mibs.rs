//! MIBs in the command line: loading them once per process from `-m`,
//! `-M`, `MIBS`, `MIBDIRS` and Net-SNMP's default directories; symbolic
//! OID arguments; and whether output is symbolic.
//!
//! Output is symbolic (`-OS`, Net-SNMP's default) when at least one module
//! was read from a MIB file; otherwise it stays Net-SNMP's `-On` output
//! without MIBs, byte for byte. Names are accepted as input either way:
//! the built-in modules (SNMPv2-MIB and the SNMPv3 framework MIBs) resolve
//! on a machine without MIB files.

use std::sync::OnceLock;

use oxsnmp_core::Oid;
use oxsnmp_mib::{MibLoader, Mibs};

use crate::args::{Command, Common};

static MIBS: OnceLock<&'static Mibs> = OnceLock::new();

/// The `-m` / `-M` values of a command line.
#[derive(Debug, Clone, Default)]
pub struct MibArgs {
    /// `-m`.
    pub modules: Option<String>,
    /// `-M`.
    pub dirs: Option<String>,
}

impl From<&Common> for MibArgs {
    fn from(c: &Common) -> Self {
        MibArgs {
            modules: c.mibs.clone(),
            dirs: c.mib_dirs.clone(),
        }
    }
}

impl Command {
    /// The options every manager subcommand shares.
    pub fn common(&self) -> &Common {
        match self {
            Command::Get(a) | Command::Getnext(a) => &a.common,
            Command::Bulkget(a) => &a.common,
            Command::Walk(a) => &a.common,
            Command::Bulkwalk(a) => &a.common,
            Command::Set(a) => &a.common,
            Command::Table(a) => &a.common,
        }
    }
}

/// Loads the set for this process (once). Its warnings are printed on
/// stderr (`MIB warning: FILE:LINE: text`) when the user chose MIBs
/// (`-m`, `-M`, `MIBS`, `MIBDIRS`) or `verbose` is set; Net-SNMP's default
/// list loads quietly.
pub fn init(args: &MibArgs) -> &'static Mibs {
    init_with(args, false)
}

/// [`init`], printing warnings always when `verbose` (`translate`).
pub fn init_with(args: &MibArgs, verbose: bool) -> &'static Mibs {
    MIBS.get_or_init(|| {
        let loader = loader(args, crate::netsnmp_conf::get());
        let mibs = loader.load().unwrap_or_else(|e| {
            eprintln!("MIB warning: {e}; continuing with the built-in modules");
            Mibs::builtin()
        });
        let conf = crate::netsnmp_conf::get();
        let chosen = args.modules.is_some()
            || args.dirs.is_some()
            || std::env::var_os("MIBS").is_some()
            || std::env::var_os("MIBDIRS").is_some()
            || !conf.mibs.is_empty()
            || !conf.mibdirs.is_empty()
            || !conf.command_line_mibs.is_empty()
            || !conf.command_line_mibdirs.is_empty()
            || !conf.mibfiles.is_empty();
        if verbose || chosen {
            for w in mibs.warnings() {
                eprintln!("MIB warning: {w}");
            }
        }
        Box::leak(Box::new(mibs))
    })
}

/// The loader for this command line: Net-SNMP's default directories and
/// module list, then snmp.conf's `mibdirs`/`mibs` lines in the order read,
/// then `MIBDIRS`/`MIBS`, then `-M`/`-m` — each applied as `-M`/`-m` apply
/// (`A:B` replaces, `+A` appends, `-A` prepends), so the command line
/// beats the environment, which beats the files, as in Net-SNMP.
fn loader(args: &MibArgs, conf: &crate::netsnmp_conf::Config) -> MibLoader {
    let defaults: Vec<String> = oxsnmp_mib::search::default_dirs()
        .iter()
        .map(|d| d.display().to_string())
        .collect();
    // from_env for the cache directory; its directories and modules are
    // set again below, in Net-SNMP's order.
    let mut loader = MibLoader::from_env()
        .mib_dirs(&defaults.join(":"))
        .selection(oxsnmp_mib::ModuleSelection::default());
    for spec in &conf.mibdirs {
        loader = loader.mib_dirs(spec);
    }
    for spec in &conf.mibs {
        loader = loader.modules(spec);
    }
    if let Ok(spec) = std::env::var("MIBDIRS") {
        loader = loader.mib_dirs(&spec);
    }
    if let Ok(spec) = std::env::var("MIBS") {
        loader = loader.modules(&spec);
    }
    for spec in &conf.command_line_mibdirs {
        loader = loader.mib_dirs(spec);
    }
    for spec in &conf.command_line_mibs {
        loader = loader.modules(spec);
    }
    if let Some(dirs) = &args.dirs {
        loader = loader.mib_dirs(dirs);
    }
    if let Some(modules) = &args.modules {
        loader = loader.modules(modules);
    }
    // `mibfile FILE` (and MIBFILES): the modules FILE defines, in addition
    // to the list, found through FILE's directory (searched last).
    let env_files = std::env::var("MIBFILES").unwrap_or_default();
    let files = conf.mibfiles.iter().cloned().chain(
        env_files
            .split(':')
            .filter(|f| !f.is_empty())
            .map(std::path::PathBuf::from),
    );
    for file in files {
        let Ok(text) = std::fs::read(&file) else {
            eprintln!("MIB warning: {}: cannot read the mibfile", file.display());
            continue;
        };
        if let Some(dir) = file.parent().filter(|d| !d.as_os_str().is_empty()) {
            loader = loader.mib_dirs(&format!("+{}", dir.display()));
        }
        for module in module_names(&String::from_utf8_lossy(&text)) {
            loader = loader.modules(&format!("+{module}"));
        }
    }
    loader
}

/// The modules a MIB file defines: each `NAME DEFINITIONS ::= BEGIN`.
fn module_names(text: &str) -> Vec<String> {
    let mut names = Vec::new();
    let words: Vec<&str> = text
        .lines()
        .map(|l| l.split("--").next().unwrap_or(""))
        .flat_map(str::split_whitespace)
        .collect();
    for w in words.windows(2) {
        if let [name, "DEFINITIONS"] = w {
            let valid = name.chars().next().is_some_and(|c| c.is_ascii_uppercase())
                && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
            if valid && !names.iter().any(|n| n == name) {
                names.push((*name).to_owned());
            }
        }
    }
    names
}

/// The set loaded by [`init`], if any.
pub fn current() -> Option<&'static Mibs> {
    MIBS.get().copied()
}

/// The set to print with: loaded, and with modules from files.
pub fn for_output() -> Option<&'static Mibs> {
    current().filter(|m| m.modules_from_files() > 0)
}

/// Parses an OID argument by name when it is not numeric, with Net-SNMP's
/// error text.
pub fn parse_symbolic(text: &str) -> Option<Result<Oid, String>> {
    let mibs = current()?;
    Some(mibs.parse_oid(text).map_err(|e| e.to_string()))
}

/// SET's `=` type: the value parsed by the object's syntax (an INTEGER
/// may be given as its enumeration label, `up` or `up(1)`).
pub fn parse_by_syntax(oid: &Oid, raw: &[u8]) -> Result<oxsnmp_core::Value, String> {
    use oxsnmp_mib::BaseType;
    let shown = String::from_utf8_lossy(raw).into_owned();
    let syntax = current()
        .and_then(|m| m.lookup(oid))
        .and_then(|(o, _)| o.syntax())
        .ok_or_else(|| format!("Bad variable type (\"=\") (no MIB syntax known for {shown})"))?;
    let letter = match syntax.base() {
        BaseType::Integer => {
            let label = shown.split('(').next().unwrap_or("");
            if let Some(v) = syntax.enum_value(label) {
                return Ok(oxsnmp_core::Value::Integer(
                    i32::try_from(v).map_err(|_| format!("Value out of range ({shown})"))?,
                ));
            }
            b'i'
        }
        BaseType::Unsigned32 | BaseType::Gauge32 => b'u',
        BaseType::Counter32 => b'c',
        BaseType::Counter64 => b'C',
        BaseType::TimeTicks => b't',
        BaseType::IpAddress => b'a',
        BaseType::ObjectIdentifier => b'o',
        BaseType::Bits => {
            // Labels or bit numbers.
            let mut numbers = Vec::new();
            for part in shown.split([' ', ',']).filter(|p| !p.is_empty()) {
                let bit = match syntax.bits().iter().find(|(_, l)| l == part) {
                    Some((b, _)) => b.to_string(),
                    None => part.to_owned(),
                };
                numbers.push(bit);
            }
            return crate::set_value::parse_value(b'b', numbers.join(" ").as_bytes());
        }
        _ => b's',
    };
    crate::set_value::parse_value(letter, raw)
}

#[cfg(test)]
mod tests {
    use super::module_names;

    #[test]
    fn modules_a_file_defines() {
        let text = "-- FOO-MIB DEFINITIONS in a comment\nFOO-MIB DEFINITIONS ::= BEGIN\nEND\n\
                    BAR-MIB\n  DEFINITIONS ::= BEGIN\nEND\n";
        assert_eq!(module_names(text), ["FOO-MIB", "BAR-MIB"]);
        assert!(module_names("no module here").is_empty());
    }
}
