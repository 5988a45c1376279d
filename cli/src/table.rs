//! `oxsnmp table`: walk a table by its columns and print it as rows, like
//! Net-SNMP's `snmptable` (layout, `-Cb -Ci -Cf SEP -Cl -Cc N -Cw N -Ch -CH
//! -CB -Cr N` as in snmptable 5.9), or as JSON (`-o json`).
//!
//! What follows snmptable on purpose, measured against it:
//!
//! * the columns are the row's accessible objects (not-accessible index
//!   columns are left out), named by the last label of the column's OID as
//!   printed in the `-O` style (so `-On` has no names: "Was that a table?");
//! * values are printed quick (`-Oq` toggles that off, as snmptable's
//!   `-Oq` does), newlines in them as spaces, widths counted in bytes;
//! * rows come in the order the agent first returns their index, and a
//!   row is identified by its index as printed (after the column name);
//! * GETBULK with 10 repetitions (`-Cr N`), or with SNMPv1 or `-CB` one
//!   GETNEXT of every column per row, printed in batches of 10 rows
//!   (`-Cr N`) that share the column widths found so far.

use clap::Args;
use oxsnmp_blocking::{ErrorStatus, Oid, Request, Response, Value, Version};
use oxsnmp_mib::{Access, NodeKind, Object};

use crate::args::Common;
use crate::render::{OidFormat, OutputOptions};
use crate::run::{self, Console, Session, EXIT_ERROR, EXIT_OK};

pub const EXAMPLES: &str = "\
Examples:
  oxsnmp table -c public 127.0.0.1 IF-MIB::ifTable
  oxsnmp table -c public -Cb -Ci 127.0.0.1 ifTable
  oxsnmp table -c public -Cf , 127.0.0.1 ifTable
  oxsnmp table -c public -o json 127.0.0.1 ifTable

JSON output (-o json) is an array with one object per row, in the order
snmptable prints the rows: \"index\" is the row's index as -Ci prints it,
then one key per column the agent returned for that row (the column names
as the header prints them), each value the text snmptable prints in that
cell (bytes that are not UTF-8 become U+FFFD).";

/// `table`.
#[derive(Debug, Args)]
pub struct TableArgs {
    #[command(flatten)]
    pub common: Common,

    /// Application flags (as snmptable):
    ///   b      brief column headings (common prefix removed)
    ///   B      GETNEXT instead of GETBULK
    ///   c NUM  print every column NUM characters wide (cut longer values)
    ///   f SEP  separate fields with SEP (no alignment): -Cf ,
    ///   h      print only the column headings
    ///   H      print no column headings
    ///   i      print the index of each row in a first column
    ///   l      left-justify
    ///   r NUM  max-repetitions of each GETBULK (rows per GETNEXT batch)
    ///   w NUM  split the table in parts at most NUM characters wide
    #[arg(
        short = 'C',
        value_name = "APPOPTS",
        allow_hyphen_values = true,
        verbatim_doc_comment
    )]
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

#[derive(Debug, Clone, PartialEq, Eq)]
struct Flags {
    brief: bool,
    getnext: bool,
    column_width: usize,
    separator: Option<String>,
    headers_only: bool,
    no_headers: bool,
    index: bool,
    left: bool,
    repetitions: u32,
    max_width: usize,
}

impl Default for Flags {
    fn default() -> Self {
        Flags {
            brief: false,
            getnext: false,
            column_width: 0,
            separator: None,
            headers_only: false,
            no_headers: false,
            index: false,
            left: false,
            repetitions: 10,
            max_width: 0,
        }
    }
}

/// Letters of `-C` that take a value: snmptable reads it from the next
/// command-line argument (`-Cf ,`, `-Cir 5`), never from the same one.
const VALUE_FLAGS: &[char] = &['c', 'f', 'r', 'w'];

