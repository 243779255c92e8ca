//! bench-action's Criterion-compatible harness. Swapped in for `criterion` at build time, it keeps
//! Criterion's public API (0.3 to 0.8) and replaces its timing loop: under
//! `valgrind --tool=callgrind --collect-atstart=no`, each benchmark's routine runs once uncounted,
//! then a fixed number of times with Callgrind's collection on only while it runs, and one dump
//! per benchmark holds the count. Setup outside the routine is not counted; `iter_custom` gets no
//! count and says so. How the action uses it: docs/instructions.md.
#![allow(clippy::new_without_default)]

use std::collections::HashSet;
use std::fmt;
use std::path::Path;
use std::time::Duration;

pub mod async_executor;
mod bencher;
#[cfg(not(criterion_0_4))]
mod legacy;
pub mod measurement;
pub mod profiler;
mod session;
mod threads;
mod valgrind;

pub use bencher::{AsyncBencher, Bencher};
#[cfg(not(criterion_0_4))]
pub use legacy::{Benchmark, BenchmarkDefinition, Fun, ParameterizedBenchmark};
use measurement::{Measurement, WallTime};
use profiler::Profiler;
#[doc(hidden)]
pub use session::__bench_action_window_open;

/// `std::hint::black_box`, as Criterion re-exports it.
pub fn black_box<T>(dummy: T) -> T {
    std::hint::black_box(dummy)
}

// Criterion's own hidden variant, kept so a user's exhaustive match compiles.
#[allow(clippy::manual_non_exhaustive)]
#[derive(Debug, Eq, PartialEq, Copy, Hash, Clone)]
pub enum BatchSize {
    SmallInput,
    LargeInput,
    PerIteration,
    NumBatches(u64),
    NumIterations(u64),
    #[doc(hidden)]
    __NonExhaustive,
}

/// The variants of the locked Criterion version (a user's exhaustive `match` must compile).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Throughput {
    #[cfg(criterion_0_7)]
    Bits(u64),
    Bytes(u64),
    #[cfg(criterion_0_4)]
    BytesDecimal(u64),
    Elements(u64),
    #[cfg(criterion_0_8)]
    ElementsAndBytes {
        elements: u64,
        bytes: u64,
    },
}

#[derive(Debug, Default, Clone, Copy)]
pub enum AxisScale {
    #[default]
    Linear,
    Logarithmic,
}

#[derive(Debug, Default, Clone)]
pub struct PlotConfiguration {
    summary_scale: AxisScale,
}

impl PlotConfiguration {
    pub fn summary_scale(mut self, new_scale: AxisScale) -> PlotConfiguration {
        self.summary_scale = new_scale;
        self
    }
}

#[derive(Debug, Default, Clone, Copy)]
pub enum SamplingMode {
    #[default]
    Auto,
    Linear,
    Flat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlottingBackend {
    Gnuplot,
    Plotters,
    None,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Baseline {
    CompareLenient,
    CompareStrict,
    Save,
    Discard,
}

/// A benchmark's name within its group: a function name, a parameter, or both.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct BenchmarkId {
    function_name: Option<String>,
    parameter: Option<String>,
}

impl BenchmarkId {
    pub fn new<S: Into<String>, P: fmt::Display>(function_name: S, parameter: P) -> BenchmarkId {
        BenchmarkId {
            function_name: Some(function_name.into()),
            parameter: Some(format!("{parameter}")),
        }
    }

    pub fn from_parameter<P: fmt::Display>(parameter: P) -> BenchmarkId {
        BenchmarkId {
            function_name: None,
            parameter: Some(format!("{parameter}")),
        }
    }
}

impl fmt::Display for BenchmarkId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.function_name, &self.parameter) {
            (Some(func), Some(p)) => write!(f, "{func}/{p}"),
            (Some(func), None) => write!(f, "{func}"),
            (None, Some(p)) => write!(f, "{p}"),
            (None, None) => Ok(()),
        }
    }
}

