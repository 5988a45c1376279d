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
    if let Err(e) = out.apply_flags(&crate::netsnmp_conf::get().output.flags()) {
        eprintln!("{e}");
        return EXIT_ERROR;
    }
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
    // Names only from modules read from files, as snmptranslate has them:
    // the built-in ones resolve input, but do not change output.
    if mibs.modules_from_files() > 0 {
        out.with_mibs(mibs);
    }
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
                TreePrinter::new().print(&mut text, object);
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
        } else if let Some(r) = ranges(
            syntax
                .sizes()
                .iter()
                .filter(|_| syntax.base() != oxsnmp_mib::BaseType::IpAddress)
                .map(|&(a, b)| (a as i128, b as i128)),
        ) {
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
        if name.is_empty() {
            path.push(x.arc().to_string());
        } else {
            path.push(format!("{name}({})", x.arc()));
        }
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

/// `-Tp`: the subtree drawn the way snmptranslate 5.9 draws it (measured):
/// a `+--` line per node, objects with their access, type and name, then
/// their textual convention, enumeration labels and SIZE/range; a row's
/// INDEX; a `|` line before the children of a node and between siblings
/// unless the previous one was a simple leaf.
struct TreePrinter {
    /// The text before each `+--` (snmptranslate's `leave_indent`).
    indent: Vec<u8>,
    /// Whether the node drawn last was a leaf of a non-plain kind.
    was_simple: bool,
}

impl TreePrinter {
    fn new() -> Self {
        TreePrinter {
            indent: vec![b' '],
            was_simple: true,
        }
    }

    fn indent(&self) -> &str {
        std::str::from_utf8(&self.indent).unwrap_or("")
    }

    fn print(&mut self, text: &mut String, o: Object<'_>) {
        let ip = self.indent.len() - 1;
        let last = self.indent[ip];
        self.indent[ip] = b'+';
        match (o.kind(), o.syntax()) {
            (NodeKind::Scalar | NodeKind::Column, Some(syntax)) => {
                let _ = writeln!(
                    text,
                    "{}-- {} {:<9} {}({})",
                    self.indent(),
                    access_code(o.access()),
                    tree_type(&syntax),
                    o.name(),
                    o.arc()
                );
                self.indent[ip] = last;
                let indent = self.indent().to_owned();
                let tn = syntax.type_name();
                if !tn.is_empty() && tn != syntax.smi_type_name() && !is_smi_type(tn) {
                    let _ = writeln!(text, "{indent}        Textual Convention: {tn}");
                }
                let labels: Vec<String> = if syntax.enums().is_empty() {
                    syntax
                        .bits()
                        .iter()
                        .map(|(v, l)| format!("{l}({v})"))
                        .collect()
                } else {
                    syntax
                        .enums()
                        .iter()
                        .map(|(v, l)| format!("{l}({v})"))
                        .collect()
                };
                if !labels.is_empty() {
                    let _ = writeln!(text, "{indent}        Values: {}", labels.join(", "));
                }
                // IpAddress's own SIZE (4) is not printed.
                let sizes = ranges_joined(
                    syntax
                        .sizes()
                        .iter()
                        .filter(|_| syntax.base() != oxsnmp_mib::BaseType::IpAddress)
                        .map(|&(a, b)| (a as i128, b as i128)),
                );
                let full = full_range(syntax.base());
                let values = ranges_joined(
                    syntax
                        .ranges()
                        .iter()
                        .map(|&(a, b)| (a as i128, b as i128))
                        .filter(|r| Some(*r) != full),
                );
                if let Some(r) = sizes {
                    let _ = writeln!(text, "{indent}        Size: {r}");
                } else if let Some(r) = values.filter(|_| labels.is_empty()) {
                    let _ = writeln!(text, "{indent}        Range: {r}");
                }
            }
            _ => {
                let _ = writeln!(text, "{}--{}({})", self.indent(), o.name(), o.arc());
                let index = o.indexes();
                if o.kind() == NodeKind::Row && o.augments().is_none() && !index.is_empty() {
                    self.indent[ip] = last;
                    let names: Vec<&str> = index.iter().map(|i| i.name).collect();
                    let _ = writeln!(text, "{}  |  Index: {}", self.indent(), names.join(", "));
                }
            }
        }
        self.indent[ip] = last;
        self.indent.extend_from_slice(b"  |");
        self.was_simple = !is_plain(o);
        let children: Vec<Object<'_>> = o.children().collect();
        for (i, child) in children.iter().enumerate() {
            if !self.was_simple || is_plain(*child) {
                let _ = writeln!(text, "{}", self.indent());
            }
            if i + 1 == children.len() {
                self.indent[ip + 3] = b' ';
            }
            self.print(text, *child);
        }
        if !children.is_empty() {
            self.was_simple = false;
        }
        self.indent.truncate(ip + 1);
    }
}

/// Nodes snmptranslate parses with no type of their own: OID assignments,
/// tables and rows.
fn is_plain(o: Object<'_>) -> bool {
    match o.kind() {
        NodeKind::Table | NodeKind::Row => true,
        NodeKind::Node => o.description().is_empty(),
        _ => false,
    }
}

fn access_code(access: Option<oxsnmp_mib::Access>) -> &'static str {
    use oxsnmp_mib::Access as A;
    match access {
        Some(A::NotAccessible) => "----",
        Some(A::ReadOnly) => "-R--",
        Some(A::ReadWrite) => "-RW-",
        Some(A::WriteOnly) => "--W-",
        Some(A::AccessibleForNotify) => "---N",
        Some(A::ReadCreate) => "CR--",
        _ => "    ",
    }
}

/// snmptranslate's short type names in the tree.
fn tree_type(syntax: &oxsnmp_mib::Syntax<'_>) -> &'static str {
    use oxsnmp_mib::BaseType as B;
    match (syntax.base(), syntax.smi_type_name()) {
        (B::Integer, _) if !syntax.enums().is_empty() => "EnumVal",
        (B::Integer, "Integer32") => "Integer32",
        (B::Integer, _) => "INTEGER",
        (B::Unsigned32, _) => "Unsigned",
        (B::Gauge32, _) => "Gauge",
        (B::Counter32, _) => "Counter",
        (B::Counter64, _) => "Counter64",
        (B::TimeTicks, _) => "TimeTicks",
        (B::IpAddress, "NetworkAddress") => "NetAddr",
        (B::IpAddress, _) => "IpAddr",
        (B::OctetString, _) => "String",
        (B::ObjectIdentifier, _) => "ObjID",
        (B::Bits, _) => "BitString",
        (B::Opaque, _) => "Opaque",
        _ => "",
    }
}

/// `a..b | c` (`a` alone when a range is one value).
fn ranges_joined(r: impl Iterator<Item = (i128, i128)>) -> Option<String> {
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
