//! Our clients (through each runtime) against Net-SNMP's snmpd, compared
//! with what Net-SNMP's own tools report against the same agent.

use std::collections::HashSet;

use oxsnmp_core::manager::ClientError;
use oxsnmp_core::walk::{Repetitions, WalkOptions};
use oxsnmp_core::{ErrorStatus, Oid, Value, VarBind, Version};
use oxsnmp_tests::netsnmp::parse_value;
use oxsnmp_tests::peers::{
    free_udp_port, ipv6_available, parse_on_output, require, table_row, Snmpd, SnmpdConfig,
    OX_TABLE, STABLE_COMMUNITY,
};
use oxsnmp_tests::runtimes::{all_clients, Options};

const SYS_UPTIME: &str = ".1.3.6.1.2.1.1.3.0";

fn oid(s: &str) -> Oid {
    s.parse().expect("valid OID in test")
}

fn start(test: &str, config: SnmpdConfig) -> Option<Snmpd> {
    if !require("snmpd", test) || !require("snmpget", test) {
        return None;
    }
    Some(Snmpd::start(config).expect("snmpd starts"))
}

/// Runs a Net-SNMP tool and returns its (OID, value text) lines, asserting success.
fn netsnmp_text(agent: &Snmpd, tool: &str, args: &[&str]) -> Vec<(String, String)> {
    let out = agent.tool(tool, args).expect("tool runs");
    assert!(
        out.status.success(),
        "{tool} {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut lines = parse_on_output(&String::from_utf8_lossy(&out.stdout));
    // Walk tools print the endOfMibView that ended the walk; ours end silently.
    if tool.ends_with("walk")
        && lines
            .last()
            .is_some_and(|(_, v)| v.contains("No more variables"))
    {
        lines.pop();
    }
    lines
}

/// Like [`netsnmp_text`], with every value read back into a [`Value`].
fn netsnmp(agent: &Snmpd, tool: &str, args: &[&str]) -> Vec<(String, Value)> {
    netsnmp_text(agent, tool, args)
        .into_iter()
        .map(|(o, v)| {
            let value = parse_value(&v).unwrap_or_else(|| panic!("unparsed value {v:?} for {o}"));
            (o, value)
        })
        .collect()
}

fn ours(vbs: &[VarBind]) -> Vec<(String, Value)> {
    vbs.iter()
        .map(|vb| (format!(".{}", vb.oid), vb.value.clone()))
        .collect()
}

/// Equal lists, except that sysUpTime only has to be present on both sides.
fn assert_same(runtime: &str, what: &str, ours: &[(String, Value)], theirs: &[(String, Value)]) {
    assert_eq!(
        ours.len(),
        theirs.len(),
        "{runtime} {what}: different lengths"
    );
    for (a, b) in ours.iter().zip(theirs) {
        assert_eq!(a.0, b.0, "{runtime} {what}: OIDs differ");
        if a.0 != SYS_UPTIME {
            assert_eq!(a.1, b.1, "{runtime} {what}: values of {} differ", a.0);
        }
    }
}

fn target(agent: &Snmpd) -> String {
    format!("udp:{}", agent.addr)
}

fn stable() -> Options {
    Options {
        community: STABLE_COMMUNITY.into(),
        ..Options::default()
    }
}

#[test]
fn get_getnext_getbulk_match_net_snmp() {
    let Some(agent) = start("get_getnext_getbulk_match_net_snmp", SnmpdConfig::default()) else {
        return;
    };
    let t = agent.addr.to_string();
    let get_oids = [
        ".1.3.6.1.2.1.1.1.0",
        ".1.3.6.1.2.1.1.2.0",
        ".1.3.6.1.2.1.1.4.0",
        ".1.3.6.1.2.1.1.5.0",
        ".1.3.6.1.2.1.1.6.0",
        ".1.3.6.1.2.1.1.7.0",
        ".1.3.6.1.4.1.99999.1.1.2.1",
        ".1.3.6.1.4.1.99999.1.1.3.1",
        ".1.3.6.1.4.1.99999.1.1.4.2",
        ".1.3.6.1.4.1.99999.1.1.5.3",
        ".1.3.6.1.4.1.99999.1.1.6.2",
        ".1.3.6.1.4.1.99999.1.1.2.99",
        ".1.3.6.1.4.1.99999.7.0",
    ];
    let mut args = vec!["-v2c", "-c", "public", "-On", t.as_str()];
    args.extend(get_oids);
    let expected_get = netsnmp(&agent, "snmpget", &args);
    assert!(expected_get
        .iter()
        .any(|(_, v)| *v == Value::Counter64(u64::MAX)));
    assert!(expected_get.iter().any(|(_, v)| v.is_exception()));

    let next_oids = [
        ".1.3.6.1.2.1.1",
        ".1.3.6.1.4.1.99999.1.1.3",
        ".1.3.6.1.2.1.1.9.1.4",
    ];
    let mut args = vec!["-v2c", "-c", "public", "-On", t.as_str()];
    args.extend(next_oids);
    let expected_next = netsnmp(&agent, "snmpgetnext", &args);

    let bulk_oids = [
        ".1.3.6.1.2.1.1.1",
        ".1.3.6.1.4.1.99999.1.1.2",
        ".1.3.6.1.4.1.99999.1.1.5",
    ];
    let mut args = vec!["-v2c", "-c", "public", "-On", "-Cn1", "-Cr4", t.as_str()];
    args.extend(bulk_oids);
    let expected_bulk = netsnmp(&agent, "snmpbulkget", &args);
    assert_eq!(expected_bulk.len(), 1 + 2 * 4);

    for c in all_clients(&target(&agent), &Options::default()) {
        let rt = c.runtime();
        let got = c.get(&get_oids.map(oid)).expect("get");
        assert_same(rt, "get", &ours(&got), &expected_get);
        let got = c.get_next(&next_oids.map(oid)).expect("getnext");
        assert_same(rt, "getnext", &ours(&got), &expected_next);
        let got = c.get_bulk(1, 4, &bulk_oids.map(oid)).expect("getbulk");
        assert_same(rt, "getbulk", &ours(&got), &expected_bulk);
    }
}

#[test]
fn whole_tree_walks_match_net_snmp() {
    let config = SnmpdConfig {
        table_rows: 500,
        ..SnmpdConfig::default()
    };
    let Some(agent) = start("whole_tree_walks_match_net_snmp", config) else {
        return;
    };
    let t = agent.addr.to_string();
    // The stable view: the system group and oxTable, nothing that changes.
    let expected_bulk = netsnmp(
        &agent,
        "snmpbulkwalk",
        &["-v2c", "-c", STABLE_COMMUNITY, "-On", &t, ".1"],
    );
    let expected_walk = netsnmp(
        &agent,
        "snmpwalk",
        &["-v2c", "-c", STABLE_COMMUNITY, "-On", &t, ".1"],
    );
    let expected_v1 = netsnmp(
        &agent,
        "snmpwalk",
        &["-v1", "-c", STABLE_COMMUNITY, "-On", &t, ".1"],
    );
    let expected_cr3 = netsnmp(
        &agent,
        "snmpbulkwalk",
        &[
            "-v2c",
            "-c",
            STABLE_COMMUNITY,
            "-On",
            "-Cr3",
            &t,
            ".1.3.6.1.4.1.99999",
        ],
    );
    assert!(expected_bulk.len() > 500 * 6, "the table is in the view");
    assert!(
        expected_v1.len() < expected_bulk.len(),
        "v1 has no Counter64"
    );

    for c in all_clients(&target(&agent), &stable()) {
        let rt = c.runtime();
        let got = c.bulk_walk(&oid(".1")).expect("bulk walk");
        assert_same(rt, "bulkwalk .1", &ours(&got), &expected_bulk);
        let got = c
            .walk_with(&oid(".1"), WalkOptions::getnext())
            .expect("walk");
        assert_same(rt, "walk .1", &ours(&got), &expected_walk);
        let got = c
            .walk_with(
                &oid(".1.3.6.1.4.1.99999"),
                WalkOptions::bulk(Repetitions::Fixed(3)),
            )
            .expect("bulk walk -Cr3");
        assert_same(rt, "bulkwalk -Cr3", &ours(&got), &expected_cr3);
    }
    let v1 = Options {
        version: Version::V1,
        ..stable()
    };
    for c in all_clients(&target(&agent), &v1) {
        let got = c
            .walk_with(&oid(".1"), WalkOptions::getnext())
            .expect("v1 walk");
        assert_same(c.runtime(), "v1 walk .1", &ours(&got), &expected_v1);
        // A v1 "bulk walk" falls back to GETNEXT.
        let got = c.bulk_walk(&oid(".1")).expect("v1 bulk walk");
        assert_same(c.runtime(), "v1 bulkwalk .1", &ours(&got), &expected_v1);
    }

    // The full view changes between walks (counters, our own sockets in the
    // UDP table), so compare what is stable and check the rest is sound.
    let full = netsnmp_text(
        &agent,
        "snmpbulkwalk",
        &["-v2c", "-c", "public", "-On", &t, ".1"],
    );
    let theirs: HashSet<&str> = full.iter().map(|(o, _)| o.as_str()).collect();
    for c in all_clients(&target(&agent), &Options::default()) {
        let got = c.bulk_walk(&oid(".1")).expect("full bulk walk");
        assert!(
            got.windows(2).all(|w| w[0].oid < w[1].oid),
            "{} increasing",
            c.runtime()
        );
        let mine = ours(&got);
        let common = mine
            .iter()
            .filter(|(o, _)| theirs.contains(o.as_str()))
            .count();
        assert!(
            common * 100 >= full.len() * 97 && mine.len() * 100 >= full.len() * 97,
            "{}: {} of our {} OIDs among Net-SNMP's {}",
            c.runtime(),
            common,
            mine.len(),
            full.len()
        );
    }
}

#[test]
fn table_rows_in_lockstep() {
    let config = SnmpdConfig {
        table_rows: 120,
        ..SnmpdConfig::default()
    };
    let Some(agent) = start("table_rows_in_lockstep", config) else {
        return;
    };
    let cols: Vec<Oid> = [2, 3, 5, 6]
        .iter()
        .map(|c| oid(&format!("{OX_TABLE}.1.{c}")))
        .collect();
    for c in all_clients(&target(&agent), &Options::default()) {
        let rows = c.rows(&cols).expect("table walk");
        assert_eq!(rows.len(), 120, "{}", c.runtime());
        for (i, row) in rows.iter().enumerate() {
            let n = i as u32 + 1;
            assert_eq!(row.index, vec![n]);
            // Cross-check against the add_row line the agent was configured with.
            let line = table_row(n);
            let name = format!("row {n}");
            assert!(line.contains(&format!("\"{name}\"")));
            assert_eq!(
                row.values[0],
                Some(Value::from(name.as_str())),
                "{}",
                c.runtime()
            );
            assert!(matches!(row.values[1], Some(Value::Counter64(_))));
            assert!(matches!(row.values[2], Some(Value::IpAddress(_))));
            assert_eq!(row.values[3], Some(Value::TimeTicks(n * 100)));
        }
    }
}

#[test]
fn set_then_get_back_and_errors() {
    let Some(agent) = start("set_then_get_back_and_errors", SnmpdConfig::default()) else {
        return;
    };
    let t = agent.addr.to_string();
    let contact = oid(".1.3.6.1.2.1.1.4.0");
    let rw = Options {
        community: "private".into(),
        ..Options::default()
    };
    for c in all_clients(&target(&agent), &rw) {
        let text = format!("ops-{}@example.org", c.runtime());
        let vb = VarBind::new(contact.clone(), Value::from(text.as_str()));
        let echoed = c.set(std::slice::from_ref(&vb)).expect("set");
        assert_eq!(echoed, vec![vb.clone()]);
        assert_eq!(
            c.get(std::slice::from_ref(&contact)).expect("get back"),
            vec![vb]
        );
        let seen = netsnmp(
            &agent,
            "snmpget",
            &["-v2c", "-c", "public", "-On", &t, ".1.3.6.1.2.1.1.4.0"],
        );
        assert_eq!(
            seen[0].1,
            Value::from(text.as_str()),
            "snmpget sees our SET"
        );
        // Wrong type for a DisplayString.
        let err = c
            .set(&[VarBind::new(contact.clone(), Value::Integer(5))])
            .expect_err("wrong type");
        assert!(
            matches!(&err, ClientError::Snmp(e) if e.status == ErrorStatus::WrongType && e.index == 1),
            "{}: {err:?}",
            c.runtime()
        );
    }
    // Writing with the read-only community is refused.
    for c in all_clients(&target(&agent), &Options::default()) {
        let err = c
            .set(&[VarBind::new(contact.clone(), Value::from("x"))])
            .expect_err("read-only community");
        assert!(
            matches!(&err, ClientError::Snmp(e) if e.status == ErrorStatus::NoAccess),
            "{}: {err:?}",
            c.runtime()
        );
    }
    // v1: a missing object is noSuchName with its index.
    let v1 = Options {
        version: Version::V1,
        ..Options::default()
    };
    for c in all_clients(&target(&agent), &v1) {
        let err = c
            .get(&[oid(".1.3.6.1.2.1.1.5.0"), oid(".1.3.6.1.2.1.1.99.0")])
            .expect_err("noSuchName");
        assert!(
            matches!(&err, ClientError::Snmp(e) if e.status == ErrorStatus::NoSuchName && e.index == 2),
            "{}: {err:?}",
            c.runtime()
        );
    }
}

#[test]
fn ipv6_loopback() {
    if !ipv6_available() {
        eprintln!("SKIP ipv6_loopback: no IPv6 loopback on this machine");
        assert!(!oxsnmp_tests::peers::in_ci(), "CI machines have ::1");
        return;
    }
    let config = SnmpdConfig {
        ipv6: true,
        ..SnmpdConfig::default()
    };
    let Some(agent) = start("ipv6_loopback", config) else {
        return;
    };
    let addr6 = agent.addr6.expect("listening on ::1");
    let t6 = format!("udp6:[::1]:{}", addr6.port());
    let expected = netsnmp(
        &agent,
        "snmpwalk",
        &["-v2c", "-c", STABLE_COMMUNITY, "-On", &t6, ".1.3.6.1.2.1.1"],
    );
    assert!(!expected.is_empty());
    for c in all_clients(&t6, &stable()) {
        let got = c.bulk_walk(&oid(".1.3.6.1.2.1.1")).expect("walk over IPv6");
        assert_same(c.runtime(), "ipv6 walk", &ours(&got), &expected);
    }
}

#[test]
fn unreachable_agent_times_out() {
    // A port nobody listens on: every runtime must end in Timeout, not hang.
    let port = free_udp_port("127.0.0.1").expect("free port");
    let quick = Options {
        timeout: std::time::Duration::from_millis(150),
        retries: 1,
        ..Options::default()
    };
    for c in all_clients(&format!("127.0.0.1:{port}"), &quick) {
        let err = c.get(&[oid(".1.3.6.1.2.1.1.1.0")]).expect_err("no agent");
        assert!(
            matches!(err, ClientError::Timeout(_)),
            "{}: {err:?}",
            c.runtime()
        );
        let err = c.bulk_walk(&oid(".1")).expect_err("no agent");
        assert!(
            matches!(err, ClientError::Timeout(_)),
            "{}: {err:?}",
            c.runtime()
        );
    }
}
