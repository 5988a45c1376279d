//! Net-SNMP's client configuration, read the way its tools read it
//! (snmp.conf(5), snmp_config(5)), so a machine's or a user's `snmp.conf`
//! means the same to `oxsnmp` as to `snmpget`.
//!
//! Files: for each directory of `SNMPCONFPATH` (colon-separated), else of
//! `/etc/snmp`, `/usr/share/snmp`, `/usr/lib/x86_64-linux-gnu/snmp`,
//! `~/.snmp` and the persistent directory `/var/lib/snmp`, `snmp.conf` and
//! then `snmp.local.conf` (the order strace shows Net-SNMP 5.9 opening
//! them); a later setting replaces an earlier one. Precedence, as
//! Net-SNMP's: the command line over the environment (`MIBS`, `MIBDIRS`)
//! over these files. `includeFile`, `includeDir` and `includeSearch` read
//! further files; `[snmp]` section lines are honoured. A malformed line is
//! reported as Net-SNMP reports it (`FILE: line N: Error: ...`), an
//! unknown directive as `Warning: Unknown token: NAME.`, and the rest of
//! the file is still read. As in Net-SNMP, every directive may also be
//! given on the command line as `--TOKEN=VALUE` (`--defVersion=3`,
//! `--printNumericOids=yes`); those are read after the files, and their
//! `mibs`/`mibdirs` after the environment too.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::Duration;

use oxsnmp_core::usm::{AuthProtocol, PrivProtocol};
use oxsnmp_core::v3::{EngineId, SecurityLevel};
use oxsnmp_core::Version;

/// How deep `includeFile` and friends may nest (a loop ends there).
const MAX_INCLUDE_DEPTH: usize = 10;

/// The settings read, each `None` when no file set it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Config {
    /// `mibs` values in the order read, each applied like `-m`.
    pub mibs: Vec<String>,
    /// `mibdirs` values in the order read, each applied like `-M`.
    pub mibdirs: Vec<String>,
    /// `--mibs=` values from the command line (applied after `MIBS`).
    pub command_line_mibs: Vec<String>,
    /// `--mibdirs=` values from the command line (applied after `MIBDIRS`).
    pub command_line_mibdirs: Vec<String>,
    /// `mibfile` files, whose modules are loaded in addition to the list
    /// (found through the file's directory, searched last).
    pub mibfiles: Vec<PathBuf>,
    /// `defVersion`.
    pub version: Option<Version>,
    /// `defCommunity`.
    pub community: Option<String>,
    /// `defaultPort`.
    pub default_port: Option<u16>,
    /// `timeout` (seconds).
    pub timeout: Option<Duration>,
    /// `retries`.
    pub retries: Option<u32>,
    /// `defSecurityName`.
    pub security_name: Option<String>,
    /// `defSecurityLevel`.
    pub security_level: Option<SecurityLevel>,
    /// `defAuthType`.
    pub auth_type: Option<AuthProtocol>,
    /// `defPrivType`.
    pub priv_type: Option<PrivProtocol>,
    /// `defPassphrase`: both passphrases unless set on their own.
    pub passphrase: Option<String>,
    /// `defAuthPassphrase`.
    pub auth_passphrase: Option<String>,
    /// `defPrivPassphrase`.
    pub priv_passphrase: Option<String>,
    /// `defAuthMasterKey`.
    pub auth_master_key: Option<String>,
    /// `defPrivMasterKey`.
    pub priv_master_key: Option<String>,
    /// `defAuthLocalizedKey`.
    pub auth_localized_key: Option<String>,
    /// `defPrivLocalizedKey`.
    pub priv_localized_key: Option<String>,
    /// `defContext`.
    pub context: Option<String>,
    /// `defSecurityEngineId` (the agent's engine ID, as `-e`).
    pub security_engine_id: Option<EngineId>,
    /// `hexOutputLength`: octets per line of hex dumps (0: no breaks).
    pub hex_output_length: Option<usize>,
    /// The output directives as `-O` letters: `printNumericOids` (n),
    /// `printNumericEnums` (e), `dontBreakdownOids` (b), `escapeQuotes`
    /// (E), `quickPrinting` (q), `printValueOnly` (v), `dontPrintUnits`
    /// (U), `numericTimeticks` (t), `printHexText` (T), `suffixPrinting`
    /// and `oidOutputFormat` (s S f n u).
    pub output: Output,
    /// The files read, in order.
    pub files: Vec<PathBuf>,
    /// What was wrong, one line each, in Net-SNMP's words.
    pub diagnostics: Vec<String>,
    /// How many of `diagnostics` are errors (the rest are warnings).
    pub errors: usize,
}

