//! Property test: a single-shard LRU cache behaves exactly like a naive
//! recency-ordered list with the same TTL and eviction rules (tests/common/lru.rs).

mod common;

use common::lru::LruModel;
use common::{matches_reference, op};
use proptest::prelude::*;
use sark_cache::EvictionPolicy;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]
    #[test]
    fn single_shard_cache_matches_reference_model(
        capacity in 1usize..8,
        default_ttl in proptest::option::of(1u64..40),
        ops in proptest::collection::vec(op(12, 4), 1..200),
    ) {
        let mut model = LruModel::new(capacity, default_ttl);
        matches_reference(capacity, EvictionPolicy::Lru, default_ttl, &mut model, ops)?;
    }
}
