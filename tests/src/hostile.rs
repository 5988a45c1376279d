//! Hostile datagrams for an agent, by class, each with what the agent must
//! do with it: drop it and count it (snmpInASNParseErrs, snmpInBadVersions,
//! snmpInvalidMsgs, ...), answer with a Report-PDU carrying a usmStats or
//! dispatcher counter, or answer with a particular Response. Used by
//! `tests/hostile_agents.rs` against the core `Agent` and each runtime's
//! `AgentServer`.
//!
//! The agent is [`agent_fixture`]'s, plus an SNMPv3
//! engine ([`engine_id`], boots [`BOOTS`]) with the users of [`users`] and
//! the context "ctx".

use oxsnmp_core::agent::{Access, AgentConfig, AgentStats};
use oxsnmp_core::ber::{tag, writer};
use oxsnmp_core::usm::{AuthProtocol, PrivProtocol, Secret, UserKeys, UsmUser};
use oxsnmp_core::v3::{
    EngineId, MsgFlags, ReportKind, ScopedPdu, ScopedPduData, ScopedPduRef, SecurityLevel,
    UsmParamsRef, V3MessageRef, SECURITY_MODEL_USM,
};
use oxsnmp_core::{ErrorStatus, Message, MessageRef, Oid, Pdu, PduType, Value, VarBind, Version};

use crate::agent_fixture;

/// snmpEngineBoots of the hostile-input agent.
pub const BOOTS: u32 = 7;

/// The agent's snmpEngineID.
pub fn engine_id() -> EngineId {
    EngineId::from_text(99999, "hostile-agent")
}

/// sysDescr.0.
pub fn sys_descr() -> Oid {
    Oid::from_static(&[1, 3, 6, 1, 2, 1, 1, 1, 0])
}

/// The users, by index: 0 `md5des` (MD5, DES), 1 `shaaes` (SHA-1,
/// AES-128), 2 `sha256` (SHA-256, no privacy), 3 `plain` (noAuthNoPriv).
pub fn users() -> Vec<UsmUser> {
    let user = |name: &str, auth: Option<AuthProtocol>, privacy: Option<PrivProtocol>| {
        let mut u = UsmUser::new(name).expect("name");
        if let Some(a) = auth {
            u = u
                .with_auth(a, Secret::Password(format!("{name}-auth-pw").as_bytes()))
                .expect("auth");
        }
        if let Some(p) = privacy {
            u = u
                .with_privacy(p, Secret::Password(format!("{name}-priv-pw").as_bytes()))
                .expect("priv");
        }
        u
    };
    vec![
        user("md5des", Some(AuthProtocol::Md5), Some(PrivProtocol::Des)),
        user(
            "shaaes",
            Some(AuthProtocol::Sha1),
            Some(PrivProtocol::Aes128),
        ),
        user("sha256", Some(AuthProtocol::Sha256), None),
        user("plain", None, None),
    ]
}

/// The agent's configuration: the interop fixture's communities and system
/// group, an SNMPv3 engine and `users` (read-only), context "ctx".
pub fn config(users: &[UsmUser]) -> AgentConfig {
    let mut config = agent_fixture::config()
        .engine_id(engine_id())
        .engine_boots(BOOTS)
        .context("ctx");
    for u in users {
        config = config.user(u.clone(), Access::ReadOnly);
    }
    config
}

/// A counter of [`AgentStats`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Counter {
    /// snmpInASNParseErrs.
    AsnParseErrs,
    /// snmpInBadVersions.
    BadVersions,
    /// snmpInBadCommunityNames.
    BadCommunityNames,
    /// snmpInvalidMsgs.
    InvalidMsgs,
    /// snmpUnknownSecurityModels.
    UnknownSecurityModels,
    /// The counter a Report of this kind carries.
    Report(ReportKindCounter),
    /// snmpOutTooBigs.
    OutTooBigs,
}

/// The counters Reports carry (a `Copy` mirror of [`ReportKind`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportKindCounter {
    /// usmStatsUnsupportedSecLevels.
    UnsupportedSecLevel,
    /// usmStatsNotInTimeWindows.
    NotInTimeWindow,
    /// usmStatsUnknownUserNames.
    UnknownUserName,
    /// usmStatsUnknownEngineIDs.
    UnknownEngineId,
    /// usmStatsWrongDigests.
    WrongDigest,
    /// usmStatsDecryptionErrors.
    DecryptionError,
    /// snmpUnknownPDUHandlers.
    UnknownPduHandler,
    /// snmpUnknownContexts.
    UnknownContext,
}

