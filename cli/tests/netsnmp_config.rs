//! `oxsnmp` and Net-SNMP's tools under the same client configuration
//! (snmp.conf(5)): the machine's own (`/etc/snmp/snmp.conf`, which on
//! Debian says `mibs :`), and a per-user `~/.snmp/snmp.conf` carrying
//! SNMPv3 defaults, in a temporary HOME. Each manager subcommand must print
//! the same bytes as the Net-SNMP tool run the same way, with no option to
//! line them up. Skipped without Net-SNMP; a failure under `CI=true`.

mod support;

use std::path::Path;
use std::process::{Command, Stdio};

use support::{find_program, in_ci, net_snmp_available, NetSnmpEnv, Outcome, Snmpd, TempDir};

/// Runs `program ARGS` as a user would: HOME is `home`, nothing in the
/// environment chooses MIBs or configuration files.
fn as_user(program: &Path, args: &[&str], home: &Path) -> Outcome {
    // Else Net-SNMP's first run says "Created directory" on stderr.
    std::fs::create_dir_all(home.join("persist").join("cert_indexes")).expect("persist");
    Command::new(program)
        .args(args)
        .env("HOME", home)
        .env("SNMP_PERSISTENT_DIR", home.join("persist"))
        .env("OXSNMP_MIB_CACHE", "off")
        .env_remove("SNMPCONFPATH")
        .env_remove("MIBS")
        .env_remove("MIBDIRS")
        .stdin(Stdio::null())
        .output()
        .map(Outcome::from)
        .expect("run the program")
}

/// Lines without sysUpTime.0 (it moves between two runs), numeric or named.
fn stable(text: &str) -> String {
    text.lines()
        .filter(|l| !l.contains("1.2.1.1.3.0") && !l.contains("sysUpTime.0 ="))
        .map(|l| format!("{l}\n"))
        .collect()
}

/// `tool ARGS` and `oxsnmp SUB ARGS`, same HOME: the same stdout, stderr
/// (tool names aside) and exit status.
fn assert_same(home: &Path, tool: &str, sub: &str, args: &[&str]) -> Outcome {
    assert_same_with(home, tool, sub, args, true)
}

/// [`assert_same`], stderr compared only when `stderr` (MIB loading
/// diagnostics are each tool's own).
fn assert_same_with(home: &Path, tool: &str, sub: &str, args: &[&str], stderr: bool) -> Outcome {
    let theirs = as_user(&find_program(tool).expect("tool"), args, home);
    let ours_args: Vec<&str> = std::iter::once(sub).chain(args.iter().copied()).collect();
    let ours = as_user(Path::new(env!("CARGO_BIN_EXE_oxsnmp")), &ours_args, home);
    let t = (
        stable(&theirs.stdout),
        theirs.stderr.replace(&format!("{tool}: "), "oxsnmp: "),
        theirs.code,
    );
    let mut o = (stable(&ours.stdout), ours.stderr.clone(), ours.code);
    if !stderr {
        o.1.clone_from(&t.1);
    }
    assert_eq!(
        o,
        t,
        "`oxsnmp {sub} {a}` differs from `{tool} {a}`",
        a = args.join(" ")
    );
    ours
}

/// Whether the machine has Net-SNMP's system configuration file.
fn machine_config(test: &str) -> bool {
    if Path::new("/etc/snmp/snmp.conf").is_file() {
        return true;
    }
    let message = format!("{test}: no /etc/snmp/snmp.conf (install Debian's `snmp` package)");
    if in_ci() {
        panic!("{message} (CI=true: a missing peer is a failure)");
    }
    eprintln!("SKIPPED {message}");
    false
}