/// The output directives, each the last value read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Output {
    /// `printNumericOids`.
    pub numeric_oids: bool,
    /// `printNumericEnums`.
    pub numeric_enums: bool,
    /// `dontBreakdownOids`.
    pub dont_breakdown_oids: bool,
    /// `escapeQuotes`.
    pub escape_quotes: bool,
    /// `quickPrinting`.
    pub quick: bool,
    /// `printValueOnly`.
    pub value_only: bool,
    /// `dontPrintUnits`.
    pub no_units: bool,
    /// `numericTimeticks`.
    pub numeric_timeticks: bool,
    /// `printHexText`.
    pub hex_text: bool,
    /// `oidOutputFormat` (1-6) or `suffixPrinting` (1: 1, 2: 2), the last read.
    pub oid_format: Option<u8>,
}

impl Output {
    /// The `-O` letters these directives stand for, to apply before the
    /// command line's own.
    pub fn flags(&self) -> String {
        let mut f = String::new();
        match self.oid_format {
            Some(1) => f.push('s'),
            Some(2) => f.push('S'),
            Some(3) => f.push('f'),
            Some(4) => f.push('n'),
            Some(5) => f.push('u'),
            _ => {}
        }
        for (on, letter) in [
            (self.numeric_oids, 'n'),
            (self.numeric_enums, 'e'),
            (self.dont_breakdown_oids, 'b'),
            (self.escape_quotes, 'E'),
            (self.quick, 'q'),
            (self.value_only, 'v'),
            (self.no_units, 'U'),
            (self.numeric_timeticks, 't'),
            (self.hex_text, 'T'),
        ] {
            if on {
                f.push(letter);
            }
        }
        f
    }
}

/// Directives Net-SNMP's tools know that oxsnmp reads but that change
/// nothing here (logging, debugging, TLS/SSH, MIB parser strictness,
/// buffers, persistence): accepted quietly, as Net-SNMP accepts them.
const ACCEPTED: &[&str] = &[
    "extraX509SubDir",
    "x509CRLFile",
    "tlsAlgorithms",
    "localCert",
    "peerCert",
    "alias",
    "doDebugging",
    "debugTokens",
    "debugLogLevel",
    "logTimestamp",
    "logOption",
    "showMibErrors",
    "commentToEOL",
    "strictCommentTerm",
    "mibAllowUnderline",
    "mibWarningLevel",
    "mibReplaceWithLatest",
    "dumpPacket",
    "reverseEncodeBER",
    "disableSNMPv3",
    "disableSNMPv1",
    "disableSNMPv2c",
    "noTokenWarnings",
    "noRangeCheck",
    "persistentDir",
    "tempFilePattern",
    "noDisplayHint",
    "16bitIDs",
    "clientaddr",
    "clientaddrUsesPort",
    "serverSendBuf",
    "serverRecvBuf",
    "clientSendBuf",
    "clientRecvBuf",
    "sendMessageMaxSize",
    "noPersistentLoad",
    "noPersistentSave",
    "noContextEngineIDDiscovery",
    "outputPrecision",
    "defDomain",
    "defTarget",
    "dontLoadHostConfig",
    "defSecurityModel",
    "tsmUseTransportPrefix",
    "trustCert",
    "sshtosnmpsocket",
    "sshtosnmpsocketperms",
    "sshusername",
    "sshpubkey",
    "sshprivkey",
];

