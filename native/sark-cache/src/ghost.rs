//! S3-FIFO's ghost queue: the hashes of entries recently evicted from the small queue, in
//! FIFO order, so that a key coming back soon after its eviction goes straight to the main
//! queue. Only 64-bit hashes are kept (a false match just admits a key to the main queue).

use std::collections::VecDeque;

use hashbrown::HashTable;

pub(crate) struct Ghost {
    order: VecDeque<u64>,
    set: HashTable<u64>,
    capacity: usize,
}

impl Ghost {
    pub(crate) fn new(capacity: usize) -> Self {
        Self {
            order: VecDeque::new(),
            set: HashTable::new(),
            capacity,
        }
    }

    /// Remembers `hash`, forgetting the oldest one when full.
    pub(crate) fn insert(&mut self, hash: u64) {
        if self.capacity == 0 {
            return;
        }
        if self.order.len() == self.capacity {
            if let Some(old) = self.order.pop_front() {
                // A hash taken back by `take` may still be queued: then this finds nothing,
                // or the newer copy, which is then forgotten a little early.
                if let Ok(e) = self.set.find_entry(old, |&h| h == old) {
                    e.remove();
                }
            }
        }
        self.order.push_back(hash);
        if self.set.find(hash, |&h| h == hash).is_none() {
            self.set.insert_unique(hash, hash, |&h| h);
        }
    }

    /// True (and forgets it) if `hash` is remembered.
    pub(crate) fn take(&mut self, hash: u64) -> bool {
        match self.set.find_entry(hash, |&h| h == hash) {
            Ok(e) => {
                e.remove();
                true
            }
            Err(_) => false,
        }
    }

    pub(crate) fn clear(&mut self) {
        self.order.clear();
        self.set.clear();
    }
}
