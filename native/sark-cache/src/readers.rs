//! Reads that write no line another core reads: each thread gets a slot of its own per cache
//! (a cache line holding its hit and miss counters and the shard it is reading), and a shard's
//! writer waits for the readers announced in those slots instead of readers bumping a count
//! in the shard's lock word. With a reader count in the lock word (parking_lot's `RwLock`,
//! quick_cache's shards), two threads reading one shard take turns owning that line, so a
//! second thread adds little read throughput; here a hit writes only the reader's own slot.
//!
//! The handshake is Dekker's, on sequentially consistent operations: a reader stores the
//! shard it reads into its slot, then loads the shard's `writing` flag; a writer (holding the
//! shard's exclusive lock) stores `writing`, then loads every slot. Of two such pairs at
//! least one side sees the other's store: the reader falls back to the shard's lock, or the
//! writer waits until the reader clears its slot. Threads beyond the slot count, and a
//! thread's last moments (its id already released), read under the shard's shared lock.

use std::hint::spin_loop;
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering};
use std::sync::Mutex;

use parking_lot::{RwLock, RwLockWriteGuard};

/// Small thread ids, reused once a thread exits, so that a live thread's id is its own:
/// the slot it indexes is written by that thread alone.
struct Ids {
    next: usize,
    free: Vec<usize>,
}

static IDS: Mutex<Ids> = Mutex::new(Ids {
    next: 0,
    free: Vec::new(),
});

struct ThreadId(usize);

impl ThreadId {
    fn acquire() -> Self {
        let mut ids = IDS.lock().unwrap_or_else(|e| e.into_inner());
        // The lowest free id first, so a process with few live threads keeps its ids small.
        let id = match ids.free.iter().enumerate().min_by_key(|(_, &id)| id) {
            Some((pos, _)) => ids.free.swap_remove(pos),
            None => {
                ids.next += 1;
                ids.next - 1
            }
        };
        ThreadId(id)
    }
}

impl Drop for ThreadId {
    fn drop(&mut self) {
        // The mutex orders this thread's last slot writes before the next owner's first.
        IDS.lock()
            .unwrap_or_else(|e| e.into_inner())
            .free
            .push(self.0);
    }
}

thread_local! {
    static ID: ThreadId = ThreadId::acquire();
}

/// This thread's id, or `None` while its thread-locals are being torn down.
#[inline]
pub(crate) fn thread_id() -> Option<usize> {
    ID.try_with(|id| id.0).ok()
}

/// One thread's slot in one cache, on a cache line of its own.
#[repr(align(128))]
#[derive(Default)]
pub(crate) struct Reader {
    /// The shard this thread is reading without its lock, plus one; 0 when not reading.
    reading: AtomicU32,
    hits: AtomicU64,
    misses: AtomicU64,
}

impl Reader {
    /// Counts without a read-modify-write: only the slot's own thread writes the counters,
    /// so a load and a store are exact, and `stats` reads them from any thread.
    #[inline]
    pub(crate) fn count(&self, hit: bool) {
        let c = if hit { &self.hits } else { &self.misses };
        c.store(c.load(Ordering::Relaxed) + 1, Ordering::Relaxed);
    }

    pub(crate) fn hits(&self) -> u64 {
        self.hits.load(Ordering::Relaxed)
    }

    pub(crate) fn misses(&self) -> u64 {
        self.misses.load(Ordering::Relaxed)
    }
}

/// Shared access to a shard read through a slot; clears the announcement when the read ends,
/// even if the caller's closure panics. One guard, so the data cannot outlive the announcement.
pub(crate) struct SlotRead<'a, T> {
    data: &'a T,
    /// `None` for a read nested in another read of the same shard on this thread: the outer
    /// read's announcement protects both, and only the outer read clears it.
    slot: Option<&'a AtomicU32>,
}

impl<T> SlotRead<'_, T> {
    /// Whether this read is nested in another read of the same shard on this thread.
    #[inline]
    pub(crate) fn nested(&self) -> bool {
        self.slot.is_none()
    }
}

impl<T> std::ops::Deref for SlotRead<'_, T> {
    type Target = T;
    #[inline]
    fn deref(&self) -> &T {
        self.data
    }
}

