//! The drop-in's fuzz targets on stable: every seed and regression of `dropin_proxy_handshake`
//! and `dropin_client_handshake` (`fuzz/seeds/<target>/`, `fuzz/regressions/<target>/`, written
//! by `fuzz/make_seeds.py`) through the same bodies the targets run
//! (`support/dropin_fuzz.rs`): the facade and tor-socksproto 0.47.0 must agree on each.

#[path = "../../../tests/support/owned.rs"]
mod owned;
#[macro_use]
#[path = "support/twin.rs"]
mod twin;
#[path = "support/dropin_fuzz.rs"]
mod dropin_fuzz;

use std::path::Path;

twin!(facade, tor_socksproto);
twin!(oracle, real);

/// Runs `body` on every file under `fuzz/{seeds,regressions}/<target>/`; returns how many.
fn replay(target: &str, body: fn(&[u8])) -> usize {
    let fuzz = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz");
    let mut n = 0;
    for kind in ["seeds", "regressions"] {
        let Ok(dir) = std::fs::read_dir(fuzz.join(kind).join(target)) else {
            continue;
        };
        let mut files: Vec<_> = dir.map(|e| e.expect("dir entry").path()).collect();
        files.sort();
        for f in files {
            body(&std::fs::read(&f).expect("seed"));
            n += 1;
        }
    }
    n
}

#[test]
fn dropin_proxy_handshake_seeds() {
    let n = replay(
        "dropin_proxy_handshake",
        dropin_fuzz::dropin_proxy_handshake,
    );
    assert!(n >= 60, "only {n} seeds");
}

#[test]
fn dropin_client_handshake_seeds() {
    let n = replay(
        "dropin_client_handshake",
        dropin_fuzz::dropin_client_handshake,
    );
    assert!(n >= 60, "only {n} seeds");
}
