//! Criterion: a 64 KiB buffer of back-to-back SOCKS5 requests decoded in a loop, by
//! sockswire's parser, by handshakes (ours and tor-socksproto's, one per request) and by
//! the floor (`stream_socks5_requests/mixed/ours`, ...).

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

fn stream(c: &mut Criterion) {
    cases::stream_cases(&mut criterion_visit::Bench::new(c));
}

criterion_group!(benches, stream);
criterion_main!(benches);
