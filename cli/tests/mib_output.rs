//! Output with MIBs loaded is Net-SNMP's, byte for byte: `oxsnmp walk` next
//! to `snmpwalk` and `oxsnmp table` next to `snmptable`, with the same `-m`
//! and `-M`, against the same agent serving the same data.
//!
//! The agent is `oxsnmp agent` replaying `data/mib_render.snmprec` on a free
//! loopback port. The MIBs are the real ones `.ci/prepare-mibs` fetches
//! (IF-MIB, SNMPv2-MIB, the SNMPv3 framework, VACM, target and USM MIBs,
//! Net-SNMP's UCD-SNMP-MIB and NET-SNMP-EXAMPLES-MIB) and
//! `data/mibs/OXSNMP-RENDER-TEST-MIB.txt` for what none of them uses
//! (BITS, MacAddress, DateAndTime, integer hints, UTF-8 text, IpAddress,
//! InetAddress, fixed-size, IMPLIED and OID indexes). Without Net-SNMP's
//! tools or the MIB files the tests print a skip; under `CI=true` they fail.

mod support;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use support::{find_program, in_ci, TempDir};

const MODULES: &str = "SNMPv2-MIB:IF-MIB:SNMP-FRAMEWORK-MIB:SNMP-VIEW-BASED-ACM-MIB:\
SNMP-TARGET-MIB:SNMP-USER-BASED-SM-MIB:UCD-SNMP-MIB:NET-SNMP-EXAMPLES-MIB:OXSNMP-RENDER-TEST-MIB";

/// Everything the comparison needs; dropping it stops the agent.
struct Setup {
    agent: Child,
    target: String,
    dirs: String,
    /// SNMPCONFPATH / SNMP_PERSISTENT_DIR for Net-SNMP, and our MIB cache.
    home: TempDir,
}

impl Drop for Setup {
    fn drop(&mut self) {
        let _ = self.agent.kill();
        let _ = self.agent.wait();
    }
}

/// The MIB directories `.ci/prepare-mibs` fills (or `$OXSNMP_TEST_MIBS`).
fn test_mibs() -> Option<PathBuf> {
    let dir = std::env::var_os("OXSNMP_TEST_MIBS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/test-mibs"));
    dir.join("npm/IF-MIB.mib").is_file().then_some(dir)
}

fn skip(test: &str, why: &str) -> Option<Setup> {
    let message = format!("{test}: {why}");
    if in_ci() {
        panic!("{message} (CI=true: a missing peer or test data is a failure)");
    }
    eprintln!("SKIP {message}");
    None
}

fn setup(test: &str) -> Option<Setup> {
    for tool in ["snmpwalk", "snmptable"] {
        if find_program(tool).is_none() {
            return skip(
                test,
                &format!("{tool} is not installed (apt-get install snmp)"),
            );
        }
    }
    let Some(mibs) = test_mibs() else {
        return skip(
            test,
            "the real MIB files are missing; run .ci/prepare-mibs (or set OXSNMP_TEST_MIBS)",
        );
    };
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data");
    let dirs = [
        data.join("mibs"),
        mibs.join("netsnmp"),
        mibs.join("erlang"),
        mibs.join("npm"),
    ]
    .iter()
    .map(|d| d.display().to_string())
    .collect::<Vec<_>>()
    .join(":");
    let home = TempDir::new("mib-output").expect("temp dir");
    // Else Net-SNMP's first run says "Created directory" on stderr.
    std::fs::create_dir_all(home.path().join("cert_indexes")).expect("cert_indexes");
    let recording = data.join("mib_render.snmprec");
    let mut agent = Command::new(env!("CARGO_BIN_EXE_oxsnmp"))
        .args(["agent", "--data"])
        .arg(&recording)
        .arg("udp:127.0.0.1:0")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start oxsnmp agent");
    let stdout = agent.stdout.take().expect("piped stdout");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let deadline = Instant::now() + Duration::from_secs(30);
    let target = loop {
        match rx.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
            Ok(line) => {
                if let Some(t) = line.strip_prefix("listening on ") {
                    break t.to_owned();
                }
            }
            Err(e) => {
                let _ = agent.kill();
                panic!("oxsnmp agent printed no listening line: {e}");
            }
        }
    };
    Some(Setup {
        agent,
        target,
        dirs,
        home,
    })
}

