//! Receive traps and informs: `cargo run -p oxsnmp-tokio --example trap_listener -- [ADDR...]`
//!
//! Listens on `udp:127.0.0.1:1162` unless told otherwise, accepts any
//! community, and prints every notification. Try it with
//! `cargo run -p oxsnmp-tokio --example send_trap`.

use futures_util::StreamExt;
use oxsnmp_tokio::{ReceiverConfig, TrapListener};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut listen: Vec<String> = std::env::args().skip(1).collect();
    if listen.is_empty() {
        listen.push("udp:127.0.0.1:1162".to_owned());
    }
    let addrs: Vec<&str> = listen.iter().map(String::as_str).collect();
    let mut listener = TrapListener::bind(&addrs, ReceiverConfig::new()).await?;
    println!("listening on {:?}", listener.local_addrs());
    while let Some(event) = listener.next().await {
        println!(
            "{} from {} ({:?}, community {:?}): {} at uptime {}",
            event.kind.label(),
            event.source,
            event.version,
            String::from_utf8_lossy(&event.community),
            event.trap_oid(),
            event.sys_up_time()
        );
        for vb in event.varbinds() {
            println!("    {} = {:?}", vb.oid, vb.value);
        }
    }
    Ok(())
}