#[test]
fn every_manager_subcommand_prints_what_net_snmp_prints_with_the_machines_configuration() {
    let test =
        "every_manager_subcommand_prints_what_net_snmp_prints_with_the_machines_configuration";
    if !net_snmp_available(test) || !machine_config(test) || find_program("snmptable").is_none() {
        return;
    }
    let snmpd = Snmpd::start(&NetSnmpEnv::new());
    let home = TempDir::new("machine-config").expect("home");
    let t = snmpd.target();
    let v2 = ["-v2c", "-c", "public", t.as_str()];
    let with = |head: &[&str], tail: &[&str]| -> Vec<String> {
        head.iter().chain(tail).map(|s| s.to_string()).collect()
    };
    let cases: Vec<(&str, &str, Vec<String>)> = vec![
        (
            "snmpget",
            "get",
            with(
                &v2,
                &[
                    ".1.3.6.1.2.1.1.5.0",
                    ".1.3.6.1.2.1.1.6.0",
                    ".1.3.6.1.4.1.99998.2.0",
                    ".1.3.6.1.4.1.99998.4.0",
                ],
            ),
        ),
        (
            "snmpgetnext",
            "getnext",
            with(&v2, &[".1.3.6.1.2.1.1.5", ".1.3.6.1.4.1.99998.1"]),
        ),
        (
            "snmpbulkget",
            "bulkget",
            with(
                &["-Cn1", "-Cr3"],
                &[&v2[..], &[".1.3.6.1.2.1.1.5", ".1.3.6.1.4.1.99999"]].concat(),
            ),
        ),
        ("snmpwalk", "walk", with(&v2, &[".1.3.6.1.4.1.99999"])),
        ("snmpwalk", "walk", with(&v2, &[".1.3.6.1.2.1.1"])),
        (
            "snmpbulkwalk",
            "bulkwalk",
            with(&v2, &[".1.3.6.1.4.1.99999"]),
        ),
        (
            "snmpset",
            "set",
            with(
                &["-v2c", "-c", "private", t.as_str()],
                &[".1.3.6.1.4.1.99998.5.0", "s", "set by the test"],
            ),
        ),
        // No MIB for it: both say so, in the same words.
        ("snmptable", "table", with(&v2, &[".1.3.6.1.2.1.2.2"])),
        (
            "snmptranslate",
            "translate",
            vec![".1.3.6.1.2.1.1.5.0".to_owned()],
        ),
        (
            "snmptranslate",
            "translate",
            vec!["-Of".to_owned(), ".1.3.6.1.4.1.8072".to_owned()],
        ),
    ];
    let mut printed = 0;
    for (tool, sub, args) in &cases {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = assert_same(home.path(), tool, sub, &args);
        printed += out.stdout.lines().count();
    }
    assert!(printed > 30, "the comparisons saw output: {printed} lines");
    // Debian's snmp.conf loads no MIBs: OIDs print as Net-SNMP prints
    // them then, and strings quoted.
    let out = assert_same(
        home.path(),
        "snmpget",
        "get",
        &with(&v2, &[".1.3.6.1.2.1.1.5.0"])
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>(),
    );
    if std::fs::read_to_string("/etc/snmp/snmp.conf")
        .is_ok_and(|c| c.lines().any(|l| l.trim() == "mibs :"))
    {
        assert_eq!(
            out.stdout,
            "iso.3.6.1.2.1.1.5.0 = STRING: \"oxsnmp-cli-test\"\n"
        );
    }
}