/// The directories searched, in order.
pub fn search_path() -> Vec<PathBuf> {
    if let Some(path) = std::env::var_os("SNMPCONFPATH") {
        return std::env::split_paths(&path)
            .filter(|p| !p.as_os_str().is_empty())
            .collect();
    }
    let mut dirs: Vec<PathBuf> = [
        "/etc/snmp",
        "/usr/share/snmp",
        "/usr/lib/x86_64-linux-gnu/snmp",
    ]
    .iter()
    .map(PathBuf::from)
    .collect();
    if let Some(home) = std::env::var_os("HOME").filter(|h| !h.is_empty()) {
        dirs.push(PathBuf::from(home).join(".snmp"));
    }
    dirs.push(PathBuf::from("/var/lib/snmp"));
    dirs
}

/// The `--TOKEN=VALUE` arguments taken from the command line.
static COMMAND_LINE: OnceLock<Vec<(String, String)>> = OnceLock::new();

/// Takes Net-SNMP's `--TOKEN=VALUE` configuration arguments (TOKEN a
/// directive of snmp.conf) out of `args`, for [`get`] to read after the
/// files; every other argument is returned as it was.
pub fn take_command_line(args: Vec<std::ffi::OsString>) -> Vec<std::ffi::OsString> {
    let mut tokens = Vec::new();
    let rest = args
        .into_iter()
        .filter(|a| {
            let Some((token, value)) = a
                .to_str()
                .and_then(|s| s.strip_prefix("--"))
                .and_then(|s| s.split_once('='))
            else {
                return true;
            };
            if !is_known(token) {
                return true;
            }
            tokens.push((token.to_owned(), value.to_owned()));
            false
        })
        .collect();
    let _ = COMMAND_LINE.set(tokens);
    rest
}

/// The configuration of this process, read once (and its diagnostics
/// printed on stderr then, as Net-SNMP prints them at start).
pub fn get() -> &'static Config {
    static CONFIG: OnceLock<Config> = OnceLock::new();
    CONFIG.get_or_init(|| {
        let mut config = Config::read(&search_path());
        if let Some(tokens) = COMMAND_LINE.get() {
            config.read_command_line(tokens);
        }
        for line in &config.diagnostics {
            eprintln!("{line}");
        }
        if config.errors > 0 {
            eprintln!("oxsnmp: {} error(s) in config file(s)", config.errors);
        }
        config
    })
}

impl Config {
    /// Reads `snmp.conf` and `snmp.local.conf` of each directory.
    pub fn read(dirs: &[PathBuf]) -> Self {
        let mut config = Self::default();
        for dir in dirs {
            for name in ["snmp.conf", "snmp.local.conf"] {
                let path = dir.join(name);
                if path.is_file() {
                    config.read_file(&path, dirs, 0);
                }
            }
        }
        config
    }

    /// Reads `--TOKEN=VALUE` arguments, after the files.
    pub fn read_command_line(&mut self, tokens: &[(String, String)]) {
        let (files_mibs, files_mibdirs) = (self.mibs.len(), self.mibdirs.len());
        for (n, (token, value)) in tokens.iter().enumerate() {
            let mut at = Place {
                file: "command line",
                line: n + 1,
                config: self,
            };
            at.directive(token, value.trim(), &[], 0);
        }
        self.command_line_mibs = self.mibs.split_off(files_mibs);
        self.command_line_mibdirs = self.mibdirs.split_off(files_mibdirs);
    }

    fn read_file(&mut self, path: &Path, search: &[PathBuf], depth: usize) {
        match std::fs::read(path) {
            Ok(bytes) => {
                self.files.push(path.to_path_buf());
                let text = String::from_utf8_lossy(&bytes);
                self.parse(&path.display().to_string(), &text, search, depth);
            }
            Err(e) => {
                self.diagnostics
                    .push(format!("{}: cannot read: {e}", path.display()));
                self.errors += 1;
            }
        }
    }

    /// Reads the text of one file, named `file` in diagnostics.
    pub fn parse(&mut self, file: &str, text: &str, search: &[PathBuf], depth: usize) {
        for (n, raw) in text.lines().enumerate() {
            let line = raw.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let mut at = Place {
                file,
                line: n + 1,
                config: self,
            };
            if let Some(section) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
                // `[snmp]` switches (back) to these directives; another
                // type has no handlers here, as Net-SNMP says, and its
                // lines are then read (and warned about) as ours.
                if section.trim() != "snmp" {
                    at.error(&format!(
                        "No handlers regestered for type {}.",
                        section.trim()
                    ));
                }
                continue;
            }
            let line = match line.strip_prefix("[snmp]") {
                Some(rest) => rest.trim(),
                None => line,
            };
            let (token, value) = match line.split_once(char::is_whitespace) {
                Some((t, v)) => (t, v.trim()),
                None => (line, ""),
            };
            at.directive(token, value, search, depth);
        }
    }
}