impl ReportKindCounter {
    /// The Report kind.
    pub fn kind(self) -> ReportKind {
        match self {
            Self::UnsupportedSecLevel => ReportKind::UnsupportedSecLevel,
            Self::NotInTimeWindow => ReportKind::NotInTimeWindow,
            Self::UnknownUserName => ReportKind::UnknownUserName,
            Self::UnknownEngineId => ReportKind::UnknownEngineId,
            Self::WrongDigest => ReportKind::WrongDigest,
            Self::DecryptionError => ReportKind::DecryptionError,
            Self::UnknownPduHandler => ReportKind::UnknownPduHandler,
            Self::UnknownContext => ReportKind::UnknownContext,
        }
    }
}

impl Counter {
    /// The counter's value.
    pub fn get(self, s: &AgentStats) -> u64 {
        use ReportKindCounter as R;
        match self {
            Counter::AsnParseErrs => s.in_asn_parse_errs,
            Counter::BadVersions => s.in_bad_versions,
            Counter::BadCommunityNames => s.in_bad_community_names,
            Counter::InvalidMsgs => s.invalid_msgs,
            Counter::UnknownSecurityModels => s.unknown_security_models,
            Counter::OutTooBigs => s.out_too_bigs,
            Counter::Report(r) => match r {
                R::UnsupportedSecLevel => s.usm_unsupported_sec_levels,
                R::NotInTimeWindow => s.usm_not_in_time_windows,
                R::UnknownUserName => s.usm_unknown_user_names,
                R::UnknownEngineId => s.usm_unknown_engine_ids,
                R::WrongDigest => s.usm_wrong_digests,
                R::DecryptionError => s.usm_decryption_errors,
                R::UnknownPduHandler => s.unknown_pdu_handlers,
                R::UnknownContext => s.unknown_contexts,
            },
        }
    }
}

/// What the agent must do with a case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expect {
    /// Nothing sent back; this counter goes up by one.
    Dropped(Counter),
    /// A Report-PDU of this kind, at this security level, with the
    /// counter's new value; the counter goes up by one.
    Report(ReportKindCounter, SecurityLevel),
    /// A Response-PDU with this error-status and this many varbinds (at
    /// most, for GetBulk), in the request's version.
    Response {
        /// error-status.
        status: ErrorStatus,
        /// Varbinds (exactly, or at most with `at_most`).
        varbinds: usize,
        /// Whether `varbinds` is a maximum.
        at_most: bool,
    },
}

/// One hostile datagram.
#[derive(Debug, Clone)]
pub struct Case {
    /// The class (truncation, lengths, nesting, ...).
    pub class: &'static str,
    /// What in particular.
    pub name: String,
    /// The datagram.
    pub bytes: Vec<u8>,
    /// What the agent must do.
    pub expect: Expect,
}

fn case(class: &'static str, name: impl Into<String>, bytes: Vec<u8>, expect: Expect) -> Case {
    Case {
        class,
        name: name.into(),
        bytes,
        expect,
    }
}

fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    writer::write_bytes(&mut out, tag, content);
    out
}

fn int(v: i64) -> Vec<u8> {
    let mut out = Vec::new();
    writer::write_i64(&mut out, tag::INTEGER, v);
    out
}

/// A community message around a hand-built PDU TLV.
fn community_message(version: &[u8], community: &[u8], pdu: &[u8]) -> Vec<u8> {
    tlv(0x30, &[version, &tlv(0x04, community), pdu].concat())
}

/// A request PDU TLV with a hand-built varbind-list content.
fn pdu(tag: u8, request_id: &[u8], vbl: &[u8]) -> Vec<u8> {
    tlv(
        tag,
        &[request_id, &int(0), &int(0), &tlv(0x30, vbl)].concat(),
    )
}

fn varbind(oid: &[u8], value: &[u8]) -> Vec<u8> {
    tlv(0x30, &[oid, value].concat())
}

fn oid_tlv(oid: &Oid) -> Vec<u8> {
    let mut c = Vec::new();
    oid.write_ber_content(&mut c);
    tlv(0x06, &c)
}

/// A valid request of `version` ("public") for `oids`.
pub fn community_request(version: Version, request_id: i32, oids: &[Oid]) -> Vec<u8> {
    Message::new(
        version,
        "public",
        Pdu::request(PduType::GetRequest, request_id, oids),
    )
    .to_bytes()
}

/// `depth` SEQUENCEs nested with three-octet lengths around `core`.
fn nested(depth: usize, core: &[u8]) -> Vec<u8> {
    let mut inner = core.to_vec();
    for _ in 0..depth {
        let len = inner.len();
        let mut outer = vec![0x30, 0x83, (len >> 16) as u8, (len >> 8) as u8, len as u8];
        outer.extend(inner);
        inner = outer;
    }
    inner
}