/// Makes snmptable's `-C` syntax clap-friendly: after `oxsnmp table`, every
/// argument a `-C` letter takes as its value (the next arguments, one per
/// letter in `c f r w`) is passed as `-C VALUE`, in order, so [`flags`]
/// meets it right after the letters that take it.
pub fn rewrite_app_values(args: Vec<std::ffi::OsString>) -> Vec<std::ffi::OsString> {
    if args.get(1).and_then(|a| a.to_str()) != Some("table") {
        return args;
    }
    let mut out = Vec::with_capacity(args.len() + 4);
    let mut iter = args.into_iter();
    while let Some(arg) = iter.next() {
        let letters = match arg.to_str() {
            Some("-C") => {
                out.push(arg);
                match iter.next() {
                    Some(l) => {
                        let letters = l.to_string_lossy().into_owned();
                        out.push(l);
                        letters
                    }
                    None => break,
                }
            }
            Some(a) if a.starts_with("-C") => {
                let letters = a[2..].to_owned();
                out.push(arg);
                letters
            }
            _ => {
                out.push(arg);
                continue;
            }
        };
        for _ in letters.chars().filter(|c| VALUE_FLAGS.contains(c)) {
            match iter.next() {
                Some(value) => {
                    out.push("-C".into());
                    out.push(value);
                }
                None => break,
            }
        }
    }
    out
}

/// Parses `-C` values (after [`rewrite_app_values`]): letters, and after
/// each group of letters the values of its `c f r w`, in order.
fn flags(values: &[String]) -> Result<Flags, String> {
    let mut f = Flags::default();
    let mut iter = values.iter();
    while let Some(v) = iter.next() {
        for c in v.chars() {
            let mut value = || -> Result<String, String> {
                iter.next()
                    .cloned()
                    .ok_or_else(|| format!("Bad -C{c} option: no argument given"))
            };
            let number = |s: String| -> Result<usize, String> {
                s.trim()
                    .parse::<usize>()
                    .ok()
                    .filter(|n| *n > 0)
                    .ok_or_else(|| format!("Bad -C{c} option: {s}"))
            };
            match c {
                'b' => f.brief = true,
                'B' => f.getnext = true,
                'h' => f.headers_only = true,
                'H' => f.no_headers = true,
                'i' => f.index = true,
                'l' => f.left = true,
                'c' => f.column_width = number(value()?)?,
                'f' => f.separator = Some(value()?),
                'r' => f.repetitions = u32::try_from(number(value()?)?).unwrap_or(u32::MAX),
                'w' => f.max_width = number(value()?)?,
                other => return Err(format!("Bad option after -C: {other}")),
            }
        }
    }
    Ok(f)
}

/// One column: its arc under the row and its heading.
struct Column {
    arc: u32,
    label: String,
    width: usize,
}

/// A row: its index as printed, and its cells.
struct Row {
    index: String,
    cells: Vec<Option<Vec<u8>>>,
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
    let mut s = match run::open(console, &args.common, &args.agent) {
        Ok(s) => s,
        Err(code) => return code,
    };
    // snmptable prints values quick; its -Oq toggles that back off.
    s.out.quick = !s.out.quick;
    // Named as snmptable names it, with the modules read from files ...
    let unknown_name = s.out.oid(&table_oid);
    // ... but tables need names: the built-in modules too when no MIB file
    // was found (a table of theirs works where snmptable has none).
    if let (None, Some(mibs)) = (s.out.mibs, crate::mibs::current()) {
        s.out.with_mibs(mibs);
    }
    let found = crate::mibs::current()
        .and_then(|m| m.lookup(&table_oid))
        .filter(|(o, rest)| rest.is_empty() && o.kind() == NodeKind::Table)
        .map(|(o, _)| o);
    let table_name = match found {
        Some(_) => s.out.oid(&table_oid),
        None => unknown_name,
    };
    let Some((entry, mut columns)) = found.and_then(|t| columns_of(t, &s.out, f.brief)) else {
        s.console.err(&format!("Was that a table? {table_name}\n"));
        return EXIT_ERROR;
    };
    let mut table = Table {
        flags: &f,
        name: table_name,
        // snmptable 5.9 starts at sizeof("index"), its NUL counted.
        index_width: 6,
        first_pass: true,
        text: Vec::new(),
        extra_columns: false,
        total: 0,
    };
    let entry_oid = entry.oid();
    let mut all_rows: Vec<Row> = Vec::new();
    let status = if f.headers_only {
        table.print(&mut columns, &[]);
        EXIT_OK
    } else if f.getnext || args.common.version() == Version::V1 {
        let batch = if f.max_width > 0 && f.column_width == 0 {
            usize::MAX
        } else {
            f.repetitions as usize
        };
        getnext_rows(
            &mut s,
            &mut table,
            &entry_oid,
            &mut columns,
            batch,
            &mut all_rows,
        )
    } else {
        match getbulk_rows(&mut s, &mut table, &entry_oid, &mut columns) {
            Ok(rows) => {
                if !rows.is_empty() && args.format == "text" {
                    table.print(&mut columns, &rows);
                }
                all_rows = rows;
                EXIT_OK
            }
            Err(code) => code,
        }
    };
    if status != EXIT_OK {
        s.console.bytes(&table.text);
        return status;
    }
    if args.format == "json" {
        s.console.raw(&json_rows(&columns, &all_rows));
        return EXIT_OK;
    }
    if table.total == 0 {
        table
            .text
            .extend_from_slice(format!("{}: No entries\n", table.name).as_bytes());
    }
    if table.extra_columns {
        table.text.extend_from_slice(
            format!(
                "{}: WARNING: More columns on agent than in MIB\n",
                table.name
            )
            .as_bytes(),
        );
    }
    s.console.bytes(&table.text);
    EXIT_OK
}

