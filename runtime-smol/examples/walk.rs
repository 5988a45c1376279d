//! Walk a subtree with GETBULK: `cargo run -p oxsnmp-smol --example walk -- [TARGET] [ROOT]`
//!
//! TARGET defaults to `127.0.0.1:161`, ROOT to the system group.

use futures_lite::StreamExt;
use oxsnmp_smol::{Client, ClientOptions, Oid};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    futures_lite::future::block_on(run())
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let target = args.next().unwrap_or_else(|| "127.0.0.1:161".to_owned());
    let root: Oid = args.next().as_deref().unwrap_or("1.3.6.1.2.1.1").parse()?;
    let client = Client::connect(&target, ClientOptions::default()).await?;
    let mut walk = client.bulk_walk(root);
    let mut count = 0u64;
    while let Some(vb) = walk.next().await {
        let vb = vb?;
        println!("{} = {:?}", vb.oid, vb.value);
        count += 1;
    }
    eprintln!("{count} varbinds");
    Ok(())
}
