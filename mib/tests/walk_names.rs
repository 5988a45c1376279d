//! Names printed in each symbolic style, read back by `Mibs` as a walk's
//! reader ([`WalkMibs`]): every decoded index form gives back its OID, and
//! what a style loses is refused, with the real MIB sets.

mod support;

use oxsnmp_core::agent::recording::WalkMibs;
use oxsnmp_core::{Oid, Value};
use oxsnmp_mib::search::ModuleSelection;
use oxsnmp_mib::{MibLoader, Mibs, OidFormat, OidStyle};
use support::require_mibs;

fn load() -> Option<Mibs> {
    load_selection(ModuleSelection::All)
}

/// The corpus with `selection` (with every module, Net-SNMP's link order
/// may give an object the definition of an older module than IF-MIB:
/// RFC1213-MIB's PhysAddress has no DISPLAY-HINT).
fn load_selection(selection: ModuleSelection) -> Option<Mibs> {
    let root = require_mibs("walk_names")?;
    // The render test MIB (InetAddress, IMPLIED, fixed-size indexes) too.
    let render = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../cli/tests/data/mibs");
    let dirs = std::iter::once(render)
        .chain(["netsnmp", "erlang", "npm"].iter().map(|d| root.join(d)))
        .map(|d| d.display().to_string())
        .collect::<Vec<_>>()
        .join(":");
    Some(
        MibLoader::new()
            .mib_dirs(&dirs)
            .selection(selection)
            .load()
            .expect("load"),
    )
}

fn oid(s: &str) -> Oid {
    s.parse().expect("oid")
}

const STYLES: [OidFormat; 4] = [
    OidFormat::Module,
    OidFormat::Name,
    OidFormat::Full,
    OidFormat::Ucd,
];

fn style(format: OidFormat, escape_quotes: bool) -> OidStyle {
    OidStyle {
        format,
        decode_index: true,
        escape_quotes,
    }
}

#[test]
fn decoded_indexes_read_back_in_every_style() {
    let Some(mibs) = load() else { return };
    let instances = [
        // A plain column instance.
        "1.3.6.1.2.1.2.2.1.3.2",
        // InetAddressType + InetAddress: ipv4, ipv6 and ipv6z.
        "1.3.6.1.4.1.32473.99.2.3.1.3.1.4.192.0.2.7",
        "1.3.6.1.4.1.32473.99.2.3.1.3.2.16.254.128.0.0.0.0.0.0.0.0.0.0.0.0.0.1",
        "1.3.6.1.4.1.32473.99.2.3.1.3.4.20.254.128.0.0.0.0.0.0.0.0.0.0.0.0.0.2.0.0.0.3",
        // A length-prefixed string index: vacmGroupName.3."user".
        "1.3.6.1.6.3.16.1.2.1.3.3.4.117.115.101.114",
        // An IMPLIED string index: snmpTargetAddrTDomain.'mgr'.
        "1.3.6.1.6.3.12.1.2.1.2.109.103.114",
        // An enum-labelled index and an IMPLIED string: nsLogType.debug.'tok'.
        "1.3.6.1.4.1.8072.1.7.2.1.1.3.7.116.111.107",
        // IpAddress and numbers: tcpConnState.127.0.0.1.22.0.0.0.0.0.
        "1.3.6.1.2.1.6.13.1.1.127.0.0.1.22.0.0.0.0.0",
    ];
    let printed: Vec<String> = instances
        .iter()
        .map(|i| mibs.format_oid(&oid(i), OidStyle::default()))
        .collect();
    // Each index form is decoded (so reading it back is not parse_oid's
    // numbers).
    for (i, want) in [
        (1, "OXSNMP-RENDER-TEST-MIB::oxPeerState.ipv4.\"192.0.2.7\""),
        (
            3,
            "OXSNMP-RENDER-TEST-MIB::oxPeerState.ipv6z.\"fe:80:00:00:00:00:00:00:00:00:00:00:00:00:00:02%3\"",
        ),
        (4, "SNMP-VIEW-BASED-ACM-MIB::vacmGroupName.3.\"user\""),
        (5, "SNMP-TARGET-MIB::snmpTargetAddrTDomain.'mgr'"),
        (6, "NET-SNMP-AGENT-MIB::nsLogType.debug.'tok'"),
    ] {
        assert_eq!(printed.get(i).map(String::as_str), Some(want));
    }
    let mut read = 0;
    for text in instances {
        let want = oid(text);
        for format in STYLES {
            for escape in [false, true] {
                let name = mibs.format_oid(&want, style(format, escape));
                assert!(!name.starts_with(".1."), "{name}");
                match mibs.resolve(&name) {
                    Ok(got) => {
                        assert_eq!(got, want, "{name}");
                        read += 1;
                    }
                    // A bare label several modules define is refused, not
                    // guessed; the module-qualified and full forms never are.
                    Err(why) => {
                        assert!(
                            matches!(format, OidFormat::Name | OidFormat::Ucd)
                                && why.contains("more than one object"),
                            "{name}: {why}"
                        );
                    }
                }
            }
        }
    }
    // -OE: the quotes escaped for shells.
    let escaped = mibs.format_oid(
        &oid("1.3.6.1.6.3.16.1.2.1.3.3.4.117.115.101.114"),
        style(OidFormat::Module, true),
    );
    assert_eq!(
        escaped,
        "SNMP-VIEW-BASED-ACM-MIB::vacmGroupName.3.\\\"user\\\""
    );
    assert_eq!(
        mibs.resolve(&escaped),
        Ok(oid("1.3.6.1.6.3.16.1.2.1.3.3.4.117.115.101.114"))
    );
    // Every instance in every style, with and without -OE, but where a
    // bare label is ambiguous.
    assert!(read >= instances.len() * 6, "{read}");
}