/// The row object and the accessible columns with their headings (the last
/// label of each column's OID as printed), or `None` when a heading would
/// be a number (unknown column, or `-On`).
fn columns_of<'a>(
    table: Object<'a>,
    out: &OutputOptions,
    brief: bool,
) -> Option<(Object<'a>, Vec<Column>)> {
    let entry = table.children().next()?;
    let mut columns = Vec::new();
    for c in entry.children() {
        if c.kind() != NodeKind::Column || c.access() == Some(Access::NotAccessible) {
            continue;
        }
        let printed = out.oid(&c.oid());
        let label = printed
            .rfind(['.', ':'])
            .map_or(printed.as_str(), |i| &printed[i + 1..])
            .to_owned();
        if label.starts_with(|ch: char| ch.is_ascii_digit()) {
            break;
        }
        columns.push(Column {
            arc: c.arc(),
            width: label.len(),
            label,
        });
    }
    if columns.is_empty() {
        return None;
    }
    if brief && columns.len() > 1 {
        let common = brief_prefix(&columns);
        for c in &mut columns {
            c.label.drain(..common.min(c.label.len()));
            c.width = c.width.saturating_sub(common);
        }
    }
    Some((entry, columns))
}

/// snmptable's `-Cb`: the shortest common prefix of neighbouring headings,
/// counted its way (one less when a heading is a prefix of the next, the
/// whole next heading when it is a prefix of the previous one).
fn brief_prefix(columns: &[Column]) -> usize {
    let mut common = columns.first().map_or(0, |c| c.label.len());
    for pair in columns.windows(2) {
        let (a, b) = (pair[0].label.as_bytes(), pair[1].label.as_bytes());
        let mut i = 0;
        let len = loop {
            match (a.get(i), b.get(i)) {
                (None, _) => break i.saturating_sub(1),
                (Some(x), Some(y)) if x == y => i += 1,
                _ => break i,
            }
        };
        common = common.min(len);
    }
    common
}

/// The index part of a cell's printed OID, found the way snmptable does
/// (after the column name, which depends on the OID style).
fn index_of<'t>(printed: &'t str, table_name: &str, format: OidFormat) -> Option<&'t str> {
    let after_name = match format {
        OidFormat::Module => &printed[printed.find(':')? + 1..],
        OidFormat::Suffix => printed,
        OidFormat::Full | OidFormat::Numeric | OidFormat::Ucd => {
            let rest = printed.get(table_name.len() + 1..)?;
            &rest[rest.find('.')? + 1..]
        }
    };
    Some(&after_name[after_name.find('.')? + 1..])
}

/// A cell's text: the value as printed, newlines as spaces.
fn cell(out: &OutputOptions, oid: &Oid, value: &Value) -> Vec<u8> {
    let mut text = String::new();
    let mut bytes = match out.push_value_text(&mut text, oid, value) {
        Some(raw) => {
            let mut b = text.into_bytes();
            b.extend_from_slice(&raw);
            b
        }
        None => text.into_bytes(),
    };
    for b in &mut bytes {
        if *b == b'\n' {
            *b = b' ';
        }
    }
    bytes
}

/// The printing state snmptable keeps across batches.
struct Table<'f> {
    flags: &'f Flags,
    name: String,
    index_width: usize,
    first_pass: bool,
    /// Everything printed so far.
    text: Vec<u8>,
    extra_columns: bool,
    total: usize,
}

