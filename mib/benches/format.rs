//! OID -> name formatting per second, in-process, on the built-in set (and
//! on `OXSNMP_BENCH_MIBDIRS` with `-m ALL` when set).

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use oxsnmp_core::Oid;
use oxsnmp_mib::{MibLoader, Mibs, OidStyle};

fn set() -> Mibs {
    match std::env::var("OXSNMP_BENCH_MIBDIRS") {
        Ok(dirs) => MibLoader::new()
            .mib_dirs(&dirs)
            .modules("ALL")
            .load()
            .expect("load"),
        Err(_) => Mibs::builtin(),
    }
}

fn format(c: &mut Criterion) {
    let mibs = set();
    let oids: Vec<Oid> = [
        "1.3.6.1.2.1.1.1.0",
        "1.3.6.1.2.1.1.9.1.3.7",
        "1.3.6.1.6.3.16.1.2.1.3.3.4.117.115.101.114",
        "1.3.6.1.6.3.15.1.2.2.1.3.12.128.0.31.136.128.1.2.3.4.5.6.7.5.97.108.105.99.101",
        "1.3.6.1.4.1.99999.1.2.3",
    ]
    .iter()
    .map(|s| s.parse().unwrap())
    .collect();
    let mut g = c.benchmark_group("format_oid");
    g.throughput(Throughput::Elements(oids.len() as u64));
    g.bench_function("module_style", |b| {
        let mut out = String::with_capacity(128);
        b.iter(|| {
            for oid in &oids {
                out.clear();
                mibs.push_oid(&mut out, black_box(oid.arcs()), OidStyle::default());
                black_box(&out);
            }
        })
    });
    g.finish();
}

criterion_group!(benches, format);
criterion_main!(benches);
