//! The whole corpus `.ci/prepare-mibs` fetches (Net-SNMP's, erlang-snmp's,
//! npm net-snmp's, vendor MIBs from Debian packages and mib-rs's problem
//! modules) loaded at once with `-m ALL`, against `snmptranslate`:
//!
//! * name -> OID: every (label, OID) pair `snmptranslate -Tz` lists is one
//!   oxsnmp knows too;
//! * OID -> name: for every one of those OIDs, oxsnmp prints the
//!   `MODULE::label` snmptranslate prints (its default `-OS` style), which
//!   covers the module chosen for an OID several modules define.
//!
//! Both directions must agree completely except for the pairs listed in
//! [`KNOWN_NAME_DIFFERENCES`] and [`KNOWN_OID_DIFFERENCES`], each with its
//! reason; a difference that appears or disappears fails the test.

mod support;

use std::collections::BTreeSet;
use std::path::Path;

use oxsnmp_core::Oid;
use oxsnmp_mib::search::ModuleSelection;
use oxsnmp_mib::{MibLoader, Mibs, OidStyle};
use support::{require_mibs, require_tool, snmptranslate, tz_pairs};

/// KAMAILIO-MIB defines `kamailioNetTcpConnLifetime` (`.3.5` and `.3.6`)
/// and `kamailioNetTcpConnSuccess` (`.2.4` and `.2.7`) twice at different
/// OIDs. Net-SNMP keeps a node for each; the compiler keeps one definition
/// per name in a module (the later), so the earlier OID has no name. Naming
/// it too would print a `MODULE::label` that reads back as the other OID.
const DUPLICATE_NAME: &str = "a module defines the name twice; the compiler keeps the later";
/// PROBLEM-INTEGRAL-OVERFLOW-MIB roots its tree at `{ iso 99998 42 }`: under
/// iso the second arc must be below 40 to be encoded (X.690 §8.19.4), so
/// no SNMP OID (and no oxsnmp `Oid`) holds it; Net-SNMP keeps it anyway.
const SECOND_ARC: &str = "iso.99998 cannot be BER-encoded";
/// The trap number 4294967303 is over 2^32 - 1, an arc no SNMP OID holds.
const OVER_32_BITS: &str = "an arc over 2^32 - 1";
/// PROBLEM-NOTIFICATIONS-MIB numbers a notification 2147483648 (2^31):
/// Net-SNMP reads it as a negative 32-bit number and prints the
/// sign-extended 18446744071562067968, no OID's arc; oxsnmp has the
/// notification at `.2147483648`.
const SIGN_EXTENDED: &str = "Net-SNMP sign-extends the arc 2^31";

/// (label, OID) pairs Net-SNMP lists that oxsnmp does not know, with why.
const KNOWN_NAME_DIFFERENCES: &[(&str, &str, &str)] = &[
    (
        "kamailioNetTcpConnLifetime",
        "1.3.6.1.4.1.34352.3.1.3.1.4.1.3.5",
        DUPLICATE_NAME,
    ),
    (
        "kamailioNetTcpConnSuccess",
        "1.3.6.1.4.1.34352.3.1.3.1.4.1.2.4",
        DUPLICATE_NAME,
    ),
    ("problemAfterOverflow", "1.99998.42.7", SECOND_ARC),
    ("problemIntegralOverflowRoot", "1.99998.42", SECOND_ARC),
    (
        "problemNotifIdTooLarge",
        "1.3.6.1.4.1.99998.8.2.0.18446744071562067968",
        SIGN_EXTENDED,
    ),
    ("problemOverflowNamed", "1.99998.42.1", SECOND_ARC),
    ("problemOverflowNegativeDefault", "1.99998.42.2", SECOND_ARC),
    (
        "problemOverflowNumericFirstOidDefault",
        "1.99998.42.5",
        SECOND_ARC,
    ),
    ("problemOverflowOidDefault", "1.99998.42.3", SECOND_ARC),
    ("problemOverflowPlain", "1.99998.42.0", SECOND_ARC),
    ("problemOverflowPositiveDefault", "1.99998.42.1", SECOND_ARC),
    (
        "problemOverflowTrap",
        "1.99998.42.0.4294967303",
        OVER_32_BITS,
    ),
    ("problemValidUnsignedDefault", "1.99998.42.4", SECOND_ARC),
];