impl Table<'_> {
    fn cell_format(&self, out: &mut Vec<u8>, text: &[u8], width: usize, field: usize) {
        let f = self.flags;
        if f.column_width != 0 {
            // snmptable 5.9: "%{N}.{N-1}s".
            let cut = &text[..text.len().min(f.column_width - 1)];
            pad(out, cut, f.column_width, f.left);
        } else if let Some(sep) = &f.separator {
            if field != 0 || f.index {
                out.extend_from_slice(sep.as_bytes());
            }
            out.extend_from_slice(text);
        } else {
            pad(out, text, width + 1, f.left);
        }
    }

    fn index_format(&self, out: &mut Vec<u8>, text: &[u8]) {
        let f = self.flags;
        if f.column_width != 0 {
            out.extend_from_slice(b"\nindex: ");
            out.extend_from_slice(text);
            out.push(b'\n');
        } else if f.separator.is_none() {
            pad(out, text, self.index_width, f.left);
        } else {
            out.extend_from_slice(text);
        }
    }

    /// snmptable's `print_table` for one batch of rows.
    fn print(&mut self, columns: &mut [Column], rows: &[Row]) {
        let f = self.flags;
        self.total += rows.len();
        for r in rows {
            self.index_width = self.index_width.max(r.index.len());
            for (c, cell) in columns.iter_mut().zip(&r.cells) {
                if let Some(v) = cell {
                    c.width = c.width.max(v.len());
                }
            }
        }
        let mut out = std::mem::take(&mut self.text);
        if !f.no_headers && !f.headers_only && self.first_pass {
            out.extend_from_slice(format!("SNMP table: {}\n\n", self.name).as_bytes());
        }
        let fields = columns.len();
        let (mut last_field, mut part) = (0, 0);
        while last_field != fields {
            part += 1;
            if part != 1 && !f.no_headers {
                out.extend_from_slice(
                    format!("\nSNMP table {}, part {part}\n\n", self.name).as_bytes(),
                );
            }
            let first_field = last_field;
            let mut width = 0;
            if f.index && !f.no_headers && f.column_width == 0 && self.first_pass {
                width = self.index_width;
                self.index_format(&mut out, b"index");
            }
            let mut field = first_field;
            while field < fields {
                if f.max_width != 0 {
                    if f.column_width != 0 {
                        if !f.no_headers && self.first_pass {
                            width += f.column_width;
                            if field != first_field && width > f.max_width {
                                out.push(b'\n');
                                width = f.column_width;
                            }
                        }
                    } else {
                        width += columns[field].width + 1;
                        if field != first_field && width > f.max_width {
                            break;
                        }
                    }
                }
                if !f.no_headers && self.first_pass {
                    let c = &columns[field];
                    self.cell_format(&mut out, c.label.as_bytes(), c.width, field);
                }
                field += 1;
            }
            last_field = field;
            if !f.no_headers && self.first_pass {
                out.push(b'\n');
            }
            for row in rows {
                let mut width = 0;
                if f.index {
                    self.index_format(&mut out, row.index.as_bytes());
                }
                for (field, c) in columns
                    .iter()
                    .enumerate()
                    .take(last_field)
                    .skip(first_field)
                {
                    if f.column_width != 0 && f.max_width != 0 {
                        width += f.column_width;
                        if field != first_field && width > f.max_width {
                            out.push(b'\n');
                            width = f.column_width;
                        }
                    }
                    let text = row.cells[field].as_deref().unwrap_or(b"?");
                    self.cell_format(&mut out, text, c.width, field);
                }
                out.push(b'\n');
            }
        }
        self.first_pass = false;
        self.text = out;
    }
}

/// printf's `%Ws` / `%-Ws` on bytes.
fn pad(out: &mut Vec<u8>, text: &[u8], width: usize, left: bool) {
    let fill = width.saturating_sub(text.len());
    if !left {
        out.resize(out.len() + fill, b' ');
    }
    out.extend_from_slice(text);
    if left {
        out.resize(out.len() + fill, b' ');
    }
}

