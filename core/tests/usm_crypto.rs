//! USM cryptography against an independent implementation (PySNMP), the
//! cipher vectors also checked with the openssl command line, plus round
//! trips, tamper checks, hostile input and allocation counts.
//!
//! The constants below were produced by `core/tests/data/usm_vectors.py`
//! (PySNMP 7.1.30 with pyca/cryptography 50.0.2; OpenSSL 3.0.19 for the
//! cross-check); the script is not run here. RFC 3414 §A.3 and the drafts'
//! appendix vectors are tested next to the code, in `src/usm/key.rs`.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::Mutex;

use oxsnmp_core::usm::{
    AuthKey, AuthProtocol, DecryptError, LocalizedKey, MasterKey, PrivKey, PrivProtocol,
};
use proptest::prelude::*;

const ENGINE_ID: [u8; 12] = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2];
const AUTH_PASSWORD: &[u8] = b"maplesyrup";
const PRIV_PASSWORD: &[u8] = b"pr1vacy-passphrase";
const MAC_OFFSET: usize = 30;
const MSG_LEN: usize = 100;
const BOOTS: u32 = 0x0102_0304;
const TIME: u32 = 0x0a0b_0c0d;
const DES_SALT: u64 = 0xdead_beef;
const AES_SALT: u64 = 0x0102_0304_0506_0708;

/// (auth, master key Ku, localized key Kul)
const AUTH_KEYS: &[(AuthProtocol, &str, &str)] = &[
    (AuthProtocol::Md5, "9faf3283884e92834ebc9847d8edd963", "526f5eed9fcce26f8964c2930787d82b"),
    (AuthProtocol::Sha1, "9fb5cc0381497b3793528939ff788d5d79145211", "6695febc9288e36282235fc7151f128497b38f3f"),
    (AuthProtocol::Sha224, "282a5867ee9aac639ad59df9572c7d3ac0fbc13a905b6df07dbbf00b", "0bd8827c6e29f8065e08e09237f177e410f69b90e1782be682075674"),
    (AuthProtocol::Sha256, "ab51014d1e077f6017df2b12bee5f5aa72993177e9bb569c4dff5a4ca0b4afac", "8982e0e549e866db361a6b625d84cccc11162d453ee8ce3a6445c2d6776f0f8b"),
    (AuthProtocol::Sha384, "e06eccdf2c68a06ed034723c9c26e0db3b669e1e2efed49150b55377a2e98f383c86fb836857444654b287c93f51ff64", "3b298f16164a11184279d5432bf169e2d2a48307de02b3d3f7e2b4f36eb6f0455a53689a3937eea07319a633d2ccba78"),
    (AuthProtocol::Sha512, "7e4396de5aadc77be853819b98c9406265b3a9c37cc3176569847a4e4f6fba63dd3a73d04924d31a63f95a601f9385af6be4ed1b37f87d040f7c6ed6f8d38a91", "22a5a36cedfcc085807a128d7bc6c2382167ad6c0dbc5fdff856740f3d84c099ad1ea87a8db096714d9788bd544047c9021e4229ce27e4c0a69250adfcffbb0b"),
];

