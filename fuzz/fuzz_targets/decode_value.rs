//! Bytes into `Reader::read_tlv` and `ValueRef::from_tlv`. Every value that
//! decodes must round trip through the owned `Value` and its encoder.
#![no_main]

use libfuzzer_sys::fuzz_target;
use oxsnmp_core::ber::Reader;
use oxsnmp_core::{Value, ValueRef};

fuzz_target!(|data: &[u8]| {
    let mut r = Reader::new(data);
    while let Ok(tlv) = r.read_tlv() {
        assert!(tlv.content_offset >= tlv.offset + 2);
        let Ok(value) = ValueRef::from_tlv(tlv) else {
            continue;
        };
        let owned: Value = value.to_value();
        let mut out = Vec::new();
        owned.encode(&mut out);
        assert_eq!(out.len(), owned.encoded_len());
        let mut back = Reader::new(&out);
        let tlv2 = back.read_tlv().expect("an encoded value reads back");
        assert!(back.is_empty());
        assert_eq!(tlv2.tag, owned.tag());
        let value2 = ValueRef::from_tlv(tlv2).expect("an encoded value decodes");
        assert_eq!(value2.to_value(), owned);
        if let ValueRef::ObjectIdentifier(o) = value {
            assert_eq!(o.to_oid().to_string(), o.to_string());
        }
    }
});
