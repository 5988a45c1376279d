//! Bytes into `MessageRef::decode`. Whatever decodes must survive a round
//! trip: iterate every varbind, convert to the owned `Message`, encode it,
//! decode that again and get the same owned value. The quick validation
//! paths are also checked against the exact ones.
#![no_main]

use libfuzzer_sys::fuzz_target;
use oxsnmp_core::ber::{tag, Reader};
use oxsnmp_core::{AnyPduRef, MessageRef, VarBindList};

fuzz_target!(|data: &[u8]| {
    differential_varbind_list(data);
    let decoded = MessageRef::decode(data);
    assert_eq!(decoded, oxsnmp_core::fuzzing::decode_message_exact(data));
    let Ok(msg) = decoded else {
        return;
    };
    let list = match msg.any_pdu {
        AnyPduRef::Pdu(p) => p.varbinds,
        AnyPduRef::TrapV1(t) => {
            let _ = t.enterprise.arcs().count();
            t.varbinds
        }
    };
    let mut n = 0;
    for vb in list.iter() {
        n += 1;
        let by_next = {
            let mut it = vb.oid.arcs();
            std::iter::from_fn(|| it.next()).count()
        };
        assert_eq!(by_next, vb.oid.arcs().fold(0, |n, _| n + 1));
        let _ = vb.oid.to_string();
        let _ = vb.value.to_value();
    }
    assert_eq!(n, list.len());
    assert_eq!(list.iter().len(), list.len());

    let owned = msg.to_owned();
    let bytes = owned.to_bytes();
    assert_eq!(bytes.len(), owned.encoded_len());
    // The reused-buffer path (upper bound, then a move) writes the same bytes.
    let mut reused = vec![0xee; 3];
    owned.encode(&mut reused);
    assert_eq!(&reused[..3], &[0xee; 3]);
    assert_eq!(&reused[3..], &bytes[..]);

    let again = MessageRef::decode(&bytes).expect("a re-encoded message decodes");
    assert_eq!(again.to_owned(), owned, "round trip changed the message");
    // Our own encoding is canonical: encoding it again changes nothing.
    assert_eq!(again.to_owned().to_bytes(), bytes);
});

/// Treats the input as the content of a varbind list (and, when it starts
/// with a SEQUENCE, also that SEQUENCE's content) and compares the quick
/// validation with the exact one: same result, same error, same offset.
fn differential_varbind_list(data: &[u8]) {
    let check = |content: &[u8], base: usize| {
        let quick = VarBindList::decode(content, base);
        let exact = oxsnmp_core::fuzzing::decode_varbinds_exact(content, base);
        assert_eq!(quick, exact);
        if let Ok(list) = quick {
            assert_eq!(list.iter().count(), list.len());
        }
    };
    check(data, 0);
    let mut r = Reader::new(data);
    if let Ok(t) = r.read_tlv() {
        if t.tag == tag::SEQUENCE {
            check(t.content, t.content_offset);
        }
        if t.tag == tag::OBJECT_IDENTIFIER {
            let quick = oxsnmp_core::OidRef::from_ber(t.content, t.offset);
            let exact = oxsnmp_core::fuzzing::oid_from_ber_exact(t.content, t.offset);
            assert_eq!(quick, exact);
        }
    }
}