/// (priv, auth, localized privacy key, as long as the protocol needs)
const PRIV_KEYS: &[(PrivProtocol, AuthProtocol, &str)] = &[
    (
        PrivProtocol::Des,
        AuthProtocol::Md5,
        "73baccb9e5b274c8cff7561be0618c69",
    ),
    (
        PrivProtocol::Des,
        AuthProtocol::Sha1,
        "df38748aeb1c1ba6723fec34c1e5153a",
    ),
    (
        PrivProtocol::Des,
        AuthProtocol::Sha224,
        "931579310f6a8bf7970a6cfb4b99e09e",
    ),
    (
        PrivProtocol::Des,
        AuthProtocol::Sha256,
        "331f1729183fe6dc00599f9b04a973ae",
    ),
    (
        PrivProtocol::Des,
        AuthProtocol::Sha384,
        "1194b72d499a782b7bbf12d4998c3370",
    ),
    (
        PrivProtocol::Des,
        AuthProtocol::Sha512,
        "6f765283af528ce969cdd202558257b0",
    ),
    (
        PrivProtocol::TripleDes,
        AuthProtocol::Md5,
        "73baccb9e5b274c8cff7561be0618c695ec71ee529e67a68d62c730d7a31f1e6",
    ),
    (
        PrivProtocol::TripleDes,
        AuthProtocol::Sha1,
        "df38748aeb1c1ba6723fec34c1e5153a8e5efa3b84ef888bf230188b42477c70",
    ),
    (
        PrivProtocol::TripleDes,
        AuthProtocol::Sha224,
        "931579310f6a8bf7970a6cfb4b99e09eed99f10d11055c292fd37b51ecc5fe41",
    ),
    (
        PrivProtocol::TripleDes,
        AuthProtocol::Sha256,
        "331f1729183fe6dc00599f9b04a973aebaaee5aa10a63b2928e888464a656b13",
    ),
    (
        PrivProtocol::TripleDes,
        AuthProtocol::Sha384,
        "1194b72d499a782b7bbf12d4998c33707f53c92e254846a4e7fb6a53a79f9ed3",
    ),
    (
        PrivProtocol::TripleDes,
        AuthProtocol::Sha512,
        "6f765283af528ce969cdd202558257b04411c31014d687bd887b81bde411ca99",
    ),
    (
        PrivProtocol::Aes128,
        AuthProtocol::Md5,
        "73baccb9e5b274c8cff7561be0618c69",
    ),
    (
        PrivProtocol::Aes128,
        AuthProtocol::Sha1,
        "df38748aeb1c1ba6723fec34c1e5153a",
    ),
    (
        PrivProtocol::Aes128,
        AuthProtocol::Sha224,
        "931579310f6a8bf7970a6cfb4b99e09e",
    ),
    (
        PrivProtocol::Aes128,
        AuthProtocol::Sha256,
        "331f1729183fe6dc00599f9b04a973ae",
    ),
    (
        PrivProtocol::Aes128,
        AuthProtocol::Sha384,
        "1194b72d499a782b7bbf12d4998c3370",
    ),
    (
        PrivProtocol::Aes128,
        AuthProtocol::Sha512,
        "6f765283af528ce969cdd202558257b0",
    ),
    (
        PrivProtocol::Aes192,
        AuthProtocol::Md5,
        "73baccb9e5b274c8cff7561be0618c690a8a7c553255cb7e",
    ),
    (
        PrivProtocol::Aes192,
        AuthProtocol::Sha1,
        "df38748aeb1c1ba6723fec34c1e5153a8e5efa3bcac49faf",
    ),
    (
        PrivProtocol::Aes192,
        AuthProtocol::Sha224,
        "931579310f6a8bf7970a6cfb4b99e09eed99f10d11055c29",
    ),
    (
        PrivProtocol::Aes192,
        AuthProtocol::Sha256,
        "331f1729183fe6dc00599f9b04a973aebaaee5aa10a63b29",
    ),
    (
        PrivProtocol::Aes192,
        AuthProtocol::Sha384,
        "1194b72d499a782b7bbf12d4998c33707f53c92e254846a4",
    ),
    (
        PrivProtocol::Aes192,
        AuthProtocol::Sha512,
        "6f765283af528ce969cdd202558257b04411c31014d687bd",
    ),
    (
        PrivProtocol::Aes256,
        AuthProtocol::Md5,
        "73baccb9e5b274c8cff7561be0618c690a8a7c553255cb7e26e2a47ad7ba4fd6",
    ),
    (
        PrivProtocol::Aes256,
        AuthProtocol::Sha1,
        "df38748aeb1c1ba6723fec34c1e5153a8e5efa3bcac49faffecdcb956a6495bc",
    ),
    (
        PrivProtocol::Aes256,
        AuthProtocol::Sha224,
        "931579310f6a8bf7970a6cfb4b99e09eed99f10d11055c292fd37b510be3992d",
    ),
    (
        PrivProtocol::Aes256,
        AuthProtocol::Sha256,
        "331f1729183fe6dc00599f9b04a973aebaaee5aa10a63b2928e888464a656b13",
    ),
    (
        PrivProtocol::Aes256,
        AuthProtocol::Sha384,
        "1194b72d499a782b7bbf12d4998c33707f53c92e254846a4e7fb6a53a79f9ed3",
    ),
    (
        PrivProtocol::Aes256,
        AuthProtocol::Sha512,
        "6f765283af528ce969cdd202558257b04411c31014d687bd887b81bde411ca99",
    ),
    (
        PrivProtocol::Aes192Reeder,
        AuthProtocol::Md5,
        "73baccb9e5b274c8cff7561be0618c695ec71ee529e67a68",
    ),
    (
        PrivProtocol::Aes192Reeder,
        AuthProtocol::Sha1,
        "df38748aeb1c1ba6723fec34c1e5153a8e5efa3b84ef888b",
    ),
    (
        PrivProtocol::Aes192Reeder,
        AuthProtocol::Sha224,
        "931579310f6a8bf7970a6cfb4b99e09eed99f10d11055c29",
    ),
    (
        PrivProtocol::Aes192Reeder,
        AuthProtocol::Sha256,
        "331f1729183fe6dc00599f9b04a973aebaaee5aa10a63b29",
    ),
    (
        PrivProtocol::Aes192Reeder,
        AuthProtocol::Sha384,
        "1194b72d499a782b7bbf12d4998c33707f53c92e254846a4",
    ),
    (
        PrivProtocol::Aes192Reeder,
        AuthProtocol::Sha512,
        "6f765283af528ce969cdd202558257b04411c31014d687bd",
    ),
    (
        PrivProtocol::Aes256Reeder,
        AuthProtocol::Md5,
        "73baccb9e5b274c8cff7561be0618c695ec71ee529e67a68d62c730d7a31f1e6",
    ),
    (
        PrivProtocol::Aes256Reeder,
        AuthProtocol::Sha1,
        "df38748aeb1c1ba6723fec34c1e5153a8e5efa3b84ef888bf230188b42477c70",
    ),
    (
        PrivProtocol::Aes256Reeder,
        AuthProtocol::Sha224,
        "931579310f6a8bf7970a6cfb4b99e09eed99f10d11055c292fd37b51ecc5fe41",
    ),
    (
        PrivProtocol::Aes256Reeder,
        AuthProtocol::Sha256,
        "331f1729183fe6dc00599f9b04a973aebaaee5aa10a63b2928e888464a656b13",
    ),
    (
        PrivProtocol::Aes256Reeder,
        AuthProtocol::Sha384,
        "1194b72d499a782b7bbf12d4998c33707f53c92e254846a4e7fb6a53a79f9ed3",
    ),
    (
        PrivProtocol::Aes256Reeder,
        AuthProtocol::Sha512,
        "6f765283af528ce969cdd202558257b04411c31014d687bd887b81bde411ca99",
    ),
];

