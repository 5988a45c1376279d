//! SNMPv3 GET with authentication and privacy:
//! `cargo run -p oxsnmp-blocking --example v3_get -- TARGET USER AUTHPASS PRIVPASS [OID...]`
//!
//! SHA-256 and AES-128, the default context; the engine is discovered and
//! its clock synchronized on the first request. Try it against the example
//! agent of this crate or `oxsnmp agent --user 'USER SHA-256 AUTHPASS AES PRIVPASS'`.

use oxsnmp_blocking::{
    AuthProtocol, Client, ClientOptions, PrivProtocol, Secret, SecurityLevel, UsmUser, V3Security,
};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [target, user, auth_pass, priv_pass, oids @ ..] = args.as_slice() else {
        eprintln!("usage: v3_get TARGET USER AUTHPASS PRIVPASS [OID...]");
        std::process::exit(1);
    };
    let user = UsmUser::new(user)?
        .with_auth(AuthProtocol::Sha256, Secret::Password(auth_pass.as_bytes()))?
        .with_privacy(PrivProtocol::Aes128, Secret::Password(priv_pass.as_bytes()))?;
    let client = Client::connect(
        target,
        ClientOptions::v3(V3Security::new(user, SecurityLevel::AuthPriv)),
    )?;
    let oids = if oids.is_empty() {
        vec!["1.3.6.1.2.1.1.5.0".parse()?]
    } else {
        oids.iter().map(|o| o.parse()).collect::<Result<_, _>>()?
    };
    for vb in client.get(&oids)? {
        println!("{} = {:?}", vb.oid, vb.value);
    }
    Ok(())
}