#[test]
fn snmpv3_defaults_from_a_users_snmp_conf() {
    let test = "snmpv3_defaults_from_a_users_snmp_conf";
    if !net_snmp_available(test) {
        return;
    }
    let snmpd = Snmpd::start(&NetSnmpEnv::new());
    let home = TempDir::new("user-config").expect("home");
    let dot = home.path().join(".snmp");
    std::fs::create_dir_all(&dot).expect(".snmp");
    std::fs::write(
        dot.join("snmp.conf"),
        format!(
            "# how Net-SNMP users keep their credentials\n\
             defVersion 3\n\
             defSecurityName ops\n\
             defSecurityLevel authPriv\n\
             defAuthType SHA\n\
             defAuthPassphrase authsecret1\n\
             defPrivType AES\n\
             defPrivPassphrase privsecret1\n\
             defaultPort {port}\n\
             quickPrinting yes\n\
             printNumericOids 1\n",
            port = snmpd.port()
        ),
    )
    .expect("snmp.conf");
    // No -v, -u, -l, -a, -A, -x, -X, no port, no -O: all from the file.
    let out = assert_same(
        home.path(),
        "snmpget",
        "get",
        &["127.0.0.1", ".1.3.6.1.2.1.1.5.0"],
    );
    assert_eq!(out.stdout, ".1.3.6.1.2.1.1.5.0 \"oxsnmp-cli-test\"\n");
    let out = assert_same(
        home.path(),
        "snmpwalk",
        "walk",
        &["127.0.0.1", ".1.3.6.1.2.1.1"],
    );
    assert!(out.stdout.contains("Test Lab"), "{}", out.stdout);
    // The command line still wins: a wrong passphrase fails in both.
    let out = assert_same(
        home.path(),
        "snmpget",
        "get",
        &["-A", "wrong-secret", "127.0.0.1", ".1.3.6.1.2.1.1.5.0"],
    );
    assert_ne!(out.code, 0);
    // And a local file read after it changes the level for both.
    std::fs::write(dot.join("snmp.local.conf"), "defSecurityLevel authNoPriv\n").expect("local");
    let out = assert_same(
        home.path(),
        "snmpget",
        "get",
        &["127.0.0.1", ".1.3.6.1.2.1.1.5.0"],
    );
    assert_ne!(out.code, 0, "ops needs privacy on this snmpd: {out:?}");
}

#[test]
fn a_malformed_line_is_a_warning_naming_the_file_and_line() {
    let home = TempDir::new("bad-config").expect("home");
    let dot = home.path().join(".snmp");
    std::fs::create_dir_all(&dot).expect(".snmp");
    let file = dot.join("snmp.conf");
    std::fs::write(
        &file,
        "mibs :\nfrobnicate yes\ntimeout soon\nprintNumericOids yes\n",
    )
    .expect("snmp.conf");
    let out = as_user(
        Path::new(env!("CARGO_BIN_EXE_oxsnmp")),
        &["translate", ".1.3.6.1.2.1.1.5.0"],
        home.path(),
    );
    let f = file.display();
    assert!(
        out.stderr
            .contains(&format!("{f}: line 2: Warning: Unknown token: frobnicate.")),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr
            .contains(&format!("{f}: line 3: Error: Bad integer value")),
        "{}",
        out.stderr
    );
    // The rest of the file still counts.
    assert_eq!((out.code, out.stdout.as_str()), (0, ".1.3.6.1.2.1.1.5.0\n"));
}

/// The MIB directories `.ci/prepare-mibs` fills (or `$OXSNMP_TEST_MIBS`).
fn test_mib_dirs(test: &str) -> Option<String> {
    let base = std::env::var_os("OXSNMP_TEST_MIBS")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| {
            std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/test-mibs")
        });
    if !base.join("npm/IF-MIB.mib").is_file() {
        let message = format!("{test}: the real MIB files are missing; run .ci/prepare-mibs");
        if in_ci() {
            panic!("{message} (CI=true: missing test data is a failure)");
        }
        eprintln!("SKIPPED {message}");
        return None;
    }
    Some(
        ["netsnmp", "erlang", "npm"]
            .iter()
            .map(|d| base.join(d).display().to_string())
            .collect::<Vec<_>>()
            .join(":"),
    )
}