/// Every prefix of `full` but itself, each to be dropped as a parse error.
fn truncations(class: &'static str, what: &str, full: &[u8]) -> Vec<Case> {
    (0..full.len())
        .map(|cut| {
            case(
                class,
                format!("{what} cut at {cut} of {}", full.len()),
                full[..cut].to_vec(),
                Expect::Dropped(Counter::AsnParseErrs),
            )
        })
        .collect()
}

/// The SNMPv1 and SNMPv2c classes (no security involved).
pub fn community_cases() -> Vec<Case> {
    use Counter::*;
    let mut cases = Vec::new();
    let descr = sys_descr();
    let parse = Expect::Dropped(AsnParseErrs);
    for (v, name) in [(Version::V1, "v1"), (Version::V2c, "v2c")] {
        let full = community_request(v, 0x1234, &[descr.clone(), descr.parent().expect("arcs")]);
        cases.extend(truncations("truncation", name, &full));
    }

    // Length fields overflowing.
    let get = |vbl: &[u8]| community_message(&int(1), b"public", &pdu(0xa0, &int(5), vbl));
    let ok_vb = varbind(&oid_tlv(&descr), &[0x05, 0x00]);
    let mut outer = vec![0x30, 0x84, 0xff, 0xff, 0xff, 0xff];
    outer.extend(int(1));
    cases.push(case(
        "lengths",
        "outer SEQUENCE of 4 GiB",
        outer,
        parse.clone(),
    ));
    cases.push(case(
        "lengths",
        "length of 9 octets",
        vec![
            0x30, 0x89, 0, 0, 0, 0, 0, 0, 0, 0, 5, 0x02, 0x01, 0x01, 0x04, 0x00,
        ],
        parse.clone(),
    ));
    let mut community = vec![0x02, 0x01, 0x01, 0x04, 0x84, 0x7f, 0xff, 0xff, 0xff, b'p'];
    community.extend(pdu(0xa0, &int(5), &ok_vb));
    cases.push(case(
        "lengths",
        "community of 2 GiB",
        tlv(0x30, &community),
        parse.clone(),
    ));
    cases.push(case(
        "lengths",
        "value of 2 GiB",
        get(&varbind(
            &oid_tlv(&descr),
            &[0x04, 0x84, 0x7f, 0xff, 0xff, 0xff],
        )),
        parse.clone(),
    ));
    cases.push(case(
        "lengths",
        "indefinite length",
        vec![0x30, 0x80, 0x02, 0x01, 0x01, 0x00, 0x00],
        parse.clone(),
    ));

    // Deep nesting.
    cases.push(case(
        "nesting",
        "10,000 SEQUENCEs as the message",
        nested(10_000, &int(1)),
        parse.clone(),
    ));
    cases.push(case(
        "nesting",
        "5,000 SEQUENCEs as a value",
        get(&varbind(&oid_tlv(&descr), &nested(5_000, &[]))),
        parse.clone(),
    ));
    cases.push(case(
        "nesting",
        "5,000 SEQUENCEs as a varbind list",
        get(&nested(5_000, &ok_vb)),
        parse.clone(),
    ));

    // OIDs.
    for subids in [128usize, 129, 1000] {
        let mut c = vec![0x2b];
        c.extend(std::iter::repeat_n(0x05, subids));
        cases.push(case(
            "oids",
            format!("{} sub-identifiers", subids + 1),
            get(&varbind(&tlv(0x06, &c), &[0x05, 0x00])),
            parse.clone(),
        ));
    }
    for (name, c) in [
        (
            "sub-identifier 2^32",
            vec![0x2b, 0x90, 0x80, 0x80, 0x80, 0x00],
        ),
        (
            "sub-identifier 2^35-1",
            vec![0x2b, 0xff, 0xff, 0xff, 0xff, 0x7f],
        ),
        ("unterminated sub-identifier", vec![0x2b, 0x86]),
        ("empty OID", vec![]),
    ] {
        cases.push(case(
            "oids",
            name,
            get(&varbind(&tlv(0x06, &c), &[0x05, 0x00])),
            parse.clone(),
        ));
    }

    // Integers longer than 8 octets (and than their type).
    let nine = [0x02, 0x09, 0x01, 0, 0, 0, 0, 0, 0, 0, 0];
    cases.push(case(
        "integers",
        "request-id of 9 octets",
        community_message(&int(1), b"public", &pdu(0xa0, &nine, &ok_vb)),
        parse.clone(),
    ));
    cases.push(case(
        "integers",
        "version of 9 octets",
        community_message(&nine, b"public", &pdu(0xa0, &int(5), &ok_vb)),
        parse.clone(),
    ));
    cases.push(case(
        "integers",
        "Counter64 of 10 octets",
        get(&varbind(
            &oid_tlv(&descr),
            &[0x46, 0x0a, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0],
        )),
        parse.clone(),
    ));

    // Wrong tags.
    let good = get(&ok_vb);
    let mut set_tag = good.clone();
    set_tag[0] = 0x31;
    cases.push(case("tags", "message as a SET", set_tag, parse.clone()));
    cases.push(case(
        "tags",
        "unknown PDU tag",
        community_message(&int(1), b"public", &pdu(0xaf, &int(5), &ok_vb)),
        parse.clone(),
    ));
    cases.push(case(
        "tags",
        "community as an INTEGER",
        tlv(0x30, &[int(1), int(7), pdu(0xa0, &int(5), &ok_vb)].concat()),
        parse.clone(),
    ));
    cases.push(case(
        "tags",
        "GetBulk in SNMPv1",
        community_message(&int(0), b"public", &pdu(0xa5, &int(5), &ok_vb)),
        parse.clone(),
    ));
    cases.push(case(
        "tags",
        "Counter64 in an SNMPv1 SET",
        community_message(
            &int(0),
            b"private",
            &pdu(
                0xa3,
                &int(5),
                &varbind(&oid_tlv(&descr), &[0x46, 0x01, 0x01]),
            ),
        ),
        parse.clone(),
    ));

    // Versions and communities.
    for v in [2i64, 4, -1, 1000] {
        cases.push(case(
            "versions",
            format!("version {v}"),
            community_message(&int(v), b"public", &pdu(0xa0, &int(5), &ok_vb)),
            Expect::Dropped(BadVersions),
        ));
    }
    cases.push(case(
        "versions",
        "unknown community",
        community_message(&int(1), b"letmein", &pdu(0xa0, &int(5), &ok_vb)),
        Expect::Dropped(BadCommunityNames),
    ));

    // Varbinds: none, duplicated, as many as fit a datagram, GetBulk.
    let response = |varbinds: usize| Expect::Response {
        status: ErrorStatus::NoError,
        varbinds,
        at_most: false,
    };
    cases.push(case(
        "varbinds",
        "zero varbinds",
        community_request(Version::V2c, 1, &[]),
        response(0),
    ));
    cases.push(case(
        "varbinds",
        "the same varbind three times",
        community_request(
            Version::V2c,
            2,
            &[descr.clone(), descr.clone(), descr.clone()],
        ),
        response(3),
    ));
    // 14 octets a varbind: 4,670 of them fill a datagram; sysDescr's value
    // makes the answer far larger than 65,507 octets.
    let many = vec![descr.clone(); 4_670];
    let big = community_request(Version::V2c, 3, &many);
    assert!(big.len() <= 65_507, "{}", big.len());
    cases.push(case(
        "varbinds",
        "4,670 varbinds (a full datagram)",
        big,
        Expect::Response {
            status: ErrorStatus::TooBig,
            varbinds: 0,
            at_most: false,
        },
    ));
    let bulk = |nr: i64, mr: i64| {
        let p = tlv(
            0xa5,
            &[
                int(9),
                int(nr),
                int(mr),
                tlv(
                    0x30,
                    &varbind(&oid_tlv(&Oid::from_static(&[1, 3, 6])), &[0x05, 0x00]),
                ),
            ]
            .concat(),
        );
        community_message(&int(1), b"public", &p)
    };
    // At most the agent's cap, however many were asked for (RFC 3416
    // §4.2.3: negative values count as zero).
    let cap = oxsnmp_core::agent::DEFAULT_MAX_BULK_VARBINDS;
    for (nr, mr, varbinds, at_most) in [
        (0, i64::from(i32::MAX), cap, true),
        (i64::from(i32::MAX), i64::from(i32::MAX), 1, false),
        (-5, 1_000_000, cap, true),
        (0, -1, 0, false),
    ] {
        cases.push(case(
            "getbulk",
            format!("non-repeaters {nr}, max-repetitions {mr}"),
            bulk(nr, mr),
            Expect::Response {
                status: ErrorStatus::NoError,
                varbinds,
                at_most,
            },
        ));
    }
    cases
}