/// MAC of a 100-octet message (octets 1..=251 repeating) with the
/// placeholder at offset 30, keyed with AUTH_KEYS' localized key.
const MACS: &[(AuthProtocol, &str)] = &[
    (AuthProtocol::Md5, "31b808dbcc05836a1b7c997a"),
    (AuthProtocol::Sha1, "f9e8bbcebd4df4a6a2dc5a1a"),
    (AuthProtocol::Sha224, "58748a329581dc3ca58f4fe80e9c24cd"),
    (AuthProtocol::Sha256, "a26e39ec1ec2df7367dfff80964ef2dcc3104f4b1b25a156"),
    (AuthProtocol::Sha384, "8790ed9c6173417713164fea568bbe3ee6daa0bd3b54e9a412470691eaaf8def"),
    (AuthProtocol::Sha512, "696b72602b50338efa87ca2794891a511cc6178ecc229061b49840ffafc6fe383c4f463f970d9f73f33558f3c0da08e1"),
];

/// Ciphertext and msgPrivacyParameters of PLAINTEXT (100 octets,
/// (i * 7 + 3) mod 256) with boots 0x1020304, time 0xa0b0c0d, salt
/// 0xdeadbeef (DES/3DES) or 0x102030405060708 (AES), keyed with
/// PRIV_KEYS' SHA-1 key. DES/3DES ciphertext: PySNMP pads 100 octets to 104.
const CIPHERTEXTS: &[(PrivProtocol, &str, &str)] = &[
    (PrivProtocol::Des, "01020304deadbeef", "287c5a2619c31b5a422cfcfb85dff0096a8f9e32ce848a4bada1419e07faada0a7eea93c9cf12a5e236918c9e49dd8bd503a53ae9cfe1e768e23c63059734c3d7c0a1e570dc6267ef30b80e02cb5f7f652ac792038ab0888ca377268d643416f524171911ec68436"),
    (PrivProtocol::TripleDes, "01020304deadbeef", "706a984e5d95be0ecbc58d2127b9882efd839fe3ffe04b5c509d8dc78b741387e50b857dd15c8325ceda68718c6a2186ff513e916089d144e87c7c7e52c62444e0fe25deb544bd85aae8654170fe8285c8c72aa8fa1d8efe0ad1f5147b141640623ffb0d7deb21e8"),
    (PrivProtocol::Aes128, "0102030405060708", "f6f90e4c14e38b78f9cbb34cd4288f89edfdbc54eb94c55818aebd5d3bff6fcffef0484bc212f949ac9bc6b8377940dea7f18e1bf677cd403e6ffbd3d1f05706cec8118a8650a66291cc79f4634957f5c41d83f9be843fa75cae375e88e16e2d1a285760"),
    (PrivProtocol::Aes192, "0102030405060708", "f5647dfce24f1a3d619553ae19bfeaa7e930f24ec035535018a9b3b26e34e7e0e740ee67e3ecc17dc320bd694ab340cd2238daa4f2ce951004c97ff0b28c9e47d7120dc5e0ff57c095c9e21d10ce5bbad0dfdfd5c5caf09aa5e010dc27e734a6375079b0"),
    (PrivProtocol::Aes256, "0102030405060708", "fbf9a1818afc9eb0bf01df306bdc65c51e7200321321d0ede512bee4ee62370ff80dbc242637c0ebd0eeb4ff6da39b89dfbd55612ef3cca6267f2ad88ec166b729841ae7b1c229e6a24c7c97534cc567b75b7ed99d3f9bb58ac27a3ecedea7283b9ff371"),
    (PrivProtocol::Aes192Reeder, "0102030405060708", "8cd6c6a4feb78bc731c057f9314ea35261437c3ee2a63d3aa85a3e18e5e06121cfa6ac2627f4c96295da14ffe742686771a75099a11cdd90e3dbd1b76ecb234651fd4169e17f7936edd804c2c5a8bc3a706fc67ab4a30f876f115cdbad963d03b67e5a3c"),
    (PrivProtocol::Aes256Reeder, "0102030405060708", "109f01cd1e0be2c0f37163451347480fa74e0e9eb2da4d3b658fa5dba9ccd4f95942e36d65ba95b5de8174c534a3978d7d9d9ff065fc669324c0baceebbe991f4a2ad43bbf1daaaf5365cae9ef64c874cafb50b78deee41a35859a6347a2a34decc4deb8"),
];

