//! Every object of the real MIB sets, name -> OID and OID -> name, against
//! Net-SNMP's `snmptranslate` on the same directories.

mod support;

use std::collections::{BTreeMap, BTreeSet};

use oxsnmp_core::Oid;
use oxsnmp_mib::search::ModuleSelection;
use oxsnmp_mib::{MibLoader, Mibs, OidStyle};
use support::{require_mibs, require_tool, snmptranslate, tz_pairs};

/// The directory sets compared: each holds the SMI modules it needs.
fn sets(root: &std::path::Path) -> Vec<(String, String)> {
    let d = |s: &str| root.join(s).display().to_string();
    vec![
        ("npm".into(), d("npm")),
        (
            "erlang".into(),
            format!("{}:{}", d("erlang"), d("erlang/v1")),
        ),
        (
            "netsnmp+erlang".into(),
            format!("{}:{}", d("erlang"), d("netsnmp")),
        ),
    ]
}

fn load(dirs: &str) -> Mibs {
    MibLoader::new()
        .mib_dirs(dirs)
        .selection(ModuleSelection::All)
        .load()
        .expect("load")
}

/// Net-SNMP's tree: (label, numeric OID) of every node (`-Tz`).
fn netsnmp_tree(dirs: &str) -> BTreeSet<(String, String)> {
    tz_pairs(&snmptranslate(dirs, &["-m", "ALL", "-Tz"]))
}

fn ours_tree(mibs: &Mibs) -> BTreeSet<(String, String)> {
    let mut out = BTreeSet::new();
    for module in mibs.file_module_names() {
        for (name, o) in mibs.module_definitions(module) {
            // Net-SNMP's -Tz leaves out its three built-in roots.
            if ["iso", "ccitt", "joint-iso-ccitt"].contains(&name) {
                continue;
            }
            out.insert((name.to_owned(), o.oid().to_string()));
        }
    }
    out
}

#[test]
fn names_and_oids_match_snmptranslate() {
    let Some(root) = require_mibs("names_and_oids_match_snmptranslate") else {
        return;
    };
    if !require_tool("names_and_oids_match_snmptranslate", "snmptranslate") {
        return;
    }
    let (mut pairs, mut pairs_ok, mut names, mut names_ok) = (0, 0, 0, 0);
    for (set, dirs) in sets(&root) {
        let mibs = load(&dirs);
        let theirs = netsnmp_tree(&dirs);
        let ours = ours_tree(&mibs);
        assert!(
            theirs.len() > 100,
            "{set}: snmptranslate -Tz gave {} nodes",
            theirs.len()
        );
        // Name -> OID: every pair Net-SNMP knows, found in ours.
        let missing: Vec<_> = theirs.difference(&ours).collect();
        let extra: Vec<_> = ours.difference(&theirs).collect();
        let agree = theirs.len() - missing.len();
        let ratio = agree as f64 / theirs.len() as f64;
        println!(
            "{set}: {} name/OID pairs from snmptranslate, {agree} found in oxsnmp ({:.3}%); \
             oxsnmp has {} pairs Net-SNMP lacks",
            theirs.len(),
            ratio * 100.0,
            extra.len()
        );
        for m in &missing {
            println!("  only Net-SNMP: {} {}", m.0, m.1);
        }
        for e in &extra {
            println!("  only oxsnmp:   {} {}", e.0, e.1);
        }

        // OID -> name: -Os for every OID, one snmptranslate call.
        let oids: Vec<&str> = theirs
            .iter()
            .map(|(_, o)| o.as_str())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let args: Vec<String> = ["-m", "ALL", "-Os"]
            .iter()
            .map(|s| s.to_string())
            .chain(oids.iter().map(|o| format!(".{o}")))
            .collect();
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let their_names: Vec<String> = snmptranslate(&dirs, &args)
            .lines()
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect();
        assert_eq!(their_names.len(), oids.len(), "{set}: one name per OID");
        let style = OidStyle {
            format: oxsnmp_mib::OidFormat::Name,
            ..OidStyle::default()
        };
        let mut same = 0;
        let mut differ = BTreeMap::new();
        for (oid, theirs) in oids.iter().zip(&their_names) {
            let o: Oid = oid.parse().unwrap();
            let ours = mibs.format_oid(&o, style);
            if &ours == theirs {
                same += 1;
            } else {
                differ.insert(oid.to_string(), (theirs.clone(), ours));
            }
        }
        let ratio_names = same as f64 / oids.len() as f64;
        println!(
            "{set}: OID -> name (-Os) agrees on {same} of {} ({:.3}%)",
            oids.len(),
            ratio_names * 100.0
        );
        for (oid, (t, o)) in &differ {
            println!("  {oid}: Net-SNMP {t}, oxsnmp {o}");
        }
        pairs += theirs.len();
        pairs_ok += agree;
        names += oids.len();
        names_ok += same;
        // Each set on its own: a few same-OID duplicates at most.
        assert!(missing.len() <= 3, "{set}: {} pairs missing", missing.len());
        assert!(differ.len() <= 3, "{set}: {} names differ", differ.len());
    }
    let ratio = pairs_ok as f64 / pairs as f64;
    let ratio_names = names_ok as f64 / names as f64;
    println!(
        "all sets: name -> OID {pairs_ok}/{pairs} ({:.3}%), OID -> name {names_ok}/{names} ({:.3}%)",
        ratio * 100.0,
        ratio_names * 100.0
    );
    assert!(ratio >= 0.999, "name -> OID agreement {ratio}");
    assert!(ratio_names >= 0.999, "OID -> name agreement {ratio_names}");
}