// ---------------------------------------------------------------------------
// SNMPv3

/// How msgAuthenticationParameters are filled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mac {
    /// The real HMAC (computed last, over the finished message).
    Real,
    /// These octets, left as they are.
    Octets(Vec<u8>),
}

/// A v3 message with every field chosen.
#[derive(Debug, Clone)]
pub struct V3Spec {
    /// msgID.
    pub msg_id: i32,
    /// msgMaxSize.
    pub max_size: i32,
    /// msgFlags.
    pub flags: u8,
    /// msgSecurityModel.
    pub model: i32,
    /// msgAuthoritativeEngineID.
    pub engine: Vec<u8>,
    /// msgAuthoritativeEngineBoots (written as is, even out of range).
    pub boots: i64,
    /// msgAuthoritativeEngineTime.
    pub time: i64,
    /// msgUserName.
    pub user: Vec<u8>,
    /// msgAuthenticationParameters.
    pub mac: Mac,
    /// msgPrivacyParameters.
    pub priv_params: Vec<u8>,
    /// The whole msgData TLV.
    pub data: Vec<u8>,
}

impl V3Spec {
    /// The encoded message, signed with `keys` when [`Mac::Real`].
    pub fn build(&self, keys: Option<&UserKeys>) -> Vec<u8> {
        let auth = keys.and_then(|k| k.auth.as_ref());
        let mac = match &self.mac {
            Mac::Real => vec![0; auth.map_or(12, |a| a.mac_len())],
            Mac::Octets(o) => o.clone(),
        };
        // boots and time may be out of range: write the USM parameters by
        // hand rather than through UsmParamsRef (u32 only).
        let params = tlv(
            0x30,
            &[
                tlv(0x04, &self.engine),
                int(self.boots),
                int(self.time),
                tlv(0x04, &self.user),
                tlv(0x04, &mac),
                tlv(0x04, &self.priv_params),
            ]
            .concat(),
        );
        let global = tlv(
            0x30,
            &[
                int(i64::from(self.msg_id)),
                int(i64::from(self.max_size)),
                tlv(0x04, &[self.flags]),
                int(i64::from(self.model)),
            ]
            .concat(),
        );
        let params_tlv = tlv(0x04, &params);
        let mut out = tlv(
            0x30,
            &[int(3), global, params_tlv, self.data.clone()].concat(),
        );
        if self.mac == Mac::Real {
            if let (Some(a), Ok(m)) = (auth, V3MessageRef::decode(&out)) {
                if let Ok(u) = m.usm() {
                    let at = u.auth_offset;
                    a.sign_in_place(&mut out, at);
                }
            }
        }
        out
    }
}