impl Setup {
    /// Net-SNMP's `tool` with `-m MODULES -M DIRS` and `args`, the agent last
    /// but for `after` (snmptable's table).
    fn netsnmp(&self, tool: &str, args: &[&str], after: &[&str]) -> Output {
        self.netsnmp_with(MODULES, tool, args, after)
    }

    /// [`Setup::netsnmp`] with `-m modules`.
    fn netsnmp_with(&self, modules: &str, tool: &str, args: &[&str], after: &[&str]) -> Output {
        let program = find_program(tool).unwrap_or_else(|| PathBuf::from(tool));
        Command::new(program)
            .args(["-m", modules, "-M", &self.dirs, "-c", "public"])
            .args(args)
            .arg(&self.target)
            .args(after)
            .env("SNMPCONFPATH", self.home.path())
            .env("SNMP_PERSISTENT_DIR", self.home.path())
            .env_remove("MIBS")
            .env_remove("MIBDIRS")
            .stdin(Stdio::null())
            .output()
            .unwrap_or_else(|e| panic!("cannot run {tool}: {e}"))
    }

    /// `oxsnmp SUBCOMMAND` the same way (compiled MIBs cached in the temp dir).
    fn oxsnmp(&self, subcommand: &str, args: &[&str], after: &[&str]) -> Output {
        self.oxsnmp_with(MODULES, subcommand, args, after)
    }

    /// [`Setup::oxsnmp`] with `-m modules`.
    fn oxsnmp_with(
        &self,
        modules: &str,
        subcommand: &str,
        args: &[&str],
        after: &[&str],
    ) -> Output {
        Command::new(env!("CARGO_BIN_EXE_oxsnmp"))
            .arg(subcommand)
            .args(["-m", modules, "-M", &self.dirs, "-c", "public"])
            .args(args)
            .arg(&self.target)
            .args(after)
            .env("OXSNMP_MIB_CACHE", self.home.path().join("cache"))
            .env("SNMPCONFPATH", self.home.path())
            .env_remove("MIBS")
            .env_remove("MIBDIRS")
            .stdin(Stdio::null())
            .output()
            .expect("run oxsnmp")
    }
}

