//! `oxsnmp record`: what `snmpsim-record-commands` does — walk an agent
//! and write what it serves as a `.snmprec` file, with the exact types and
//! octets (no MIB rendering involved), for `oxsnmp agent --data` and
//! snmpsim to serve.

use oxsnmp_blocking::{ErrorStatus, Version};
use oxsnmp_core::agent::recording::write_snmprec;
use oxsnmp_core::walk::{Repetitions, Walk, WalkOptions};
use oxsnmp_core::VarBind;

use crate::args::RecordArgs;
use crate::run::{self, Console, EXIT_ERROR, EXIT_OK, EXIT_PACKET_ERROR};

/// Runs `oxsnmp record`; returns the exit status.
pub fn run(args: RecordArgs) -> u8 {
    let mut console = Console::new();
    let status = record(&mut console, &args);
    console.flush();
    status
}

fn record(console: &mut Console, args: &RecordArgs) -> u8 {
    let roots: Vec<String> = if args.oids.is_empty() {
        vec![".1".to_owned()]
    } else {
        args.oids.clone()
    };
    let mut parsed = Vec::new();
    for r in &roots {
        match crate::set_value::parse_oid(r) {
            Ok(o) => parsed.push(o),
            Err(e) => {
                console.err(&format!("{r}: {e}\n"));
                return EXIT_ERROR;
            }
        }
    }
    let mut s = match run::open(console, &args.common, &args.agent) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let version = args.common.version();
    let bulk = !args.getnext && version != Version::V1;
    let mut records: Vec<VarBind> = Vec::new();
    for root in parsed {
        let options = if bulk {
            WalkOptions::bulk(match args.max_repetitions {
                Some(n) => Repetitions::Fixed(n.max(1)),
                None => Repetitions::default(),
            })
        } else {
            WalkOptions::getnext()
        };
        let mut walk = Walk::new(root.clone(), version, options);
        while let Some(request) = walk.next_request() {
            let response = match s.client.request(request) {
                Ok(r) => r,
                Err(e) => {
                    s.report(&e, false);
                    return EXIT_ERROR;
                }
            };
            let status = response.error_status;
            match walk.handle_response(response) {
                Ok(vbs) => records.extend(vbs.into_iter().filter(|vb| !vb.value.is_exception())),
                Err(e) => {
                    let text = if status == ErrorStatus::NoError {
                        format!("oxsnmp record: {e}\n")
                    } else {
                        format!("oxsnmp record: the agent answered {status:?}: {e}\n")
                    };
                    s.console.err(&text);
                    return EXIT_PACKET_ERROR;
                }
            }
        }
    }
    // Several roots may overlap: one record per OID, in OID order, as a
    // recording is served.
    records.sort_by(|a, b| a.oid.cmp(&b.oid));
    records.dedup_by(|a, b| a.oid == b.oid);
    let text = write_snmprec(records.iter().map(|vb| (vb.oid.arcs(), &vb.value)));
    let count = records.len();
    match &args.output_file {
        Some(path) => {
            if let Err(e) = crate::atomic_write::write(path, text.as_bytes()) {
                s.console
                    .err(&format!("oxsnmp record: {}: {e}\n", path.display()));
                return EXIT_ERROR;
            }
            s.console.err(&format!(
                "oxsnmp record: {count} objects written to {}\n",
                path.display()
            ));
        }
        None => s.console.raw(&text),
    }
    EXIT_OK
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxsnmp_core::{Oid, Value};

    /// The line a recorded object becomes.
    fn one_line(oid: &str, value: Value) -> String {
        let oid: Oid = oid.parse().expect("an OID");
        write_snmprec([(oid.arcs(), &value)])
    }

    #[test]
    fn exact_types_and_octets() {
        assert_eq!(
            one_line("1.3.6.1.2.1.1.5.0", Value::from("demo")),
            "1.3.6.1.2.1.1.5.0|4|demo\n"
        );
        assert_eq!(
            one_line(
                "1.3.6.1.2.1.2.2.1.6.2",
                Value::OctetString(vec![0, 0x5e, 0xff])
            ),
            "1.3.6.1.2.1.2.2.1.6.2|4x|005eff\n"
        );
        assert_eq!(
            one_line("1.3.6.1.2.1.1.3.0", Value::TimeTicks(42)),
            "1.3.6.1.2.1.1.3.0|67|42\n"
        );
    }
}