/// (OID, what Net-SNMP prints, what oxsnmp prints, why).
const KNOWN_OID_DIFFERENCES: &[(&str, &str, &str, &str)] = &[
    (
        "1.3.6.1.4.1.34352.3.1.3.1.4.1.2.4",
        "KAMAILIO-MIB::kamailioNetTcpConnSuccess",
        "KAMAILIO-MIB::kamailioNetTcpStat.4",
        DUPLICATE_NAME,
    ),
    (
        "1.3.6.1.4.1.34352.3.1.3.1.4.1.3.5",
        "KAMAILIO-MIB::kamailioNetTcpConnLifetime",
        "KAMAILIO-MIB::kamailioNetTcpConfig.5",
        DUPLICATE_NAME,
    ),
    (
        "1.3.6.1.4.1.99998.8.2.0.18446744071562067968",
        "PROBLEM-NOTIFICATIONS-MIB::problemNotifIdTooLarge",
        "(not an SNMP OID)",
        SIGN_EXTENDED,
    ),
    (
        "1.99998.42",
        "PROBLEM-INTEGRAL-OVERFLOW-MIB::problemIntegralOverflowRoot",
        "(not an SNMP OID)",
        SECOND_ARC,
    ),
    (
        "1.99998.42.0",
        "PROBLEM-INTEGRAL-OVERFLOW-MIB::problemIntegralOverflowRoot#",
        "(not an SNMP OID)",
        SECOND_ARC,
    ),
    (
        "1.99998.42.0.4294967303",
        "PROBLEM-INTEGRAL-OVERFLOW-MIB::problemOverflowTrap",
        "(not an SNMP OID)",
        OVER_32_BITS,
    ),
    (
        "1.99998.42.1",
        "PROBLEM-INTEGRAL-OVERFLOW-MIB::problemOverflowPositiveDefault",
        "(not an SNMP OID)",
        SECOND_ARC,
    ),
    (
        "1.99998.42.2",
        "PROBLEM-INTEGRAL-OVERFLOW-MIB::problemOverflowNegativeDefault",
        "(not an SNMP OID)",
        SECOND_ARC,
    ),
    (
        "1.99998.42.3",
        "PROBLEM-INTEGRAL-OVERFLOW-MIB::problemOverflowOidDefault",
        "(not an SNMP OID)",
        SECOND_ARC,
    ),
    (
        "1.99998.42.4",
        "PROBLEM-INTEGRAL-OVERFLOW-MIB::problemValidUnsignedDefault",
        "(not an SNMP OID)",
        SECOND_ARC,
    ),
    (
        "1.99998.42.5",
        "PROBLEM-INTEGRAL-OVERFLOW-MIB::problemOverflowNumericFirstOidDefault",
        "(not an SNMP OID)",
        SECOND_ARC,
    ),
    (
        "1.99998.42.7",
        "PROBLEM-INTEGRAL-OVERFLOW-MIB::problemAfterOverflow",
        "(not an SNMP OID)",
        SECOND_ARC,
    ),
];

/// Every corpus directory, in the search order used (later ones win for a
/// module two directories define, in both tools).
fn corpus_dirs(root: &Path) -> String {
    let mut dirs = vec![
        root.join("erlang"),
        root.join("erlang/v1"),
        root.join("npm"),
        root.join("netsnmp"),
    ];
    if let Ok(entries) = std::fs::read_dir(root.join("debian")) {
        let mut debian: Vec<_> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.is_dir())
            .collect();
        debian.sort();
        dirs.extend(debian);
    }
    dirs.push(root.join("mib-rs"));
    dirs.iter()
        .map(|d| d.display().to_string())
        .collect::<Vec<_>>()
        .join(":")
}

fn netsnmp_tree(dirs: &str) -> BTreeSet<(String, String)> {
    tz_pairs(&snmptranslate(dirs, &["-m", "ALL", "-Pu", "-Tz"]))
}

fn ours_tree(mibs: &Mibs) -> BTreeSet<(String, String)> {
    let mut out = BTreeSet::new();
    for module in mibs.module_names() {
        for (name, o) in mibs.module_definitions(module) {
            out.insert((name.to_owned(), o.oid().to_string()));
        }
    }
    out
}

