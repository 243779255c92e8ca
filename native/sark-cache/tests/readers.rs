//! Reads through a thread's reader slot (S3-FIFO, the default): a writer of the shard waits
//! until the read ends, also when the read's closure reads the cache again (a nested read
//! must not clear the outer read's announcement, or the writer frees the value it holds).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc};
use std::thread;
use std::time::Duration;

use sark_cache::{Cache, ManualClock};

/// How long the reader holds the value; the writer must not finish before it lets go.
const HOLD: Duration = Duration::from_millis(300);

/// Runs `get_with("k1")` on a thread of its own, calls `nested` inside the closure, and
/// overwrites `k1` from another thread while the closure holds the value. Returns whether
/// the write finished while the value was still held, and the value the closure saw.
fn write_during_read(nested: fn(&Cache<Vec<u8>>)) -> (bool, Vec<u8>) {
    let cache: Arc<Cache<Vec<u8>>> = Arc::new(Cache::builder(1_000).shards(16).build().unwrap());
    cache.set("k1", vec![1; 64], None).unwrap();
    let written = Arc::new(AtomicBool::new(false));
    let (inside, reading) = mpsc::channel();
    let reader = {
        let (cache, written) = (cache.clone(), written.clone());
        thread::spawn(move || {
            cache
                .get_with("k1", |v| {
                    nested(&cache);
                    let seen = v.clone();
                    inside.send(()).unwrap();
                    thread::sleep(HOLD);
                    // Read the flag only: with the value freed, touching `v` here would be the bug itself.
                    (written.load(Ordering::SeqCst), seen)
                })
                .unwrap()
        })
    };
    reading.recv().unwrap();
    let writer = {
        let (cache, written) = (cache.clone(), written.clone());
        thread::spawn(move || {
            cache.set("k1", vec![2; 64], None).unwrap();
            written.store(true, Ordering::SeqCst);
        })
    };
    let result = reader.join().unwrap();
    writer.join().unwrap();
    assert_eq!(
        cache.get("k1"),
        Some(vec![2; 64]),
        "the write lands once the read ends"
    );
    result
}

#[test]
fn a_writer_waits_for_a_read_in_progress() {
    let (written_during_read, seen) = write_during_read(|_| {});
    assert!(
        !written_during_read,
        "the write finished while the reader held the value"
    );
    assert_eq!(seen, vec![1; 64]);
}

#[test]
fn a_nested_read_of_the_same_shard_keeps_the_outer_read_protected() {
    let (written_during_read, seen) =
        write_during_read(|cache| assert_eq!(cache.get("k1"), Some(vec![1; 64])));
    assert!(
        !written_during_read,
        "a nested read cleared the outer read's announcement"
    );
    assert_eq!(seen, vec![1; 64]);
}

#[test]
fn a_nested_read_of_other_shards_keeps_the_outer_read_protected() {
    // Twenty keys over sixteen shards: most land in another shard than k1's.
    let (written_during_read, seen) = write_during_read(|cache| {
        for i in 0..20 {
            assert_eq!(cache.get(format!("other-{i}")), None);
        }
    });
    assert!(
        !written_during_read,
        "a nested read cleared the outer read's announcement"
    );
    assert_eq!(seen, vec![1; 64]);
}

#[test]
fn a_nested_read_of_an_expired_entry_in_the_same_shard_is_a_miss_not_a_hang() {
    let clock = Arc::new(ManualClock::new(0));
    let cache: Arc<Cache<Vec<u8>>> = Arc::new(
        Cache::builder(100)
            .shards(1)
            .clock(clock.clone())
            .build()
            .unwrap(),
    );
    cache.set("live", vec![1], None).unwrap();
    cache
        .set("gone", vec![2], Some(Duration::from_millis(5)))
        .unwrap();
    clock.advance_ms(10);
    let (done, finished) = mpsc::channel();
    let reader = cache.clone();
    // On its own thread: before the fix the nested read waited for its own outer read forever.
    thread::spawn(move || {
        let inner = reader.get_with("live", |_| reader.get("gone")).unwrap();
        done.send(inner).unwrap();
    });
    let inner = finished
        .recv_timeout(Duration::from_secs(60))
        .expect("the nested read of an expired entry returned within 60 s");
    assert_eq!(inner, None);
    // Removed by the next read outside any other.
    assert_eq!(cache.get("gone"), None);
    assert_eq!(cache.len(), 1);
}
