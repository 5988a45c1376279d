//! The recording readers (`oxsnmp agent --data`) under arbitrary bytes:
//! the first octet picks snmpsim's `.snmprec`, snmpwalk output or
//! `.sapwalk`, the rest is the file (UTF-8 or not). Invariants: no panic;
//! what is read is written back by `write_snmprec` as text that reads to
//! the same records (OIDs and values, in order), so a recording converted
//! to `.snmprec` loses nothing; the `RecordedMib` built from it answers
//! each OID with its last value.
#![no_main]

use libfuzzer_sys::fuzz_target;
use oxsnmp_core::agent::recording::{write_snmprec, RecordedMib, RecordingFormat};

fuzz_target!(|data: &[u8]| {
    let Some((&pick, bytes)) = data.split_first() else {
        return;
    };
    let format = match pick % 3 {
        0 => RecordingFormat::Snmprec,
        1 => RecordingFormat::Snmpwalk,
        _ => RecordingFormat::Sapwalk,
    };
    let Ok(records) = format.parse_bytes(bytes) else {
        return;
    };
    let text = write_snmprec(records.iter().map(|r| (r.oid.arcs(), &r.value)));
    let again = RecordingFormat::Snmprec
        .parse_bytes(text.as_bytes())
        .expect("written .snmprec reads back");
    assert_eq!(again.len(), records.len());
    for (a, b) in again.iter().zip(&records) {
        assert_eq!(a.oid, b.oid);
        assert_eq!(a.value, b.value, "{}", a.oid);
    }
    if let Ok(mib) = RecordedMib::from_records(records.clone()) {
        for r in &records {
            assert!(mib.value(r.oid.arcs()).is_some(), "{} served", r.oid);
        }
    }
});