#[test]
fn what_a_style_loses_is_refused() {
    let Some(mibs) = load() else { return };
    // An index string with an octet Net-SNMP prints as '.' (or a real '.').
    for arcs in [
        "1.3.6.1.6.3.16.1.2.1.3.3.3.97.46.98",
        "1.3.6.1.6.3.16.1.2.1.3.3.3.97.200.98",
    ] {
        let name = mibs.format_oid(&oid(arcs), OidStyle::default());
        assert_eq!(
            name, "SNMP-VIEW-BASED-ACM-MIB::vacmGroupName.3.\"a.b\"",
            "{arcs}"
        );
        let why = mibs.resolve(&name).unwrap_err();
        assert!(why.contains("octets are lost"), "{why}");
    }
    // `linux` under -Os: NET-SNMP-TC's or UCD-SNMP-MIB's.
    let why = mibs.resolve("linux").unwrap_err();
    assert!(why.contains("more than one object"), "{why}");
    assert_eq!(
        mibs.resolve("NET-SNMP-TC::linux"),
        Ok(oid("1.3.6.1.4.1.8072.3.2.10"))
    );
    // A module-qualified name with numbers after it is exact whichever
    // MIBs printed it.
    assert_eq!(
        mibs.resolve("SNMPv2-SMI::enterprises.8072.3.2.10"),
        Ok(oid("1.3.6.1.4.1.8072.3.2.10"))
    );
}

#[test]
fn hinted_values_read_back_through_the_formatter() {
    let mut if_mib = ModuleSelection::default();
    if_mib.apply("IF-MIB");
    let Some(mibs) = load_selection(if_mib) else {
        return;
    };
    let phys = oid("1.3.6.1.2.1.2.2.1.6.2");
    let name = "IF-MIB::ifPhysAddress.2";
    assert_eq!(
        mibs.read_value(name, &phys, "STRING", b"0:0:5e:0:53:1"),
        Some(Ok(Value::OctetString(vec![0, 0, 0x5e, 0, 0x53, 1])))
    );
    assert!(matches!(
        mibs.read_value(name, &phys, "STRING", b"00:00:5e:00:53:01"),
        Some(Err(_))
    ));
    // DisplayString: the text is the octets, trailing space and quotes too.
    let descr = oid("1.3.6.1.2.1.2.2.1.2.1");
    assert_eq!(
        mibs.read_value("IF-MIB::ifDescr.1", &descr, "STRING", b"\"lo\" "),
        Some(Ok(Value::OctetString(b"\"lo\" ".to_vec())))
    );
    // Enumerations are the core's (`up(1)` takes 1); no hint, no reading.
    let admin = oid("1.3.6.1.2.1.2.2.1.7.2");
    assert_eq!(
        mibs.read_value("IF-MIB::ifAdminStatus.2", &admin, "INTEGER", b"up(1)"),
        None
    );
    assert_eq!(mibs.units(&oid("1.3.6.1.2.1.2.2.1.5.1")), None);
}
