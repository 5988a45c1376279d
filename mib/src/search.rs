//! Where MIB files are looked for and which modules are loaded, with
//! Net-SNMP's rules (snmpcmd(1) `-M` and `-m`, the `MIBDIRS` and `MIBS`
//! environment variables).

use std::path::PathBuf;

/// Net-SNMP's default module list (5.9), loaded when neither `-m` nor
/// `MIBS` says otherwise. Modules missing from the search path are skipped
/// without a warning, as Net-SNMP does.
pub const DEFAULT_MODULES: &[&str] = &[
    "SNMPv2-MIB",
    "IF-MIB",
    "IP-MIB",
    "TCP-MIB",
    "UDP-MIB",
    "HOST-RESOURCES-MIB",
    "NOTIFICATION-LOG-MIB",
    "DISMAN-EVENT-MIB",
    "DISMAN-SCHEDULE-MIB",
    "HOST-RESOURCES-TYPES",
    "MTA-MIB",
    "NETWORK-SERVICES-MIB",
    "UCD-DISKIO-MIB",
    "UCD-DLMOD-MIB",
    "LM-SENSORS-MIB",
    "UCD-SNMP-MIB",
    "UCD-DEMO-MIB",
    "SNMP-TARGET-MIB",
    "NET-SNMP-AGENT-MIB",
    "SNMP-FRAMEWORK-MIB",
    "SNMP-MPD-MIB",
    "SNMP-USER-BASED-SM-MIB",
    "SNMP-VIEW-BASED-ACM-MIB",
    "SNMP-COMMUNITY-MIB",
    "IPV6-ICMP-MIB",
    "IPV6-MIB",
    "IPV6-TCP-MIB",
    "IPV6-UDP-MIB",
    "IP-FORWARD-MIB",
    "NET-SNMP-PASS-MIB",
    "NET-SNMP-EXTEND-MIB",
    "SNMP-NOTIFICATION-MIB",
    "SNMPv2-TM",
    "NET-SNMP-VACM-MIB",
];

/// The directories Net-SNMP searches by default: `~/.snmp/mibs` and
/// `/usr/share/snmp/mibs` (with Debian's `iana/` and `ietf/` beside it).
pub fn default_dirs() -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    if let Some(home) = std::env::var_os("HOME") {
        dirs.push(PathBuf::from(home).join(".snmp/mibs"));
    }
    for d in [
        "/usr/share/snmp/mibs",
        "/usr/share/snmp/mibs/iana",
        "/usr/share/snmp/mibs/ietf",
    ] {
        dirs.push(PathBuf::from(d));
    }
    dirs
}

/// Which modules to load.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ModuleSelection {
    /// Every module found on the search path (`-m ALL`).
    All,
    /// These modules (and what they import). Names that no file defines
    /// give a warning, except those taken from Net-SNMP's default list.
    List {
        /// Named by the user: missing ones are reported.
        explicit: Vec<String>,
        /// From the default list: missing ones are skipped quietly.
        defaults: Vec<String>,
    },
}

impl Default for ModuleSelection {
    fn default() -> Self {
        ModuleSelection::List {
            explicit: Vec::new(),
            defaults: DEFAULT_MODULES.iter().map(|s| s.to_string()).collect(),
        }
    }
}

impl ModuleSelection {
    /// Applies a `-m` / `MIBS` value to this selection: `ALL`, `A:B`
    /// (instead of the current list), `+A:B` (after it), `-A:B` (before
    /// it); the empty string loads no module.
    pub fn apply(&mut self, spec: &str) {
        let (mode, list) = match spec.as_bytes().first() {
            Some(b'+') => ('+', &spec[1..]),
            Some(b'-') => ('-', &spec[1..]),
            _ => ('=', spec),
        };
        let names: Vec<String> = list
            .split([':', ';'])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect();
        if names.iter().any(|n| n == "ALL") {
            *self = ModuleSelection::All;
            return;
        }
        match (mode, &mut *self) {
            (_, ModuleSelection::All) if mode != '=' => {}
            ('+', ModuleSelection::List { explicit, .. }) => explicit.extend(names),
            ('-', ModuleSelection::List { explicit, .. }) => {
                let mut new = names;
                new.append(explicit);
                *explicit = new;
            }
            _ => {
                *self = ModuleSelection::List {
                    explicit: names,
                    defaults: Vec::new(),
                }
            }
        }
    }
}

/// Applies a `-M` / `MIBDIRS` value to `dirs`: `A:B` replaces, `+A:B`
/// appends, `-A:B` prepends (`;` also separates, for Windows-style lists).
/// Later directories take precedence when two define the same module,
/// as in Net-SNMP.
pub fn apply_dirs(dirs: &mut Vec<PathBuf>, spec: &str) {
    let (mode, list) = match spec.as_bytes().first() {
        Some(b'+') => ('+', &spec[1..]),
        Some(b'-') => ('-', &spec[1..]),
        _ => ('=', spec),
    };
    let new: Vec<PathBuf> = list
        .split([':', ';'])
        .filter(|s| !s.is_empty())
        .map(PathBuf::from)
        .collect();
    match mode {
        '+' => dirs.extend(new),
        '-' => {
            let mut all = new;
            all.append(dirs);
            *dirs = all;
        }
        _ => *dirs = new,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn module_specs() {
        let mut s = ModuleSelection::default();
        s.apply("+IF-MIB");
        let ModuleSelection::List { explicit, defaults } = &s else {
            panic!()
        };
        assert_eq!(explicit, &["IF-MIB"]);
        assert_eq!(defaults.len(), DEFAULT_MODULES.len());
        s.apply("-A:B");
        assert!(
            matches!(&s, ModuleSelection::List { explicit, .. } if explicit == &["A", "B", "IF-MIB"])
        );
        s.apply("X");
        assert_eq!(
            s,
            ModuleSelection::List {
                explicit: vec!["X".into()],
                defaults: vec![]
            }
        );
        s.apply("ALL");
        assert_eq!(s, ModuleSelection::All);
        s.apply("+Y");
        assert_eq!(s, ModuleSelection::All);
        s.apply("");
        assert_eq!(
            s,
            ModuleSelection::List {
                explicit: vec![],
                defaults: vec![]
            }
        );
    }

    #[test]
    fn dir_specs() {
        let mut d = vec![PathBuf::from("/a")];
        apply_dirs(&mut d, "+/b:/c");
        apply_dirs(&mut d, "-/z");
        assert_eq!(d, ["/z", "/a", "/b", "/c"].map(PathBuf::from));
        apply_dirs(&mut d, "/only");
        assert_eq!(d, [PathBuf::from("/only")]);
        apply_dirs(&mut d, "");
        assert!(d.is_empty());
    }
}
