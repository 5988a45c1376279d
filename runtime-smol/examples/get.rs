//! GET some OIDs: `cargo run -p oxsnmp-smol --example get -- [TARGET] [OID...]`
//!
//! TARGET defaults to `127.0.0.1:161`, the OID to sysDescr.0.

use oxsnmp_smol::{Client, ClientOptions, Oid};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    futures_lite::future::block_on(run())
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let target = args.next().unwrap_or_else(|| "127.0.0.1:161".to_owned());
    let mut oids: Vec<Oid> = args.map(|a| a.parse()).collect::<Result<_, _>>()?;
    if oids.is_empty() {
        oids.push("1.3.6.1.2.1.1.1.0".parse()?);
    }
    let client = Client::connect(&target, ClientOptions::default()).await?;
    for vb in client.get(&oids).await? {
        println!("{} = {:?}", vb.oid, vb.value);
    }
    Ok(())
}
