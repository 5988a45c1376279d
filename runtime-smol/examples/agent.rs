//! Serve a small MIB: `cargo run -p oxsnmp-smol --example agent -- [LISTEN...]`
//!
//! LISTEN defaults to `udp:127.0.0.1:1161` (snmpd's syntax; several may be
//! given). Communities `public` (read-only) and `private` (read-write).
//! Try `snmpwalk -v2c -c public 127.0.0.1:1161 1.3.6.1` or
//! `snmpset -v2c -c private 127.0.0.1:1161 1.3.6.1.4.1.99999.2.0 s hello`.
//! Runs until killed (Ctrl-C).

use oxsnmp_smol::agent::{
    Access, AgentConfig, AgentServer, Column, MaxAccess, MemoryMib, ObjectType, Syntax, SystemInfo,
};
use oxsnmp_smol::{Oid, Value};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    futures_lite::future::block_on(run())
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut listen: Vec<&str> = args.iter().map(String::as_str).collect();
    if listen.is_empty() {
        listen.push("udp:127.0.0.1:1161");
    }
    let mut mib = MemoryMib::new();
    // A table of interfaces: index, name, speed.
    let table = mib.add_table(
        "1.3.6.1.4.1.99999.1.1".parse()?,
        [
            Column::new(1, Syntax::integer_range(1, i32::MAX)),
            Column::new(2, Syntax::display_string()),
            Column::new(3, Syntax::gauge32()),
        ],
    )?;
    for (i, name) in ["lo", "eth0", "eth1"].into_iter().enumerate() {
        let index = i as u32 + 1;
        mib.insert_row(
            table,
            &[index],
            [
                Value::Integer(index as i32),
                Value::from(name),
                Value::Gauge32(1_000_000_000),
            ],
        )?;
    }
    // A writable scalar: a DisplayString of up to 32 octets.
    mib.add_object(
        ObjectType::new(
            "1.3.6.1.4.1.99999.2".parse()?,
            Syntax::octet_string_size(0, 32),
        )
        .access(MaxAccess::ReadWrite),
        "change me",
    )?;
    let config = AgentConfig::new()
        .community("public", Access::ReadOnly)
        .community("private", Access::ReadWrite)
        .system(
            SystemInfo::new("oxsnmp-smol example agent")
                .object_id("1.3.6.1.4.1.99999.100".parse::<Oid>()?)
                .contact("ops@example.invalid")
                .name("example")
                .location("here")
                .writable(true),
        );
    let server = AgentServer::bind(&listen, config, mib).await?;
    for addr in server.local_addrs() {
        println!("listening on {addr}");
    }
    // Serve until the process is killed; the server must stay alive.
    std::future::pending::<()>().await;
    drop(server);
    Ok(())
}
