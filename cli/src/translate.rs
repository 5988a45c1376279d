//! `oxsnmp translate`: names to OIDs and back, object details and the
//! tree, like Net-SNMP's `snmptranslate`.

use std::fmt::Write as _;

use clap::Args;
use oxsnmp_mib::{Mibs, NodeKind, Object};

use crate::mibs::{self, MibArgs};
use crate::render::{OidFormat, OutputOptions};
use crate::run::{EXIT_ERROR, EXIT_OK};

pub const EXAMPLES: &str = "\
Examples:
  oxsnmp translate -On SNMPv2-MIB::sysDescr.0      .1.3.6.1.2.1.1.1.0
  oxsnmp translate .1.3.6.1.2.1.2.2.1.2.3          IF-MIB::ifDescr.3
  oxsnmp translate -m ALL -Td IF-MIB::ifType       the object's definition
  oxsnmp translate -Tp SNMPv2-MIB::system          the subtree";

/// `translate`.
#[derive(Debug, Args)]
pub struct TranslateArgs {
    /// MIB modules to load (as for the other subcommands).
    #[arg(short = 'm', value_name = "MIB[:...]")]
    pub mibs: Option<String>,

    /// MIB directories (as for the other subcommands).
    #[arg(short = 'M', value_name = "DIR[:...]")]
    pub mib_dirs: Option<String>,

    /// Output flags: n (numeric), S (MODULE::name, the default), s (name),
    /// f (full path), b (indexes as numbers).
    #[arg(short = 'O', value_name = "OUTOPTS")]
    pub output: Vec<String>,

    /// Input flags: R (random access: names anywhere; always on here).
    #[arg(short = 'I', value_name = "INOPTS")]
    pub input: Vec<String>,

    /// Report: d (the object's details), p (the tree below it).
    #[arg(short = 'T', value_name = "TRANSOPTS")]
    pub report: Vec<String>,

    /// Names or numeric OIDs.
    #[arg(required = true, value_name = "OID")]
    pub oids: Vec<String>,
}

pub fn run(args: TranslateArgs) -> u8 {
    let mibs = mibs::init_with(
        &MibArgs {
            modules: args.mibs.clone(),
            dirs: args.mib_dirs.clone(),
        },
        true,
    );
    let mut out = OutputOptions::default();
    for flags in &args.output {
        if let Err(e) = out.apply_flags(flags) {
            eprintln!("{e}");
            return EXIT_ERROR;
        }
    }
    for flags in &args.input {
        if let Some(c) = flags.chars().find(|c| !"Rbus".contains(*c)) {
            eprintln!("Unknown input option passed to -I: {c}.");
            return EXIT_ERROR;
        }
    }
    let report: String = args.report.concat();
    if let Some(c) = report.chars().find(|c| !"dp".contains(*c)) {
        eprintln!("Invalid -T<lostpad> character: {c}");
        return EXIT_ERROR;
    }
    out.with_mibs(mibs);
    let mut text = String::new();
    for (i, arg) in args.oids.iter().enumerate() {
        let oid = match crate::set_value::parse_oid(arg) {
            Ok(o) => o,
            Err(e) => {
                print!("{text}");
                eprintln!("{arg}: {e}");
                return EXIT_ERROR;
            }
        };
        if report.contains('p') {
            if let Some((object, _)) = mibs.lookup(&oid) {
                tree(&mut text, object, 0);
            }
            continue;
        }
        if i > 0 && out.oid_format != OidFormat::Numeric {
            text.push('\n');
        }
        out.push_oid(&mut text, &oid);
        text.push('\n');
        if report.contains('d') {
            if let Some((object, _)) = mibs.lookup(&oid) {
                details(&mut text, mibs, object);
            }
        }
    }
    print!("{text}");
    EXIT_OK
}

