//! The LRU reference model: a recency-ordered `Vec` with the same TTL and eviction rules as the cache.

use sark_cache::Stats;

use super::Reference;

/// Front = most recently used. `expires: None` = never.
#[derive(Default)]
pub struct LruModel {
    entries: Vec<(u8, u32, Option<u64>)>,
    capacity: usize,
    default_ttl: Option<u64>,
    now: u64,
    stats: Stats,
}

impl LruModel {
    fn expired(&self, e: &(u8, u32, Option<u64>)) -> bool {
        e.2.is_some_and(|t| self.now >= t)
    }

    fn pos(&self, k: u8) -> Option<usize> {
        self.entries.iter().position(|e| e.0 == k)
    }

    fn get(&mut self, k: u8) -> Option<u32> {
        let Some(p) = self.pos(k) else {
            self.stats.misses += 1;
            return None;
        };
        let e = self.entries.remove(p);
        if self.expired(&e) {
            self.stats.expirations += 1;
            self.stats.misses += 1;
            return None;
        }
        self.stats.hits += 1;
        self.entries.insert(0, e);
        Some(e.1)
    }

    fn set(&mut self, k: u8, v: u32, ttl: Option<u8>) {
        let expires = ttl
            .map(u64::from)
            .or(self.default_ttl)
            .map(|t| self.now + t);
        if let Some(p) = self.pos(k) {
            let e = self.entries.remove(p);
            if self.expired(&e) {
                self.stats.expirations += 1;
                self.stats.inserts += 1;
            } else {
                self.stats.updates += 1;
            }
        } else {
            if self.entries.len() == self.capacity {
                let tail = self.entries.pop().unwrap();
                if self.expired(&tail) {
                    self.stats.expirations += 1;
                } else {
                    self.stats.evictions += 1;
                }
            }
            self.stats.inserts += 1;
        }
        self.entries.insert(0, (k, v, expires));
    }

    fn delete(&mut self, k: u8) -> bool {
        let Some(p) = self.pos(k) else { return false };
        let e = self.entries.remove(p);
        let expired = self.expired(&e);
        if expired {
            self.stats.expirations += 1;
        }
        !expired
    }

    fn cleanup(&mut self) -> usize {
        let before = self.entries.len();
        let now = self.now;
        self.entries.retain(|e| !e.2.is_some_and(|t| now >= t));
        let removed = before - self.entries.len();
        self.stats.expirations += removed as u64;
        removed
    }
}

impl LruModel {
    pub fn new(capacity: usize, default_ttl: Option<u64>) -> Self {
        Self {
            capacity,
            default_ttl,
            ..Self::default()
        }
    }
}

impl Reference for LruModel {
    fn get(&mut self, key: u8) -> Option<u32> {
        LruModel::get(self, key)
    }
    fn set(&mut self, key: u8, value: u32, ttl: Option<u8>) {
        LruModel::set(self, key, value, ttl);
    }
    fn delete(&mut self, key: u8) -> bool {
        LruModel::delete(self, key)
    }
    fn cleanup(&mut self) -> usize {
        LruModel::cleanup(self)
    }
    fn clear(&mut self) {
        self.entries.clear();
    }
    fn len(&self) -> usize {
        self.entries.len()
    }
    fn advance(&mut self, ms: u64) {
        self.now += ms;
    }
    fn stats(&self) -> Stats {
        self.stats
    }
}
