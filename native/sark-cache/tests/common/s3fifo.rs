//! The S3-FIFO reference model: the algorithm written plainly, step for step what the cache must do.

use std::collections::VecDeque;

use sark_cache::Stats;

use super::Reference;

#[derive(Debug, Clone, Copy)]
struct Entry {
    key: u8,
    value: u32,
    expires: Option<u64>,
    freq: u8,
}

/// S3-FIFO written plainly: `Vec`s with the newest entry first, keys instead of hashes in
/// the ghost queue. The parameters are the crate's: small queue 3% (at least 1), ghost
/// queue 50% of the capacity, frequency capped at 3.
pub struct S3FifoModel {
    small: Vec<Entry>,
    main: Vec<Entry>,
    ghost_order: VecDeque<u8>,
    ghost: Vec<u8>,
    capacity: usize,
    default_ttl: Option<u64>,
    now: u64,
    stats: Stats,
}

impl S3FifoModel {
    pub fn new(capacity: usize, default_ttl: Option<u64>) -> Self {
        Self {
            small: Vec::new(),
            main: Vec::new(),
            ghost_order: VecDeque::new(),
            ghost: Vec::new(),
            capacity,
            default_ttl,
            now: 0,
            stats: Stats::default(),
        }
    }

    fn len(&self) -> usize {
        self.small.len() + self.main.len()
    }

    fn expired(&self, e: &Entry) -> bool {
        e.expires.is_some_and(|t| self.now >= t)
    }

    fn find(&self, k: u8) -> Option<(bool, usize)> {
        if let Some(p) = self.small.iter().position(|e| e.key == k) {
            return Some((true, p));
        }
        self.main
            .iter()
            .position(|e| e.key == k)
            .map(|p| (false, p))
    }

    fn entry(&mut self, (small, p): (bool, usize)) -> &mut Entry {
        if small {
            &mut self.small[p]
        } else {
            &mut self.main[p]
        }
    }

    fn remove(&mut self, (small, p): (bool, usize)) -> Entry {
        if small {
            self.small.remove(p)
        } else {
            self.main.remove(p)
        }
    }

    fn ghost_insert(&mut self, k: u8) {
        let cap = self.capacity * 50 / 100;
        if cap == 0 {
            return;
        }
        if self.ghost_order.len() == cap {
            let old = self.ghost_order.pop_front().unwrap();
            self.ghost.retain(|&g| g != old);
        }
        self.ghost_order.push_back(k);
        if !self.ghost.contains(&k) {
            self.ghost.push(k);
        }
    }

    fn get(&mut self, k: u8) -> Option<u32> {
        let Some(at) = self.find(k) else {
            self.stats.misses += 1;
            return None;
        };
        if self.expired(self.entry_ref(at)) {
            self.remove(at);
            self.stats.expirations += 1;
            self.stats.misses += 1;
            return None;
        }
        self.stats.hits += 1;
        let e = self.entry(at);
        e.freq = (e.freq + 1).min(3);
        Some(e.value)
    }

    fn entry_ref(&self, (small, p): (bool, usize)) -> &Entry {
        if small {
            &self.small[p]
        } else {
            &self.main[p]
        }
    }

    /// Removes the entry a full cache gives up; true if it had expired.
    fn evict(&mut self) -> bool {
        let small_target = (self.capacity * 3 / 100).max(1);
        loop {
            let from_small = !self.small.is_empty()
                && (self.small.len() >= small_target || self.main.is_empty());
            let queue = if from_small {
                &mut self.small
            } else {
                &mut self.main
            };
            let t = *queue.last().unwrap();
            if t.expires.is_some_and(|x| self.now >= x) {
                queue.pop();
                return true;
            }
            if t.freq == 0 {
                queue.pop();
                if from_small {
                    self.ghost_insert(t.key);
                }
                return false;
            }
            queue.pop();
            self.main.insert(
                0,
                Entry {
                    freq: t.freq - 1,
                    ..t
                },
            );
        }
    }

    fn set(&mut self, k: u8, v: u32, ttl: Option<u8>) {
        let expires = ttl
            .map(u64::from)
            .or(self.default_ttl)
            .map(|t| self.now + t);
        if let Some(at) = self.find(k) {
            if !self.expired(self.entry_ref(at)) {
                let e = self.entry(at);
                e.value = v;
                e.expires = expires;
                e.freq = (e.freq + 1).min(3);
                self.stats.updates += 1;
                return;
            }
            self.remove(at);
            self.stats.expirations += 1;
        } else if self.len() >= self.capacity {
            if self.evict() {
                self.stats.expirations += 1;
            } else {
                self.stats.evictions += 1;
            }
        }
        let e = Entry {
            key: k,
            value: v,
            expires,
            freq: 0,
        };
        if let Some(p) = self.ghost.iter().position(|&g| g == k) {
            self.ghost.remove(p);
            self.main.insert(0, e);
        } else {
            self.small.insert(0, e);
        }
        self.stats.inserts += 1;
    }

    fn delete(&mut self, k: u8) -> bool {
        let Some(at) = self.find(k) else {
            return false;
        };
        let e = self.remove(at);
        let live = !self.expired(&e);
        if !live {
            self.stats.expirations += 1;
        }
        live
    }

    fn cleanup(&mut self) -> usize {
        let now = self.now;
        let before = self.len();
        let live = |e: &Entry| !e.expires.is_some_and(|t| now >= t);
        self.small.retain(live);
        self.main.retain(live);
        let removed = before - self.len();
        self.stats.expirations += removed as u64;
        removed
    }

    fn clear(&mut self) {
        self.small.clear();
        self.main.clear();
        self.ghost.clear();
        self.ghost_order.clear();
    }
}

impl Reference for S3FifoModel {
    fn get(&mut self, key: u8) -> Option<u32> {
        S3FifoModel::get(self, key)
    }
    fn set(&mut self, key: u8, value: u32, ttl: Option<u8>) {
        S3FifoModel::set(self, key, value, ttl);
    }
    fn delete(&mut self, key: u8) -> bool {
        S3FifoModel::delete(self, key)
    }
    fn cleanup(&mut self) -> usize {
        S3FifoModel::cleanup(self)
    }
    fn clear(&mut self) {
        S3FifoModel::clear(self);
    }
    fn len(&self) -> usize {
        S3FifoModel::len(self)
    }
    fn advance(&mut self, ms: u64) {
        self.now += ms;
    }
    fn stats(&self) -> Stats {
        self.stats
    }
}
