//! Bytes as a MIB file into oxsnmp-mib's loader: the guard scan, the
//! mib-rs compiler and the conversion to our model
//! (`load_bytes_for_fuzzing`, the loader's own path from file contents on,
//! compiled with `--cfg fuzzing` only). Without the built-in modules
//! (SNMPv2-MIB and the SNMPv3 MIBs) unless the first octet asks for them:
//! they cost a compilation of their own each time. The compiler's SMI base
//! (SNMPv2-SMI, SNMPv2-TC, ...) is always there to import from.
//!
//! Invariants: no panic, in bounded time and memory (`fuzz/run.sh` runs
//! this target with `-timeout` and `-rss_limit_mb`); every object a loaded
//! module defines has an OID of 128 arcs or fewer, is found again by
//! `lookup` (same node, no instance part), and its name prints as text
//! that parses back to the same OID in the numeric, `MODULE::name` and
//! full styles; every warning names something.
#![no_main]

use libfuzzer_sys::fuzz_target;
use oxsnmp_mib::{load_bytes_for_fuzzing, OidFormat, OidStyle, MAX_OID_ARCS};

/// Objects checked per input (a module may define thousands).
const MAX_CHECKED: usize = 2000;

fuzz_target!(|data: &[u8]| {
    let (builtins, text) = match data.split_first() {
        Some((&b, rest)) if b == b'\x01' => (true, rest),
        _ => (false, data),
    };
    let Ok(mibs) = load_bytes_for_fuzzing("FUZZ-MIB.txt", text, builtins) else {
        return;
    };
    for w in mibs.warnings() {
        assert!(!w.to_string().is_empty());
    }
    let modules: Vec<String> = mibs.file_module_names().map(str::to_owned).collect();
    let mut checked = 0;
    for module in &modules {
        for (name, object) in mibs.module_definitions(module) {
            if checked == MAX_CHECKED {
                return;
            }
            checked += 1;
            let oid = object.oid();
            assert!(
                oid.len() <= MAX_OID_ARCS,
                "{module}::{name} has {} arcs",
                oid.len()
            );
            if oid.is_empty() {
                continue;
            }
            let (found, rest) = mibs.lookup(&oid).expect("a defined OID is found");
            assert!(rest.is_empty(), "{module}::{name}: instance part {rest:?}");
            assert_eq!(found.oid(), oid);
            for format in [OidFormat::Numeric, OidFormat::Module, OidFormat::Full] {
                let style = OidStyle {
                    format,
                    decode_index: false,
                    ..OidStyle::default()
                };
                let text = mibs.format_oid(&oid, style);
                let back = mibs
                    .parse_oid(&text)
                    .unwrap_or_else(|e| panic!("{module}::{name} printed as {text:?}: {e}"));
                assert_eq!(back, oid, "{module}::{name} printed as {text:?}");
            }
        }
    }
});
