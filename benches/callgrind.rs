//! The runner `scripts/callgrind.sh` puts under valgrind: runs one catalogue case a given
//! number of times, so that the instruction count of N runs minus that of 0 runs, over N, is
//! the cost of one operation.
//!
//! ```text
//! callgrind list                 # every case: name, messages per op, bytes per op
//! callgrind run NAME ITERATIONS  # e.g. run proxy_socks5_domain/eager/ours 10000
//! ```

#[path = "support/cases.rs"]
mod cases;
#[path = "support/drive.rs"]
mod drive;
#[path = "support/fixtures.rs"]
mod fixtures;
#[path = "support/floor.rs"]
mod floor;

use std::hint::black_box;
use std::process::ExitCode;

use cases::{Case, Op, Visit};

struct List;

impl Visit for List {
    fn case<O: Op>(&mut self, case: Case, _make: impl FnOnce() -> O) {
        println!("{}\t{}\t{}", case.name(), case.units, case.bytes);
    }
}

struct Run {
    name: String,
    iters: u64,
    found: bool,
    result: u64,
}

/// The measured loop, kept out of line so profiles show it as one frame.
#[inline(never)]
fn measure(op: &mut impl Op, iters: u64) -> u64 {
    let mut acc = 0;
    for _ in 0..iters {
        acc ^= black_box(op.run());
    }
    acc
}

impl Visit for Run {
    fn case<O: Op>(&mut self, case: Case, make: impl FnOnce() -> O) {
        if self.found || case.name() != self.name {
            return;
        }
        self.found = true;
        let mut op = make();
        self.result = measure(&mut op, black_box(self.iters));
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    match args.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        ["list"] => cases::all_cases(&mut List),
        ["run", name, iters] => {
            let mut run = Run {
                name: name.to_owned(),
                iters: iters.parse().expect("ITERATIONS is a number"),
                found: false,
                result: 0,
            };
            cases::all_cases(&mut run);
            if !run.found {
                eprintln!("no case named {name}; see `list`");
                return ExitCode::FAILURE;
            }
            black_box(run.result);
        }
        _ => eprintln!("callgrind: use scripts/callgrind.sh, or `list` / `run NAME ITERATIONS`"),
    }
    ExitCode::SUCCESS
}