/// `-Td`: the definition, in snmptranslate 5.9's layout (measured): the
/// macro (plain OID names print as `OBJECT-TYPE`, as snmptranslate does),
/// the modules defining the name, then for OBJECT-TYPEs the textual
/// convention, SYNTAX (the SMI type as the MIB names it, with declared
/// ranges or labels), DISPLAY-HINT, UNITS, MAX-ACCESS, STATUS, INDEX or
/// AUGMENTS; DESCRIPTION; the path. Not printed: the OBJECTS of
/// notifications, REFERENCE and DEFVAL.
fn details(text: &mut String, mibs: &Mibs, o: Object<'_>) {
    let is_object_type = matches!(
        o.kind(),
        NodeKind::Scalar | NodeKind::Table | NodeKind::Row | NodeKind::Column
    );
    let keyword = match o.kind() {
        NodeKind::Notification => "NOTIFICATION-TYPE",
        NodeKind::Group => "OBJECT-GROUP",
        NodeKind::Compliance => "MODULE-COMPLIANCE",
        NodeKind::Capability => "AGENT-CAPABILITIES",
        // A named node with a DESCRIPTION: OBJECT-IDENTITY has a STATUS,
        // MODULE-IDENTITY has none.
        NodeKind::Node if !o.description().is_empty() => match o.status() {
            Some(_) => "OBJECT-IDENTITY",
            None => "MODULE-IDENTITY",
        },
        _ => "OBJECT-TYPE",
    };
    let _ = writeln!(text, "{} {keyword}", o.name());
    let modules: Vec<&str> = mibs
        .module_names()
        .filter(|m| {
            mibs.object(&format!("{m}::{}", o.name()))
                .is_some_and(|x| x == o)
        })
        .collect();
    let _ = writeln!(text, "  -- FROM\t{}", modules.join(", "));
    let syntax = o
        .syntax()
        .filter(|_| matches!(o.kind(), NodeKind::Scalar | NodeKind::Column));
    if let Some(syntax) = syntax {
        let tn = syntax.type_name();
        let smi = match syntax.smi_type_name() {
            "" => base_syntax(syntax.base()),
            name => name,
        };
        if !tn.is_empty() && tn != smi && !is_smi_type(tn) {
            let _ = writeln!(text, "  -- TEXTUAL CONVENTION {tn}");
        }
        let mut line = format!("  SYNTAX\t{smi}");
        let full = full_range(syntax.base());
        if !syntax.enums().is_empty() {
            let e: Vec<String> = syntax
                .enums()
                .iter()
                .map(|(v, l)| format!("{l}({v})"))
                .collect();
            let _ = write!(line, " {{{}}} ", e.join(", "));
        } else if !syntax.bits().is_empty() {
            let e: Vec<String> = syntax
                .bits()
                .iter()
                .map(|(v, l)| format!("{l}({v})"))
                .collect();
            let _ = write!(line, " {{{}}} ", e.join(", "));
        } else if let Some(r) = ranges(syntax.sizes().iter().map(|&(a, b)| (a as i128, b as i128)))
        {
            let _ = write!(line, " ({r}) ");
        } else if let Some(r) = ranges(
            syntax
                .ranges()
                .iter()
                .map(|&(a, b)| (a as i128, b as i128))
                .filter(|r| Some(*r) != full),
        ) {
            let _ = write!(line, " ({r}) ");
        }
        let _ = writeln!(text, "{line}");
        if !syntax.display_hint().is_empty() {
            let _ = writeln!(text, "  DISPLAY-HINT\t\"{}\"", syntax.display_hint());
        }
    }
    if is_object_type {
        if !o.units().is_empty() {
            let _ = writeln!(text, "  UNITS\t\t\"{}\"", o.units());
        }
        if let Some(access) = o.access() {
            let _ = writeln!(text, "  MAX-ACCESS\t{}", access.as_str());
        }
        if let Some(status) = o.status() {
            let _ = writeln!(text, "  STATUS\t{}", status.as_str());
        }
    }
    if o.kind() == NodeKind::Row {
        match o.augments() {
            Some(row) => {
                let _ = writeln!(text, "  AUGMENTS\t{{ {} }}", row.name());
            }
            None => {
                let names: Vec<String> = o
                    .indexes()
                    .iter()
                    .map(|i| {
                        if i.implied {
                            format!("IMPLIED {}", i.name)
                        } else {
                            i.name.to_owned()
                        }
                    })
                    .collect();
                let _ = writeln!(text, "  INDEX\t\t{{ {} }}", names.join(", "));
            }
        }
    }
    if !o.description().is_empty() {
        let _ = writeln!(text, "  DESCRIPTION\t\"{}\"", o.description());
    }
    let mut path = Vec::new();
    let mut p = o.parent();
    while let Some(x) = p {
        let name = match (x.name(), x.parent(), x.arc()) {
            ("", None, 0) => "ccitt",
            ("", None, 1) => "iso",
            ("", None, 2) => "joint-iso-ccitt",
            (name, _, _) => name,
        };
        path.push(format!("{name}({})", x.arc()));
        p = x.parent();
    }
    path.reverse();
    let _ = writeln!(text, "::= {{ {} {} }}", path.join(" "), o.arc());
}

