//! `oxsnmp table`: walk a table by its columns and print it as rows, like
//! Net-SNMP's `snmptable` (`-Cb`, `-Ci`, `-Cf SEP`), or as JSON (`-o json`).

use std::collections::BTreeMap;

use clap::Args;
use oxsnmp_blocking::{ErrorStatus, Oid, Request, Version};
use oxsnmp_mib::NodeKind;

use crate::args::Common;
use crate::run::{self, Console, EXIT_ERROR, EXIT_OK};

pub const EXAMPLES: &str = "\
Examples:
  oxsnmp table -c public 127.0.0.1 IF-MIB::ifTable
  oxsnmp table -c public -Cb -Ci 127.0.0.1 ifTable
  oxsnmp table -c public -Cf , 127.0.0.1 ifTable
  oxsnmp table -c public -o json 127.0.0.1 ifTable";

/// `table`.
#[derive(Debug, Args)]
pub struct TableArgs {
    #[command(flatten)]
    pub common: Common,

    /// Application flags:
    ///   b      brief column headings (common prefix removed)
    ///   i      print the index of each row in a first column
    ///   f SEP  separate fields with SEP (no alignment): -Cf ,
    ///   h      print only the column headings
    ///   H      print no column headings
    #[arg(short = 'C', value_name = "APPOPTS", verbatim_doc_comment)]
    pub app: Vec<String>,

    /// Output format: text (snmptable's) or json (an array of rows).
    #[arg(short = 'o', value_name = "FORMAT", default_value = "text")]
    pub format: String,

    #[arg(help = "The agent, in Net-SNMP transport syntax")]
    pub agent: String,

    /// The table (IF-MIB::ifTable, ifTable or its numeric OID).
    #[arg(value_name = "TABLE")]
    pub table: String,
}

#[derive(Default)]
struct Flags {
    brief: bool,
    index: bool,
    separator: Option<String>,
    headers_only: bool,
    no_headers: bool,
}

fn flags(values: &[String]) -> Result<Flags, String> {
    let mut f = Flags::default();
    let mut iter = values.iter();
    while let Some(v) = iter.next() {
        for (at, c) in v.char_indices() {
            match c {
                'b' => f.brief = true,
                'i' => f.index = true,
                'h' => f.headers_only = true,
                'H' => f.no_headers = true,
                'f' => {
                    let rest = &v[at + 1..];
                    f.separator = Some(if rest.is_empty() {
                        iter.next().cloned().ok_or("-Cf needs a separator")?
                    } else {
                        rest.to_owned()
                    });
                    break;
                }
                other => return Err(format!("Unknown flag passed to -C: {other}")),
            }
        }
    }
    Ok(f)
}