/// Compares stdout and exit status; returns Net-SNMP's stdout.
fn same(what: &str, theirs: Output, ours: Output, failures: &mut Vec<String>) -> Vec<u8> {
    if theirs.stdout != ours.stdout || theirs.status.code() != ours.status.code() {
        let t = String::from_utf8_lossy(&theirs.stdout);
        let o = String::from_utf8_lossy(&ours.stdout);
        let first = t
            .lines()
            .zip(o.lines())
            .position(|(a, b)| a != b)
            .unwrap_or_else(|| t.lines().count().min(o.lines().count()));
        failures.push(format!(
            "{what}: exit {:?} vs {:?}; first different line {}:\n  net-snmp: {:?}\n  oxsnmp:   {:?}\n  oxsnmp stderr: {}",
            theirs.status.code(),
            ours.status.code(),
            first + 1,
            t.lines().nth(first),
            o.lines().nth(first),
            String::from_utf8_lossy(&ours.stderr)
        ));
    }
    theirs.stdout
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn walk_output_matches_snmpwalk_with_mibs() {
    let Some(s) = setup("walk_output_matches_snmpwalk_with_mibs") else {
        return;
    };
    let mut failures = Vec::new();
    // Every subtree of the recording.
    let roots = [
        ".1.3.6.1.2.1.1",
        ".1.3.6.1.2.1.2",
        ".1.3.6.1.2.1.31",
        ".1.3.6.1.4.1",
        ".1.3.6.1.6.3",
    ];
    let mut everything = Vec::new();
    for root in roots {
        let theirs = s.netsnmp("snmpwalk", &["-v2c"], &[root]);
        let ours = s.oxsnmp("walk", &["-v2c"], &[root]);
        everything.extend(same(&format!("walk {root}"), theirs, ours, &mut failures));
    }
    // Every output option that changes names or values, on the subtrees
    // with the most kinds of values and indexes.
    for flags in [
        "-Os", "-Of", "-Ou", "-On", "-Ob", "-Oe", "-OU", "-Oq", "-OQ", "-Ov", "-Ot", "-Ox", "-Oa",
        "-OT", "-OE", "-Osq", "-Obs", "-Ofb", "-OqU", "-Oet",
    ] {
        for root in [".1.3.6.1.4.1", ".1.3.6.1.6.3", ".1.3.6.1.2.1.2"] {
            let theirs = s.netsnmp("snmpwalk", &["-v2c", flags], &[root]);
            let ours = s.oxsnmp("walk", &["-v2c", flags], &[root]);
            same(&format!("walk {flags} {root}"), theirs, ours, &mut failures);
        }
    }
    // SNMPv1 (GETNEXT) prints the same.
    let theirs = s.netsnmp("snmpwalk", &["-v1"], &[".1.3.6.1.4.1.32473"]);
    let ours = s.oxsnmp("walk", &["-v1"], &[".1.3.6.1.4.1.32473"]);
    same("walk -v1", theirs, ours, &mut failures);
    assert!(failures.is_empty(), "{}", failures.join("\n"));

    // What the comparison exercised (so it cannot pass on empty output).
    for line in [
        &b"IF-MIB::ifAdminStatus.1 = INTEGER: up(1)"[..],
        b"IF-MIB::ifType.3 = INTEGER: ieee80211(71)",
        b"IF-MIB::ifPhysAddress.2 = STRING: 0:c:29:a1:b2:3",
        b"IF-MIB::ifHCInOctets.2 = Counter64: 246913578024",
        b"IF-MIB::ifAlias.3 = STRING: caf\xe9 \xff\n",
        b"SNMPv2-MIB::sysUpTime.0 = Timeticks: (123456789) 14 days, 6:56:07.89",
        b"SNMPv2-MIB::sysORID.1 = OID: SNMP-FRAMEWORK-MIB::snmpFrameworkMIBCompliance",
        b"SNMP-FRAMEWORK-MIB::snmpEngineTime.0 = INTEGER: 86400 seconds",
        b"SNMP-VIEW-BASED-ACM-MIB::vacmGroupName.3.\"user\" = STRING: secgrp",
        b"SNMP-VIEW-BASED-ACM-MIB::vacmAccessReadViewName.\"secgrp\".\"\".3.authPriv = STRING: all",
        b"SNMP-TARGET-MIB::snmpTargetAddrTAddress.'nms1' = Hex-STRING: 7F 00 00 01 00 A2",
        b"SNMP-USER-BASED-SM-MIB::usmUserSecurityName.\".....Y.HaE.c.\".\"alice\" = STRING: alice",
        b"UCD-SNMP-MIB::memTotalReal.0 = INTEGER: 16318524 kB",
        b"NET-SNMP-EXAMPLES-MIB::netSnmpHostAddressType.\"localhost\" = INTEGER: ipv4(1)",
        b"OXSNMP-RENDER-TEST-MIB::oxMac.0 = STRING: a:1b:2c:3d:4e:5f",
        b"OXSNMP-RENDER-TEST-MIB::oxDate.0 = STRING: 2024-2-13,14:30:45.9,+5:48",
        b"OXSNMP-RENDER-TEST-MIB::oxAdmin.0 = STRING: \xc3\xa9te \xc3\xa0 Paris",
        b"OXSNMP-RENDER-TEST-MIB::oxDisplayBinary.0 = STRING: \xff\xfeA\n",
        b"OXSNMP-RENDER-TEST-MIB::oxFlags.0 = BITS: A1 80 zero(0) two(2) seven(7) eight(8) ",
        b"OXSNMP-RENDER-TEST-MIB::oxTemperature.0 = INTEGER: 21.50 degrees Celsius",
        b"OXSNMP-RENDER-TEST-MIB::oxOctets.0 = Counter64: 18446744073709551615 octets",
        b"OXSNMP-RENDER-TEST-MIB::oxMislabelled.0 = Wrong Type (should be INTEGER): STRING: \"not a number\"",
        b"OXSNMP-RENDER-TEST-MIB::oxRouteName.198.51.100.0.24 = STRING: doc",
        b"OXSNMP-RENDER-TEST-MIB::oxUserFlags.'guest' = BITS: 60 locked(1) expired(2) ",
        b"OXSNMP-RENDER-TEST-MIB::oxPeerState.ipv6z.\"fe:80:00:00:00:00:00:00:00:00:00:00:00:00:00:02%3\" = INTEGER: active(3)",
        b"OXSNMP-RENDER-TEST-MIB::oxPortSpeed.'ABCDEF'.2.0.0 = Gauge32: 10 Mbit/s",
    ] {
        assert!(
            contains(&everything, line),
            "snmpwalk did not print {:?}; its output:\n{}",
            String::from_utf8_lossy(line),
            String::from_utf8_lossy(&everything)
        );
    }
}

/// With modules that define the same OIDs loaded (RFC1213-MIB and IF-MIB
/// both define `ifDescr`), the walk names each OID after the module
/// Net-SNMP names it after, and renders the value by that module's
/// definition (RFC1213-MIB's `DisplayString` has no DISPLAY-HINT, so its
/// strings are quoted), under several load orders and `-m ALL`.
#[test]
fn walk_with_shared_oids_names_the_module_snmpwalk_names() {
    let Some(s) = setup("walk_with_shared_oids_names_the_module_snmpwalk_names") else {
        return;
    };
    let mut failures = Vec::new();
    let mut everything = Vec::new();
    for modules in [
        "ALL",
        "RFC1213-MIB:IF-MIB",
        "IF-MIB:RFC1213-MIB",
        "SNMPv2-MIB:RFC1213-MIB",
    ] {
        for root in [".1.3.6.1.2.1.1", ".1.3.6.1.2.1.2"] {
            let theirs = s.netsnmp_with(modules, "snmpwalk", &["-v2c"], &[root]);
            let ours = s.oxsnmp_with(modules, "walk", &["-v2c"], &[root]);
            everything.extend(same(
                &format!("walk -m {modules} {root}"),
                theirs,
                ours,
                &mut failures,
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    for line in [
        &b"RFC1213-MIB::ifDescr.1 = STRING: \"lo\"\n"[..],
        b"IF-MIB::ifDescr.1 = STRING: lo\n",
        b"RFC1213-MIB::sysDescr.0 = STRING: ",
        b"SNMPv2-MIB::sysDescr.0 = STRING: ",
    ] {
        assert!(
            contains(&everything, line),
            "snmpwalk did not print {:?}; its output:\n{}",
            String::from_utf8_lossy(line),
            String::from_utf8_lossy(&everything)
        );
    }
}

#[test]
fn table_output_matches_snmptable_with_mibs() {
    let Some(s) = setup("table_output_matches_snmptable_with_mibs") else {
        return;
    };
    let tables = [
        "IF-MIB::ifTable",
        "IF-MIB::ifXTable",
        "SNMPv2-MIB::sysORTable",
        "SNMP-VIEW-BASED-ACM-MIB::vacmSecurityToGroupTable",
        "SNMP-VIEW-BASED-ACM-MIB::vacmAccessTable",
        "SNMP-VIEW-BASED-ACM-MIB::vacmViewTreeFamilyTable",
        "SNMP-VIEW-BASED-ACM-MIB::vacmContextTable",
        "SNMP-TARGET-MIB::snmpTargetAddrTable",
        "SNMP-USER-BASED-SM-MIB::usmUserTable",
        "UCD-SNMP-MIB::laTable",
        "NET-SNMP-EXAMPLES-MIB::netSnmpHostsTable",
        "OXSNMP-RENDER-TEST-MIB::oxRouteTable",
        "OXSNMP-RENDER-TEST-MIB::oxUserTable",
        "OXSNMP-RENDER-TEST-MIB::oxPeerTable",
        "OXSNMP-RENDER-TEST-MIB::oxPortTable",
    ];
    let mut failures = Vec::new();
    let mut seen = Vec::new();
    for table in tables {
        for flags in [
            &["-v2c"][..],
            &["-v2c", "-Cb", "-Ci"],
            &["-v2c", "-Cf", ","],
            &["-v2c", "-Cb", "-Ci", "-Cf", ","],
            &["-v2c", "-Cif", "|"],
        ] {
            let theirs = s.netsnmp("snmptable", flags, &[table]);
            let ours = s.oxsnmp("table", flags, &[table]);
            seen.extend(same(
                &format!("table {} {table}", flags.join(" ")),
                theirs,
                ours,
                &mut failures,
            ));
        }
    }
    // The other layout flags, on tables with wide, sparse and string-indexed rows.
    for table in [
        "IF-MIB::ifTable",
        "SNMP-VIEW-BASED-ACM-MIB::vacmAccessTable",
        "OXSNMP-RENDER-TEST-MIB::oxPeerTable",
    ] {
        for flags in [
            &["-v2c", "-Ch"][..],
            &["-v2c", "-CH"],
            &["-v2c", "-Cl", "-Ci"],
            &["-v2c", "-Cc", "8"],
            &["-v2c", "-Cc", "8", "-Cw", "40"],
            &["-v2c", "-Cw", "60", "-Ci"],
            &["-v2c", "-CB"],
            &["-v2c", "-Cr", "2"],
            &["-v2c", "-Os", "-Ci"],
            &["-v2c", "-Of", "-Ci"],
            &["-v2c", "-Ou", "-Ci"],
            &["-v2c", "-Ob", "-Ci"],
            &["-v2c", "-Oq"],
            &["-v2c", "-Oe", "-OU"],
            &["-v2c", "-OE", "-Ci"],
            &["-v1"],
            &["-v1", "-Ci", "-Cr", "1"],
            &["-v2c", "-On"],
        ] {
            let theirs = s.netsnmp("snmptable", flags, &[table]);
            let ours = s.oxsnmp("table", flags, &[table]);
            same(
                &format!("table {} {table}", flags.join(" ")),
                theirs,
                ours,
                &mut failures,
            );
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    for line in [
        &b"SNMP table: IF-MIB::ifTable\n\n"[..],
        b"\n       1      lo softwareLoopback 65536",
        b" caf\xe9 \xff ",
        b"index,NextHop,Name,Metric,Status\n0.0.0.0.0,192.0.2.1,default,1.00,active\n",
        b"\"60 \" 2024-12-31,23:59:59.9,-0:0      volatile",
        b"\n\"secgrp\".\"\".3.authPriv|exact|all||?|nonVolatile|active\n",
    ] {
        assert!(
            contains(&seen, line),
            "snmptable did not print {:?}; its output:\n{}",
            String::from_utf8_lossy(line),
            String::from_utf8_lossy(&seen)
        );
    }
}

#[test]
fn table_json_has_one_object_per_row() {
    let Some(s) = setup("table_json_has_one_object_per_row") else {
        return;
    };
    let out = s.oxsnmp(
        "table",
        &["-v2c", "-o", "json"],
        &["SNMP-VIEW-BASED-ACM-MIB::vacmSecurityToGroupTable"],
    );
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        r#"[
  {"index": "1.\"public\"", "vacmGroupName": "v1grp", "vacmSecurityToGroupStorageType": "nonVolatile", "vacmSecurityToGroupStatus": "active"},
  {"index": "2.\"public\"", "vacmGroupName": "v2grp", "vacmSecurityToGroupStorageType": "nonVolatile", "vacmSecurityToGroupStatus": "active"},
  {"index": "3.\"user\"", "vacmGroupName": "secgrp", "vacmSecurityToGroupStorageType": "nonVolatile", "vacmSecurityToGroupStatus": "active"},
  {"index": "3.\"a\"b\\c\"", "vacmGroupName": "secgrp", "vacmSecurityToGroupStorageType": "nonVolatile", "vacmSecurityToGroupStatus": "active"}
]
"#
    );
}

/// `oxsnmp translate -Td` and `-Tp` next to `snmptranslate` on the same
/// directories. `-Td` is compared on a set without the npm directory, whose
/// RFC-1212 imports RFC1158-MIB: we load it, snmptranslate does not, and
/// `-- FROM` then lists it for the objects it also defines.
#[test]
fn translate_details_and_tree_match_snmptranslate() {
    let test = "translate_details_and_tree_match_snmptranslate";
    if find_program("snmptranslate").is_none() {
        skip(
            test,
            "snmptranslate is not installed (apt-get install snmp)",
        );
        return;
    }
    let Some(mibs) = test_mibs() else {
        skip(test, "the real MIB files are missing; run .ci/prepare-mibs");
        return;
    };
    let home = TempDir::new("translate").expect("temp dir");
    let render = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/mibs");
    let join = |dirs: &[PathBuf]| {
        dirs.iter()
            .map(|d| d.display().to_string())
            .collect::<Vec<_>>()
            .join(":")
    };
    let run = |dirs: &str, modules: &str, args: &[&str]| -> (Output, Output) {
        let theirs = Command::new(find_program("snmptranslate").expect("snmptranslate"))
            .args(["-M", dirs, "-m", modules])
            .args(args)
            .env("SNMPCONFPATH", home.path())
            .env_remove("MIBS")
            .env_remove("MIBDIRS")
            .output()
            .expect("run snmptranslate");
        let ours = Command::new(env!("CARGO_BIN_EXE_oxsnmp"))
            .args(["translate", "-M", dirs, "-m", modules])
            .args(args)
            .env("OXSNMP_MIB_CACHE", home.path().join("cache"))
            .env("SNMPCONFPATH", home.path())
            .env_remove("MIBS")
            .env_remove("MIBDIRS")
            .output()
            .expect("run oxsnmp translate");
        (theirs, ours)
    };
    let mut failures = Vec::new();
    let mut seen = Vec::new();
    let details_dirs = join(&[render.clone(), mibs.join("erlang")]);
    let details_modules = "SNMPv2-MIB:SNMP-FRAMEWORK-MIB:SNMP-VIEW-BASED-ACM-MIB:\
SNMP-USER-BASED-SM-MIB:SNMP-TARGET-MIB:OXSNMP-RENDER-TEST-MIB";
    for name in [
        "SNMPv2-MIB::sysDescr",
        "SNMPv2-MIB::sysUpTime",
        "SNMPv2-MIB::sysORID",
        "SNMPv2-MIB::sysOREntry",
        "SNMPv2-MIB::snmpSetSerialNo",
        "SNMPv2-MIB::system",
        "SNMPv2-MIB::snmpMIB",
        "SNMPv2-SMI::zeroDotZero",
        "SNMP-FRAMEWORK-MIB::snmpEngineID",
        "SNMP-FRAMEWORK-MIB::snmpEngineTime",
        "SNMP-VIEW-BASED-ACM-MIB::vacmAccessEntry",
        "SNMP-VIEW-BASED-ACM-MIB::vacmSecurityToGroupStatus",
        "SNMP-USER-BASED-SM-MIB::usmUserSecurityName",
        "SNMP-TARGET-MIB::snmpTargetAddrEntry",
        "OXSNMP-RENDER-TEST-MIB::oxRenderTestMIB",
        "OXSNMP-RENDER-TEST-MIB::oxFlags",
        "OXSNMP-RENDER-TEST-MIB::oxDate",
        "OXSNMP-RENDER-TEST-MIB::oxGateway",
        "OXSNMP-RENDER-TEST-MIB::oxLevel",
        "OXSNMP-RENDER-TEST-MIB::oxTemperature",
        "OXSNMP-RENDER-TEST-MIB::oxOctets",
        "OXSNMP-RENDER-TEST-MIB::oxRouteEntry",
        "OXSNMP-RENDER-TEST-MIB::oxUserEntry",
    ] {
        let (theirs, ours) = run(&details_dirs, details_modules, &["-Td", name]);
        seen.extend(same(
            &format!("translate -Td {name}"),
            theirs,
            ours,
            &mut failures,
        ));
    }
    let tree_dirs = join(&[render, mibs.join("erlang"), mibs.join("npm")]);
    let tree_modules = "IF-MIB:SNMPv2-MIB:SNMP-FRAMEWORK-MIB:SNMP-VIEW-BASED-ACM-MIB:\
SNMP-USER-BASED-SM-MIB:OXSNMP-RENDER-TEST-MIB";
    for name in [
        "SNMPv2-MIB::system",
        "SNMPv2-MIB::snmpMIB",
        "IF-MIB::interfaces",
        "IF-MIB::ifMIB",
        "SNMP-VIEW-BASED-ACM-MIB::snmpVacmMIB",
        "SNMP-USER-BASED-SM-MIB::snmpUsmMIB",
        "SNMP-FRAMEWORK-MIB::snmpFrameworkMIB",
        "OXSNMP-RENDER-TEST-MIB::oxRenderTestMIB",
    ] {
        let (theirs, ours) = run(&tree_dirs, tree_modules, &["-Tp", name]);
        seen.extend(same(
            &format!("translate -Tp {name}"),
            theirs,
            ours,
            &mut failures,
        ));
    }
    for args in [
        &["-On", "IF-MIB::ifDescr.3"][..],
        &["-Os", ".1.3.6.1.2.1.2.2.1.7.2"],
        &["-OS", ".1.3.6.1.6.3.16.1.2.1.3.3.4.117.115.101.114"],
        &["-Of", "SNMP-VIEW-BASED-ACM-MIB::vacmGroupName.3.\"user\""],
        &["-IR", "-On", "ifHCInOctets.7"],
    ] {
        let (theirs, ours) = run(&tree_dirs, tree_modules, args);
        seen.extend(same(
            &format!("translate {}", args.join(" ")),
            theirs,
            ours,
            &mut failures,
        ));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    for text in [
        &b"  DESCRIPTION\t\"A textual description of the entity."[..],
        b"  SYNTAX\tBITS {zero(0), one(1), two(2), seven(7), eight(8), twelve(12)} ",
        b"  INDEX\t\t{ IMPLIED oxUserName }",
        b"oxRenderTestMIB MODULE-IDENTITY",
        b"   +-- -R-- EnumVal   ifType(3)",
        b"|  Index: vacmSecurityModel, vacmSecurityName",
        b".iso.org.dod.internet.snmpV2.snmpModules.snmpVacmMIB.vacmMIBObjects.vacmSecurityToGroupTable.vacmSecurityToGroupEntry.vacmGroupName.3.\"user\"",
    ] {
        assert!(
            contains(&seen, text),
            "snmptranslate did not print {:?}; its output:\n{}",
            String::from_utf8_lossy(text),
            String::from_utf8_lossy(&seen)
        );
    }
}
