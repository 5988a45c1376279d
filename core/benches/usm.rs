//! USM cryptography benchmark: key derivation (password to key, localization,
//! once per user and engine) and the per-message work (sign + verify of a
//! 100-octet message per authentication protocol, encrypt + decrypt of 100
//! octets per privacy protocol). Per-message work reuses the keyed HMAC
//! state and the cipher's key schedule, as the message processing does.
//!
//! Run with `cargo bench -p oxsnmp-core --bench usm`.

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use oxsnmp_core::usm::{AuthKey, AuthProtocol, PrivProtocol};

const ENGINE_ID: [u8; 12] = [0x80, 0, 0x1f, 0x88, 0x80, 1, 2, 3, 4, 5, 6, 7];
const MESSAGE_LEN: usize = 100;
const MAC_OFFSET: usize = 40;

fn key_derivation(c: &mut Criterion) {
    let mut group = c.benchmark_group("usm/password_to_key");
    group.sample_size(20);
    for proto in AuthProtocol::ALL {
        group.bench_function(proto.name(), |b| {
            b.iter(|| proto.password_to_key(black_box(b"maplesyrup")).unwrap())
        });
    }
    group.finish();

    let mut group = c.benchmark_group("usm/localize");
    for proto in AuthProtocol::ALL {
        let ku = proto.password_to_key(b"maplesyrup").unwrap();
        group.bench_function(proto.name(), |b| {
            b.iter(|| proto.localize(black_box(&ku), black_box(&ENGINE_ID)))
        });
    }
    group.finish();
}

fn sign_verify(c: &mut Criterion) {
    let mut group = c.benchmark_group("usm/sign+verify_100");
    group.throughput(Throughput::Bytes(MESSAGE_LEN as u64));
    for proto in AuthProtocol::ALL {
        let ku = proto.password_to_key(b"maplesyrup").unwrap();
        let key = AuthKey::new(proto, &proto.localize(&ku, &ENGINE_ID));
        let mut message = vec![0x30u8; MESSAGE_LEN];
        group.bench_function(proto.name(), |b| {
            b.iter(|| {
                message[MAC_OFFSET..MAC_OFFSET + proto.mac_len()].fill(0);
                assert!(key.sign_in_place(black_box(&mut message), MAC_OFFSET));
                assert!(key.verify(black_box(&message), MAC_OFFSET));
            })
        });
    }
    group.finish();
}

fn encrypt_decrypt(c: &mut Criterion) {
    let mut group = c.benchmark_group("usm/encrypt+decrypt_100");
    group.throughput(Throughput::Bytes(MESSAGE_LEN as u64));
    let plaintext: Vec<u8> = (0..MESSAGE_LEN as u8).collect();
    for proto in PrivProtocol::ALL {
        // SHA-1: the extending protocols do extend (20 < 24 or 32 octets).
        let auth = AuthProtocol::Sha1;
        let ku = auth.password_to_key(b"privacy-password").unwrap();
        let key = proto.localize(auth, &ku, &ENGINE_ID);
        let mut ciphertext = Vec::with_capacity(256);
        let mut decrypted = Vec::with_capacity(256);
        let mut salt = 0u64;
        group.bench_function(proto.name(), |b| {
            b.iter(|| {
                ciphertext.clear();
                decrypted.clear();
                salt += 1;
                let params = key.encrypt(black_box(&plaintext), 3, 1000, salt, &mut ciphertext);
                key.decrypt(black_box(&ciphertext), &params, 3, 1000, &mut decrypted)
                    .unwrap();
                black_box(&decrypted);
            })
        });
    }
    group.finish();
}

fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
}

criterion_group! {
    name = benches;
    config = config();
    targets = key_derivation, sign_verify, encrypt_decrypt
}
criterion_main!(benches);
