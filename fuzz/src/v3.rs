//! SNMPv3 fixtures for the fuzz targets and the seed generator: the
//! agent's engine and its USM users (keys derived once per process), the
//! agent itself, and [`Spec`], a v3 message with every field chosen.

use std::net::SocketAddr;
use std::sync::OnceLock;
use std::time::Instant;

use oxsnmp_core::agent::{Access, Agent, AgentConfig, MemoryMib, SystemInfo};
use oxsnmp_core::ber::{tag, writer};
use oxsnmp_core::fixtures::oid;
use oxsnmp_core::usm::{AuthProtocol, PrivProtocol, Secret, UserKeys, UsmUser};
use oxsnmp_core::v3::{
    write_message, EngineId, ScopedPdu, UsmParamsRef, V3Header, SECURITY_MODEL_USM,
};
use oxsnmp_core::{Oid, Pdu, PduType, Value, VarBind};

/// msgAuthenticationParameters that pass under `--cfg fuzzing` (see
/// `oxsnmp_core::fuzzing`; repeated to the MAC length).
pub const MAGIC_MAC_OCTET: u8 = 0xf5;
/// msgPrivacyParameters that make decryption a copy under `--cfg fuzzing`.
pub const MAGIC_PRIV_PARAMS: [u8; 8] = *b"FUZZPRIV";

/// snmpEngineBoots of the fuzzed agent.
pub const BOOTS: u32 = 5;

/// The agent's address and the peers that talk to it.
pub fn agent_addr() -> SocketAddr {
    SocketAddr::from(([192, 0, 2, 10], 161))
}

/// Two managers (IPv4 and IPv6).
pub fn peers() -> [SocketAddr; 2] {
    [
        SocketAddr::from(([192, 0, 2, 20], 40000)),
        SocketAddr::from(([0x2001, 0xdb8, 0, 0, 0, 0, 0, 0x20], 40001)),
    ]
}

/// The fuzzed agent's snmpEngineID.
pub fn engine_id() -> EngineId {
    EngineId::from_text(99999, "fuzz-agent")
}

/// Another engine's ID, for messages meant for someone else.
pub fn other_engine_id() -> EngineId {
    EngineId::from_text(99999, "someone-else")
}

/// One user of the fixture.
pub struct User {
    /// The user, as agent and manager configure it.
    pub user: UsmUser,
    /// Its keys localized to [`engine_id`].
    pub keys: UserKeys,
}

/// The users: every security level, every hash family, DES, 3DES and AES.
/// Index 0 is noAuthNoPriv.
pub fn users() -> &'static [User] {
    static USERS: OnceLock<Vec<User>> = OnceLock::new();
    USERS.get_or_init(|| {
        let engine = engine_id();
        let spec: [(&str, Option<AuthProtocol>, Option<PrivProtocol>); 7] = [
            ("plain", None, None),
            ("md5", Some(AuthProtocol::Md5), None),
            ("md5-des", Some(AuthProtocol::Md5), Some(PrivProtocol::Des)),
            (
                "sha-3des",
                Some(AuthProtocol::Sha1),
                Some(PrivProtocol::TripleDes),
            ),
            (
                "sha256-aes",
                Some(AuthProtocol::Sha256),
                Some(PrivProtocol::Aes128),
            ),
            (
                "sha512-aes256",
                Some(AuthProtocol::Sha512),
                Some(PrivProtocol::Aes256),
            ),
            (
                "sha224-aes192r",
                Some(AuthProtocol::Sha224),
                Some(PrivProtocol::Aes192Reeder),
            ),
        ];
        spec.iter()
            .map(|&(name, auth, privacy)| {
                let mut u = UsmUser::new(name).expect("short name");
                if let Some(a) = auth {
                    // Master keys given directly: no megabyte of hashing.
                    let ku: Vec<u8> = (0..a.key_len() as u8).map(|i| i ^ 0x5a).collect();
                    u = u.with_auth(a, Secret::MasterKey(&ku)).expect("auth key");
                    if let Some(p) = privacy {
                        let kp: Vec<u8> = (0..a.key_len() as u8).map(|i| i ^ 0xa5).collect();
                        // The Reeder key extension runs password-to-key (a
                        // megabyte of hashing) at every localization: give
                        // those keys localized already, as `-3K` does.
                        let secret =
                            if matches!(p, PrivProtocol::TripleDes | PrivProtocol::Aes192Reeder) {
                                let kl: Vec<u8> =
                                    (0..p.key_len() as u8).map(|i| i ^ 0x3c).collect();
                                u.clone().with_privacy(p, Secret::LocalizedKey(&kl))
                            } else {
                                u.clone().with_privacy(p, Secret::MasterKey(&kp))
                            };
                        u = secret.expect("priv key");
                    }
                }
                let keys = u.keys_for(engine.as_bytes());
                User { user: u, keys }
            })
            .collect()
    })
}

