//! Broken MIB files give warnings (or are skipped) in bounded time and
//! memory, never a panic, and the rest of the set stays usable.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use oxsnmp_mib::{load_files, MibLoader};

fn dir(tag: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("oxsnmp-mib-hostile-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

const GOOD: &str = "GOOD-MIB DEFINITIONS ::= BEGIN
IMPORTS OBJECT-TYPE, Integer32, enterprises FROM SNMPv2-SMI;
good OBJECT IDENTIFIER ::= { enterprises 4242 }
goodValue OBJECT-TYPE SYNTAX Integer32 MAX-ACCESS read-only STATUS current
    DESCRIPTION \"x\" ::= { good 1 }
END
";

#[test]
fn broken_files_are_reported_and_the_rest_loads() {
    let d = dir("mixed");
    let mut chain = String::from("DEEP-MIB DEFINITIONS ::= BEGIN\nIMPORTS enterprises FROM SNMPv2-SMI;\nn0 OBJECT IDENTIFIER ::= { enterprises 1 }\n");
    for i in 1..5000 {
        chain.push_str(&format!("n{i} OBJECT IDENTIFIER ::= {{ n{} 1 }}\n", i - 1));
    }
    chain.push_str("END\n");
    let files: Vec<(&str, Vec<u8>)> = vec![
        ("GOOD-MIB.txt", GOOD.as_bytes().to_vec()),
        ("TRUNC-MIB.txt", GOOD.replace("GOOD", "TRUNC").as_bytes()[..120].to_vec()),
        ("GARBAGE.txt", (0..4096u32).map(|i| (i * 7919 % 251) as u8 | 1).collect()),
        ("NUL-MIB.txt", b"NUL-MIB DEFINITIONS ::= BEGIN\nfoo OBJECT IDENTIFIER ::= { iso 9 }\n\0\nEND\n".to_vec()),
        ("SELF-MIB.txt", b"SELF-MIB DEFINITIONS ::= BEGIN\nIMPORTS selfThing FROM SELF-MIB;\nselfThing OBJECT IDENTIFIER ::= { selfThing 1 }\nEND\n".to_vec()),
        ("CIRC-A.txt", b"CIRC-A DEFINITIONS ::= BEGIN\nIMPORTS b FROM CIRC-B;\na OBJECT IDENTIFIER ::= { b 1 }\nEND\n".to_vec()),
        ("CIRC-B.txt", b"CIRC-B DEFINITIONS ::= BEGIN\nIMPORTS a FROM CIRC-A;\nb OBJECT IDENTIFIER ::= { a 1 }\nEND\n".to_vec()),
        ("DEEP-MIB.txt", chain.into_bytes()),
    ];
    for (name, bytes) in &files {
        std::fs::write(d.join(name), bytes).unwrap();
    }
    let start = Instant::now();
    let mibs = MibLoader::new()
        .dir(&d)
        .modules("ALL")
        .load()
        .expect("a broken file never fails the whole load");
    assert!(start.elapsed() < Duration::from_secs(60), "bounded time");
    let warnings: Vec<String> = mibs.warnings().iter().map(|w| w.to_string()).collect();
    let has = |needle: &str| warnings.iter().any(|w| w.contains(needle));
    assert!(
        has("NUL-MIB.txt:3: ") || has("NUL-MIB.txt: line 3"),
        "{warnings:#?}"
    );
    assert!(has("NUL byte"), "{warnings:#?}");
    assert!(has("DEEP-MIB.txt:"), "{warnings:#?}");
    assert!(has("over SNMP's limit of 128"), "{warnings:#?}");
    // The good module is usable; the deep one was refused, not compiled.
    assert_eq!(
        mibs.parse_oid("GOOD-MIB::goodValue.0").unwrap().to_string(),
        "1.3.6.1.4.1.4242.1.0"
    );
    assert!(mibs.object("n4999").is_none());
    assert!(mibs
        .module_names()
        .all(|m| m != "DEEP-MIB" && m != "NUL-MIB"));
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn oids_over_128_arcs_are_rejected() {
    let mibs = oxsnmp_mib::Mibs::builtin();
    let long = format!("SNMPv2-MIB::sysDescr{}", ".1".repeat(125));
    assert!(mibs.parse_oid(&long).is_err());
    let ok = format!("SNMPv2-MIB::sysDescr{}", ".1".repeat(100));
    assert!(mibs.parse_oid(&ok).is_ok());
}

#[test]
fn loading_single_files_reports_missing_imports() {
    let d = dir("single");
    let p = d.join("ORPHAN-MIB.txt");
    std::fs::write(&p, "ORPHAN-MIB DEFINITIONS ::= BEGIN\nIMPORTS thing FROM NOWHERE-MIB;\norphan OBJECT IDENTIFIER ::= { thing 1 }\nEND\n").unwrap();
    let mibs = load_files(&[&p]).expect("load");
    assert!(mibs.object("orphan").is_none() || mibs.warnings().iter().any(|w| w.file.is_some()));
    let _ = std::fs::remove_dir_all(&d);
}

/// Found by the `mib_parse` fuzz target: a module naming `org(6)` under
/// `iso` gives `iso` two children labelled `org`. Full paths are parsed
/// label by label (the first child of that name), so only that child may
/// print as `org`; the other prints as its number, and every name still
/// prints as a path that parses back to its own OID.
#[test]
fn two_arcs_with_one_label_still_print_as_paths_that_parse_back() {
    use oxsnmp_mib::{OidFormat, OidStyle};
    let d = dir("labels");
    let file = d.join("DUP-LABEL-MIB.txt");
    std::fs::write(
        &file,
        "DUP-LABEL-MIB DEFINITIONS ::= BEGIN
IMPORTS enterprises FROM SNMPv2-SMI;
elsewhere OBJECT IDENTIFIER ::= { iso org(6) dod(6) 1 4 1 99999 10 }
here OBJECT IDENTIFIER ::= { enterprises 99999 }
END
",
    )
    .unwrap();
    let mibs = load_files(&[&file]).unwrap();
    let full = OidStyle {
        format: OidFormat::Full,
        decode_index: false,
        ..OidStyle::default()
    };
    let mut printed = Vec::new();
    for name in ["elsewhere", "here"] {
        let oid = mibs.parse_oid(&format!("DUP-LABEL-MIB::{name}")).unwrap();
        let text = mibs.format_oid(&oid, full);
        assert_eq!(
            mibs.parse_oid(&text).ok(),
            Some(oid),
            "{name} printed as {text}"
        );
        printed.push(text);
    }
    assert!(
        printed
            .iter()
            .any(|t| t.starts_with(".iso.6.") || t.starts_with(".iso.3.")),
        "one of the two `org` arcs prints as its number: {printed:?}"
    );
    let _ = std::fs::remove_dir_all(&d);
}
