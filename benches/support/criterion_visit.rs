//! Runs catalogue cases under criterion: one criterion group per case group, with the case's
//! byte throughput, ids `group/scenario/impl`.

use criterion::{BenchmarkId, Criterion, Throughput};

use crate::cases::{Case, Checker, Op, Visit};

/// A [`Visit`] that benchmarks every case it is shown.
pub struct Bench<'c> {
    c: &'c mut Criterion,
    checker: Checker,
}

impl<'c> Bench<'c> {
    pub fn new(c: &'c mut Criterion) -> Self {
        Bench {
            c,
            checker: Checker::default(),
        }
    }
}

impl Visit for Bench<'_> {
    fn case<O: Op>(&mut self, case: Case, make: impl FnOnce() -> O) {
        let mut op = make();
        self.checker.check(&case, op.run());
        let mut group = self.c.benchmark_group(case.group);
        group.throughput(Throughput::Bytes(case.bytes));
        group.bench_function(BenchmarkId::new(case.scenario, case.imp), |b| {
            b.iter(|| op.run())
        });
        group.finish();
    }
}