// --- counting allocator (this test binary only) ---------------------------

struct Counting;

thread_local! {
    static COUNTING: Cell<bool> = const { Cell::new(false) };
    static COUNT: Cell<usize> = const { Cell::new(0) };
}

fn note() {
    let _ = COUNTING.try_with(|on| {
        if on.get() {
            let _ = COUNT.try_with(|c| c.set(c.get() + 1));
        }
    });
}

// SAFETY: every call is forwarded unchanged to the system allocator; the
// bookkeeping only touches const-initialised thread-locals, which never allocate.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        note();
        unsafe { System.alloc(layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        note();
        unsafe { System.alloc_zeroed(layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        note();
        unsafe { System.realloc(ptr, layout, new_size) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Allocations made by this thread while `f` runs.
fn allocations<R>(f: impl FnOnce() -> R) -> (usize, R) {
    COUNT.with(|c| c.set(0));
    COUNTING.with(|on| on.set(true));
    let r = f();
    COUNTING.with(|on| on.set(false));
    (COUNT.with(|c| c.get()), r)
}

// --- helpers ----------------------------------------------------------------

fn hex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

/// Master keys, derived once per (hash, password): a megabyte of hashing
/// each, slow in debug builds.
fn master(auth: AuthProtocol, password: &'static [u8]) -> MasterKey {
    static CACHE: Mutex<Vec<(AuthProtocol, &[u8], MasterKey)>> = Mutex::new(Vec::new());
    let mut cache = CACHE.lock().unwrap();
    if let Some((_, _, ku)) = cache.iter().find(|(a, p, _)| *a == auth && *p == password) {
        return ku.clone();
    }
    let ku = auth.password_to_key(password).unwrap();
    cache.push((auth, password, ku.clone()));
    ku
}

fn auth_key(proto: AuthProtocol) -> AuthKey {
    AuthKey::new(
        proto,
        &proto.localize(&master(proto, AUTH_PASSWORD), &ENGINE_ID),
    )
}

fn priv_key(proto: PrivProtocol, auth: AuthProtocol) -> PrivKey {
    proto.localize(auth, &master(auth, PRIV_PASSWORD), &ENGINE_ID)
}

/// The message the MAC vectors sign: octets 1..=251 repeating, zeros in
/// the MAC's place.
fn message_to_sign(proto: AuthProtocol) -> Vec<u8> {
    let mut msg: Vec<u8> = (0..MSG_LEN).map(|i| (i % 251) as u8 + 1).collect();
    msg[MAC_OFFSET..MAC_OFFSET + proto.mac_len()].fill(0);
    msg
}

fn plaintext() -> Vec<u8> {
    (0..100u32).map(|i| ((i * 7 + 3) % 256) as u8).collect()
}

// --- keys -------------------------------------------------------------------

#[test]
fn master_and_localized_keys_match_pysnmp() {
    assert_eq!(AUTH_KEYS.len(), AuthProtocol::ALL.len());
    for &(proto, ku_hex, kul_hex) in AUTH_KEYS {
        let ku = proto.password_to_key(AUTH_PASSWORD).unwrap();
        assert_eq!(ku.as_bytes(), hex(ku_hex), "{proto} Ku");
        assert_eq!(ku.as_bytes().len(), proto.key_len());
        let kul = proto.localize(&ku, &ENGINE_ID);
        assert_eq!(kul.as_bytes(), hex(kul_hex), "{proto} Kul");
        assert_eq!(kul.protocol(), proto);
    }
}

/// Every privacy protocol with every hash, extension included where the
/// hash is shorter than the cipher key (3DES, AES-192 and AES-256 with MD5
/// and SHA-1; 3DES and AES-256 with SHA-224).
#[test]
fn privacy_keys_match_pysnmp() {
    assert_eq!(
        PRIV_KEYS.len(),
        PrivProtocol::ALL.len() * AuthProtocol::ALL.len()
    );
    for &(proto, auth, expected) in PRIV_KEYS {
        let key = priv_key(proto, auth);
        assert_eq!(key.as_bytes(), hex(expected), "{proto} with {auth}");
        assert_eq!(key.as_bytes().len(), proto.key_len());
        assert_eq!(key.protocol(), proto);
    }
}

/// The two extensions differ exactly where extension happens.
#[test]
fn blumenthal_and_reeder_differ_only_when_extending() {
    for auth in AuthProtocol::ALL {
        for (blumenthal, reeder) in [
            (PrivProtocol::Aes192, PrivProtocol::Aes192Reeder),
            (PrivProtocol::Aes256, PrivProtocol::Aes256Reeder),
        ] {
            let b = priv_key(blumenthal, auth);
            let r = priv_key(reeder, auth);
            let hash_len = auth.key_len();
            if hash_len >= blumenthal.key_len() {
                assert_eq!(b.as_bytes(), r.as_bytes(), "{blumenthal} with {auth}");
            } else {
                assert_eq!(b.as_bytes()[..hash_len], r.as_bytes()[..hash_len]);
                assert_ne!(b.as_bytes()[hash_len..], r.as_bytes()[hash_len..]);
            }
        }
    }
}

// --- authentication ---------------------------------------------------------

#[test]
fn macs_match_pysnmp() {
    assert_eq!(MACS.len(), AuthProtocol::ALL.len());
    for &(proto, mac) in MACS {
        let key = auth_key(proto);
        let mut msg = message_to_sign(proto);
        assert!(key.sign_in_place(&mut msg, MAC_OFFSET));
        assert_eq!(
            msg[MAC_OFFSET..MAC_OFFSET + proto.mac_len()],
            hex(mac),
            "{proto}"
        );
        assert!(key.verify(&msg, MAC_OFFSET), "{proto}");
    }
}

#[test]
fn any_flipped_bit_fails_verification() {
    for proto in AuthProtocol::ALL {
        let key = auth_key(proto);
        let mut msg = message_to_sign(proto);
        assert!(key.sign_in_place(&mut msg, MAC_OFFSET));
        for i in 0..msg.len() {
            for bit in [0x01, 0x80] {
                msg[i] ^= bit;
                assert!(!key.verify(&msg, MAC_OFFSET), "{proto} octet {i}");
                msg[i] ^= bit;
            }
        }
        assert!(key.verify(&msg, MAC_OFFSET));
    }
}

#[test]
fn wrong_key_place_or_length_fails_verification() {
    for proto in AuthProtocol::ALL {
        let key = auth_key(proto);
        let mut msg = message_to_sign(proto);
        assert!(key.sign_in_place(&mut msg, MAC_OFFSET));
        assert!(!key.verify(&msg, MAC_OFFSET - 1));
        assert!(!key.verify(&msg, MAC_OFFSET + 1));
        // A MAC region running past the end: truncated messages.
        assert!(!key.verify(&msg[..MAC_OFFSET + proto.mac_len() - 1], MAC_OFFSET));
        assert!(!key.verify(&msg, msg.len() - proto.mac_len() + 1));
        assert!(!key.verify(&msg, usize::MAX - 3));
        let mut too_short = vec![0; proto.mac_len() - 1];
        assert!(!key.sign_in_place(&mut too_short, 0));
        assert_eq!(too_short, vec![0; proto.mac_len() - 1], "nothing written");
        // Another engine's key.
        let other = AuthKey::new(
            proto,
            &proto.localize(&master(proto, AUTH_PASSWORD), b"another engine"),
        );
        assert!(!other.verify(&msg, MAC_OFFSET));
    }
}

#[test]
fn key_from_bytes_signs_like_the_derived_key() {
    for &(proto, _, kul_hex) in AUTH_KEYS {
        let key = AuthKey::new(
            proto,
            &LocalizedKey::from_bytes(proto, &hex(kul_hex)).unwrap(),
        );
        let mut a = message_to_sign(proto);
        let mut b = a.clone();
        assert!(key.sign_in_place(&mut a, MAC_OFFSET));
        assert!(auth_key(proto).sign_in_place(&mut b, MAC_OFFSET));
        assert_eq!(a, b);
        assert_eq!(key.protocol(), proto);
        assert_eq!(
            format!("{key:?}"),
            format!("AuthKey {{ protocol: {proto:?}, .. }}")
        );
    }
}

/// `verify` feeds the HMAC three slices instead of copying the message, and
/// neither it nor `sign_in_place` touches the heap.
#[test]
fn sign_and_verify_do_not_allocate() {
    for proto in AuthProtocol::ALL {
        let key = auth_key(proto);
        let mut msg = vec![0x42; 1400];
        let (n, signed) = allocations(|| key.sign_in_place(&mut msg, 40));
        assert!(signed);
        assert_eq!(n, 0, "{proto} sign");
        let (n, ok) = allocations(|| key.verify(&msg, 40));
        assert!(ok);
        assert_eq!(n, 0, "{proto} verify");
    }
}

// --- privacy ----------------------------------------------------------------

#[test]
fn ciphertexts_match_pysnmp_and_openssl() {
    assert_eq!(CIPHERTEXTS.len(), PrivProtocol::ALL.len());
    for &(proto, params_hex, ct_hex) in CIPHERTEXTS {
        let key = priv_key(proto, AuthProtocol::Sha1);
        let salt = match proto {
            PrivProtocol::Des | PrivProtocol::TripleDes => DES_SALT,
            _ => AES_SALT,
        };
        let mut out = b"prefix".to_vec();
        let params = key.encrypt(&plaintext(), BOOTS, TIME, salt, &mut out);
        assert_eq!(params.to_vec(), hex(params_hex), "{proto} params");
        assert_eq!(&out[..6], b"prefix", "appends");
        assert_eq!(out[6..], hex(ct_hex), "{proto} ciphertext");

        let mut back = Vec::new();
        key.decrypt(&hex(ct_hex), &params, BOOTS, TIME, &mut back)
            .unwrap();
        assert_eq!(back[..100], plaintext(), "{proto}");
        // DES keeps its padding (zeros here); AES has none.
        assert!(back[100..].iter().all(|&b| b == 0));
        assert_eq!(back.len(), hex(ct_hex).len());
    }
}

#[test]
fn round_trips_for_every_privacy_and_auth_protocol() {
    for proto in PrivProtocol::ALL {
        for auth in AuthProtocol::ALL {
            let key = priv_key(proto, auth);
            for len in [1, 7, 8, 9, 15, 16, 17, 100, 1472] {
                let plain: Vec<u8> = (0..len).map(|i| (i * 13 + len) as u8).collect();
                let mut ct = Vec::new();
                let params = key.encrypt(&plain, 5, 77, len as u64 * 1000, &mut ct);
                assert_ne!(
                    ct[..len.min(ct.len())],
                    plain[..],
                    "{proto}/{auth} encrypts"
                );
                let mut back = Vec::new();
                key.decrypt(&ct, &params, 5, 77, &mut back).unwrap();
                assert_eq!(back[..len], plain[..], "{proto}/{auth} len {len}");
                match proto {
                    PrivProtocol::Des | PrivProtocol::TripleDes => {
                        assert_eq!(ct.len(), len.div_ceil(8) * 8, "pads to whole blocks only");
                        assert!(back[len..].iter().all(|&b| b == 0));
                    }
                    _ => assert_eq!(ct.len(), len, "CFB does not pad"),
                }
            }
        }
    }
}

/// AES's IV takes boots and time from the message: decrypting with others
/// garbles; DES's does not use them (its salt carries the sender's boots).
#[test]
fn aes_depends_on_boots_and_time() {
    for proto in PrivProtocol::ALL {
        let key = priv_key(proto, AuthProtocol::Sha256);
        let mut ct = Vec::new();
        let params = key.encrypt(&plaintext(), 9, 1000, 3, &mut ct);
        let mut back = Vec::new();
        key.decrypt(&ct, &params, 9, 1001, &mut back).unwrap();
        let garbled = back[..100] != plaintext()[..];
        let is_aes = !matches!(proto, PrivProtocol::Des | PrivProtocol::TripleDes);
        assert_eq!(garbled, is_aes, "{proto}");
    }
}

#[test]
fn salts_change_the_ciphertext() {
    for proto in PrivProtocol::ALL {
        let key = priv_key(proto, AuthProtocol::Md5);
        let (mut a, mut b) = (Vec::new(), Vec::new());
        let pa = key.encrypt(&plaintext(), 1, 1, 1, &mut a);
        let pb = key.encrypt(&plaintext(), 1, 1, 2, &mut b);
        assert_ne!(pa, pb);
        assert_ne!(a, b, "{proto}");
    }
}

#[test]
fn decrypt_errors() {
    for proto in PrivProtocol::ALL {
        let key = priv_key(proto, AuthProtocol::Sha1);
        let mut out = b"kept".to_vec();
        for params in [&[][..], &[0; 7], &[0; 9]] {
            assert_eq!(
                key.decrypt(&[0; 16], params, 0, 0, &mut out),
                Err(DecryptError::BadPrivParameters { len: params.len() })
            );
        }
        assert_eq!(
            key.decrypt(&[], &[0; 8], 0, 0, &mut out),
            Err(DecryptError::Empty)
        );
        for len in [1, 7, 9, 15, 17] {
            let result = key.decrypt(&vec![0; len], &[0; 8], 0, 0, &mut out);
            match proto {
                PrivProtocol::Des | PrivProtocol::TripleDes => {
                    assert_eq!(result, Err(DecryptError::NotWholeBlocks { len }))
                }
                _ => {
                    assert_eq!(result, Ok(()));
                    out.truncate(4);
                }
            }
        }
        assert_eq!(out, b"kept", "{proto}: errors leave `out` alone");
    }
}

#[test]
fn encrypt_and_decrypt_allocate_nothing_with_room_in_out() {
    for proto in PrivProtocol::ALL {
        let key = priv_key(proto, AuthProtocol::Sha1);
        let plain = plaintext();
        let mut ct = Vec::with_capacity(256);
        let (n, params) = allocations(|| key.encrypt(&plain, 1, 2, 3, &mut ct));
        assert_eq!(n, 0, "{proto} encrypt");
        let mut back = Vec::with_capacity(256);
        let (n, result) = allocations(|| key.decrypt(&ct, &params, 1, 2, &mut back));
        assert_eq!(result, Ok(()));
        assert_eq!(n, 0, "{proto} decrypt");
    }
}

#[test]
fn from_localized_equals_localize() {
    for &(proto, auth, expected) in PRIV_KEYS {
        let direct = proto.from_localized(&hex(expected)).unwrap();
        let derived = priv_key(proto, auth);
        let (mut a, mut b) = (Vec::new(), Vec::new());
        assert_eq!(
            direct.encrypt(&plaintext(), 1, 2, 3, &mut a),
            derived.encrypt(&plaintext(), 1, 2, 3, &mut b)
        );
        assert_eq!(a, b, "{proto} with {auth}");
    }
}

proptest! {
    /// Arbitrary ciphertext and parameters never panic, and succeed exactly
    /// when the lengths are acceptable.
    #[test]
    fn decrypt_never_panics(
        proto in prop::sample::select(PrivProtocol::ALL.to_vec()),
        ciphertext in prop::collection::vec(any::<u8>(), 0..300),
        params in prop::collection::vec(any::<u8>(), 0..12),
        boots in any::<u32>(),
        time in any::<u32>(),
    ) {
        let key = proto.from_localized(&[0x5c; 32]).unwrap();
        let mut out = Vec::new();
        let result = key.decrypt(&ciphertext, &params, boots, time, &mut out);
        let des = matches!(proto, PrivProtocol::Des | PrivProtocol::TripleDes);
        let acceptable = params.len() == 8
            && !ciphertext.is_empty()
            && (!des || ciphertext.len() % 8 == 0);
        prop_assert_eq!(result.is_ok(), acceptable);
        prop_assert_eq!(out.len(), if acceptable { ciphertext.len() } else { 0 });
    }

    /// Verification of arbitrary octets at arbitrary offsets never panics
    /// and never accepts what was not signed.
    #[test]
    fn verify_never_panics(
        proto in prop::sample::select(AuthProtocol::ALL.to_vec()),
        message in prop::collection::vec(any::<u8>(), 0..200),
        offset in any::<usize>(),
    ) {
        let key = AuthKey::new(proto, &LocalizedKey::from_bytes(proto, &vec![7; proto.key_len()]).unwrap());
        prop_assert!(!key.verify(&message, offset % 256));
        prop_assert!(!key.verify(&message, offset));
    }

    /// Round trip with arbitrary plaintext, boots, time and salt.
    #[test]
    fn encrypt_decrypt_round_trip(
        proto in prop::sample::select(PrivProtocol::ALL.to_vec()),
        plain in prop::collection::vec(any::<u8>(), 1..300),
        boots in any::<u32>(),
        time in any::<u32>(),
        salt in any::<u64>(),
    ) {
        let key = proto.from_localized(&[0xa3; 32]).unwrap();
        let mut ct = Vec::new();
        let params = key.encrypt(&plain, boots, time, salt, &mut ct);
        let mut back = Vec::new();
        key.decrypt(&ct, &params, boots, time, &mut back).unwrap();
        prop_assert_eq!(&back[..plain.len()], &plain[..]);
    }
}
