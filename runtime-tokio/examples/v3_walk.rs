//! SNMPv3 bulk walk with authentication and privacy:
//! `cargo run -p oxsnmp-tokio --example v3_walk -- TARGET USER AUTHPASS PRIVPASS [ROOT]`
//!
//! SHA-1 and AES-256 (Blumenthal key extension, as Net-SNMP's `-x AES-256`).

use futures_util::StreamExt;
use oxsnmp_tokio::{
    AuthProtocol, Client, ClientOptions, PrivProtocol, Secret, SecurityLevel, UsmUser, V3Security,
};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [target, user, auth_pass, priv_pass, rest @ ..] = args.as_slice() else {
        eprintln!("usage: v3_walk TARGET USER AUTHPASS PRIVPASS [ROOT]");
        std::process::exit(1);
    };
    let user = UsmUser::new(user)?
        .with_auth(AuthProtocol::Sha1, Secret::Password(auth_pass.as_bytes()))?
        .with_privacy(PrivProtocol::Aes256, Secret::Password(priv_pass.as_bytes()))?;
    let options = ClientOptions::v3(V3Security::new(user, SecurityLevel::AuthPriv));
    let client = Client::connect(target, options).await?;
    let root = rest
        .first()
        .map_or("1.3.6.1.2.1.1", String::as_str)
        .parse()?;
    let mut walk = client.bulk_walk(root);
    while let Some(vb) = walk.next().await {
        let vb = vb?;
        println!("{} = {:?}", vb.oid, vb.value);
    }
    Ok(())
}
