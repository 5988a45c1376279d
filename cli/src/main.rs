//! `oxsnmp`: SNMPv1/v2c/v3 manager tools with Net-SNMP's options and output,
//! an agent serving recorded devices or a demo dataset, and a trap receiver.
//!
//! * [`args`] — the command line (clap), Net-SNMP's `-v -c -r -t -O -C`.
//! * [`atomic_write`] — files written whole or not at all.
//! * [`render`] — Net-SNMP's value formats (`snmpget -On` without MIBs).
//! * [`set_value`] — SET's `OID TYPE VALUE` triples and OID arguments.
//! * [`messages`] — Net-SNMP's error texts.
//! * [`run`] — the manager subcommands on `oxsnmp-blocking`.
//! * [`serve`] — `oxsnmp agent` on `oxsnmp-blocking`'s `AgentServer`.
//! * [`demo_data`] — the built-in demo dataset.
//! * [`demo`] — `oxsnmp demo`.
//! * [`mibs`] — loading MIBs, symbolic OID arguments.
//! * [`netsnmp_conf`] — Net-SNMP's client configuration (`snmp.conf`).
//! * [`translate`] — `oxsnmp translate` (snmptranslate).
//! * [`table`] — `oxsnmp table` (snmptable).
//! * [`trap`] — `oxsnmp trap` and `oxsnmp inform` (snmptrap, snmpinform).
//! * [`record`] — `oxsnmp record` (snmpsim-record-commands).
//! * [`listen`] — `oxsnmp listen` (snmptrapd), printing with [`event_format`].
#![forbid(unsafe_code)]
// The argument structs' doc comments are clap's `--help` text, written in
// Net-SNMP's notation (`udp6:[ADDR]:PORT`, `-Cr<NUM>`), not rustdoc markdown.
#![allow(rustdoc::broken_intra_doc_links, rustdoc::invalid_html_tags)]

mod args;
mod atomic_write;
mod demo;
mod demo_data;
mod event_format;
mod listen;
mod messages;
mod mibs;
mod netsnmp_conf;
mod notify_engine;
mod record;
mod render;
mod run;
mod serve;
mod set_value;
mod table;
mod translate;
mod trap;
mod v3args;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let argv = netsnmp_conf::take_command_line(std::env::args_os().collect());
    let argv = table::rewrite_app_values(v3args::rewrite_dash_three(argv));
    if let Some(n) = netsnmp_conf::get().hex_output_length {
        render::set_hex_line(n);
    }
    let cli = match args::Oxsnmp::try_parse_from(argv) {
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
    ExitCode::from(match cli.command {
        args::TopCommand::Manager(command) => run::run(args::Cli { command: *command }),
        args::TopCommand::Agent(agent) => serve::run(agent),
        args::TopCommand::Translate(t) => translate::run(t),
        args::TopCommand::Demo(_) => demo::run(),
        args::TopCommand::Trap(args) => trap::run(args, false),
        args::TopCommand::Inform(args) => trap::run(args, true),
        args::TopCommand::Listen(args) => listen::run(args),
        args::TopCommand::Config(_) => netsnmp_conf::show(),
        args::TopCommand::Record(args) => record::run(args),
    })
}
