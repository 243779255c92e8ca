//! N-API binding of `sark-cache` and `sark-opa`. It only converts: JS values to
//! Rust arguments, Rust errors to JS exceptions carrying the Rust message, and
//! results back. Every exported method is `catch_unwind`, so even a bug that
//! panics becomes a JS exception instead of aborting the Node process.

use std::time::Duration;

use napi::bindgen_prelude::{Buffer, Either};
use napi::{Error, Result, Status};
use napi_derive::napi;

/// A key or value as JS gives it: a string (stored as its UTF-8 bytes) or a Buffer.
type Bytes = Either<String, Buffer>;

fn bytes(b: &Bytes) -> &[u8] {
    match b {
        Either::A(s) => s.as_bytes(),
        Either::B(buf) => buf.as_ref(),
    }
}

fn invalid(message: impl Into<String>) -> Error {
    Error::new(Status::InvalidArg, message.into())
}

/// A JS number that must be a whole count in `1..=max`; JS has no integer type,
/// so 2.5 or NaN must be refused here rather than truncated silently.
fn whole(name: &str, value: f64, max: f64) -> Result<usize> {
    if value.is_finite() && value.fract() == 0.0 && value >= 1.0 && value <= max {
        Ok(value as usize)
    } else {
        Err(invalid(format!(
            "{name} must be a whole number from 1 to {max}, got {value}"
        )))
    }
}

/// Milliseconds as a Duration; sark-cache itself rejects TTLs under 1 ms or over its maximum.
fn ttl(value: Option<f64>) -> Result<Option<Duration>> {
    match value {
        None => Ok(None),
        // try_from: a TTL too large for a Duration is an error, not a panic.
        Some(ms) => Duration::try_from_secs_f64(ms / 1000.0)
            .map(Some)
            .map_err(|_| {
                invalid(format!(
                    "ttlMs must be a finite number of milliseconds >= 0, got {ms}"
                ))
            }),
    }
}

fn cache_error(e: sark_cache::CacheError) -> Error {
    invalid(e.to_string())
}

/// Hit/miss/insert/update/eviction/expiration counters since the cache was made.
#[napi(object)]
pub struct CacheStats {
    pub hits: f64,
    pub misses: f64,
    pub inserts: f64,
    pub updates: f64,
    pub evictions: f64,
    pub expirations: f64,
}

/// sark-cache: sharded S3-FIFO cache with per-entry TTL; keys and values are strings or Buffers.
#[napi]
pub struct Cache {
    inner: sark_cache::Cache<Vec<u8>>,
}

#[napi]
impl Cache {
    /// `capacity` entries at most; `ttlMs` is the default TTL (none: entries do not expire);
    /// `shards` overrides the shard count (1: one eviction order over all entries).
    #[napi(constructor, catch_unwind)]
    pub fn new(capacity: f64, ttl_ms: Option<f64>, shards: Option<f64>) -> Result<Self> {
        let capacity = whole("capacity", capacity, sark_cache::MAX_CAPACITY as f64)?;
        let mut builder = sark_cache::Cache::builder(capacity);
        if let Some(d) = ttl(ttl_ms)? {
            builder = builder.default_ttl(d);
        }
        if let Some(n) = shards {
            builder = builder.shards(whole("shards", n, 65_536.0)?);
        }
        Ok(Cache {
            inner: builder.build().map_err(cache_error)?,
        })
    }

    /// The value as a Buffer, or null when absent or expired.
    #[napi(catch_unwind, ts_args_type = "key: string | Buffer")]
    pub fn get(&self, key: Bytes) -> Option<Buffer> {
        self.inner
            .get_with(bytes(&key), |v| Buffer::from(v.as_slice()))
    }

    /// The value decoded as UTF-8 (invalid sequences replaced), or null when absent or expired.
    #[napi(catch_unwind, ts_args_type = "key: string | Buffer")]
    pub fn get_string(&self, key: Bytes) -> Option<String> {
        self.inner
            .get_with(bytes(&key), |v| String::from_utf8_lossy(v).into_owned())
    }

    /// Stores `value` under `key`; `ttlMs` overrides the default TTL for this entry.
    #[napi(
        catch_unwind,
        ts_args_type = "key: string | Buffer, value: string | Buffer, ttlMs?: number"
    )]
    pub fn set(&self, key: Bytes, value: Bytes, ttl_ms: Option<f64>) -> Result<()> {
        self.inner
            .set(bytes(&key), bytes(&value).to_vec(), ttl(ttl_ms)?)
            .map_err(cache_error)
    }

    /// True when a live entry was removed.
    #[napi(catch_unwind, ts_args_type = "key: string | Buffer")]
    pub fn delete(&self, key: Bytes) -> bool {
        self.inner.delete(bytes(&key))
    }

    #[napi(catch_unwind)]
    pub fn clear(&self) {
        self.inner.clear()
    }

    /// Entries held, counting expired ones not yet removed; never more than the capacity.
    #[napi(catch_unwind)]
    pub fn len(&self) -> u32 {
        // Capacity is at most 2^32 - 2 (sark_cache::MAX_CAPACITY), so this never saturates.
        u32::try_from(self.inner.len()).unwrap_or(u32::MAX)
    }

    #[napi(catch_unwind)]
    pub fn is_empty(&self) -> bool {
        self.inner.is_empty()
    }

    #[napi(getter, catch_unwind)]
    pub fn capacity(&self) -> f64 {
        self.inner.capacity() as f64
    }

    #[napi(catch_unwind)]
    pub fn stats(&self) -> CacheStats {
        let s = self.inner.stats();
        CacheStats {
            hits: s.hits as f64,
            misses: s.misses as f64,
            inserts: s.inserts as f64,
            updates: s.updates as f64,
            evictions: s.evictions as f64,
            expirations: s.expirations as f64,
        }
    }

    /// Frees expired entries; returns how many. The one call that scans every slot.
    #[napi(catch_unwind)]
    pub fn cleanup_expired(&self) -> u32 {
        u32::try_from(self.inner.cleanup_expired()).unwrap_or(u32::MAX)
    }
}