#[test]
fn whole_corpus_agrees_with_snmptranslate() {
    const TEST: &str = "whole_corpus_agrees_with_snmptranslate";
    let Some(root) = require_mibs(TEST) else {
        return;
    };
    if !require_tool(TEST, "snmptranslate") {
        return;
    }
    if !root.join("mib-rs").is_dir() || !root.join("debian").is_dir() {
        let msg = format!("{TEST}: the vendor corpus is missing; re-run .ci/prepare-mibs");
        assert!(!support::in_ci(), "{msg} (CI=true)");
        eprintln!("SKIP {msg}");
        return;
    }
    let dirs = corpus_dirs(&root);
    let mibs = MibLoader::new()
        .mib_dirs(&dirs)
        .selection(ModuleSelection::All)
        .load()
        .expect("load the corpus");
    let files: usize = dirs
        .split(':')
        .filter_map(|d| std::fs::read_dir(d).ok())
        .map(|e| {
            e.filter_map(Result::ok)
                .filter(|f| f.path().is_file() && !f.file_name().to_string_lossy().starts_with('.'))
                .count()
        })
        .sum();
    println!(
        "corpus: {files} files in {} directories, {} modules read from files",
        dirs.split(':').count(),
        mibs.modules_from_files()
    );
    for w in mibs.warnings() {
        println!("MIB warning: {w}");
    }
    let theirs = netsnmp_tree(&dirs);
    assert!(
        theirs.len() > 1000,
        "snmptranslate -Tz gave {}",
        theirs.len()
    );
    let ours = ours_tree(&mibs);

    // Name -> OID.
    let missing: BTreeSet<(String, String)> = theirs.difference(&ours).cloned().collect();
    let known: BTreeSet<(String, String)> = KNOWN_NAME_DIFFERENCES
        .iter()
        .map(|(l, o, _)| ((*l).to_owned(), (*o).to_owned()))
        .collect();
    println!(
        "name -> OID: {} of {} snmptranslate pairs found in oxsnmp ({} missing, {} known)",
        theirs.len() - missing.len(),
        theirs.len(),
        missing.len(),
        known.len()
    );
    for (label, oid) in &missing {
        println!("  only Net-SNMP: {label} {oid}");
    }
    // Not asserted: oxsnmp also names what Net-SNMP loses (modules it
    // cannot read, its built-in modules, repaired definitions).
    let extra: Vec<_> = ours.difference(&theirs).collect();
    println!("oxsnmp has {} pairs snmptranslate -Tz lacks", extra.len());
    for (label, oid) in &extra {
        println!("  only oxsnmp: {label} {oid}");
    }

    // OID -> MODULE::label, one snmptranslate call for all OIDs.
    let oids: Vec<&str> = theirs
        .iter()
        .map(|(_, o)| o.as_str())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let mut args: Vec<String> = ["-m", "ALL", "-Pu"].map(str::to_owned).to_vec();
    args.extend(oids.iter().map(|o| format!(".{o}")));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let their_names: Vec<String> = snmptranslate(&dirs, &args)
        .lines()
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect();
    assert_eq!(their_names.len(), oids.len(), "one name per OID");
    let mut differ: BTreeSet<(String, String, String)> = BTreeSet::new();
    for (oid, theirs) in oids.iter().zip(&their_names) {
        // Net-SNMP keeps arcs over 2^32 - 1 that SNMP cannot encode (a
        // MIB's overflowing number); no oxsnmp OID can hold them.
        let ours = match oid.parse::<Oid>() {
            Ok(o) => {
                let text = mibs.format_oid(&o, OidStyle::default());
                // What is printed reads back as the same OID.
                let back = mibs.parse_oid(&text);
                assert_eq!(back.as_ref().ok(), Some(&o), "{text} from .{oid}: {back:?}");
                text
            }
            Err(_) => "(not an SNMP OID)".to_owned(),
        };
        if &ours != theirs {
            differ.insert(((*oid).to_owned(), theirs.clone(), ours));
        }
    }
    let known_oids: BTreeSet<(String, String, String)> = KNOWN_OID_DIFFERENCES
        .iter()
        .map(|(o, t, u, _)| ((*o).to_owned(), (*t).to_owned(), (*u).to_owned()))
        .collect();
    println!(
        "OID -> MODULE::label: {} of {} agree ({} differ, {} known)",
        oids.len() - differ.len(),
        oids.len(),
        differ.len(),
        known_oids.len()
    );
    for (oid, t, o) in &differ {
        println!("  {oid}: Net-SNMP {t}, oxsnmp {o}");
    }
    assert_eq!(missing, known, "name -> OID differences changed");
    assert_eq!(differ, known_oids, "OID -> name differences changed");
}