mod private {
    pub trait Sealed {}
    impl Sealed for super::BenchmarkId {}
    impl<S: Into<String>> Sealed for S {}
}

pub trait IntoBenchmarkId: private::Sealed {
    fn into_benchmark_id(self) -> BenchmarkId;
}

impl IntoBenchmarkId for BenchmarkId {
    fn into_benchmark_id(self) -> BenchmarkId {
        self
    }
}

impl<S: Into<String>> IntoBenchmarkId for S {
    fn into_benchmark_id(self) -> BenchmarkId {
        BenchmarkId {
            function_name: Some(self.into()),
            parameter: None,
        }
    }
}

/// Criterion's full id: `group/function/parameter`, without the parts a benchmark does not have.
pub(crate) fn full_id(group: &str, id: &BenchmarkId) -> String {
    match (&id.function_name, &id.parameter) {
        (Some(func), Some(p)) => format!("{group}/{func}/{p}"),
        (Some(func), None) => format!("{group}/{func}"),
        (None, Some(p)) => format!("{group}/{p}"),
        (None, None) => group.to_string(),
    }
}

/// Which benchmarks run: Criterion's positional filter (a substring here; Criterion's regex
/// features are not needed to pick benchmarks by name), `--exact`, and test or list modes.
#[derive(Debug, Clone, Default)]
struct Args {
    filter: Option<String>,
    exact: bool,
    list: bool,
    test: bool,
}

/// Criterion's flags that take a value (so the value is not read as a filter).
const VALUE_FLAGS: &[&str] = &[
    "-s",
    "--save-baseline",
    "-b",
    "--baseline",
    "--baseline-lenient",
    "--load-baseline",
    "--sample-size",
    "--warm-up-time",
    "--measurement-time",
    "--nresamples",
    "--noise-threshold",
    "--confidence-level",
    "--significance-level",
    "--profile-time",
    "--plotting-backend",
    "--output-format",
    "-c",
    "--color",
    "--format",
    "--logfile",
    "-Z",
];

fn parse_args(args: impl Iterator<Item = String>) -> Args {
    let mut parsed = Args::default();
    let mut args = args.peekable();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--exact" => parsed.exact = true,
            "--list" => parsed.list = true,
            "--test" => parsed.test = true,
            flag if VALUE_FLAGS.contains(&flag) => {
                args.next();
            }
            flag if flag.starts_with('-') => {}
            filter => parsed.filter = Some(filter.to_string()),
        }
    }
    parsed
}

impl Args {
    fn accepts(&self, id: &str) -> bool {
        match &self.filter {
            None => true,
            Some(filter) if self.exact => id == filter,
            Some(filter) => id.contains(filter.as_str()),
        }
    }
}

/// The ids this process has run, to make repeated ones unique as Criterion does (`id #2`).
fn unique_title(id: String) -> String {
    use std::sync::{Mutex, OnceLock};
    static SEEN: OnceLock<Mutex<HashSet<String>>> = OnceLock::new();
    let mut seen = SEEN
        .get_or_init(|| Mutex::new(HashSet::new()))
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    let mut title = id.clone();
    let mut counter = 2;
    while seen.contains(&title) {
        title = format!("{id} #{counter}");
        counter += 1;
    }
    seen.insert(title.clone());
    title
}

/// The benchmark manager: its configuration is accepted and ignored (counts need none).
pub struct Criterion<M: Measurement = WallTime> {
    measurement: M,
    args: Args,
}

impl Default for Criterion {
    fn default() -> Criterion {
        Criterion {
            measurement: WallTime,
            args: Args::default(),
        }
    }
}

impl<M: Measurement> Criterion<M> {
    pub fn with_measurement<M2: Measurement>(self, m: M2) -> Criterion<M2> {
        Criterion {
            measurement: m,
            args: self.args,
        }
    }