/// The encoded ScopedPDU of a GetRequest for `oids`.
pub fn scoped_get(context_engine: &[u8], context: &[u8], request_id: i32, oids: &[Oid]) -> Vec<u8> {
    let mut out = Vec::new();
    ScopedPdu::new(
        context_engine.to_vec(),
        context.to_vec(),
        Pdu::request(PduType::GetRequest, request_id, oids),
    )
    .encode(&mut out);
    out
}

/// A correct request from `user` at `level` for sysDescr.0, at the
/// agent's `time`: the baseline every v3 case mangles.
pub fn v3_request(
    user: &UsmUser,
    keys: &UserKeys,
    level: SecurityLevel,
    time: u32,
    msg_id: i32,
    scoped: &[u8],
) -> V3Spec {
    let engine = engine_id().into_bytes();
    let (priv_params, data) = match (level.is_encrypted(), keys.privacy.as_ref()) {
        (true, Some(p)) => {
            let mut cipher = Vec::new();
            let params = p.encrypt(scoped, BOOTS, time, u64::from(time) + 99, &mut cipher);
            (params.to_vec(), tlv(0x04, &cipher))
        }
        _ => (Vec::new(), scoped.to_vec()),
    };
    V3Spec {
        msg_id,
        max_size: 65507,
        flags: MsgFlags::new(level, true).bits(),
        model: SECURITY_MODEL_USM,
        engine,
        boots: i64::from(BOOTS),
        time: i64::from(time),
        user: user.name().to_vec(),
        mac: if level.is_authenticated() {
            Mac::Real
        } else {
            Mac::Octets(Vec::new())
        },
        priv_params,
        data,
    }
}