/// Reports a failed request the way snmptable does; the exit status.
fn failed(s: &mut Session<'_>, table: &mut Table<'_>, response: &Response) -> Option<u8> {
    if response.error_status == ErrorStatus::NoError {
        return None;
    }
    if response.error_status == ErrorStatus::NoSuchName {
        table.text.extend_from_slice(b"End of MIB\n");
        return Some(EXIT_OK);
    }
    s.console.bytes(&table.text);
    table.text.clear();
    s.console.err(&format!(
        "Error in packet.\nReason: {}\n",
        crate::messages::error_reason(response.error_status)
    ));
    Some(2)
}

/// The whole table by GETBULK from the row's OID, rows in order of first
/// appearance.
fn getbulk_rows(
    s: &mut Session<'_>,
    table: &mut Table<'_>,
    entry: &Oid,
    columns: &mut [Column],
) -> Result<Vec<Row>, u8> {
    let mut rows: Vec<Row> = Vec::new();
    let mut next = entry.clone();
    let depth = entry.arcs().len();
    loop {
        let request = Request::GetBulk {
            non_repeaters: 0,
            max_repetitions: table.flags.repetitions,
            oids: vec![next.clone()],
        };
        let response = match s.client.request(request) {
            Ok(r) => r,
            Err(e) => {
                s.report(&e, false);
                return Err(EXIT_ERROR);
            }
        };
        if let Some(code) = failed(s, table, &response) {
            return if code == EXIT_OK { Ok(rows) } else { Err(code) };
        }
        let mut last = None;
        let mut running = true;
        for vb in &response.varbinds {
            if vb.value == Value::EndOfMibView || !vb.oid.starts_with(entry) {
                running = false;
                break;
            }
            last = Some(vb.oid.clone());
            let Some(col) = vb
                .oid
                .arcs()
                .get(depth)
                .and_then(|arc| columns.iter().position(|c| c.arc == *arc))
            else {
                table.extra_columns = true;
                continue;
            };
            let printed = s.out.oid(&vb.oid);
            let Some(index) = index_of(&printed, &table.name, s.out.oid_format) else {
                running = false;
                break;
            };
            let row = match rows.iter().position(|r| r.index == index) {
                Some(r) => r,
                None => {
                    rows.push(Row {
                        index: index.to_owned(),
                        cells: vec![None; columns.len()],
                    });
                    rows.len() - 1
                }
            };
            rows[row].cells[col] = Some(cell(&s.out, &vb.oid, &vb.value));
        }
        match last {
            // An agent that does not move forward would loop forever.
            Some(oid) if running && oid > next => next = oid,
            _ => return Ok(rows),
        }
    }
}

/// SNMPv1 or `-CB`: one GETNEXT of every column per row, printed in batches
/// of `batch` rows.
fn getnext_rows(
    s: &mut Session<'_>,
    table: &mut Table<'_>,
    entry: &Oid,
    columns: &mut [Column],
    batch: usize,
    all: &mut Vec<Row>,
) -> u8 {
    let depth = entry.arcs().len();
    // The instance part every column asks after (empty: the first row).
    let mut index_arcs: Vec<u32> = Vec::new();
    let mut done = false;
    while !done {
        let mut rows: Vec<Row> = Vec::new();
        while rows.len() < batch {
            let oids: Vec<Oid> = columns
                .iter()
                .filter_map(|c| {
                    let mut arcs = entry.arcs().to_vec();
                    arcs.push(c.arc);
                    arcs.extend_from_slice(&index_arcs);
                    Oid::from_arcs(arcs).ok()
                })
                .collect();
            let response = match s.client.request(Request::GetNext(oids)) {
                Ok(r) => r,
                Err(e) => {
                    s.report(&e, false);
                    return EXIT_ERROR;
                }
            };
            if let Some(code) = failed(s, table, &response) {
                if code != EXIT_OK {
                    return code;
                }
                done = true;
                break;
            }
            let mut row: Option<Row> = None;
            for (col, vb) in response.varbinds.iter().enumerate() {
                let in_column = columns.get(col).is_some_and(|c| {
                    vb.oid.starts_with(entry) && vb.oid.arcs().get(depth) == Some(&c.arc)
                });
                if !in_column || vb.value == Value::EndOfMibView {
                    continue;
                }
                if row.is_none() {
                    let printed = s.out.oid(&vb.oid);
                    let index = index_of(&printed, &table.name, s.out.oid_format)
                        .unwrap_or("")
                        .to_owned();
                    index_arcs = vb.oid.arcs()[depth + 1..].to_vec();
                    row = Some(Row {
                        index,
                        cells: vec![None; columns.len()],
                    });
                }
                if let Some(r) = row.as_mut() {
                    r.cells[col] = Some(cell(&s.out, &vb.oid, &vb.value));
                }
            }
            match row {
                Some(r) => rows.push(r),
                None => {
                    done = true;
                    break;
                }
            }
        }
        if !rows.is_empty() {
            table.print(columns, &rows);
        }
        all.extend(rows);
    }
    EXIT_OK
}

