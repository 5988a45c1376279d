//! Net-SNMP's rule for the module (and label) printed for an OID several
//! modules define, on small modules written here (no corpus needed): the
//! module Net-SNMP links first names it.

mod support;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use oxsnmp_core::Oid;
use oxsnmp_mib::{MibLoader, OidStyle};

/// A fresh directory with the given files.
fn dir_with(tag: &str, files: &[(&str, &str)]) -> PathBuf {
    let d = std::env::temp_dir().join(format!("oxsnmp-link-order-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("temp dir");
    for (name, text) in files {
        std::fs::write(d.join(name), text).expect("write MIB");
    }
    d
}

fn module(name: &str, imports: &str, body: &str) -> String {
    format!(
        "{name} DEFINITIONS ::= BEGIN\nIMPORTS enterprises FROM SNMPv2-SMI{imports};\n{body}\nEND\n"
    )
}

fn name_of(dir: &Path, modules: &str, oid: &str) -> String {
    let mibs = MibLoader::new()
        .mib_dirs(&dir.display().to_string())
        .modules(modules)
        .load()
        .expect("load");
    let oid: Oid = oid.parse().expect("OID");
    mibs.format_oid(&oid, OidStyle::default())
}

#[test]
fn the_first_module_linked_names_a_shared_oid() {
    let a = module(
        "A-MIB",
        "",
        "aRoot OBJECT IDENTIFIER ::= { enterprises 99999 }",
    );
    let b = module(
        "B-MIB",
        "",
        "bRoot OBJECT IDENTIFIER ::= { enterprises 99999 }",
    );
    // C-MIB imports a name from B-MIB, so Net-SNMP reads B-MIB first.
    let c = module(
        "C-MIB",
        "\n  bRoot FROM B-MIB",
        "cThing OBJECT IDENTIFIER ::= { bRoot 1 }",
    );
    // D-MIB imports only a macro from B-MIB: Net-SNMP does not read it.
    let d = module(
        "D-MIB",
        "\n  OBJECT-TYPE FROM B-MIB",
        "dThing OBJECT IDENTIFIER ::= { enterprises 99998 }",
    );
    let dir = dir_with(
        "shared",
        &[("a.txt", &a), ("b.txt", &b), ("c.txt", &c), ("d.txt", &d)],
    );
    let shared = "1.3.6.1.4.1.99999";
    assert_eq!(name_of(&dir, "A-MIB:B-MIB", shared), "A-MIB::aRoot");
    assert_eq!(name_of(&dir, "B-MIB:A-MIB", shared), "B-MIB::bRoot");
    assert_eq!(name_of(&dir, "C-MIB:A-MIB", shared), "B-MIB::bRoot");
    assert_eq!(name_of(&dir, "D-MIB:A-MIB:B-MIB", shared), "A-MIB::aRoot");
    // -m ALL reads the last file's module first: d, c (and B-MIB through
    // its import), b, a.
    assert_eq!(name_of(&dir, "ALL", shared), "B-MIB::bRoot");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn names_rooted_outside_their_module_link_last() {
    // E-MIB uses `enterprises` without importing it: Net-SNMP links its
    // names only after every module (as orphans), so F-MIB, read later,
    // still names the OID.
    let e = "E-MIB DEFINITIONS ::= BEGIN\n\
             eRoot OBJECT IDENTIFIER ::= { enterprises 99999 }\nEND\n";
    let f = module(
        "F-MIB",
        "",
        "fRoot OBJECT IDENTIFIER ::= { enterprises 99999 }",
    );
    let dir = dir_with("orphans", &[("e.txt", e), ("f.txt", &f)]);
    assert_eq!(
        name_of(&dir, "E-MIB:F-MIB", "1.3.6.1.4.1.99999"),
        "F-MIB::fRoot"
    );
    // Without a rival the orphan is still found.
    assert_eq!(name_of(&dir, "E-MIB", "1.3.6.1.4.1.99999"), "E-MIB::eRoot");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn within_one_module_the_last_label_wins() {
    let g = module(
        "G-MIB",
        "",
        "gFirst OBJECT IDENTIFIER ::= { enterprises 99999 }\n\
         gSecond OBJECT IDENTIFIER ::= { enterprises 99999 }",
    );
    let dir = dir_with("within", &[("g.txt", &g)]);
    assert_eq!(
        name_of(&dir, "G-MIB", "1.3.6.1.4.1.99999"),
        "G-MIB::gSecond"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_defval_before_the_description_is_accepted() {
    let h = module(
        "H-MIB",
        ", OBJECT-TYPE, Integer32 FROM SNMPv2-SMI",
        "hRoot OBJECT IDENTIFIER ::= { enterprises 99999 }\n\
         hValue OBJECT-TYPE\n    SYNTAX Integer32\n    MAX-ACCESS read-only\n    STATUS current\n\
         \tDEFVAL { 7 }\n    DESCRIPTION \"A value.\"\n    ::= { hRoot 1 }",
    );
    let dir = dir_with("defval", &[("h.txt", &h)]);
    assert_eq!(
        name_of(&dir, "H-MIB", "1.3.6.1.4.1.99999.1.0"),
        "H-MIB::hValue.0"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// Faults of vendor MIBs that Net-SNMP reads: SMIv1 `ACCESS`/`mandatory`
/// in an SMIv2 module, a type used without its import, an underscore,
/// `REFERENCE` or `INDEX` before `DESCRIPTION`, `DEFVAL` first, no
/// `DESCRIPTION`, trailing commas. Every name is read, and (with
/// snmptranslate installed) the tree is snmptranslate's.
const VENDOR_FAULTS: &str = "V-MIB DEFINITIONS ::= BEGIN
IMPORTS enterprises, OBJECT-TYPE, Integer32 FROM SNMPv2-SMI
        DisplayString FROM SNMPv2-TC;
vRoot OBJECT IDENTIFIER ::= { enterprises 99990 }
vAccess OBJECT-TYPE
    SYNTAX Integer32
    ACCESS read-only
    STATUS mandatory
    DESCRIPTION \"SMIv1 clauses\"
    ::= { vRoot 3 }
vUnimported OBJECT-TYPE
    SYNTAX Counter32
    MAX-ACCESS read-only
    STATUS current
    DESCRIPTION \"Counter32 is not imported\"
    ::= { vRoot 4 }
v_underscore OBJECT-TYPE
    SYNTAX Integer32
    MAX-ACCESS read-only
    STATUS current
    DESCRIPTION \"an underscore\"
    ::= { vRoot 5 }
vReference OBJECT-TYPE
    SYNTAX Integer32
    MAX-ACCESS read-only
    STATUS current
    REFERENCE \"r\"
    DESCRIPTION \"REFERENCE first\"
    ::= { vRoot 7 }
vNoDescription OBJECT-TYPE
    SYNTAX Integer32
    MAX-ACCESS read-only
    STATUS current
    ::= { vRoot 8 }
vTable OBJECT-TYPE
    SYNTAX SEQUENCE OF VEntry
    MAX-ACCESS not-accessible
    STATUS current
    DESCRIPTION \"t\"
    ::= { vRoot 9 }
vEntry OBJECT-TYPE
    SYNTAX VEntry
    MAX-ACCESS not-accessible
    STATUS current
    INDEX { vIdx }
    DESCRIPTION \"INDEX first\"
    ::= { vTable 1 }
VEntry ::= SEQUENCE { vIdx Integer32, vVal DisplayString, }
vIdx OBJECT-TYPE
    SYNTAX Integer32
    MAX-ACCESS read-only
    STATUS current
    DESCRIPTION \"i\"
    ::= { vEntry 1 }
vVal OBJECT-TYPE
    SYNTAX DisplayString
    MAX-ACCESS read-only
    STATUS current
    DEFVAL { \"\" }
    DESCRIPTION \"DEFVAL first\"
    ::= { vEntry 2 }
vEnum OBJECT-TYPE
    SYNTAX INTEGER { up(1), down(2), }
    MAX-ACCESS read-only
    STATUS current
    DESCRIPTION \"a trailing comma\"
    ::= { vRoot 11 }
END
";

/// More: imports from the wrong module (`DisplayString FROM SNMPv2-SMI`)
/// and from a module that is nowhere, SMIv1's `Counter` in SMIv2, a range on
/// `INTEGER`, an uppercase object name, a TEXTUAL-CONVENTION without
/// DESCRIPTION, a NOTIFICATION-TYPE without STATUS and with DESCRIPTION
/// first, a bad LAST-UPDATED, a hyphen in a name.
const MORE_VENDOR_FAULTS: &str = "W-MIB DEFINITIONS ::= BEGIN
IMPORTS enterprises, OBJECT-TYPE, MODULE-IDENTITY, NOTIFICATION-TYPE FROM SNMPv2-SMI
        DisplayString FROM SNMPv2-SMI
        Counter FROM RFC1155-SMI
        vendorThing FROM VENDOR-MISSING-MIB
        TEXTUAL-CONVENTION FROM SNMPv2-TC;
wMIB MODULE-IDENTITY
    LAST-UPDATED \"2001\"
    ORGANIZATION \"o\"
    CONTACT-INFO \"c\"
    DESCRIPTION \"d\"
    ::= { enterprises 99991 }
WState ::= TEXTUAL-CONVENTION
    STATUS current
    SYNTAX INTEGER { on(1), off(2) }
wWrongImport OBJECT-TYPE
    SYNTAX DisplayString
    MAX-ACCESS read-only
    STATUS current
    DESCRIPTION \"imported from the wrong module\"
    ::= { wMIB 1 }
wV1Counter OBJECT-TYPE
    SYNTAX Counter
    MAX-ACCESS read-only
    STATUS current
    DESCRIPTION \"SMIv1 Counter in SMIv2\"
    ::= { wMIB 2 }
wRange OBJECT-TYPE
    SYNTAX INTEGER (0..65535)
    MAX-ACCESS read-only
    STATUS current
    DESCRIPTION \"r\"
    ::= { wMIB 3 }
WUpper OBJECT-TYPE
    SYNTAX INTEGER
    MAX-ACCESS read-only
    STATUS current
    DESCRIPTION \"uppercase name\"
    ::= { wMIB 4 }
wState OBJECT-TYPE
    SYNTAX WState
    MAX-ACCESS read-only
    STATUS current
    DESCRIPTION \"TC without DESCRIPTION\"
    ::= { wMIB 5 }
wTrap NOTIFICATION-TYPE
    OBJECTS { wState }
    DESCRIPTION \"no STATUS\"
    ::= { wMIB 0 6 }
wUnderVendor OBJECT IDENTIFIER ::= { vendorThing 7 }
wHex OBJECT-TYPE
    SYNTAX OCTET STRING
    MAX-ACCESS read-only
    STATUS current
    DESCRIPTION \"h\"
    DEFVAL { '0A'H }
    ::= { wMIB 8 }
wDash-name OBJECT IDENTIFIER ::= { wMIB 9 }
wLast OBJECT IDENTIFIER ::= { wMIB 10 }
END
";

/// SMIv1 faults: SMIv2 clauses, Counter64 and an unimported IpAddress in an
/// SMIv1 module, no DESCRIPTION, a DEFVAL naming no enumeration label.
const SMIV1_FAULTS: &str = "X-MIB DEFINITIONS ::= BEGIN
IMPORTS enterprises, OBJECT-TYPE FROM RFC1155-SMI
        TRAP-TYPE FROM RFC-1215
        DisplayString FROM RFC1213-MIB;
xRoot OBJECT IDENTIFIER ::= { enterprises 99992 }
xA OBJECT-TYPE
    SYNTAX INTEGER
    ACCESS read-only
    STATUS mandatory
    ::= { xRoot 1 }
xB OBJECT-TYPE
    SYNTAX DisplayString
    MAX-ACCESS read-only
    STATUS current
    DESCRIPTION \"SMIv2 clauses in SMIv1\"
    ::= { xRoot 2 }
xTrap TRAP-TYPE
    ENTERPRISE xRoot
    VARIABLES { xA }
    DESCRIPTION \"t\"
    ::= 3
xC OBJECT-TYPE
    SYNTAX Counter64
    ACCESS read-only
    STATUS mandatory
    DESCRIPTION \"Counter64 in SMIv1\"
    ::= { xRoot 4 }
xD OBJECT-TYPE
    SYNTAX OBJECT IDENTIFIER
    ACCESS read-only
    STATUS deprecated
    DESCRIPTION \"d\"
    ::= { xRoot 5 }
xE OBJECT-TYPE
    SYNTAX INTEGER { a(1), b(2) }
    ACCESS read-write
    STATUS mandatory
    DESCRIPTION \"e\"
    DEFVAL { c }
    ::= { xRoot 6 }
xF OBJECT-TYPE
    SYNTAX IpAddress
    ACCESS read-only
    STATUS mandatory
    DESCRIPTION \"unimported IpAddress\"
    ::= { xRoot 7 }
xG OBJECT IDENTIFIER ::= { xRoot 8 }
xH OBJECT IDENTIFIER ::= { xG 1 }
END
";

/// SMIv2 faults Net-SNMP complains about but reads: a REVISION without its
/// DESCRIPTION, an OBJECT-IDENTITY without STATUS, a TEXTUAL-CONVENTION with
/// DISPLAY-HINT after STATUS, a table whose entry type is nowhere, an
/// unknown SYNTAX.
const SMIV2_FAULTS: &str = "Y-MIB DEFINITIONS ::= BEGIN
IMPORTS enterprises, OBJECT-TYPE, MODULE-IDENTITY, OBJECT-IDENTITY, Integer32 FROM SNMPv2-SMI
        TEXTUAL-CONVENTION FROM SNMPv2-TC
        OBJECT-GROUP FROM SNMPv2-CONF;
yMIB MODULE-IDENTITY
    LAST-UPDATED \"200101010000Z\"
    ORGANIZATION \"o\"
    CONTACT-INFO \"c\"
    DESCRIPTION \"d\"
    REVISION \"200101010000Z\"
    ::= { enterprises 99993 }
yIdent OBJECT-IDENTITY
    DESCRIPTION \"no STATUS\"
    ::= { yMIB 1 }
YHinted ::= TEXTUAL-CONVENTION
    STATUS current
    DISPLAY-HINT \"d\"
    DESCRIPTION \"hint after status\"
    SYNTAX Integer32
yHinted OBJECT-TYPE
    SYNTAX YHinted
    MAX-ACCESS read-only
    STATUS current
    DESCRIPTION \"h\"
    ::= { yMIB 2 }
yNoEntryType OBJECT-TYPE
    SYNTAX SEQUENCE OF YMissingEntry
    MAX-ACCESS not-accessible
    STATUS current
    DESCRIPTION \"entry type undefined\"
    ::= { yMIB 3 }
yRow OBJECT-TYPE
    SYNTAX YMissingEntry
    MAX-ACCESS not-accessible
    STATUS current
    DESCRIPTION \"r\"
    INDEX { yCol }
    ::= { yNoEntryType 1 }
yCol OBJECT-TYPE
    SYNTAX Integer32
    MAX-ACCESS read-only
    STATUS current
    DESCRIPTION \"c\"
    ::= { yRow 1 }
yGroup OBJECT-GROUP
    OBJECTS { yHinted }
    STATUS current
    DESCRIPTION \"g\"
    ::= { yMIB 4 }
yUndefinedType OBJECT-TYPE
    SYNTAX NoSuchType
    MAX-ACCESS read-only
    STATUS current
    DESCRIPTION \"u\"
    ::= { yMIB 5 }
yReadOnlyIndex OBJECT-TYPE
    SYNTAX Integer32 (1..10)
    MAX-ACCESS read-write
    STATUS current
    DESCRIPTION \"x\"
    ::= { yMIB 6 }
END
";

const MODULES: &str = "V-MIB:W-MIB:X-MIB:Y-MIB";

#[test]
fn vendor_faults_that_netsnmp_reads_are_read() {
    let dir = dir_with(
        "vendor",
        &[
            ("V-MIB.txt", VENDOR_FAULTS),
            ("W-MIB.txt", MORE_VENDOR_FAULTS),
            ("X-MIB.txt", SMIV1_FAULTS),
            ("Y-MIB.txt", SMIV2_FAULTS),
        ],
    );
    let mibs = MibLoader::new()
        .mib_dirs(&dir.display().to_string())
        .modules(MODULES)
        .load()
        .expect("load");
    let ours: BTreeSet<(String, String)> = ["V-MIB", "W-MIB", "X-MIB", "Y-MIB"]
        .iter()
        .flat_map(|m| mibs.module_definitions(m))
        .map(|(n, o)| (n.to_owned(), o.oid().to_string()))
        .collect();
    for (name, arcs) in [
        ("vAccess", "0.3"),
        ("vUnimported", "0.4"),
        ("v_underscore", "0.5"),
        ("vReference", "0.7"),
        ("vNoDescription", "0.8"),
        ("vEntry", "0.9.1"),
        ("vIdx", "0.9.1.1"),
        ("vVal", "0.9.1.2"),
        ("vEnum", "0.11"),
        ("wTrap", "1.0.6"),
        ("wWrongImport", "1.1"),
        ("wV1Counter", "1.2"),
        ("wRange", "1.3"),
        ("WUpper", "1.4"),
        ("wState", "1.5"),
        ("wHex", "1.8"),
        ("wDash-name", "1.9"),
        ("xTrap", "2.0.3"),
        ("xB", "2.2"),
        ("xC", "2.4"),
        ("xF", "2.7"),
        ("yMIB", "3"),
        ("yIdent", "3.1"),
        ("yHinted", "3.2"),
        ("yCol", "3.3.1.1"),
        ("yUndefinedType", "3.5"),
    ] {
        let pair = (name.to_owned(), format!("1.3.6.1.4.1.9999{arcs}"));
        assert!(ours.contains(&pair), "{pair:?} not in {ours:?}");
    }
    // Net-SNMP needs the SMI modules as files: erlang-snmp's (and npm's
    // RFC1213-MIB, which X-MIB imports from).
    const TEST: &str = "vendor_faults_that_netsnmp_reads_are_read";
    if let (Some(mibs_root), true) = (
        support::require_mibs(TEST),
        support::require_tool(TEST, "snmptranslate"),
    ) {
        let dirs = format!(
            "{}:{}:{}:{}",
            mibs_root.join("erlang").display(),
            mibs_root.join("erlang/v1").display(),
            mibs_root.join("npm").display(),
            dir.display()
        );
        let theirs: BTreeSet<(String, String)> =
            support::snmptranslate(&dirs, &["-m", MODULES, "-Pu", "-Tz"])
                .lines()
                .filter_map(|l| {
                    let mut parts = l.split('"').filter(|p| !p.trim().is_empty());
                    Some((parts.next()?.to_owned(), parts.next()?.to_owned()))
                })
                // `anonymous#0`: Net-SNMP's name for the unnamed `{ wMIB 0 }`.
                .filter(|(l, oid)| oid.starts_with("1.3.6.1.4.1.9999") && !l.contains('#'))
                .collect();
        assert_eq!(ours, theirs, "the trees differ from snmptranslate's");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_definition_the_compiler_cannot_parse_is_a_warning_with_its_line() {
    let z = module(
        "Z-MIB",
        ", OBJECT-TYPE FROM SNMPv2-SMI",
        "zRoot OBJECT IDENTIFIER ::= { enterprises 99999 }\n\
         zBroken OBJECT-TYPE\n    MAX-ACCESS read-only\n    STATUS current\n    ::= { zRoot 1 }",
    );
    let dir = dir_with("syntax", &[("z.txt", &z)]);
    let mibs = MibLoader::new()
        .mib_dirs(&dir.display().to_string())
        .modules("Z-MIB")
        .load()
        .expect("load");
    let warning = mibs
        .warnings()
        .iter()
        .find(|w| w.message.contains("expected SYNTAX"))
        .unwrap_or_else(|| panic!("no syntax warning in {:?}", mibs.warnings()));
    assert!(
        warning
            .file
            .as_deref()
            .is_some_and(|f| f.ends_with("z.txt")),
        "{warning}"
    );
    assert_eq!(warning.line, Some(5), "{warning}");
    // The rest of the module is still there.
    assert!(mibs.object("Z-MIB::zRoot").is_some());
    let _ = std::fs::remove_dir_all(&dir);
}