/// A line being read: where it is, for diagnostics.
struct Place<'a> {
    file: &'a str,
    line: usize,
    config: &'a mut Config,
}

impl Place<'_> {
    fn error(&mut self, message: &str) {
        self.config.diagnostics.push(format!(
            "{}: line {}: Error: {message}",
            self.file, self.line
        ));
        self.config.errors += 1;
    }

    fn warning(&mut self, message: &str) {
        self.config.diagnostics.push(format!(
            "{}: line {}: Warning: {message}",
            self.file, self.line
        ));
    }

    fn boolean(&mut self, value: &str) -> Option<bool> {
        match value
            .split_whitespace()
            .next()
            .unwrap_or("")
            .to_ascii_lowercase()
            .as_str()
        {
            "1" | "yes" | "true" => Some(true),
            "0" | "no" | "false" => Some(false),
            _ => {
                self.error("Should be yes|no|true|false|0|1");
                None
            }
        }
    }

    fn integer(&mut self, value: &str) -> Option<i64> {
        match value.split_whitespace().next().unwrap_or("").parse::<i64>() {
            Ok(v) => Some(v),
            Err(_) => {
                self.error("Bad integer value");
                None
            }
        }
    }

    /// The first word, or the whole value when it is quoted (passphrases
    /// with spaces are written `"a b c"`, as Net-SNMP reads them).
    fn word(value: &str) -> String {
        if let Some(rest) = value.strip_prefix('"') {
            if let Some((inner, _)) = rest.split_once('"') {
                return inner.to_owned();
            }
        }
        value.split_whitespace().next().unwrap_or("").to_owned()
    }

    fn directive(&mut self, token: &str, value: &str, search: &[PathBuf], depth: usize) {
        let known = is_known(token);
        if known && value.is_empty() {
            self.error(&format!("Blank line following {token} token."));
            return;
        }
        if output_flag(&mut self.config.output, token).is_some() {
            let parsed = self.boolean(value);
            if let (Some(v), Some(slot)) = (parsed, output_flag(&mut self.config.output, token)) {
                *slot = v;
            }
            return;
        }
        let c = &mut *self.config;
        match token {
            "mibs" => c.mibs.push(Self::word(value)),
            "mibdirs" => c.mibdirs.push(Self::word(value)),
            "mibfile" => c.mibfiles.push(PathBuf::from(Self::word(value))),
            "defVersion" => match Self::word(value).as_str() {
                "1" => c.version = Some(Version::V1),
                "2c" | "2C" => c.version = Some(Version::V2c),
                "3" => c.version = Some(Version::V3),
                _ => self.error("Unknown version specification"),
            },
            "defCommunity" => c.community = Some(Self::word(value)),
            "defaultPort" => {
                if let Some(v) = self.integer(value) {
                    match u16::try_from(v) {
                        Ok(p) => self.config.default_port = Some(p),
                        Err(_) => self.error("Bad integer value"),
                    }
                }
            }
            "timeout" => {
                if let Some(v) = self.integer(value) {
                    match u64::try_from(v) {
                        Ok(s) if s > 0 => self.config.timeout = Some(Duration::from_secs(s)),
                        _ => self.error("Bad integer value"),
                    }
                }
            }
            "retries" => {
                if let Some(v) = self.integer(value) {
                    match u32::try_from(v) {
                        Ok(r) => self.config.retries = Some(r),
                        Err(_) => self.error("Bad integer value"),
                    }
                }
            }
            "suffixPrinting" => {
                if let Some(v) = self.integer(value) {
                    self.config.output.oid_format = match v {
                        1 => Some(1),
                        2 => Some(2),
                        _ => None,
                    };
                }
            }
            "oidOutputFormat" => {
                if let Some(v) = self.integer(value) {
                    self.config.output.oid_format = u8::try_from(v).ok();
                }
            }
            "hexOutputLength" => {
                if let Some(v) = self.integer(value) {
                    match usize::try_from(v) {
                        Ok(n) => self.config.hex_output_length = Some(n),
                        Err(_) => self.error("Bad integer value"),
                    }
                }
            }
            "extendedIndex" => {
                if self.boolean(value) == Some(true) {
                    self.warning(
                        "extendedIndex (-OX) is not supported by oxsnmp; indexes print as without it",
                    );
                }
            }
            "defSecurityName" => c.security_name = Some(Self::word(value)),
            "defSecurityLevel" => match Self::word(value).parse::<SecurityLevel>() {
                Ok(l) => self.config.security_level = Some(l),
                Err(_) => self.error(&format!("Unknown security level: {}", Self::word(value))),
            },
            "defAuthType" => match Self::word(value).parse::<AuthProtocol>() {
                Ok(a) => self.config.auth_type = Some(a),
                Err(_) => self.error("Unknown authentication type"),
            },
            "defPrivType" => match Self::word(value).parse::<PrivProtocol>() {
                Ok(p) => self.config.priv_type = Some(p),
                Err(_) => self.error("Unknown privacy type"),
            },
            "defPassphrase" => c.passphrase = Some(Self::word(value)),
            "defAuthPassphrase" => c.auth_passphrase = Some(Self::word(value)),
            "defPrivPassphrase" => c.priv_passphrase = Some(Self::word(value)),
            "defAuthMasterKey" => c.auth_master_key = Some(Self::word(value)),
            "defPrivMasterKey" => c.priv_master_key = Some(Self::word(value)),
            "defAuthLocalizedKey" => c.auth_localized_key = Some(Self::word(value)),
            "defPrivLocalizedKey" => c.priv_localized_key = Some(Self::word(value)),
            "defContext" => c.context = Some(Self::word(value)),
            "defSecurityEngineId" | "defSecurityEngineID" => {
                match EngineId::from_hex(&Self::word(value)) {
                    Ok(id) => self.config.security_engine_id = Some(id),
                    Err(_) => self.error("Bad engine ID value"),
                }
            }
            "includeFile" | "includeSearch" | "includeDir" => {
                self.include(token, &Self::word(value), search, depth)
            }
            _ if known => {}
            _ => self.warning(&format!("Unknown token: {token}.")),
        }
    }

    fn include(&mut self, token: &str, target: &str, search: &[PathBuf], depth: usize) {
        if depth >= MAX_INCLUDE_DEPTH {
            self.error(&format!("Included file '{target}' nested too deeply"));
            return;
        }
        let relative_to = Path::new(self.file).parent().unwrap_or(Path::new(""));
        let resolve = |t: &str| {
            let p = PathBuf::from(t);
            if p.is_absolute() {
                p
            } else {
                relative_to.join(p)
            }
        };
        let files: Vec<PathBuf> = match token {
            "includeFile" => vec![resolve(target)],
            "includeSearch" => search
                .iter()
                .map(|d| d.join(target))
                .filter(|p| p.is_file())
                .take(1)
                .collect(),
            _ => {
                let dir = resolve(target);
                let mut found: Vec<PathBuf> = std::fs::read_dir(&dir)
                    .map(|entries| {
                        entries
                            .filter_map(Result::ok)
                            .map(|e| e.path())
                            .filter(|p| p.extension().is_some_and(|x| x == "conf") && p.is_file())
                            .collect()
                    })
                    .unwrap_or_default();
                found.sort();
                found
            }
        };
        if files.is_empty() || (token == "includeFile" && !files.iter().all(|f| f.is_file())) {
            self.error(&format!("Included file '{target}' not found."));
            return;
        }
        for f in files {
            self.config.read_file(&f, search, depth + 1);
        }
    }
}