    pub fn with_profiler<P: Profiler + 'static>(self, _p: P) -> Criterion<M> {
        self
    }

    pub fn plotting_backend(self, _backend: PlottingBackend) -> Criterion<M> {
        self
    }

    pub fn sample_size(self, _n: usize) -> Criterion<M> {
        self
    }

    pub fn warm_up_time(self, _dur: Duration) -> Criterion<M> {
        self
    }

    pub fn measurement_time(self, _dur: Duration) -> Criterion<M> {
        self
    }

    pub fn nresamples(self, _n: usize) -> Criterion<M> {
        self
    }

    pub fn noise_threshold(self, _threshold: f64) -> Criterion<M> {
        self
    }

    pub fn confidence_level(self, _cl: f64) -> Criterion<M> {
        self
    }

    pub fn significance_level(self, _sl: f64) -> Criterion<M> {
        self
    }

    pub fn with_plots(self) -> Criterion<M> {
        self
    }

    pub fn without_plots(self) -> Criterion<M> {
        self
    }

    pub fn can_plot(&self) -> bool {
        false
    }

    pub fn save_baseline(self, _baseline: String) -> Criterion<M> {
        self
    }

    #[cfg(not(criterion_0_4))]
    pub fn retain_baseline(self, _baseline: String) -> Criterion<M> {
        self
    }

    #[cfg(criterion_0_4)]
    pub fn retain_baseline(self, _baseline: String, _strict: bool) -> Criterion<M> {
        self
    }

    pub fn with_filter<S: Into<String>>(mut self, filter: S) -> Criterion<M> {
        self.args.filter = Some(filter.into());
        self
    }

    pub fn with_output_color(self, _enabled: bool) -> Criterion<M> {
        self
    }

    pub fn output_directory(self, _path: &Path) -> Criterion<M> {
        self
    }

    pub fn profile_time(self, _profile_time: Option<Duration>) -> Criterion<M> {
        self
    }

    pub fn final_summary(&self) {}

    pub fn configure_from_args(mut self) -> Criterion<M> {
        let args = parse_args(std::env::args().skip(1));
        // A filter set in code stays unless the command line names one.
        if args.filter.is_none() {
            self.args = Args {
                filter: self.args.filter.take(),
                ..args
            };
        } else {
            self.args = args;
        }
        self
    }

    pub fn benchmark_group<S: Into<String>>(&mut self, group_name: S) -> BenchmarkGroup<'_, M> {
        let group_name = group_name.into();
        assert!(!group_name.is_empty(), "Group name must not be empty.");
        BenchmarkGroup {
            criterion: self,
            group_name,
        }
    }

    pub fn bench_function<F>(&mut self, id: &str, f: F) -> &mut Criterion<M>
    where
        F: FnMut(&mut Bencher<'_, M>),
    {
        self.run(id.to_string(), f);
        self
    }

    pub fn bench_with_input<F, I: ?Sized>(
        &mut self,
        id: BenchmarkId,
        input: &I,
        mut f: F,
    ) -> &mut Criterion<M>
    where
        F: FnMut(&mut Bencher<'_, M>, &I),
    {
        let group = id
            .function_name
            .clone()
            .expect("Cannot use BenchmarkId::from_parameter here: name the function");
        let rest = BenchmarkId {
            function_name: None,
            parameter: id.parameter,
        };
        self.run(full_id(&group, &rest), |b| f(b, input));
        self
    }

    /// Runs one benchmark's closure under the counting session, unless filtered out.
    pub(crate) fn run<F>(&mut self, id: String, mut f: F)
    where
        F: FnMut(&mut Bencher<'_, M>),
    {
        let _ = &self.measurement;
        if !self.args.accepts(&id) {
            return;
        }
        let id = unique_title(id);
        if self.args.list {
            println!("{id}: benchmark");
            return;
        }
        session::record(&id, |outcome| {
            let mut bencher = Bencher::new();
            f(&mut bencher);
            *outcome = bencher.outcome;
        });
    }
}

/// A group of related benchmarks: ids are `group/function[/parameter]`.
pub struct BenchmarkGroup<'a, M: Measurement> {
    criterion: &'a mut Criterion<M>,
    group_name: String,
}

impl<'a, M: Measurement> BenchmarkGroup<'a, M> {
    pub fn sample_size(&mut self, _n: usize) -> &mut Self {
        self
    }

    pub fn warm_up_time(&mut self, _dur: Duration) -> &mut Self {
        self
    }

    pub fn measurement_time(&mut self, _dur: Duration) -> &mut Self {
        self
    }

    pub fn nresamples(&mut self, _n: usize) -> &mut Self {
        self
    }

    pub fn noise_threshold(&mut self, _threshold: f64) -> &mut Self {
        self
    }

    pub fn confidence_level(&mut self, _cl: f64) -> &mut Self {
        self
    }

    pub fn significance_level(&mut self, _sl: f64) -> &mut Self {
        self
    }

    pub fn plot_config(&mut self, _new_config: PlotConfiguration) -> &mut Self {
        self
    }

    pub fn throughput(&mut self, _throughput: Throughput) -> &mut Self {
        self
    }

    pub fn sampling_mode(&mut self, _new_mode: SamplingMode) -> &mut Self {
        self
    }

    pub fn bench_function<ID: IntoBenchmarkId, F>(&mut self, id: ID, f: F) -> &mut Self
    where
        F: FnMut(&mut Bencher<'_, M>),
    {
        let id = full_id(&self.group_name, &id.into_benchmark_id());
        self.criterion.run(id, f);
        self
    }

    pub fn bench_with_input<ID: IntoBenchmarkId, F, I: ?Sized>(
        &mut self,
        id: ID,
        input: &I,
        mut f: F,
    ) -> &mut Self
    where
        F: FnMut(&mut Bencher<'_, M>, &I),
    {
        let id = full_id(&self.group_name, &id.into_benchmark_id());
        self.criterion.run(id, |b| f(b, input));
        self
    }

    pub fn finish(self) {}
}

/// `criterion_group!`, as Criterion defines it (both forms, `config =` included).
#[macro_export]
macro_rules! criterion_group {
    (name = $name:ident; config = $config:expr; targets = $( $target:path ),+ $(,)*) => {
        pub fn $name() {
            let mut criterion: $crate::Criterion<_> = $config
                .configure_from_args();
            $(
                $target(&mut criterion);
            )+
        }
    };
    ($name:ident, $( $target:path ),+ $(,)*) => {
        $crate::criterion_group!{
            name = $name;
            config = $crate::Criterion::default();
            targets = $( $target ),+
        }
    }
}

#[macro_export]
macro_rules! criterion_main {
    ( $( $group:path ),+ $(,)* ) => {
        fn main() {
            $(
                $group();
            )+
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_criterions_full_ids() {
        assert_eq!(full_id("g", &"f".into_benchmark_id()), "g/f");
        assert_eq!(full_id("g", &BenchmarkId::new("f", 10)), "g/f/10");
        assert_eq!(full_id("g", &BenchmarkId::from_parameter("p")), "g/p");
        assert_eq!(
            full_id(
                "g",
                &BenchmarkId {
                    function_name: None,
                    parameter: None
                }
            ),
            "g"
        );
    }

    #[test]
    fn values_of_criterions_flags_are_not_filters() {
        let args = parse_args(
            ["--bench", "--save-baseline", "x", "--exact", "g/f"]
                .map(String::from)
                .into_iter(),
        );
        assert_eq!(args.filter.as_deref(), Some("g/f"));
        assert!(args.exact && args.accepts("g/f") && !args.accepts("g/f2"));
        let substring = parse_args(["--bench", "get"].map(String::from).into_iter());
        assert!(substring.accepts("cache_get/x") && !substring.accepts("cache_set/x"));
    }
}
