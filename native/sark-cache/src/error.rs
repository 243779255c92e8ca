//! The one error type: invalid arguments, never a panic.

use std::time::Duration;

use crate::{MAX_CAPACITY, MAX_TTL_MS};

/// Errors caused by invalid arguments. The cache never panics on user input.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CacheError {
    /// Capacity was 0 or larger than [`MAX_CAPACITY`].
    #[error("invalid capacity {0}: use a value between 1 and {MAX_CAPACITY}")]
    InvalidCapacity(usize),
    /// TTL was shorter than 1 ms or longer than [`MAX_TTL_MS`].
    #[error("invalid ttl {0:?}: use a value between 1 ms and {MAX_TTL_MS} ms")]
    InvalidTtl(Duration),
    /// Shard count was 0.
    #[error("invalid shard count 0: use at least 1")]
    InvalidShardCount,
}

pub(crate) fn ttl_to_ms(ttl: Duration) -> Result<u64, CacheError> {
    match u64::try_from(ttl.as_millis()) {
        Ok(ms) if (1..=MAX_TTL_MS).contains(&ms) => Ok(ms),
        _ => Err(CacheError::InvalidTtl(ttl)),
    }
}
