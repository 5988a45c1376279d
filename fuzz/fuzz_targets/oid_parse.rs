//! Strings into `Oid::from_str`: what parses prints back to a string that
//! parses to the same OID, and (from two arcs on) survives BER.
#![no_main]

use libfuzzer_sys::fuzz_target;
use oxsnmp_core::{Oid, OidRef};

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(oid) = s.parse::<Oid>() else {
        return;
    };
    let printed = oid.to_string();
    let back: Oid = printed.parse().expect("a printed OID parses");
    assert_eq!(back, oid);
    assert_eq!(back.to_string(), printed);
    if oid.len() >= 2 {
        let mut ber = Vec::new();
        oid.write_ber_content(&mut ber);
        assert_eq!(ber.len(), oid.ber_content_len());
        let r = OidRef::from_ber(&ber, 0).expect("an encoded OID decodes");
        assert!(r == oid);
        assert_eq!(r.to_oid(), oid);
        assert_eq!(r.to_string(), printed);
    }
});
