//! One synchronous face over the three runtime crates, so each interop
//! scenario is written once and run through tokio, smol and blocking.

use oxsnmp_core::client::ClientOptions;
use oxsnmp_core::manager::ClientError;
use oxsnmp_core::walk::{Row, WalkOptions};
use oxsnmp_core::{Oid, VarBind};

/// Client options common to the three runtimes.
#[derive(Debug, Clone)]
pub struct Options {
    /// v1 or v2c.
    pub version: oxsnmp_core::Version,
    /// Community.
    pub community: String,
    /// Per-attempt timeout.
    pub timeout: std::time::Duration,
    /// Retries.
    pub retries: u32,
    /// SNMPv3 security (with `version` V3).
    pub v3: Option<std::sync::Arc<oxsnmp_core::manager::V3Security>>,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            version: oxsnmp_core::Version::V2c,
            community: "public".into(),
            timeout: std::time::Duration::from_secs(2),
            retries: 3,
            v3: None,
        }
    }
}

/// The operations every runtime's `Client` offers, run to completion.
pub trait TestClient {
    /// The runtime's name, for messages.
    fn runtime(&self) -> &'static str;
    /// GET.
    fn get(&self, oids: &[Oid]) -> Result<Vec<VarBind>, ClientError>;
    /// GETNEXT.
    fn get_next(&self, oids: &[Oid]) -> Result<Vec<VarBind>, ClientError>;
    /// GETBULK.
    fn get_bulk(&self, nr: u32, mr: u32, oids: &[Oid]) -> Result<Vec<VarBind>, ClientError>;
    /// SET.
    fn set(&self, vbs: &[VarBind]) -> Result<Vec<VarBind>, ClientError>;
    /// A whole walk, collected; stops at the first error.
    fn walk_with(&self, root: &Oid, options: WalkOptions) -> Result<Vec<VarBind>, ClientError>;
    /// A whole bulk walk with the client's default (adaptive) repetitions.
    fn bulk_walk(&self, root: &Oid) -> Result<Vec<VarBind>, ClientError>;
    /// A table walk, collected.
    fn rows(&self, columns: &[Oid]) -> Result<Vec<Row>, ClientError>;
}

/// Connects a client of each runtime to `target`.
pub fn all_clients(target: &str, options: &Options) -> Vec<Box<dyn TestClient>> {
    let options = ClientOptions {
        version: options.version,
        community: options.community.clone(),
        timeout: options.timeout,
        retries: options.retries,
        v3: options.v3.clone(),
        ..ClientOptions::default()
    };
    all_clients_with(target, &options)
}

/// Connects a client of each runtime to `target` with any options
/// (SNMPv3 included).
pub fn all_clients_with(target: &str, options: &ClientOptions) -> Vec<Box<dyn TestClient>> {
    vec![
        Box::new(blocking::connect(target, options.clone())),
        Box::new(tokio_rt::connect(target, options.clone())),
        Box::new(smol_rt::connect(target, options.clone())),
    ]
}

mod blocking {
    use super::*;
    use oxsnmp_blocking::Client;

    pub struct B(Client);

    pub fn connect(target: &str, options: ClientOptions) -> B {
        B(Client::connect(target, options).expect("blocking client connects"))
    }

    impl TestClient for B {
        fn runtime(&self) -> &'static str {
            "blocking"
        }
        fn get(&self, oids: &[Oid]) -> Result<Vec<VarBind>, ClientError> {
            self.0.get(oids)
        }
        fn get_next(&self, oids: &[Oid]) -> Result<Vec<VarBind>, ClientError> {
            self.0.get_next(oids)
        }
        fn get_bulk(&self, nr: u32, mr: u32, oids: &[Oid]) -> Result<Vec<VarBind>, ClientError> {
            self.0.get_bulk(nr, mr, oids)
        }
        fn set(&self, vbs: &[VarBind]) -> Result<Vec<VarBind>, ClientError> {
            self.0.set(vbs)
        }
        fn walk_with(&self, root: &Oid, options: WalkOptions) -> Result<Vec<VarBind>, ClientError> {
            self.0.walk_with(root.clone(), options).collect()
        }
        fn bulk_walk(&self, root: &Oid) -> Result<Vec<VarBind>, ClientError> {
            self.0.bulk_walk(root.clone()).collect()
        }
        fn rows(&self, columns: &[Oid]) -> Result<Vec<Row>, ClientError> {
            self.0.bulk_walk_rows(columns).collect()
        }
    }
}

