//! `oxsnmp`: SNMP v1/v2c manager tools with Net-SNMP's options and output.
//!
//! * [`args`] — the command line (clap), Net-SNMP's `-v -c -r -t -O -C`.
//! * [`render`] — Net-SNMP's value formats (`snmpget -On` without MIBs).
//! * [`set_value`] — SET's `OID TYPE VALUE` triples and OID arguments.
//! * [`messages`] — Net-SNMP's error texts.
//! * [`run`] — the subcommands on `oxsnmp-blocking`.
#![forbid(unsafe_code)]

mod args;
mod messages;
mod render;
mod run;
mod set_value;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = match args::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            // Help and version succeed; usage errors exit 1 as in Net-SNMP.
            return ExitCode::from(if e.exit_code() == 0 {
                0
            } else {
                run::EXIT_ERROR
            });
        }
    };
    ExitCode::from(run::run(cli))
}