impl<T> Drop for SlotRead<'_, T> {
    #[inline]
    fn drop(&mut self) {
        if let Some(slot) = self.slot {
            slot.store(0, Ordering::Release);
        }
    }
}

/// A shard's lock: parking_lot's `RwLock` for writers and for readers without a slot, plus
/// the `writing` flag that readers with a slot check instead of taking it.
pub(crate) struct ShardLock<T> {
    lock: RwLock<T>,
    writing: AtomicBool,
}

/// Exclusive access to a shard; the `writing` flag is cleared before the lock is released.
pub(crate) struct WriteGuard<'a, T> {
    guard: RwLockWriteGuard<'a, T>,
    writing: Option<&'a AtomicBool>,
}

impl<T> std::ops::Deref for WriteGuard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.guard
    }
}

impl<T> std::ops::DerefMut for WriteGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        &mut self.guard
    }
}

impl<T> Drop for WriteGuard<'_, T> {
    #[inline]
    fn drop(&mut self) {
        if let Some(w) = self.writing {
            // Release: a reader that sees `false` from here sees this writer's changes.
            w.store(false, Ordering::Release);
        }
    }
}

impl<T> ShardLock<T> {
    pub(crate) fn new(value: T) -> Self {
        Self {
            lock: RwLock::new(value),
            writing: AtomicBool::new(false),
        }
    }

    /// The shared lock, for readers without a slot and for `len`/`stats`.
    #[inline]
    pub(crate) fn read(&self) -> parking_lot::RwLockReadGuard<'_, T> {
        self.lock.read()
    }

    /// The exclusive lock; with `readers` non-empty, also waits until no slot announces
    /// shard `id` (the shard's index plus one).
    #[inline]
    pub(crate) fn write<'a>(&'a self, readers: &[Reader], id: u32) -> WriteGuard<'a, T> {
        let guard = self.lock.write();
        if readers.is_empty() {
            return WriteGuard {
                guard,
                writing: None,
            };
        }
        self.writing.store(true, Ordering::SeqCst);
        for r in readers {
            let mut spins = 0u32;
            while r.reading.load(Ordering::SeqCst) == id {
                // A reader's critical section is one lookup (plus the caller's short closure).
                if spins < 100 {
                    spin_loop();
                    spins += 1;
                } else {
                    std::thread::yield_now();
                }
            }
        }
        WriteGuard {
            guard,
            writing: Some(&self.writing),
        }
    }

    /// Announces a read of shard `id` in `reader` and, if no writer holds the shard, returns
    /// shared access to it without touching the lock. `None`: a writer is active, or this
    /// thread is already reading another shard through its slot (read under
    /// [`ShardLock::read`] instead).
    #[inline]
    pub(crate) fn read_announced<'a>(
        &'a self,
        reader: &'a Reader,
        id: u32,
    ) -> Option<SlotRead<'a, T>> {
        // A read nested in a read on this thread (a `get_with` closure, a value's `Clone` or a
        // `Clock` that uses the cache): overwriting the slot, then clearing it, would take the
        // outer read's protection away while it still holds its value. Only this thread writes
        // its slot, so a relaxed load sees its own last store.
        let outer = reader.reading.load(Ordering::Relaxed);
        if outer == id {
            // SAFETY: the outer read on this thread announced this shard and saw no writer;
            // its announcement stays in place until it ends, which is after this read ends
            // (it is further up this thread's stack), so every writer still waits for it.
            return Some(SlotRead {
                data: unsafe { &*self.lock.data_ptr() },
                slot: None,
            });
        }
        if outer != 0 {
            return None;
        }
        reader.reading.store(id, Ordering::SeqCst);
        if self.writing.load(Ordering::SeqCst) {
            reader.reading.store(0, Ordering::Release);
            return None;
        }
        // SAFETY: a writer stores `writing = true` (SeqCst) after taking the exclusive lock
        // and then waits while a slot announces this shard; this thread announced (SeqCst)
        // before loading `writing` and saw no writer. By the single total order of SeqCst
        // operations, any writer that has not yet seen our announcement will, and waits for
        // the returned guard to be dropped before changing anything; a writer that finished
        // cleared `writing` with Release after its changes, which our SeqCst load acquired.
        // Only shared references are created, as under the shared lock.
        Some(SlotRead {
            data: unsafe { &*self.lock.data_ptr() },
            slot: Some(&reader.reading),
        })
    }
}