/// The SNMPv3 classes: truncation of valid v3 requests, mangled security
/// parameters, timeliness, engine IDs, users, levels, contexts. `time` is
/// the agent's snmpEngineTime now; `users` are [`users`].
pub fn v3_cases(users: &[UsmUser], time: u32) -> Vec<Case> {
    use Counter::*;
    use ReportKindCounter as R;
    let engine = engine_id().into_bytes();
    let keys: Vec<UserKeys> = users.iter().map(|u| u.keys_for(&engine)).collect();
    let descr = sys_descr();
    let scoped = scoped_get(&engine, b"", 0x51, std::slice::from_ref(&descr));
    let report = |kind: R, level: SecurityLevel| Expect::Report(kind, level);
    let no_auth = SecurityLevel::NoAuthNoPriv;
    let mut cases = Vec::new();
    let mut msg_id = 5000;
    let mut next_id = || {
        msg_id += 1;
        msg_id
    };

    // Truncation at every offset of valid requests at each level.
    for (u, level) in [
        (0, SecurityLevel::AuthPriv),
        (2, SecurityLevel::AuthNoPriv),
        (3, SecurityLevel::NoAuthNoPriv),
    ] {
        let full =
            v3_request(&users[u], &keys[u], level, time, next_id(), &scoped).build(Some(&keys[u]));
        cases.extend(truncations("v3 truncation", &format!("v3 {level}"), &full));
    }

    let md5des = |id: i32| {
        v3_request(
            &users[0],
            &keys[0],
            SecurityLevel::AuthPriv,
            time,
            id,
            &scoped,
        )
    };
    let k0 = Some(&keys[0]);
    let mangled = |name: &str, spec: V3Spec, sign: bool, expect: Expect| {
        let bytes = spec.build(if sign { k0 } else { None });
        case("v3 security parameters", name, bytes, expect)
    };
    // msgAuthenticationParameters while flagged auth: empty (an auth
    // bypass in another library), short, long, zeros, tampered.
    for (name, mac) in [
        ("empty MAC", vec![]),
        ("11-octet MAC", vec![0x11; 11]),
        ("13-octet MAC", vec![0x11; 13]),
        ("MAC of zeros", vec![0; 12]),
        ("MAC of 1,000 octets", vec![0x42; 1000]),
    ] {
        let mut s = md5des(next_id());
        s.mac = Mac::Octets(mac);
        cases.push(mangled(name, s, false, report(R::WrongDigest, no_auth)));
    }
    let mut tampered = md5des(next_id()).build(k0);
    let m = V3MessageRef::decode(&tampered).expect("valid");
    let at = m.usm().expect("valid").auth_offset;
    tampered[at + 3] ^= 0x01;
    cases.push(case(
        "v3 security parameters",
        "one bit of the MAC flipped",
        tampered,
        report(R::WrongDigest, no_auth),
    ));
    let mut tampered = md5des(next_id()).build(k0);
    let last = tampered.len() - 1;
    tampered[last] ^= 0x80;
    cases.push(case(
        "v3 security parameters",
        "one bit of the ciphertext flipped",
        tampered,
        report(R::WrongDigest, no_auth),
    ));
    // A wrong digest on a message that is not reportable: counted, silent.
    let mut s = md5des(next_id());
    s.flags = MsgFlags::new(SecurityLevel::AuthPriv, false).bits();
    s.mac = Mac::Octets(vec![0; 12]);
    cases.push(mangled(
        "wrong digest, not reportable",
        s,
        false,
        Expect::Dropped(Report(R::WrongDigest)),
    ));

    // Encrypted payloads and privacy parameters (authentic messages).
    let cipher_of = |s: &V3Spec| -> Vec<u8> {
        let bytes = s.build(None);
        let m = V3MessageRef::decode(&bytes).expect("valid");
        match m.data {
            ScopedPduData::Encrypted(c) => c.to_vec(),
            ScopedPduData::Plaintext(_) => Vec::new(),
        }
    };
    for (name, keep) in [
        ("DES ciphertext of 7 octets less", 7usize),
        ("DES ciphertext of 1 octet less", 1),
    ] {
        let mut s = md5des(next_id());
        let c = cipher_of(&s);
        s.data = tlv(0x04, &c[..c.len() - keep]);
        cases.push(mangled(name, s, true, report(R::DecryptionError, no_auth)));
    }
    let mut s = md5des(next_id());
    s.data = tlv(0x04, &[]);
    cases.push(mangled(
        "empty ciphertext",
        s,
        true,
        report(R::DecryptionError, no_auth),
    ));
    for n in [0usize, 7, 9, 64] {
        let mut s = md5des(next_id());
        s.priv_params = vec![0x33; n];
        cases.push(mangled(
            &format!("privacy parameters of {n} octets"),
            s,
            true,
            report(R::DecryptionError, no_auth),
        ));
    }
    let mut s = md5des(next_id());
    s.data = tlv(0x04, &[0xa5; 64]);
    cases.push(mangled(
        "ciphertext that decrypts to garbage",
        s,
        true,
        report(R::DecryptionError, no_auth),
    ));
    let mut s = md5des(next_id());
    s.data = scoped.clone();
    cases.push(mangled(
        "privFlag with a plaintext ScopedPDU",
        s,
        true,
        Expect::Dropped(AsnParseErrs),
    ));

    // Timeliness: boots and time (authentic messages).
    let authentic_report = report(R::NotInTimeWindow, SecurityLevel::AuthNoPriv);
    for (name, boots, t) in [
        (
            "boots latched (2^31-1)",
            i64::from(i32::MAX),
            i64::from(time),
        ),
        ("boots one ahead", i64::from(BOOTS) + 1, i64::from(time)),
        ("boots one behind", i64::from(BOOTS) - 1, i64::from(time)),
        ("boots 0", 0, i64::from(time)),
        ("time 200 s ahead", i64::from(BOOTS), i64::from(time) + 200),
        ("time 2^31-1", i64::from(BOOTS), i64::from(i32::MAX)),
    ] {
        let mut s = md5des(next_id());
        s.boots = boots;
        s.time = t;
        cases.push(mangled(name, s, true, authentic_report.clone()));
    }
    for (name, boots, t) in [
        ("boots 2^32-1", i64::from(u32::MAX), i64::from(time)),
        ("boots -1", -1, i64::from(time)),
        ("time 2^40", i64::from(BOOTS), 1 << 40),
    ] {
        let mut s = md5des(next_id());
        s.boots = boots;
        s.time = t;
        cases.push(mangled(name, s, true, Expect::Dropped(AsnParseErrs)));
    }

    // Engine IDs.
    for (name, id) in [
        ("empty engine ID (discovery)", vec![]),
        (
            "unknown engine ID",
            EngineId::from_text(99999, "someone-else").into_bytes(),
        ),
        ("engine ID of 33 octets", vec![0x80; 33]),
        ("engine ID of 1,000 octets", vec![0x80; 1000]),
        ("engine ID of 1 octet", vec![0x80]),
    ] {
        let mut s = md5des(next_id());
        s.engine = id;
        cases.push(mangled(name, s, true, report(R::UnknownEngineId, no_auth)));
    }

    // Users, levels, flags, models, contexts.
    let mut s = md5des(next_id());
    s.user = b"nobody".to_vec();
    cases.push(mangled(
        "unknown user",
        s,
        false,
        report(R::UnknownUserName, no_auth),
    ));
    let mut s = md5des(next_id());
    s.user = vec![b'u'; 33];
    cases.push(mangled(
        "user name of 33 octets",
        s,
        false,
        Expect::Dropped(AsnParseErrs),
    ));
    let mut s = v3_request(
        &users[2],
        &keys[2],
        SecurityLevel::AuthNoPriv,
        time,
        next_id(),
        &scoped,
    );
    s.flags = MsgFlags::new(SecurityLevel::AuthPriv, true).bits();
    cases.push(case(
        "v3 security parameters",
        "authPriv for a user without privacy",
        s.build(Some(&keys[2])),
        report(R::UnsupportedSecLevel, no_auth),
    ));
    let mut s = v3_request(
        &users[3],
        &keys[3],
        SecurityLevel::NoAuthNoPriv,
        time,
        next_id(),
        &scoped,
    );
    s.flags = MsgFlags::new(SecurityLevel::AuthNoPriv, true).bits();
    s.mac = Mac::Octets(vec![0; 12]);
    cases.push(case(
        "v3 security parameters",
        "authNoPriv for a user without authentication",
        s.build(None),
        report(R::UnsupportedSecLevel, no_auth),
    ));
    let mut s = md5des(next_id());
    s.flags = 0x06;
    cases.push(mangled(
        "privFlag without authFlag",
        s,
        true,
        Expect::Dropped(InvalidMsgs),
    ));
    for model in [1, 2, 4, 0x7fff_ffff] {
        let mut s = md5des(next_id());
        s.model = model;
        cases.push(mangled(
            &format!("security model {model}"),
            s,
            true,
            Expect::Dropped(UnknownSecurityModels),
        ));
    }
    for max in [483, 0, -1] {
        let mut s = md5des(next_id());
        s.max_size = max;
        cases.push(mangled(
            &format!("msgMaxSize {max}"),
            s,
            true,
            Expect::Dropped(AsnParseErrs),
        ));
    }
    let ctx = scoped_get(&engine, b"nope", 0x52, std::slice::from_ref(&descr));
    let s = v3_request(
        &users[0],
        &keys[0],
        SecurityLevel::AuthPriv,
        time,
        next_id(),
        &ctx,
    );
    cases.push(mangled(
        "unknown context",
        s,
        true,
        report(R::UnknownContext, SecurityLevel::AuthPriv),
    ));
    let other = scoped_get(
        b"\x80\0\0\0\x09other",
        b"",
        0x53,
        std::slice::from_ref(&descr),
    );
    let s = v3_request(
        &users[0],
        &keys[0],
        SecurityLevel::AuthPriv,
        time,
        next_id(),
        &other,
    );
    cases.push(mangled(
        "unknown contextEngineID",
        s,
        true,
        report(R::UnknownPduHandler, SecurityLevel::AuthPriv),
    ));
    cases
}

