//! Finding the real MIB sets (`.ci/prepare-mibs`) and Net-SNMP's tools.
#![allow(dead_code)]

use std::path::PathBuf;
use std::process::Command;

/// Whether the tests run in CI, where missing MIBs or tools are failures.
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}

/// The directory `.ci/prepare-mibs` fills (or `$OXSNMP_TEST_MIBS`).
pub fn test_mibs() -> Option<PathBuf> {
    let dir = std::env::var_os("OXSNMP_TEST_MIBS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/test-mibs"));
    dir.join("npm/IF-MIB.mib").is_file().then_some(dir)
}

/// The test MIB directory, or None after printing why the test is skipped
/// (a panic under CI=true).
pub fn require_mibs(test: &str) -> Option<PathBuf> {
    if let Some(d) = test_mibs() {
        return Some(d);
    }
    let msg = format!(
        "{test}: the real MIB files are missing; run .ci/prepare-mibs (or set OXSNMP_TEST_MIBS)"
    );
    if in_ci() {
        panic!("{msg} (CI=true: missing test data is a failure)");
    }
    eprintln!("SKIP {msg}");
    None
}

/// True when `snmptranslate` runs; else prints SKIP (panics under CI).
pub fn require_tool(test: &str, tool: &str) -> bool {
    if Command::new(tool).arg("-V").output().is_ok() {
        return true;
    }
    let msg = format!("{test}: {tool} is not installed (apt-get install snmp)");
    if in_ci() {
        panic!("{msg} (CI=true: a missing peer is a failure)");
    }
    eprintln!("SKIP {msg}");
    false
}

/// An empty directory for SNMPCONFPATH, so no snmp.conf (Debian's
/// `mibs :`) changes what Net-SNMP loads.
pub fn empty_conf() -> PathBuf {
    let d = std::env::temp_dir().join(format!("oxsnmp-mib-conf-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&d);
    d
}

/// Runs snmptranslate with `-M dirs` and returns stdout.
pub fn snmptranslate(dirs: &str, args: &[&str]) -> String {
    let out = Command::new("snmptranslate")
        .args(["-M", dirs])
        .args(args)
        .env("SNMPCONFPATH", empty_conf())
        // No ~/.snmp/snmp.conf or ~/.snmp/mibs either.
        .env("HOME", empty_conf())
        .env_remove("MIBS")
        .env_remove("MIBDIRS")
        .output()
        .expect("run snmptranslate");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// (label, numeric OID) of every node `snmptranslate -Tz` printed,
/// without Net-SNMP's internal `snmp#` names for SMIv1 trap numbering.
pub fn tz_pairs(text: &str) -> std::collections::BTreeSet<(String, String)> {
    text.lines()
        .filter_map(|l| {
            let mut parts = l.split('"').filter(|p| !p.trim().is_empty());
            Some((parts.next()?.to_owned(), parts.next()?.to_owned()))
        })
        .filter(|(label, _)| !label.contains('#'))
        .collect()
}
