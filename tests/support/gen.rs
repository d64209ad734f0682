//! A small seeded generator (xorshift64*), so property tests are reproducible without a
//! dependency.

#![allow(dead_code)]

pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    pub fn byte(&mut self) -> u8 {
        self.next_u64() as u8
    }

    pub fn bytes(&mut self, len: usize) -> Vec<u8> {
        (0..len).map(|_| self.byte()).collect()
    }

    /// One random edit of `v`: flip, set to an interesting value, insert, delete, truncate,
    /// or extend.
    pub fn mutate(&mut self, v: &mut Vec<u8>) {
        const INTERESTING: [u8; 10] = [0, 1, 2, 3, 4, 5, 0x7F, 0x80, 0xF0, 0xFF];
        let len = v.len();
        match self.below(6) {
            0 if len > 0 => {
                let i = self.below(len);
                v[i] ^= 1 << self.below(8);
            }
            1 if len > 0 => {
                let i = self.below(len);
                v[i] = INTERESTING[self.below(INTERESTING.len())];
            }
            2 => {
                let i = self.below(len + 1);
                let b = self.byte();
                v.insert(i, b);
            }
            3 if len > 0 => {
                v.remove(self.below(len));
            }
            4 => v.truncate(self.below(len + 1)),
            _ => {
                let n = self.below(8);
                let extra = self.bytes(n);
                v.extend(extra);
            }
        }
    }
}