/// The output directive `token` sets, if it is one.
fn output_flag<'o>(o: &'o mut Output, token: &str) -> Option<&'o mut bool> {
    Some(match token {
        "printNumericOids" => &mut o.numeric_oids,
        "printNumericEnums" => &mut o.numeric_enums,
        "dontBreakdownOids" => &mut o.dont_breakdown_oids,
        "escapeQuotes" => &mut o.escape_quotes,
        "quickPrinting" => &mut o.quick,
        "printValueOnly" => &mut o.value_only,
        "dontPrintUnits" => &mut o.no_units,
        "numericTimeticks" => &mut o.numeric_timeticks,
        "printHexText" => &mut o.hex_text,
        _ => return None,
    })
}

/// Every directive Net-SNMP's client tools know (`snmpget -H`), plus
/// `defSecurityEngineId` and the include directives.
fn is_known(token: &str) -> bool {
    ACCEPTED.contains(&token)
        || matches!(
            token,
            "mibs"
                | "mibdirs"
                | "mibfile"
                | "defVersion"
                | "defCommunity"
                | "defaultPort"
                | "timeout"
                | "retries"
                | "suffixPrinting"
                | "hexOutputLength"
                | "extendedIndex"
                | "oidOutputFormat"
                | "printNumericOids"
                | "printNumericEnums"
                | "dontBreakdownOids"
                | "escapeQuotes"
                | "quickPrinting"
                | "printValueOnly"
                | "dontPrintUnits"
                | "numericTimeticks"
                | "printHexText"
                | "defSecurityName"
                | "defSecurityLevel"
                | "defAuthType"
                | "defPrivType"
                | "defPassphrase"
                | "defAuthPassphrase"
                | "defPrivPassphrase"
                | "defAuthMasterKey"
                | "defPrivMasterKey"
                | "defAuthLocalizedKey"
                | "defPrivLocalizedKey"
                | "defContext"
                | "defSecurityEngineId"
                | "defSecurityEngineID"
                | "includeFile"
                | "includeSearch"
                | "includeDir"
        )
}

