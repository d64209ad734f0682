//! Criterion: full proxy and client handshakes over in-memory bytes, sockswire,
//! tor-socksproto and the floor side by side in one group per scenario, in eager and precise
//! read modes (`proxy_socks5_domain/eager/ours`, ...).

#[path = "support/cases.rs"]
mod cases;
#[path = "support/criterion_visit.rs"]
mod criterion_visit;
#[path = "support/drive.rs"]
mod drive;
#[path = "support/fixtures.rs"]
mod fixtures;
#[path = "support/floor.rs"]
mod floor;

use criterion::{Criterion, criterion_group, criterion_main};

fn handshake(c: &mut Criterion) {
    cases::handshake_cases(&mut criterion_visit::Bench::new(c));
}

criterion_group!(benches, handshake);
criterion_main!(benches);