/// The agent's answer to `case`, checked against what it expects.
/// `before` and `after` are the agent's counters around the case;
/// `answer` what it sent back (if anything); `users` are [`users`].
pub fn check(
    case: &Case,
    answer: Option<&[u8]>,
    before: &AgentStats,
    after: &AgentStats,
    users: &[UsmUser],
) -> Result<(), String> {
    let what = format!("{}: {}", case.class, case.name);
    match &case.expect {
        Expect::Dropped(counter) => {
            if let Some(a) = answer {
                return Err(format!(
                    "{what}: answered ({} octets) instead of dropped",
                    a.len()
                ));
            }
            let (b, a) = (counter.get(before), counter.get(after));
            if a != b + 1 {
                return Err(format!("{what}: {counter:?} went from {b} to {a}"));
            }
        }
        Expect::Report(kind, level) => {
            let bytes = answer.ok_or_else(|| format!("{what}: no Report"))?;
            let counter = Counter::Report(*kind);
            let (b, a) = (counter.get(before), counter.get(after));
            if a != b + 1 {
                return Err(format!("{what}: {counter:?} went from {b} to {a}"));
            }
            let (got_level, pdu) = open_v3(bytes, users).map_err(|e| format!("{what}: {e}"))?;
            if got_level != *level {
                return Err(format!("{what}: Report at {got_level}, expected {level}"));
            }
            if pdu.pdu_type != PduType::Report {
                return Err(format!("{what}: a {:?}, not a Report", pdu.pdu_type));
            }
            let expected = VarBind::new(kind.kind().oid(), Value::Counter32(a as u32));
            if pdu.varbinds != [expected.clone()] {
                return Err(format!(
                    "{what}: Report {:?}, expected {expected:?}",
                    pdu.varbinds
                ));
            }
        }
        Expect::Response {
            status,
            varbinds,
            at_most,
        } => {
            let bytes = answer.ok_or_else(|| format!("{what}: no Response"))?;
            let m = MessageRef::decode(bytes).map_err(|e| format!("{what}: {e}"))?;
            let request = MessageRef::decode(&case.bytes).map_err(|e| format!("{what}: {e}"))?;
            let p = m.pdu().ok_or_else(|| format!("{what}: not a PDU"))?;
            let rp = request
                .pdu()
                .ok_or_else(|| format!("{what}: request not a PDU"))?;
            let n = p.varbinds.len();
            let count_ok = if *at_most {
                n > 0 && n <= *varbinds
            } else {
                n == *varbinds
            };
            if m.version != request.version
                || p.pdu_type != PduType::Response
                || p.request_id != rp.request_id
                || p.status() != *status
                || !count_ok
            {
                return Err(format!(
                    "{what}: {:?} {:?} id {} status {} with {n} varbinds",
                    m.version,
                    p.pdu_type,
                    p.request_id,
                    p.status()
                ));
            }
        }
    }
    Ok(())
}

