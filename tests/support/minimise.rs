//! A budgeted input minimiser for differential findings (greedy ddmin, length-aware).

/// Shrinks `input` while `fails` holds, within a fixed budget of tries: drops ever smaller
/// chunks (greedy ddmin), shortens length-prefixed fields together with their length byte,
/// and finally turns bytes that do not matter into `a`.
pub fn minimise(input: &[u8], fails: impl Fn(&[u8]) -> bool) -> Vec<u8> {
    let mut cur = input.to_vec();
    let mut budget = 20_000usize;
    let mut try_it = |candidate: &[u8], cur: &mut Vec<u8>| {
        budget = budget.saturating_sub(1);
        let ok = budget > 0 && fails(candidate);
        if ok {
            *cur = candidate.to_vec();
        }
        ok
    };
    loop {
        let before = cur.len();
        // Chunks.
        let mut size = cur.len().div_ceil(2).max(1);
        while size > 0 {
            let mut i = 0;
            while i + size <= cur.len() {
                let mut candidate = cur.clone();
                candidate.drain(i..i + size);
                if !try_it(&candidate, &mut cur) {
                    i += size;
                }
            }
            size /= 2;
        }
        // Length-prefixed fields: byte j as a length, its field cut from the front or back.
        let mut j = 0;
        while j < cur.len() {
            let len = usize::from(cur[j]);
            for new_len in [0, 1, len / 2] {
                if new_len >= len {
                    continue;
                }
                let cut = len - new_len;
                let field = j + 1..(j + 1 + len).min(cur.len());
                for at in [field.start, field.end.saturating_sub(cut).max(field.start)] {
                    let mut candidate = cur.clone();
                    candidate[j] = new_len as u8;
                    candidate.drain(at..(at + cut).min(candidate.len()));
                    if try_it(&candidate, &mut cur) {
                        break;
                    }
                }
            }
            j += 1;
        }
        if cur.len() == before {
            break;
        }
    }
    for i in 0..cur.len() {
        if cur[i] != b'a' {
            let mut candidate = cur.clone();
            candidate[i] = b'a';
            try_it(&candidate, &mut cur);
        }
    }
    cur
}