/// `oxsnmp config`: the directories searched, the files read and the
/// settings they give (secrets as `(set)`); returns the exit status.
pub fn show() -> u8 {
    let c = get();
    let mut out = String::new();
    let mut line = |k: &str, v: String| out.push_str(&format!("{k:<22}{v}\n"));
    let dirs: Vec<String> = search_path()
        .iter()
        .map(|d| d.display().to_string())
        .collect();
    line("search path", dirs.join(":"));
    let files: Vec<String> = c.files.iter().map(|f| f.display().to_string()).collect();
    line(
        "files read",
        if files.is_empty() {
            "(none)".to_owned()
        } else {
            files.join(" ")
        },
    );
    let show = |v: &Option<String>| v.clone().unwrap_or_else(|| "-".to_owned());
    let secret = |v: &Option<String>| if v.is_some() { "(set)" } else { "-" }.to_owned();
    let joined = |a: &[String], b: &[String]| {
        let all: Vec<&str> = a.iter().chain(b).map(String::as_str).collect();
        if all.is_empty() {
            "-".to_owned()
        } else {
            all.join(" ")
        }
    };
    line("mibs", joined(&c.mibs, &c.command_line_mibs));
    line("mibdirs", joined(&c.mibdirs, &c.command_line_mibdirs));
    line(
        "defVersion",
        c.version.map_or("-".to_owned(), |v| match v {
            Version::V1 => "1".to_owned(),
            Version::V2c => "2c".to_owned(),
            _ => "3".to_owned(),
        }),
    );
    line("defCommunity", secret(&c.community));
    line(
        "defaultPort",
        c.default_port.map_or("-".to_owned(), |p| p.to_string()),
    );
    line(
        "timeout",
        c.timeout
            .map_or("-".to_owned(), |t| t.as_secs().to_string()),
    );
    line(
        "retries",
        c.retries.map_or("-".to_owned(), |r| r.to_string()),
    );
    line("defSecurityName", show(&c.security_name));
    line(
        "defSecurityLevel",
        c.security_level.map_or("-".to_owned(), |l| l.to_string()),
    );
    line(
        "defAuthType",
        c.auth_type.map_or("-".to_owned(), |a| format!("{a:?}")),
    );
    line(
        "defPrivType",
        c.priv_type.map_or("-".to_owned(), |p| format!("{p:?}")),
    );
    line("defPassphrase", secret(&c.passphrase));
    line("defAuthPassphrase", secret(&c.auth_passphrase));
    line("defPrivPassphrase", secret(&c.priv_passphrase));
    line("defContext", show(&c.context));
    line(
        "defSecurityEngineId",
        c.security_engine_id
            .as_ref()
            .map_or("-".to_owned(), |e| e.to_string()),
    );
    let flags = c.output.flags();
    line(
        "output flags",
        if flags.is_empty() {
            "-".to_owned()
        } else {
            format!("-O{flags}")
        },
    );
    line("errors", c.errors.to_string());
    print!("{out}");
    0
}