/// The user named `name`, if it is one of [`users`].
pub fn user_named(name: &[u8]) -> Option<&'static User> {
    users().iter().find(|u| u.user.name() == name)
}

/// How many scalars [`mib`] serves.
pub const SCALARS: u32 = 12;

/// Objects the fuzzed agent serves besides the system and snmp groups:
/// `1.3.6.1.4.1.99999.1.{1..=SCALARS}.0` = Integer(n), writable.
pub fn scalar(n: u32) -> Oid {
    Oid::from_slice(&[1, 3, 6, 1, 4, 1, 99999, 1, n, 0]).expect("valid OID")
}

/// A writable DisplayString, `1.3.6.1.4.1.99999.2.0`, initially "label".
pub fn label() -> Oid {
    oid("1.3.6.1.4.1.99999.2.0")
}

/// A read-only Integer32, `1.3.6.1.4.1.99999.3.0`, whose value is the
/// request-id of the request that reads it: whoever receives it knows
/// which request the agent answered.
pub fn echo() -> Oid {
    oid("1.3.6.1.4.1.99999.3.0")
}

/// A small MIB (cheap to build for every input): [`SCALARS`] scalars,
/// [`label`] and [`echo`].
pub fn mib() -> MemoryMib {
    use oxsnmp_core::agent::{MaxAccess, ObjectType, Syntax};
    let mut mib = MemoryMib::new();
    for n in 1..=SCALARS {
        let object = Oid::from_slice(&[1, 3, 6, 1, 4, 1, 99999, 1, n]).expect("valid OID");
        let t = ObjectType::new(object, Syntax::integer()).access(MaxAccess::ReadWrite);
        mib.add_object(t, Value::Integer(n as i32)).expect("scalar");
    }
    let t = ObjectType::new(oid("1.3.6.1.4.1.99999.2"), Syntax::octet_string_size(0, 64))
        .access(MaxAccess::ReadWrite);
    mib.add_object(t, "label").expect("label");
    mib.add_dynamic(oid("1.3.6.1.4.1.99999.3"), |ctx| {
        Value::Integer(ctx.request_id)
    })
    .expect("echo");
    mib
}

/// The fuzzed agent's configuration: communities, every user of [`users`]
/// (read-write), the context "ctx", the given size limit and boots.
pub fn agent_config(max_message_size: usize, boots: u32) -> AgentConfig {
    let mut config = AgentConfig::new()
        .community("public", Access::ReadOnly)
        .community("private", Access::ReadWrite)
        .system(SystemInfo::new("fuzzed v3 agent").writable(true))
        .engine_id(engine_id())
        .engine_boots(boots)
        .context("ctx")
        .max_message_size(max_message_size);
    config.salt_seed = 77;
    for u in users() {
        config = config.user(u.user.clone(), Access::ReadWrite);
    }
    config
}

/// A fresh agent started at `start`.
pub fn agent(max_message_size: usize, boots: u32, start: Instant) -> Agent<MemoryMib> {
    Agent::new(agent_config(max_message_size, boots), mib(), start)
}

/// How msgAuthenticationParameters are filled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Auth {
    /// Empty (what noAuthNoPriv sends; an auth bypass if accepted when
    /// authFlag is set).
    Empty,
    /// The real HMAC of the user's key.
    Real,
    /// The fuzzing magic MAC, `len` octets.
    Magic(usize),
    /// These octets.
    Raw(Vec<u8>),
}

/// How msgData is filled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Data {
    /// The ScopedPDU in the clear, with these msgPrivacyParameters.
    Plain(Vec<u8>),
    /// Encrypted for real with the user's key and this salt, then cut to
    /// at most `keep` octets.
    Real { salt: u64, keep: usize },
    /// The ScopedPDU padded with zeros to a multiple of `pad`, as the
    /// content of the encryptedPDU OCTET STRING, with the magic privacy
    /// parameters.
    Magic { pad: usize },
    /// These msgPrivacyParameters and this encryptedPDU.
    Raw(Vec<u8>, Vec<u8>),
}

/// A v3 message with every field chosen.
#[derive(Debug, Clone)]
pub struct Spec<'a> {
    /// msgID.
    pub msg_id: i32,
    /// msgMaxSize.
    pub max_size: i32,
    /// msgFlags.
    pub flags: u8,
    /// msgSecurityModel.
    pub security_model: i32,
    /// msgAuthoritativeEngineID.
    pub engine_id: &'a [u8],
    /// msgAuthoritativeEngineBoots.
    pub boots: u32,
    /// msgAuthoritativeEngineTime.
    pub time: u32,
    /// msgUserName.
    pub user_name: &'a [u8],
    /// The keys to sign and encrypt with ([`Auth::Real`], [`Data::Real`]).
    pub keys: Option<&'a UserKeys>,
    /// msgAuthenticationParameters.
    pub auth: Auth,
    /// msgData.
    pub data: Data,
    /// The encoded ScopedPDU.
    pub scoped: Vec<u8>,
}