/// OIDs that several of the standard modules define, some with different
/// labels: RFC1158-MIB, RFC1213-MIB, SNMPv2-MIB, IF-MIB and erlang's
/// STANDARD-MIB.
const SHARED_OIDS: &[&str] = &[
    "1.3.6.1.2.1.1",
    "1.3.6.1.2.1.1.1",
    "1.3.6.1.2.1.2.1",
    "1.3.6.1.2.1.2.2.1.2",
    "1.3.6.1.2.1.3.1.1.1",
    "1.3.6.1.2.1.4.21",
    "1.3.6.1.2.1.11.0.0",
    "1.3.6.1.2.1.11.30",
];

/// No `-m`: Net-SNMP's default module list.
const DEFAULT: &str = "(default)";

#[test]
fn the_module_named_for_a_shared_oid_is_netsnmps_under_any_load_order() {
    const TEST: &str = "the_module_named_for_a_shared_oid_is_netsnmps_under_any_load_order";
    let Some(root) = require_mibs(TEST) else {
        return;
    };
    if !require_tool(TEST, "snmptranslate") {
        return;
    }
    let d = |s: &str| root.join(s).display().to_string();
    let forward = format!("{}:{}:{}", d("erlang"), d("erlang/v1"), d("npm"));
    let backward = format!("{}:{}:{}", d("npm"), d("erlang/v1"), d("erlang"));
    let cases = [
        (&forward, "RFC1213-MIB:IF-MIB"),
        (&forward, "IF-MIB:RFC1213-MIB"),
        (&forward, "RFC1158-MIB:RFC1213-MIB"),
        (&forward, "RFC1213-MIB:RFC1158-MIB"),
        (&forward, "STANDARD-MIB:IF-MIB"),
        (&forward, "IF-MIB:STANDARD-MIB:RFC1158-MIB"),
        (&forward, "ALL"),
        (&backward, "ALL"),
        (&backward, "SNMPv2-MIB:RFC1213-MIB"),
        // Net-SNMP's default list, and additions after it.
        (&forward, DEFAULT),
        (&forward, "+RFC1213-MIB"),
        (&backward, "+RFC1158-MIB:STANDARD-MIB"),
    ];
    let mut ifdescr_modules = BTreeSet::new();
    let mut compared = 0;
    for (dirs, modules) in cases {
        let mut loader = MibLoader::new().mib_dirs(dirs);
        let mut args = vec!["-Pu"];
        if modules != DEFAULT {
            loader = loader.modules(modules);
            args.extend(["-m", modules]);
        }
        let mibs = loader.load().expect("load");
        let dotted: Vec<String> = SHARED_OIDS.iter().map(|o| format!(".{o}")).collect();
        args.extend(dotted.iter().map(String::as_str));
        let theirs: Vec<String> = snmptranslate(dirs, &args)
            .lines()
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect();
        assert_eq!(theirs.len(), SHARED_OIDS.len(), "-m {modules}: {theirs:?}");
        for (oid, theirs) in SHARED_OIDS.iter().zip(&theirs) {
            let o: Oid = oid.parse().expect("OID");
            let ours = mibs.format_oid(&o, OidStyle::default());
            assert_eq!(&ours, theirs, "-M {dirs} -m {modules}: .{oid}");
            compared += 1;
            if *oid == "1.3.6.1.2.1.2.2.1.2" {
                ifdescr_modules.insert(ours);
            }
        }
    }
    println!("{compared} OIDs named as snmptranslate names them; ifDescr as {ifdescr_modules:?}");
    // The cases do exercise the rule: ifDescr changes module with the order.
    assert!(
        ifdescr_modules.len() >= 3,
        "ifDescr was named {ifdescr_modules:?}"
    );
}
