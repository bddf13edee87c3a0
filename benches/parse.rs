//! Lex+parse throughput on a corpus of at least 1 MB: the bench programs (from ../shared/bench
//! when present), the tutorial scripts and the grammar fixtures, each wrapped in a function so
//! that repeated top-level declarations stay legal, repeated to 1 MB. `scripts/bench-parse.sh`
//! writes the same corpus to a file and times `node --check` and `minijs --check` on it.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};

/// The allocator the `minijs` binary uses, so the benchmark measures what users get.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn bench_parse(c: &mut Criterion) {
    let corpus = minijs::bench_corpus::build(1 << 20);
    let mut g = c.benchmark_group("front_end");
    g.throughput(Throughput::Bytes(corpus.len() as u64));
    g.sample_size(20);
    g.bench_function("lex+parse 1MB", |b| {
        b.iter(|| minijs::syntax::parse(std::hint::black_box(&corpus)).expect("corpus parses"))
    });
    g.bench_function("lex+parse 1MB, tree freed outside the timing", |b| {
        b.iter_with_large_drop(|| {
            minijs::syntax::parse(std::hint::black_box(&corpus)).expect("corpus parses")
        })
    });
    g.bench_function("lex+parse 1MB, grammar only (no early errors)", |b| {
        b.iter(|| {
            minijs::syntax::parse_without_early_errors(std::hint::black_box(&corpus))
                .expect("corpus parses")
        })
    });
    g.finish();
}

criterion_group!(benches, bench_parse);
criterion_main!(benches);
