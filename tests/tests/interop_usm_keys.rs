//! Our USM key derivation against Net-SNMP's: snmpd creates users from
//! passwords (`createUser`), and Net-SNMP's `snmpget` reaches them with only
//! the localized keys we derived (`-3k`, `-3K`). An answer means snmpd
//! derived the same authentication key and the same privacy key, key
//! extension included (AES-192/256 with MD5 and SHA-1 hashes: Blumenthal for
//! `AES-192`/`AES-256`, Reeder for `AES192C`/`AES256C`).
//!
//! 3DES is not tested here: Debian's Net-SNMP is built without it.

use oxsnmp_core::usm::{AuthProtocol, PrivProtocol};
use oxsnmp_tests::peers::{require, Snmpd, SnmpdConfig};

const ENGINE_ID: &str = "8000000001020304aabbcc";
const AUTH_PASSWORD: &[u8] = b"auth-password";
const PRIV_PASSWORD: &[u8] = b"privacy-password";

/// Net-SNMP 5.9's spellings for the Reeder (Cisco) variants.
fn netsnmp_name(p: PrivProtocol) -> &'static str {
    match p {
        PrivProtocol::Aes192Reeder => "AES192C",
        PrivProtocol::Aes256Reeder => "AES256C",
        other => other.name(),
    }
}

fn user(auth: AuthProtocol, privacy: PrivProtocol) -> String {
    format!("u-{}-{}", auth.name(), netsnmp_name(privacy))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn engine_id() -> Vec<u8> {
    (0..ENGINE_ID.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&ENGINE_ID[i..i + 2], 16).expect("hex"))
        .collect()
}

const PRIVS: [PrivProtocol; 6] = [
    PrivProtocol::Des,
    PrivProtocol::Aes128,
    PrivProtocol::Aes192,
    PrivProtocol::Aes256,
    PrivProtocol::Aes192Reeder,
    PrivProtocol::Aes256Reeder,
];

/// `snmpget` of sysUpTime.0 as `user` with the given localized keys.
fn get(
    agent: &Snmpd,
    user: &str,
    auth: AuthProtocol,
    kul: &str,
    privacy: PrivProtocol,
    kul_priv: &str,
) -> std::process::Output {
    let target = format!("udp:{}", agent.addr);
    agent
        .tool(
            "snmpget",
            &[
                "-v3",
                "-l",
                "authPriv",
                "-u",
                user,
                "-a",
                auth.name(),
                "-3k",
                kul,
                "-x",
                netsnmp_name(privacy),
                "-3K",
                kul_priv,
                "-e",
                ENGINE_ID,
                "-On",
                "-r",
                "0",
                "-t",
                "2",
                &target,
                "1.3.6.1.2.1.1.3.0",
            ],
        )
        .expect("snmpget runs")
}

#[test]
fn localized_keys_agree_with_netsnmp() {
    let test = "localized_keys_agree_with_netsnmp";
    if !require("snmpd", test) || !require("snmpget", test) {
        return;
    }
    let mut extra = vec![format!("exactEngineID 0x{ENGINE_ID}")];
    for auth in AuthProtocol::ALL {
        for privacy in PRIVS {
            let name = user(auth, privacy);
            extra.push(format!(
                "createUser {name} {} {} {} {}",
                auth.name(),
                std::str::from_utf8(AUTH_PASSWORD).expect("ascii"),
                netsnmp_name(privacy),
                std::str::from_utf8(PRIV_PASSWORD).expect("ascii"),
            ));
            extra.push(format!("rouser {name} priv"));
        }
    }
    let agent = Snmpd::start(SnmpdConfig {
        extra,
        ..SnmpdConfig::default()
    })
    .expect("snmpd starts");
    assert!(
        !agent.log().contains("unknown privProtocol")
            && !agent.log().contains("unknown authProtocol"),
        "snmpd refused a createUser line:\n{}",
        agent.log()
    );

    let engine = engine_id();
    for auth in AuthProtocol::ALL {
        let kul = auth.localize(&auth.password_to_key(AUTH_PASSWORD).unwrap(), &engine);
        let ku_priv = auth.password_to_key(PRIV_PASSWORD).unwrap();
        for privacy in PRIVS {
            let kul_priv = privacy.localize(auth, &ku_priv, &engine);
            let out = get(
                &agent,
                &user(auth, privacy),
                auth,
                &hex(kul.as_bytes()),
                privacy,
                &hex(kul_priv.as_bytes()),
            );
            let stdout = String::from_utf8_lossy(&out.stdout);
            assert!(
                out.status.success() && stdout.contains(".1.3.6.1.2.1.1.3.0 = Timeticks"),
                "{auth} + {privacy}: {stdout} {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }

    // Control: where the extensions differ, the other one's key is refused.
    let auth = AuthProtocol::Md5;
    let ku_priv = auth.password_to_key(PRIV_PASSWORD).unwrap();
    let kul = auth.localize(&auth.password_to_key(AUTH_PASSWORD).unwrap(), &engine);
    let reeder_key = PrivProtocol::Aes256Reeder.localize(auth, &ku_priv, &engine);
    let out = get(
        &agent,
        &user(auth, PrivProtocol::Aes256),
        auth,
        &hex(kul.as_bytes()),
        PrivProtocol::Aes256,
        &hex(reeder_key.as_bytes()),
    );
    assert!(
        !out.status.success(),
        "a Reeder key must not open a Blumenthal user"
    );
}