/// Decodes (and decrypts, with the named user's keys) an SNMPv3 answer:
/// its security level and PDU. An authenticated answer must verify.
pub fn open_v3(bytes: &[u8], users: &[UsmUser]) -> Result<(SecurityLevel, Pdu), String> {
    let m = V3MessageRef::decode(bytes).map_err(|e| e.to_string())?;
    let level = m.flags.level().ok_or("invalid msgFlags")?;
    let usm: UsmParamsRef<'_> = m.usm().map_err(|e| e.to_string())?;
    let keys = users
        .iter()
        .find(|u| u.name() == usm.user_name)
        .map(|u| u.keys_for(usm.engine_id));
    if level.is_authenticated() {
        let auth = keys
            .as_ref()
            .and_then(|k| k.auth.as_ref())
            .ok_or("no key")?;
        if !auth.verify(bytes, usm.auth_offset) {
            return Err("answer's MAC does not verify".into());
        }
    }
    let mut plain = Vec::new();
    let scoped = match m.data {
        ScopedPduData::Plaintext(s) => s,
        ScopedPduData::Encrypted(c) => {
            let p = keys
                .as_ref()
                .and_then(|k| k.privacy.as_ref())
                .ok_or("no privacy key")?;
            p.decrypt(c, usm.priv_params, usm.boots, usm.time, &mut plain)
                .map_err(|e| e.to_string())?;
            ScopedPduRef::decode(&plain, 0, true).map_err(|e| e.to_string())?
        }
    };
    Ok((level, scoped.pdu.to_owned()))
}