impl Spec<'_> {
    /// The encoded message.
    pub fn build(&self) -> Vec<u8> {
        let mac_len = self
            .keys
            .and_then(|k| k.auth.as_ref())
            .map_or(12, |a| a.mac_len());
        let auth_params: Vec<u8> = match &self.auth {
            Auth::Empty => Vec::new(),
            Auth::Real => vec![0; mac_len],
            Auth::Magic(n) => vec![MAGIC_MAC_OCTET; *n],
            Auth::Raw(b) => b.clone(),
        };
        let (priv_params, data_tlv): (Vec<u8>, Vec<u8>) = match &self.data {
            Data::Plain(p) => (p.clone(), self.scoped.clone()),
            Data::Real { salt, keep } => {
                let mut cipher = Vec::new();
                let params = match self.keys.and_then(|k| k.privacy.as_ref()) {
                    Some(p) => p.encrypt(&self.scoped, self.boots, self.time, *salt, &mut cipher),
                    None => {
                        cipher = self.scoped.clone();
                        [0; 8]
                    }
                };
                cipher.truncate(*keep);
                (params.to_vec(), octet_string(&cipher))
            }
            Data::Magic { pad } => {
                let mut plain = self.scoped.clone();
                let pad = (*pad).max(1);
                plain.resize(plain.len().div_ceil(pad) * pad, 0);
                (MAGIC_PRIV_PARAMS.to_vec(), octet_string(&plain))
            }
            Data::Raw(params, cipher) => (params.clone(), octet_string(cipher)),
        };
        let header = V3Header {
            msg_id: self.msg_id,
            max_size: self.max_size,
            flags: oxsnmp_core::v3::MsgFlags::from_bits(self.flags),
            security_model: self.security_model,
        };
        let usm = UsmParamsRef {
            engine_id: self.engine_id,
            boots: self.boots,
            time: self.time,
            user_name: self.user_name,
            auth_params: &auth_params,
            priv_params: &priv_params,
            auth_offset: 0,
        };
        let mut out = Vec::new();
        let auth_at = write_message(&mut out, &header, &usm, data_tlv.len());
        out.extend_from_slice(&data_tlv);
        if self.auth == Auth::Real {
            if let Some(a) = self.keys.and_then(|k| k.auth.as_ref()) {
                a.sign_in_place(&mut out, auth_at);
            }
        }
        out
    }
}

fn octet_string(content: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    writer::write_bytes(&mut out, tag::OCTET_STRING, content);
    out
}

/// An encoded ScopedPDU.
pub fn scoped(context_engine_id: &[u8], context_name: &[u8], pdu: Pdu) -> Vec<u8> {
    let mut out = Vec::new();
    ScopedPdu::new(context_engine_id.to_vec(), context_name.to_vec(), pdu).encode(&mut out);
    out
}

/// A PDU of `pdu_type` asking for (or setting) the scalars `ns`.
pub fn pdu(pdu_type: PduType, request_id: i32, ns: &[u32]) -> Pdu {
    let oids: Vec<Oid> = ns.iter().map(|&n| scalar(n)).collect();
    let mut p = Pdu::request(pdu_type, request_id, &oids);
    match pdu_type {
        PduType::SetRequest => {
            p.varbinds = ns
                .iter()
                .map(|&n| VarBind::new(scalar(n), Value::Integer(n as i32 * 2)))
                .collect();
        }
        PduType::GetBulkRequest => {
            p.error_status = 0;
            p.error_index = 3;
        }
        _ => {}
    }
    p
}

/// A correct message from `user` to the agent at its highest level, with
/// real security: what the agent must keep answering whatever came before.
pub fn valid_request(user: &User, msg_id: i32, request_id: i32, time: u32) -> Vec<u8> {
    let level = user.user.max_level();
    let engine = engine_id();
    let scoped = scoped(
        engine.as_bytes(),
        b"",
        pdu(PduType::GetRequest, request_id, &[7]),
    );
    let data = if level.is_encrypted() {
        Data::Real {
            salt: u64::from(time) + 1,
            keep: usize::MAX,
        }
    } else {
        Data::Plain(Vec::new())
    };
    Spec {
        msg_id,
        max_size: 65507,
        flags: oxsnmp_core::v3::MsgFlags::new(level, true).bits(),
        security_model: SECURITY_MODEL_USM,
        engine_id: engine.as_bytes(),
        boots: BOOTS,
        time,
        user_name: user.user.name(),
        keys: Some(&user.keys),
        auth: if level.is_authenticated() {
            Auth::Real
        } else {
            Auth::Empty
        },
        data,
        scoped,
    }
    .build()
}
