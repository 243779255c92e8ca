//! `Bencher` and `AsyncBencher`: each `iter*` method makes one uncounted warm-up call, then
//! [`iterations`](crate::session::iterations) measured calls, each between Callgrind's toggles.
//! What Criterion leaves out of its timing (setup, dropping large outputs and inputs) stays
//! outside the window.
use std::future::Future;
use std::hint::black_box;
use std::marker::PhantomData;

use crate::async_executor::AsyncExecutor;
use crate::measurement::{Measurement, WallTime};
use crate::session::{close_window, iterations, open_window, Outcome};
use crate::BatchSize;

const CUSTOM: &str = "iter_custom times its own loop, so Valgrind cannot tell the routine from the rest: it keeps its wall time only";

/// Criterion's timing loop, replaced by a counting one.
pub struct Bencher<'a, M: Measurement = WallTime> {
    pub(crate) outcome: Outcome,
    marker: PhantomData<&'a M>,
}

impl<'a, M: Measurement> Bencher<'a, M> {
    pub(crate) fn new() -> Self {
        Bencher {
            outcome: Outcome::None,
            marker: PhantomData,
        }
    }

    fn counted(&mut self, calls: u64) {
        self.outcome = match self.outcome {
            Outcome::Counted(before) => Outcome::Counted(before + calls),
            Outcome::None => Outcome::Counted(calls),
            ref other => other.clone(),
        };
    }

    /// Counts `routine`, its output dropped inside the window (as Criterion times it).
    pub fn iter<O, R>(&mut self, mut routine: R)
    where
        R: FnMut() -> O,
    {
        black_box(routine());
        let n = iterations();
        for _ in 0..n {
            open_window();
            black_box(routine());
            close_window();
        }
        self.counted(n);
    }

    /// No count: the routine measures its own time.
    pub fn iter_custom<R>(&mut self, _routine: R)
    where
        R: FnMut(u64) -> M::Value,
    {
        self.outcome = Outcome::NotCounted(CUSTOM.to_string());
    }

    /// Counts `routine` on a fresh input each call; `setup` is not counted.
    pub fn iter_with_setup<I, O, S, R>(&mut self, setup: S, routine: R)
    where
        S: FnMut() -> I,
        R: FnMut(I) -> O,
    {
        self.iter_batched(setup, routine, BatchSize::PerIteration);
    }

    /// Counts `routine`; dropping its output is not counted.
    pub fn iter_with_large_drop<O, R>(&mut self, mut routine: R)
    where
        R: FnMut() -> O,
    {
        self.iter_batched(|| (), |()| routine(), BatchSize::SmallInput);
    }

    /// Criterion 0.3's name for `iter_with_setup` with large inputs.
    pub fn iter_with_large_setup<I, O, S, R>(&mut self, setup: S, routine: R)
    where
        S: FnMut() -> I,
        R: FnMut(I) -> O,
    {
        self.iter_batched(setup, routine, BatchSize::NumBatches(1));
    }

    /// Counts `routine` on inputs from `setup`; setup and the drop of the outputs are not counted.
    pub fn iter_batched<I, O, S, R>(&mut self, mut setup: S, mut routine: R, _size: BatchSize)
    where
        S: FnMut() -> I,
        R: FnMut(I) -> O,
    {
        drop(black_box(routine(black_box(setup()))));
        let n = iterations();
        for _ in 0..n {
            let input = black_box(setup());
            open_window();
            let output = black_box(routine(input));
            close_window();
            drop(output);
        }
        self.counted(n);
    }

    /// As `iter_batched`, the routine borrowing its input; the drop of the input is not counted.
    pub fn iter_batched_ref<I, O, S, R>(&mut self, mut setup: S, mut routine: R, _size: BatchSize)
    where
        S: FnMut() -> I,
        R: FnMut(&mut I) -> O,
    {
        let mut warm = setup();
        drop(black_box(routine(&mut warm)));
        drop(warm);
        let n = iterations();
        for _ in 0..n {
            let mut input = black_box(setup());
            open_window();
            let output = black_box(routine(&mut input));
            close_window();
            drop(output);
            drop(input);
        }
        self.counted(n);
    }

    /// Async routines, run to completion on `runner`; the executor's own work while a routine's
    /// future runs is counted with it.
    pub fn to_async<'b, A: AsyncExecutor>(&'b mut self, runner: A) -> AsyncBencher<'a, 'b, A, M> {
        AsyncBencher { b: self, runner }
    }
}

/// `Bencher` for async routines.
pub struct AsyncBencher<'a, 'b, A: AsyncExecutor, M: Measurement = WallTime> {
    b: &'b mut Bencher<'a, M>,
    runner: A,
}

impl<'a, 'b, A: AsyncExecutor, M: Measurement> AsyncBencher<'a, 'b, A, M> {
    pub fn iter<O, R, F>(&mut self, mut routine: R)
    where
        R: FnMut() -> F,
        F: Future<Output = O>,
    {
        let n = iterations();
        self.runner.block_on(async {
            black_box(routine().await);
            for _ in 0..n {
                open_window();
                black_box(routine().await);
                close_window();
            }
        });
        self.b.counted(n);
    }

    pub fn iter_custom<R, F>(&mut self, _routine: R)
    where
        R: FnMut(u64) -> F,
        F: Future<Output = M::Value>,
    {
        self.b.outcome = Outcome::NotCounted(CUSTOM.to_string());
    }

    pub fn iter_with_setup<I, O, S, R, F>(&mut self, setup: S, routine: R)
    where
        S: FnMut() -> I,
        R: FnMut(I) -> F,
        F: Future<Output = O>,
    {
        self.iter_batched(setup, routine, BatchSize::PerIteration);
    }

    pub fn iter_with_large_drop<O, R, F>(&mut self, mut routine: R)
    where
        R: FnMut() -> F,
        F: Future<Output = O>,
    {
        self.iter_batched(|| (), |()| routine(), BatchSize::SmallInput);
    }

    pub fn iter_with_large_setup<I, O, S, R, F>(&mut self, setup: S, routine: R)
    where
        S: FnMut() -> I,
        R: FnMut(I) -> F,
        F: Future<Output = O>,
    {
        self.iter_batched(setup, routine, BatchSize::NumBatches(1));
    }

    pub fn iter_batched<I, O, S, R, F>(&mut self, mut setup: S, mut routine: R, _size: BatchSize)
    where
        S: FnMut() -> I,
        R: FnMut(I) -> F,
        F: Future<Output = O>,
    {
        let n = iterations();
        self.runner.block_on(async {
            drop(black_box(routine(black_box(setup())).await));
            for _ in 0..n {
                let input = black_box(setup());
                open_window();
                let output = black_box(routine(input).await);
                close_window();
                drop(output);
            }
        });
        self.b.counted(n);
    }

    pub fn iter_batched_ref<I, O, S, R, F>(
        &mut self,
        mut setup: S,
        mut routine: R,
        _size: BatchSize,
    ) where
        S: FnMut() -> I,
        R: FnMut(&mut I) -> F,
        F: Future<Output = O>,
    {
        let n = iterations();
        self.runner.block_on(async {
            let mut warm = setup();
            drop(black_box(routine(&mut warm).await));
            drop(warm);
            for _ in 0..n {
                let mut input = black_box(setup());
                open_window();
                let output = black_box(routine(&mut input).await);
                close_window();
                drop(output);
                drop(input);
            }
        });
        self.b.counted(n);
    }
}