#[napi(object)]
pub struct PolicyEngineOptions {
    /// Parse modules as Rego v0 (pre-OPA-1.0 syntax).
    pub v0_compatible: Option<bool>,
    /// Skip the bytecode VM: slower, but exact for conflicting rule outputs under `not`.
    pub interpreter_only: Option<bool>,
}

/// sark-opa: an embedded Rego policy set. Loads are atomic; a failed load changes nothing.
#[napi]
pub struct PolicyEngine {
    inner: sark_opa::PolicySet,
}

fn policy_error(e: sark_opa::PolicyError) -> Error {
    Error::new(Status::GenericFailure, e.to_string())
}

/// A defined result as its JSON value; undefined as JS `undefined` (never `false` or null).
fn evaluation(e: sark_opa::Evaluation) -> Either<serde_json::Value, ()> {
    match e.into_value() {
        Some(v) => Either::A(v),
        None => Either::B(()),
    }
}

#[napi]
impl PolicyEngine {
    #[napi(constructor, catch_unwind)]
    pub fn new(options: Option<PolicyEngineOptions>) -> Self {
        let inner = match options {
            None => sark_opa::PolicySet::new(),
            Some(o) => sark_opa::PolicySet::with_options(sark_opa::Options {
                v0_compatible: o.v0_compatible.unwrap_or(false),
                interpreter_only: o.interpreter_only.unwrap_or(false),
            }),
        };
        PolicyEngine { inner }
    }

    /// Adds or replaces one module; `name` identifies it for error messages and removal.
    #[napi(catch_unwind)]
    pub fn load_module(&self, name: String, source: String) -> Result<()> {
        self.inner.load_module(&name, &source).map_err(policy_error)
    }

    /// Loads one .rego or .json file.
    #[napi(catch_unwind)]
    pub fn load_file(&self, path: String) -> Result<()> {
        self.inner.load_file(&path).map_err(policy_error)
    }

    /// Loads every .rego and data.json under `path`.
    #[napi(catch_unwind)]
    pub fn load_dir(&self, path: String) -> Result<()> {
        self.inner.load_dir(&path).map_err(policy_error)
    }

    /// Merges a data document at the data root under `name`.
    #[napi(catch_unwind, ts_args_type = "name: string, document: unknown")]
    pub fn load_data(&self, name: String, document: serde_json::Value) -> Result<()> {
        self.inner.load_data(&name, document).map_err(policy_error)
    }

    #[napi(catch_unwind)]
    pub fn remove_module(&self, name: String) -> Result<()> {
        self.inner.remove_module(&name).map_err(policy_error)
    }

    #[napi(catch_unwind)]
    pub fn module_names(&self) -> Vec<String> {
        self.inner.module_names()
    }

    /// Evaluates a rule path (`data.sark.authz.allow`) or query with `input`; returns the
    /// value, or `undefined` when the rule is undefined for that input.
    #[napi(
        catch_unwind,
        ts_args_type = "query: string, input: unknown",
        ts_return_type = "unknown"
    )]
    pub fn evaluate(
        &self,
        query: String,
        input: serde_json::Value,
    ) -> Result<Either<serde_json::Value, ()>> {
        self.inner
            .evaluate(&query, &input)
            .map(evaluation)
            .map_err(policy_error)
    }

    /// As `evaluate`, with the input as JSON text (skips the JS object walk).
    #[napi(catch_unwind, ts_return_type = "unknown")]
    pub fn evaluate_json(
        &self,
        query: String,
        input_json: String,
    ) -> Result<Either<serde_json::Value, ()>> {
        self.inner
            .evaluate_json(&query, &input_json)
            .map(evaluation)
            .map_err(policy_error)
    }

    /// Evaluates one query for each input against one policy version; throws on the
    /// first failing input, naming its index.
    #[napi(
        catch_unwind,
        ts_args_type = "query: string, inputs: unknown[]",
        ts_return_type = "unknown[]"
    )]
    pub fn evaluate_batch(
        &self,
        query: String,
        inputs: Vec<serde_json::Value>,
    ) -> Result<Vec<Either<serde_json::Value, ()>>> {
        self.inner
            .evaluate_batch(&query, &inputs)
            .into_iter()
            .enumerate()
            .map(|(i, r)| {
                r.map(evaluation)
                    .map_err(|e| Error::new(Status::GenericFailure, format!("input {i}: {e}")))
            })
            .collect()
    }
}
