//! A sharded, thread-safe cache with per-entry TTL where every keyed operation is O(1)
//! (amortized, for an eviction under S3-FIFO and CLOCK):
//! S3-FIFO eviction by default, exact LRU as an option.
//!
//! Keys are byte strings (`&[u8]`, `&str`, `Vec<u8>`… anything that is
//! `AsRef<[u8]>`); values are any `V: Send` (bytes by default). The cache is
//! `Send + Sync` for `V: Send + Sync` and is meant to be shared behind an `Arc`.
//!
//! ```
//! use std::time::Duration;
//! use sark_cache::Cache;
//!
//! let cache: Cache = Cache::new(10_000, Some(Duration::from_secs(60)))?;
//! cache.set("user:1", b"alice".to_vec(), None)?;
//! assert_eq!(cache.get("user:1"), Some(b"alice".to_vec()));
//! // Borrow the value instead of cloning it (e.g. to copy it into a foreign buffer).
//! assert_eq!(cache.get_with("user:1", |v| v.len()), Some(5));
//! assert!(cache.delete("user:1"));
//! assert_eq!(cache.stats().hits, 2);
//! # Ok::<(), sark_cache::CacheError>(())
//! ```
//!
//! # Design
//! The key space is split over shards by hash. Each shard holds a hash table of slot
//! indices into a slab of nodes, and the nodes form intrusive lists: S3-FIFO's small and
//! main FIFO queues (plus a ghost queue of recently evicted hashes), or one recency list
//! for LRU and CLOCK. A lookup is one probe; an insert into a full shard takes its victim
//! from a queue's tail. Under S3-FIFO and CLOCK that walk passes over entries a hit marked,
//! lowering their frequency: amortized O(1), as each step spends what a hit paid for, but one
//! insert can walk up to 3 × a shard's entries. Under S3-FIFO and CLOCK a hit only raises the
//! entry's small frequency counter (when below its cap) and reads without taking the
//! shard's lock: a thread announces the read in a slot of its own, and writers wait for
//! announced readers. Under LRU a hit relinks the node, so reads take the shard's lock
//! exclusively and the order is exact within a shard. Expiry is lazy (an expired entry is
//! dropped when it is reached) plus [`Cache::cleanup_expired`] for a full sweep.

mod builder;
mod cache;
mod clock;
mod error;
mod ghost;
mod options;
mod policy;
mod readers;
mod shard;
mod stats;

pub use builder::CacheBuilder;
pub use cache::Cache;
pub use clock::{Clock, ManualClock, SystemClock};
pub use error::CacheError;
pub use options::CacheOptions;
pub use policy::EvictionPolicy;
pub use stats::Stats;

/// Largest accepted TTL in milliseconds (2^53 - 1, the largest integer a
/// JavaScript number holds exactly, so FFI callers can pass any valid value).
pub const MAX_TTL_MS: u64 = (1 << 53) - 1;

/// Largest accepted capacity: slots are addressed with `u32` indices.
pub const MAX_CAPACITY: usize = (u32::MAX - 1) as usize;
