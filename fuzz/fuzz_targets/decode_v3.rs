//! Bytes into the SNMPv3 decoders: `V3MessageRef::decode`, then the USM
//! security parameters (`UsmParamsRef`) and the ScopedPDU (`ScopedPduRef`).
//! The input is also tried directly as security parameters and as a
//! (padded and unpadded) ScopedPDU.
//!
//! Invariants: no panic; errors point inside the input; the decoded views
//! point into the input where they say (msgAuthenticationParameters at
//! `auth_offset`, which is where a digest is checked); and whatever decoded
//! survives an owned round trip: re-encoding gives a message that decodes
//! to the same values, and encoding that again gives the same octets.
#![no_main]

use libfuzzer_sys::fuzz_target;
use oxsnmp_core::ber::{tag, writer};
use oxsnmp_core::v3::{
    message_len, write_message, ScopedPdu, ScopedPduData, ScopedPduRef, UsmParams, UsmParamsRef,
    V3Header, V3MessageRef, MAX_USER_NAME_LEN, MIN_MAX_SIZE,
};

fuzz_target!(|data: &[u8]| {
    standalone_parts(data);
    let decoded = V3MessageRef::decode(data);
    let msg = match decoded {
        Ok(m) => m,
        Err(e) => {
            assert!(e.offset <= data.len(), "{e} past the input");
            return;
        }
    };
    assert!(msg.msg_id >= 0);
    assert!(msg.max_size >= MIN_MAX_SIZE);
    assert!(msg.security_model >= 1);
    let at = msg.security_parameters_offset;
    assert_eq!(
        data.get(at..at + msg.security_parameters.len()),
        Some(msg.security_parameters),
        "security parameters are where the view says"
    );
    let Ok(usm) = msg.usm() else {
        return;
    };
    check_usm(data, &usm);

    // Owned round trip of the whole message.
    let header = V3Header {
        msg_id: msg.msg_id,
        max_size: msg.max_size,
        flags: msg.flags,
        security_model: msg.security_model,
    };
    let owned_usm = usm.to_owned();
    let owned_data = match msg.data {
        ScopedPduData::Plaintext(s) => Data::Plain(s.to_owned()),
        ScopedPduData::Encrypted(c) => Data::Encrypted(c.to_vec()),
    };
    let bytes = encode(&header, &owned_usm, &owned_data);
    let again = V3MessageRef::decode(&bytes).expect("a re-encoded v3 message decodes");
    assert_eq!(again.msg_id, msg.msg_id);
    assert_eq!(again.max_size, msg.max_size);
    assert_eq!(again.flags, msg.flags);
    assert_eq!(again.security_model, msg.security_model);
    let again_usm = again.usm().expect("re-encoded USM parameters decode");
    assert_eq!(again_usm.to_owned(), owned_usm);
    check_usm(&bytes, &again_usm);
    let again_data = match again.data {
        ScopedPduData::Plaintext(s) => Data::Plain(s.to_owned()),
        ScopedPduData::Encrypted(c) => Data::Encrypted(c.to_vec()),
    };
    assert_eq!(again_data, owned_data, "round trip changed msgData");
    // Canonical: a second round gives the same octets.
    assert_eq!(encode(&header, &again_usm.to_owned(), &again_data), bytes);
});

#[derive(Debug, PartialEq, Eq)]
enum Data {
    Plain(ScopedPdu),
    Encrypted(Vec<u8>),
}

fn encode(header: &V3Header, usm: &UsmParams, data: &Data) -> Vec<u8> {
    let usm = usm.as_ref();
    let data_len = match data {
        Data::Plain(s) => s.encoded_len(),
        Data::Encrypted(c) => writer::tlv_len(c.len()),
    };
    let mut out = Vec::new();
    let auth_at = write_message(&mut out, header, &usm, data_len);
    assert_eq!(
        out.get(auth_at..auth_at + usm.auth_params.len()),
        Some(usm.auth_params),
        "write_message returns where the MAC goes"
    );
    match data {
        Data::Plain(s) => s.encode(&mut out),
        Data::Encrypted(c) => writer::write_bytes(&mut out, tag::OCTET_STRING, c),
    }
    assert_eq!(out.len(), message_len(header, &usm, data_len), "exact size");
    out
}

/// USM parameters decoded from `datagram` respect their ranges, and the
/// MAC is where `auth_offset` says: that is the range a digest covers.
fn check_usm(datagram: &[u8], usm: &UsmParamsRef<'_>) {
    assert!(usm.boots <= i32::MAX as u32 && usm.time <= i32::MAX as u32);
    assert!(usm.user_name.len() <= MAX_USER_NAME_LEN);
    let at = usm.auth_offset;
    assert_eq!(
        datagram.get(at..at + usm.auth_params.len()),
        Some(usm.auth_params),
        "msgAuthenticationParameters are at auth_offset"
    );
}

/// The input as USM parameters alone, and as a ScopedPDU alone.
fn standalone_parts(data: &[u8]) {
    if let Ok(p) = UsmParamsRef::decode(data, 0) {
        check_usm(data, &p);
        let mut out = Vec::new();
        let owned = p.to_owned();
        owned.as_ref().write(&mut out);
        assert_eq!(out.len(), owned.as_ref().encoded_len());
        // `write` emits the msgSecurityParameters OCTET STRING; its
        // content is the SEQUENCE that decodes back.
        let outer = oxsnmp_core::ber::Reader::new(&out)
            .read_tlv()
            .expect("our OCTET STRING");
        assert_eq!(outer.tag, tag::OCTET_STRING);
        let back = UsmParamsRef::decode(outer.content, outer.content_offset)
            .expect("re-encoded USM parameters decode");
        assert_eq!(back.to_owned(), owned);
    }
    for padded in [false, true] {
        match ScopedPduRef::decode(data, 0, padded) {
            Ok(s) => {
                let owned = s.to_owned();
                let mut out = Vec::new();
                owned.encode(&mut out);
                assert_eq!(out.len(), owned.encoded_len());
                let back = ScopedPduRef::decode(&out, 0, false).expect("re-encoded ScopedPDU");
                assert_eq!(back.to_owned(), owned);
                if !padded {
                    // What decodes unpadded decodes padded too.
                    assert_eq!(ScopedPduRef::decode(data, 0, true), Ok(s));
                }
            }
            Err(e) => assert!(e.offset <= data.len()),
        }
    }
}