pub fn run(console: &mut Console, args: TableArgs) -> u8 {
    let f = match flags(&args.app) {
        Ok(f) => f,
        Err(e) => {
            console.err(&format!("{e}\n"));
            return EXIT_ERROR;
        }
    };
    if args.format != "text" && args.format != "json" {
        console.err(&format!(
            "oxsnmp: unknown output format {} (text or json)\n",
            args.format
        ));
        return EXIT_ERROR;
    }
    let Ok(table_oid) = crate::set_value::parse_oid(&args.table) else {
        console.err(&format!("{}: Unknown Object Identifier\n", args.table));
        return EXIT_ERROR;
    };
    let Some(mibs) = crate::mibs::current() else {
        return EXIT_ERROR;
    };
    let table = match mibs.lookup(&table_oid) {
        Some((o, rest)) if rest.is_empty() && o.kind() == NodeKind::Table => o,
        _ => {
            console.err(&format!("{}: Not a table\n", args.table));
            return EXIT_ERROR;
        }
    };
    let columns = table.columns();
    let names: Vec<String> = columns.iter().map(|c| c.name().to_owned()).collect();
    let mut s = match run::open(console, &args.common, &args.agent) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let mut out = s.out;
    out.quick = true;
    if !out.oid_format_set {
        out.with_mibs(mibs);
    }
    // Walk the whole table once; cells keyed by (index arcs, column).
    let Some(entry) = columns.first().and_then(|c| c.parent()) else {
        return EXIT_OK;
    };
    let root = entry.oid();
    let mut rows: BTreeMap<Vec<u32>, BTreeMap<usize, String>> = BTreeMap::new();
    let mut next = root.clone();
    loop {
        let request = if args.common.version == Version::V1 {
            Request::GetNext(vec![next.clone()])
        } else {
            Request::GetBulk {
                non_repeaters: 0,
                max_repetitions: 25,
                oids: vec![next.clone()],
            }
        };
        let response = match s.client.request(request) {
            Ok(r) => r,
            Err(e) => {
                s.report(&e, false);
                return EXIT_ERROR;
            }
        };
        if response.error_status != ErrorStatus::NoError {
            break;
        }
        let mut done = response.varbinds.is_empty();
        for vb in &response.varbinds {
            if !vb.oid.starts_with(&root) || vb.value.is_exception() || vb.oid <= next {
                done = true;
                break;
            }
            let arcs = vb.oid.arcs();
            let column_arc = arcs[root.arcs().len()];
            let index = arcs[root.arcs().len() + 1..].to_vec();
            if let Some(c) = columns.iter().position(|c| c.arc() == column_arc) {
                let mut text = String::new();
                out.push_value_of(&mut text, &vb.oid, &vb.value);
                rows.entry(index).or_default().insert(c, text);
            }
            next = vb.oid.clone();
        }
        if done {
            break;
        }
    }
    let headers: Vec<String> = if f.brief {
        let prefix = common_prefix(&names);
        names.iter().map(|n| n[prefix..].to_owned()).collect()
    } else {
        names.clone()
    };
    let index_text = |index: &[u32]| -> String {
        let mut full = entry.oid().arcs().to_vec();
        full.push(columns.first().map_or(1, |c| c.arc()));
        full.extend_from_slice(index);
        let text = Oid::from_arcs(full)
            .map(|o| {
                mibs.format_oid(
                    &o,
                    oxsnmp_mib::OidStyle {
                        format: oxsnmp_mib::OidFormat::Name,
                        decode_index: true,
                    },
                )
            })
            .unwrap_or_default();
        text.split_once('.')
            .map(|(_, i)| i.to_owned())
            .unwrap_or_default()
    };
    if args.format == "json" {
        let mut text = String::from("[");
        for (i, (index, cells)) in rows.iter().enumerate() {
            text.push_str(if i == 0 { "\n  {" } else { ",\n  {" });
            text.push_str(&format!("\"index\": {}", json(&index_text(index))));
            for (c, value) in cells {
                text.push_str(&format!(", {}: {}", json(&names[*c]), json(value)));
            }
            text.push('}');
        }
        text.push_str("\n]\n");
        s.console.raw(&text);
        return EXIT_OK;
    }
    // Text: snmptable's layout.
    let mut grid: Vec<Vec<String>> = Vec::new();
    let mut head = headers.clone();
    if f.index {
        head.insert(0, "index".to_owned());
    }
    for (index, cells) in &rows {
        let mut row: Vec<String> = (0..columns.len())
            .map(|c| cells.get(&c).cloned().unwrap_or_else(|| "?".to_owned()))
            .collect();
        if f.index {
            row.insert(0, index_text(index));
        }
        grid.push(row);
    }
    let mut text = format!("SNMP table: {}\n\n", out.oid(&table.oid()));
    let widths: Vec<usize> = (0..head.len())
        .map(|c| {
            grid.iter()
                .map(|r| r[c].chars().count())
                .chain([head[c].chars().count()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |cells: &[String]| -> String {
        match &f.separator {
            Some(sep) => cells.join(sep),
            None => cells
                .iter()
                .zip(&widths)
                .map(|(c, w)| format!(" {c:>w$}"))
                .collect(),
        }
    };
    if !f.no_headers {
        text.push_str(&line(&head));
        text.push('\n');
    }
    if !f.headers_only {
        for row in &grid {
            text.push_str(&line(row));
            text.push('\n');
        }
    }
    if rows.is_empty() {
        text = format!("{}: No entries\n", out.oid(&table.oid()));
    }
    s.console.raw(&text);
    EXIT_OK
}

fn common_prefix(names: &[String]) -> usize {
    let Some(first) = names.first() else {
        return 0;
    };
    let mut n = first.len();
    for name in names {
        n = first
            .bytes()
            .zip(name.bytes())
            .take(n)
            .take_while(|(a, b)| a == b)
            .count();
    }
    // Keep at least one character of every name.
    n.min(
        names
            .iter()
            .map(|s| s.len().saturating_sub(1))
            .min()
            .unwrap_or(0),
    )
}

fn json(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