/// The whole range of an SMI type, which snmptranslate does not print.
fn full_range(base: oxsnmp_mib::BaseType) -> Option<(i128, i128)> {
    use oxsnmp_mib::BaseType as B;
    match base {
        B::Integer => Some((i128::from(i32::MIN), i128::from(i32::MAX))),
        B::Unsigned32 | B::Gauge32 | B::Counter32 | B::TimeTicks => Some((0, i128::from(u32::MAX))),
        // As far as the compiler's signed bounds go.
        B::Counter64 => Some((0, i128::from(i64::MAX))),
        _ => None,
    }
}

fn is_smi_type(name: &str) -> bool {
    matches!(
        name,
        "Counter32"
            | "Counter64"
            | "Gauge32"
            | "Unsigned32"
            | "TimeTicks"
            | "IpAddress"
            | "Integer32"
            | "Opaque"
            | "Counter"
            | "Gauge"
            | "NetworkAddress"
    )
}

fn base_syntax(base: oxsnmp_mib::BaseType) -> &'static str {
    use oxsnmp_mib::BaseType as B;
    match base {
        B::Integer => "INTEGER",
        B::Unsigned32 => "Unsigned32",
        B::Gauge32 => "Gauge32",
        B::Counter32 => "Counter32",
        B::Counter64 => "Counter64",
        B::TimeTicks => "TimeTicks",
        B::IpAddress => "IpAddress",
        B::OctetString => "OCTET STRING",
        B::ObjectIdentifier => "OBJECT IDENTIFIER",
        B::Bits => "BITS",
        B::Opaque => "Opaque",
        _ => "SEQUENCE",
    }
}

fn ranges(r: impl Iterator<Item = (i128, i128)>) -> Option<String> {
    let parts: Vec<String> = r
        .map(|(a, b)| {
            if a == b {
                a.to_string()
            } else {
                format!("{a}..{b}")
            }
        })
        .collect();
    (!parts.is_empty()).then(|| parts.join(" | "))
}

/// `-Tp`: the subtree, one node per line, snmptranslate's drawing.
fn tree(text: &mut String, o: Object<'_>, depth: usize) {
    let indent = "   ".repeat(depth);
    let access = match o.access() {
        Some(oxsnmp_mib::Access::ReadOnly) => "-R--",
        Some(oxsnmp_mib::Access::ReadWrite) => "-RW-",
        Some(oxsnmp_mib::Access::ReadCreate) => "CR--",
        Some(oxsnmp_mib::Access::WriteOnly) => "--W-",
        Some(oxsnmp_mib::Access::AccessibleForNotify) => "---N",
        _ => "",
    };
    match (o.kind(), o.syntax()) {
        (NodeKind::Scalar | NodeKind::Column, Some(s)) => {
            let _ = writeln!(
                text,
                "{indent}+-- {access} {:<9} {}({})",
                short_type(s.base()),
                o.name(),
                o.arc()
            );
        }
        _ => {
            let _ = writeln!(text, "{indent}+--{}({})", o.name(), o.arc());
        }
    }
    let children: Vec<_> = o.children().collect();
    if !children.is_empty() {
        let _ = writeln!(text, "{indent}   |");
    }
    for c in children {
        tree(text, c, depth + 1);
    }
}

fn short_type(base: oxsnmp_mib::BaseType) -> &'static str {
    use oxsnmp_mib::BaseType as B;
    match base {
        B::Integer => "INTEGER",
        B::OctetString => "String",
        B::ObjectIdentifier => "ObjID",
        B::TimeTicks => "TimeTicks",
        B::Counter32 => "Counter",
        B::Counter64 => "Counter64",
        B::Gauge32 | B::Unsigned32 => "Gauge",
        B::IpAddress => "IpAddr",
        B::Bits => "BITS",
        B::Opaque => "Opaque",
        _ => "",
    }
}
