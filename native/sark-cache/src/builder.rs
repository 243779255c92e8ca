//! [`CacheBuilder`]: the options of a [`Cache`](crate::Cache) set one call at a time; building hands them
//! to [`Cache::with_options`](crate::Cache::with_options), which validates them (options.rs).

use std::sync::Arc;
use std::time::Duration;

use crate::cache::Cache;
use crate::clock::Clock;
use crate::error::CacheError;
use crate::options::CacheOptions;
use crate::policy::EvictionPolicy;

/// Configures and builds a [`Cache`]: each method sets one field of [`CacheOptions`].
#[derive(Debug)]
pub struct CacheBuilder {
    options: CacheOptions,
}

impl CacheBuilder {
    pub(crate) fn new(capacity: usize) -> Self {
        Self {
            options: CacheOptions::new(capacity),
        }
    }

    /// [`CacheOptions::default_ttl`].
    pub fn default_ttl(mut self, ttl: Duration) -> Self {
        self.options.default_ttl = Some(ttl);
        self
    }

    /// [`CacheOptions::shards`].
    pub fn shards(mut self, shards: usize) -> Self {
        self.options.shards = Some(shards);
        self
    }

    /// [`CacheOptions::hash_seed`].
    pub fn hash_seed(mut self, seed: u64) -> Self {
        self.options.hash_seed = Some(seed);
        self
    }

    /// [`CacheOptions::clock`].
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.options.clock = Some(clock);
        self
    }

    /// [`CacheOptions::policy`].
    pub fn policy(mut self, policy: EvictionPolicy) -> Self {
        self.options.policy = policy;
        self
    }

    /// Validates the settings and builds the cache.
    pub fn build<V>(self) -> Result<Cache<V>, CacheError> {
        Cache::with_options(self.options)
    }
}
