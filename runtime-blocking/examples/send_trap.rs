//! Send a linkDown trap and an inform: `cargo run -p oxsnmp-blocking --example send_trap -- [RECEIVER]`
//!
//! RECEIVER defaults to `udp:127.0.0.1:1162` (where the `trap_listener`
//! example listens).

use oxsnmp_blocking::{Client, ClientOptions, Notification, Value};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let receiver = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "udp:127.0.0.1:1162".to_owned());
    let client = Client::connect(&receiver, ClientOptions::default())?;
    let link_down = Notification::new(4200, "1.3.6.1.6.3.1.1.5.3".parse()?)
        .varbind("1.3.6.1.2.1.2.2.1.1.2".parse()?, Value::Integer(2))
        .varbind("1.3.6.1.2.1.2.2.1.2.2".parse()?, "eth1");
    client.trap(link_down.clone())?;
    println!("trap sent to {receiver}");
    client.inform(&link_down)?;
    println!("inform acknowledged by {receiver}");
    Ok(())
}