/// `-o json`: see [`EXAMPLES`].
fn json_rows(columns: &[Column], rows: &[Row]) -> String {
    let mut text = String::from("[");
    for (i, row) in rows.iter().enumerate() {
        text.push_str(if i == 0 { "\n  {" } else { ",\n  {" });
        text.push_str(&format!("\"index\": {}", json(&row.index)));
        for (c, value) in columns.iter().zip(&row.cells) {
            if let Some(v) = value {
                text.push_str(&format!(
                    ", {}: {}",
                    json(&c.label),
                    json(&String::from_utf8_lossy(v))
                ));
            }
        }
        text.push('}');
    }
    text.push_str(if rows.is_empty() { "]\n" } else { "\n]\n" });
    text
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

#[cfg(test)]
mod tests {
    use super::*;

    fn cols(labels: &[&str]) -> Vec<Column> {
        labels
            .iter()
            .map(|l| Column {
                arc: 1,
                label: (*l).to_owned(),
                width: l.len(),
            })
            .collect()
    }

    #[test]
    fn brief_prefix_counts_like_snmptable() {
        assert_eq!(brief_prefix(&cols(&["ifIndex", "ifDescr", "ifType"])), 2);
        assert_eq!(brief_prefix(&cols(&["abc", "abcd"])), 2);
        assert_eq!(brief_prefix(&cols(&["abcd", "abc"])), 3);
        assert_eq!(brief_prefix(&cols(&["x", "y"])), 0);
    }

    #[test]
    fn index_after_the_column_name() {
        assert_eq!(
            index_of("IF-MIB::ifDescr.2", "IF-MIB::ifTable", OidFormat::Module),
            Some("2")
        );
        assert_eq!(
            index_of(
                "SNMP-VIEW-BASED-ACM-MIB::vacmGroupName.3.\"a.b\"",
                "x",
                OidFormat::Module
            ),
            Some("3.\"a.b\"")
        );
        assert_eq!(
            index_of("ifDescr.2", "ifTable", OidFormat::Suffix),
            Some("2")
        );
        assert_eq!(
            index_of(
                ".iso.org.ifTable.ifEntry.ifDescr.7",
                ".iso.org.ifTable",
                OidFormat::Full
            ),
            Some("7")
        );
        assert_eq!(index_of("ifDescr", "ifTable", OidFormat::Suffix), None);
    }

    #[test]
    fn flags_parse() {
        let v = |a: &[&str]| a.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let f = flags(&v(&["bif", ",", "r", "5"])).unwrap();
        assert!(f.brief && f.index);
        assert_eq!(f.separator.as_deref(), Some(","));
        assert_eq!(f.repetitions, 5);
        assert!(flags(&v(&["r", "0"])).is_err());
        assert!(flags(&v(&["z"])).is_err());
        assert!(flags(&v(&["c"])).is_err());
        // As snmptable: the value is the next argument, never the same one.
        assert_eq!(
            flags(&v(&["r2", "5"])).unwrap_err(),
            "Bad option after -C: 2"
        );
    }

    #[test]
    fn app_values_become_their_own_arguments() {
        let os = |a: &[&str]| a.iter().map(std::ffi::OsString::from).collect::<Vec<_>>();
        assert_eq!(
            rewrite_app_values(os(&[
                "oxsnmp", "table", "-Cif", "-", "-C", "r", "3", "-Cb", "h", "t"
            ])),
            os(&["oxsnmp", "table", "-Cif", "-C", "-", "-C", "r", "-C", "3", "-Cb", "h", "t"])
        );
        assert_eq!(
            rewrite_app_values(os(&["oxsnmp", "walk", "-Cf", "h"])),
            os(&["oxsnmp", "walk", "-Cf", "h"])
        );
    }
}