mod tokio_rt {
    use super::*;
    use futures_util::TryStreamExt;
    use oxsnmp_tokio::Client;

    pub struct T(Client, tokio::runtime::Runtime);

    pub fn connect(target: &str, options: ClientOptions) -> T {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("tokio runtime");
        let c = rt
            .block_on(Client::connect(target, options))
            .expect("tokio client connects");
        T(c, rt)
    }

    impl TestClient for T {
        fn runtime(&self) -> &'static str {
            "tokio"
        }
        fn get(&self, oids: &[Oid]) -> Result<Vec<VarBind>, ClientError> {
            self.1.block_on(self.0.get(oids))
        }
        fn get_next(&self, oids: &[Oid]) -> Result<Vec<VarBind>, ClientError> {
            self.1.block_on(self.0.get_next(oids))
        }
        fn get_bulk(&self, nr: u32, mr: u32, oids: &[Oid]) -> Result<Vec<VarBind>, ClientError> {
            self.1.block_on(self.0.get_bulk(nr, mr, oids))
        }
        fn set(&self, vbs: &[VarBind]) -> Result<Vec<VarBind>, ClientError> {
            self.1.block_on(self.0.set(vbs))
        }
        fn walk_with(&self, root: &Oid, options: WalkOptions) -> Result<Vec<VarBind>, ClientError> {
            self.1
                .block_on(self.0.walk_with(root.clone(), options).try_collect())
        }
        fn bulk_walk(&self, root: &Oid) -> Result<Vec<VarBind>, ClientError> {
            self.1
                .block_on(self.0.bulk_walk(root.clone()).try_collect())
        }
        fn rows(&self, columns: &[Oid]) -> Result<Vec<Row>, ClientError> {
            self.1
                .block_on(self.0.bulk_walk_rows(columns).try_collect())
        }
    }
}

mod smol_rt {
    use super::*;
    use futures_lite::StreamExt;
    use oxsnmp_smol::Client;

    pub struct S(Client);

    pub fn connect(target: &str, options: ClientOptions) -> S {
        S(async_io::block_on(Client::connect(target, options)).expect("smol client connects"))
    }

    fn collect<T>(
        s: impl futures_lite::Stream<Item = Result<T, ClientError>>,
    ) -> Result<Vec<T>, ClientError> {
        async_io::block_on(async move {
            let mut s = std::pin::pin!(s);
            let mut out = Vec::new();
            while let Some(item) = s.next().await {
                out.push(item?);
            }
            Ok(out)
        })
    }

    impl TestClient for S {
        fn runtime(&self) -> &'static str {
            "smol"
        }
        fn get(&self, oids: &[Oid]) -> Result<Vec<VarBind>, ClientError> {
            async_io::block_on(self.0.get(oids))
        }
        fn get_next(&self, oids: &[Oid]) -> Result<Vec<VarBind>, ClientError> {
            async_io::block_on(self.0.get_next(oids))
        }
        fn get_bulk(&self, nr: u32, mr: u32, oids: &[Oid]) -> Result<Vec<VarBind>, ClientError> {
            async_io::block_on(self.0.get_bulk(nr, mr, oids))
        }
        fn set(&self, vbs: &[VarBind]) -> Result<Vec<VarBind>, ClientError> {
            async_io::block_on(self.0.set(vbs))
        }
        fn walk_with(&self, root: &Oid, options: WalkOptions) -> Result<Vec<VarBind>, ClientError> {
            collect(self.0.walk_with(root.clone(), options))
        }
        fn bulk_walk(&self, root: &Oid) -> Result<Vec<VarBind>, ClientError> {
            collect(self.0.bulk_walk(root.clone()))
        }
        fn rows(&self, columns: &[Oid]) -> Result<Vec<Row>, ClientError> {
            collect(self.0.bulk_walk_rows(columns))
        }
    }
}