/// `mibdirs` and `mibs` in a user's snmp.conf load the same modules for
/// both tools: the same names and values, with no -m or -M.
#[test]
fn mibs_and_mibdirs_from_snmp_conf_name_output_as_net_snmp_does() {
    let test = "mibs_and_mibdirs_from_snmp_conf_name_output_as_net_snmp_does";
    if !net_snmp_available(test) {
        return;
    }
    let Some(dirs) = test_mib_dirs(test) else {
        return;
    };
    let snmpd = Snmpd::start(&NetSnmpEnv::new());
    let home = TempDir::new("mib-config").expect("home");
    let dot = home.path().join(".snmp");
    std::fs::create_dir_all(&dot).expect(".snmp");
    std::fs::write(
        dot.join("snmp.conf"),
        format!("mibdirs {dirs}\nmibs SNMPv2-MIB:IF-MIB:UCD-SNMP-MIB:NET-SNMP-AGENT-MIB\n"),
    )
    .expect("snmp.conf");
    let t = snmpd.target();
    for (tool, sub, args) in [
        (
            "snmpwalk",
            "walk",
            vec!["-v2c", "-c", "public", &t, "system"],
        ),
        (
            "snmpget",
            "get",
            vec!["-v2c", "-c", "public", &t, "sysName.0", "ifNumber.0"],
        ),
        (
            "snmpwalk",
            "walk",
            vec!["-v2c", "-c", "public", &t, "ifDescr"],
        ),
        ("snmptranslate", "translate", vec!["-On", "IF-MIB::ifType"]),
    ] {
        let out = assert_same_with(home.path(), tool, sub, &args, false);
        // `-On` prints numbers: there the name typed resolving is the test.
        let numeric = args.contains(&"-On");
        assert!(
            out.stdout.contains("::") != numeric,
            "names were printed (or, with -On, numbers): {}",
            out.stdout
        );
    }
}

/// `mibfile FILE` loads the modules of FILE besides the list, for both.
#[test]
fn mibfile_loads_one_file_besides_the_module_list() {
    let test = "mibfile_loads_one_file_besides_the_module_list";
    if !net_snmp_available(test) {
        return;
    }
    let Some(dirs) = test_mib_dirs(test) else {
        return;
    };
    let file =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/mibs/OXSNMP-RENDER-TEST-MIB.txt");
    let home = TempDir::new("mibfile-config").expect("home");
    let dot = home.path().join(".snmp");
    std::fs::create_dir_all(&dot).expect(".snmp");
    std::fs::write(
        dot.join("snmp.conf"),
        format!(
            "mibdirs {dirs}\nmibs SNMPv2-MIB\nmibfile {}\n",
            file.display()
        ),
    )
    .expect("snmp.conf");
    for args in [
        vec!["OXSNMP-RENDER-TEST-MIB::oxDisplay"],
        vec!["-On", "OXSNMP-RENDER-TEST-MIB::oxDisplay"],
        vec!["-Td", "OXSNMP-RENDER-TEST-MIB::oxDisplay"],
    ] {
        let out = assert_same_with(home.path(), "snmptranslate", "translate", &args, false);
        assert_eq!(out.code, 0, "{out:?}");
    }
}

/// `hexOutputLength` breaks hex dumps where Net-SNMP breaks them (0: never).
#[test]
fn hex_output_length_breaks_hex_dumps_as_net_snmp_does() {
    let test = "hex_output_length_breaks_hex_dumps_as_net_snmp_does";
    if !net_snmp_available(test) {
        return;
    }
    let snmpd = Snmpd::start(&NetSnmpEnv::new());
    let t = snmpd.target();
    for length in ["8", "0", "5"] {
        let home = TempDir::new("hex-config").expect("home");
        let dot = home.path().join(".snmp");
        std::fs::create_dir_all(&dot).expect(".snmp");
        std::fs::write(
            dot.join("snmp.conf"),
            format!("mibs :\nhexOutputLength {length}\n"),
        )
        .expect("snmp.conf");
        let out = assert_same(
            home.path(),
            "snmpget",
            "get",
            &[
                "-v2c",
                "-c",
                "public",
                &t,
                ".1.3.6.1.4.1.99999.16",
                ".1.3.6.1.4.1.99999.7",
            ],
        );
        assert!(out.stdout.contains("Hex-STRING"), "{}", out.stdout);
    }
}