/// `agent` with `port` when it names none (`defaultPort`): `host` becomes
/// `host:PORT`, `udp6:[::1]` becomes `udp6:[::1]:PORT`.
pub fn with_default_port(agent: &str, port: u16) -> String {
    use oxsnmp_core::transport::TransportAddr;
    let explicit = match (
        TransportAddr::parse(agent, 1),
        TransportAddr::parse(agent, 2),
    ) {
        (Ok(a), Ok(b)) => a.port == b.port,
        _ => true,
    };
    if explicit {
        return agent.to_owned();
    }
    let (prefix, rest) = match agent.split_once(':') {
        Some((p, r))
            if matches!(
                p.to_ascii_lowercase().as_str(),
                "udp" | "udp6" | "udpv6" | "udpipv6"
            ) =>
        {
            (format!("{p}:"), r)
        }
        _ => (String::new(), agent),
    };
    if rest.starts_with('[') {
        format!("{prefix}{rest}:{port}")
    } else if rest.contains(':') {
        format!("{prefix}[{rest}]:{port}")
    } else {
        format!("{prefix}{rest}:{port}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Config {
        let mut c = Config::default();
        c.parse("/x/snmp.conf", text, &[], 0);
        c
    }

    #[test]
    fn debian_default_loads_no_mibs() {
        let c = parse("# comment\nmibs :\n");
        assert_eq!(c.mibs, [":"]);
        assert!(c.diagnostics.is_empty());
    }

    #[test]
    fn client_and_v3_defaults() {
        let c = parse(
            "defVersion 3\ndefCommunity private\ndefaultPort 1161\ntimeout 3\nretries 0\n\
             defSecurityName ops\ndefSecurityLevel authPriv\ndefAuthType SHA-256\n\
             defAuthPassphrase \"auth secret\"\ndefPrivType AES\ndefPrivPassphrase privsecret\n\
             defContext vrf-1\n",
        );
        assert!(c.diagnostics.is_empty(), "{:?}", c.diagnostics);
        assert_eq!(c.version, Some(Version::V3));
        assert_eq!(c.community.as_deref(), Some("private"));
        assert_eq!(c.default_port, Some(1161));
        assert_eq!(c.timeout, Some(Duration::from_secs(3)));
        assert_eq!(c.retries, Some(0));
        assert_eq!(c.security_name.as_deref(), Some("ops"));
        assert_eq!(c.security_level, Some(SecurityLevel::AuthPriv));
        assert_eq!(c.auth_type, Some(AuthProtocol::Sha256));
        assert_eq!(c.auth_passphrase.as_deref(), Some("auth secret"));
        assert_eq!(c.priv_type, Some(PrivProtocol::Aes128));
        assert_eq!(c.context.as_deref(), Some("vrf-1"));
    }

    #[test]
    fn output_directives_become_flags() {
        let c = parse(
            "printNumericOids yes\nquickPrinting 1\nnumericTimeticks true\nprintNumericOids no\n",
        );
        assert_eq!(c.output.flags(), "qt");
        let c = parse("oidOutputFormat 3\ndontPrintUnits yes\n");
        assert_eq!(c.output.flags(), "fU");
        let c = parse("suffixPrinting 1\n");
        assert_eq!(c.output.flags(), "s");
    }

    #[test]
    fn malformed_lines_are_reported_as_net_snmp_reports_them() {
        let c = parse(
            "defVersion 4\nfrobnicate yes\ntimeout abc\nretries\nquickPrinting on\n\
             defSecurityLevel bogus\ndefAuthType FOO\n[snmpd]\nrocommunity x\n[snmp]\ndefCommunity ok\n",
        );
        assert_eq!(
            c.diagnostics,
            [
                "/x/snmp.conf: line 1: Error: Unknown version specification",
                "/x/snmp.conf: line 2: Warning: Unknown token: frobnicate.",
                "/x/snmp.conf: line 3: Error: Bad integer value",
                "/x/snmp.conf: line 4: Error: Blank line following retries token.",
                "/x/snmp.conf: line 5: Error: Should be yes|no|true|false|0|1",
                "/x/snmp.conf: line 6: Error: Unknown security level: bogus",
                "/x/snmp.conf: line 7: Error: Unknown authentication type",
                "/x/snmp.conf: line 8: Error: No handlers regestered for type snmpd.",
                "/x/snmp.conf: line 9: Warning: Unknown token: rocommunity.",
            ]
        );
        assert_eq!(c.errors, 7);
        // The rest is still read.
        assert_eq!(c.community.as_deref(), Some("ok"));
        assert_eq!(c.version, None);
    }

    #[test]
    fn files_in_order_local_last_includes_and_loops() {
        let dir = std::env::temp_dir().join(format!("oxsnmp-conf-{}", std::process::id()));
        let (sys, user) = (dir.join("etc"), dir.join("home"));
        std::fs::create_dir_all(&sys).unwrap();
        std::fs::create_dir_all(user.join("conf.d")).unwrap();
        std::fs::write(sys.join("snmp.conf"), "defCommunity system\nmibs :\n").unwrap();
        std::fs::write(sys.join("snmp.local.conf"), "defCommunity system-local\n").unwrap();
        std::fs::write(
            user.join("snmp.conf"),
            "defCommunity user\nincludeDir conf.d\nincludeFile self.conf\n",
        )
        .unwrap();
        std::fs::write(user.join("conf.d").join("a.conf"), "defVersion 1\n").unwrap();
        std::fs::write(user.join("self.conf"), "includeFile self.conf\n").unwrap();
        let c = Config::read(&[sys.clone(), user.clone()]);
        assert_eq!(c.community.as_deref(), Some("user"));
        assert_eq!(c.version, Some(Version::V1));
        assert_eq!(c.mibs, [":"]);
        assert_eq!(
            c.files[..3],
            [
                sys.join("snmp.conf"),
                sys.join("snmp.local.conf"),
                user.join("snmp.conf")
            ]
        );
        assert_eq!(c.errors, 1, "{:?}", c.diagnostics);
        assert!(
            c.diagnostics[0].contains("nested too deeply"),
            "{:?}",
            c.diagnostics
        );
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn command_line_tokens_come_after_the_files() {
        let argv: Vec<std::ffi::OsString> = [
            "oxsnmp",
            "get",
            "--defCommunity=cli",
            "--mibs=+IF-MIB",
            "--user=x",
            "-c",
            "y",
        ]
        .iter()
        .map(Into::into)
        .collect();
        let rest = take_command_line(argv);
        assert_eq!(rest, ["oxsnmp", "get", "--user=x", "-c", "y"]);
        let tokens = COMMAND_LINE.get().expect("taken");
        let mut c = parse("defCommunity file\nmibs :\n");
        c.read_command_line(tokens);
        assert_eq!(c.community.as_deref(), Some("cli"));
        assert_eq!(c.mibs, [":"]);
        assert_eq!(c.command_line_mibs, ["+IF-MIB"]);
    }

    #[test]
    fn default_port_fills_in_only_a_missing_port() {
        assert_eq!(with_default_port("host", 1161), "host:1161");
        assert_eq!(with_default_port("host:161", 1161), "host:161");
        assert_eq!(
            with_default_port("udp:127.0.0.1", 1161),
            "udp:127.0.0.1:1161"
        );
        assert_eq!(with_default_port("udp6:[::1]", 1161), "udp6:[::1]:1161");
        assert_eq!(with_default_port("udp6:[::1]:99", 1161), "udp6:[::1]:99");
        assert_eq!(with_default_port("::1", 1161), "[::1]:1161");
    }
}
