//! The `mib_parse` fuzz target's seeds (`fuzz/corpus/mib_parse/seed-*`)
//! and the inputs it found, replayed on stable Rust through the public
//! loader (`load_files`, built-in modules included) with the target's
//! invariants: loading never fails or panics, every object a loaded
//! module defines has at most 128 arcs, is found again by `lookup`, and
//! prints as text that parses back to the same OID.

use std::path::{Path, PathBuf};

use oxsnmp_mib::{load_files, OidFormat, OidStyle, MAX_OID_ARCS};

fn seeds() -> Vec<(PathBuf, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz/corpus/mib_parse");
    let mut out: Vec<(PathBuf, Vec<u8>)> = std::fs::read_dir(&dir)
        .expect("fuzz/corpus/mib_parse")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("seed-"))
        })
        .map(|p| {
            let bytes = std::fs::read(&p).expect("readable seed");
            (p, bytes)
        })
        .collect();
    out.sort();
    out
}

#[test]
fn mib_seeds_load_and_names_round_trip() {
    let seeds = seeds();
    assert!(seeds.len() >= 8, "seed corpus missing");
    let dir = std::env::temp_dir().join(format!("oxsnmp-mib-seeds-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let mut objects = 0;
    for (path, bytes) in seeds {
        // The target's first octet 0x01 only asks for the built-in modules,
        // which `load_files` always has.
        let text = bytes.strip_prefix(b"\x01").unwrap_or(&bytes);
        let file = dir.join("SEED-MIB.txt");
        std::fs::write(&file, text).unwrap();
        let mibs = load_files(&[&file]).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let modules: Vec<String> = mibs.file_module_names().map(str::to_owned).collect();
        for module in &modules {
            for (name, object) in mibs.module_definitions(module) {
                let oid = object.oid();
                assert!(oid.len() <= MAX_OID_ARCS, "{module}::{name}");
                if oid.is_empty() {
                    continue;
                }
                objects += 1;
                let (found, rest) = mibs.lookup(&oid).expect("found again");
                assert!(rest.is_empty(), "{module}::{name}");
                assert_eq!(found.oid(), oid);
                for format in [OidFormat::Numeric, OidFormat::Module, OidFormat::Full] {
                    let style = OidStyle {
                        format,
                        decode_index: false,
                        ..OidStyle::default()
                    };
                    let text = mibs.format_oid(&oid, style);
                    assert_eq!(mibs.parse_oid(&text).ok(), Some(oid.clone()), "{text}");
                }
            }
        }
    }
    assert!(objects > 50, "only {objects} objects checked");
    let _ = std::fs::remove_dir_all(&dir);
}
