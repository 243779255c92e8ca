//! Criterion 0.3's deprecated builders (`Benchmark`, `ParameterizedBenchmark`, `Fun`), removed in
//! 0.4; compiled only when the locked version is 0.3. Ids as 0.3 forms them: `group/function`,
//! with the parameter's `Debug` text for parameterized ones.
use std::fmt::Debug;
use std::time::Duration;

use crate::measurement::{Measurement, WallTime};
use crate::{Bencher, Criterion, PlotConfiguration, SamplingMode, Throughput};

type Routine<M> = Box<dyn FnMut(&mut Bencher<'_, M>)>;
type ParamRoutine<T, M> = Box<dyn FnMut(&mut Bencher<'_, M>, &T)>;

pub trait BenchmarkDefinition<M: Measurement = WallTime>: Sized {
    #[doc(hidden)]
    fn run(self, group_id: &str, c: &mut Criterion<M>);
}

macro_rules! config_methods {
    () => {
        pub fn sample_size(self, _n: usize) -> Self {
            self
        }
        pub fn warm_up_time(self, _dur: Duration) -> Self {
            self
        }
        pub fn measurement_time(self, _dur: Duration) -> Self {
            self
        }
        pub fn nresamples(self, _n: usize) -> Self {
            self
        }
        pub fn noise_threshold(self, _threshold: f64) -> Self {
            self
        }
        pub fn confidence_level(self, _cl: f64) -> Self {
            self
        }
        pub fn significance_level(self, _sl: f64) -> Self {
            self
        }
        pub fn plot_config(self, _new_config: PlotConfiguration) -> Self {
            self
        }
        pub fn sampling_mode(self, _new_mode: SamplingMode) -> Self {
            self
        }
    };
}

pub struct Benchmark<M: Measurement = WallTime> {
    routines: Vec<(String, Routine<M>)>,
}

impl<M: Measurement + 'static> Benchmark<M> {
    config_methods!();

    pub fn new<S, F>(id: S, f: F) -> Benchmark<M>
    where
        S: Into<String>,
        F: FnMut(&mut Bencher<'_, M>) + 'static,
    {
        Benchmark {
            routines: vec![(id.into(), Box::new(f))],
        }
    }

    pub fn with_function<S, F>(mut self, id: S, f: F) -> Benchmark<M>
    where
        S: Into<String>,
        F: FnMut(&mut Bencher<'_, M>) + 'static,
    {
        self.routines.push((id.into(), Box::new(f)));
        self
    }

    pub fn throughput(self, _throughput: Throughput) -> Benchmark<M> {
        self
    }
}

/// 0.3's id: the function is left out when it is the only one and named as the group, the value
/// when there is only one.
fn legacy_id(group_id: &str, routines: usize, name: &str, value: Option<String>) -> String {
    let function = (routines != 1 || group_id != name).then(|| name.to_string());
    let id = crate::BenchmarkId {
        function_name: function,
        parameter: value,
    };
    crate::full_id(group_id, &id)
}

impl<M: Measurement + 'static> BenchmarkDefinition<M> for Benchmark<M> {
    fn run(self, group_id: &str, c: &mut Criterion<M>) {
        let routines = self.routines.len();
        for (name, mut routine) in self.routines {
            c.run(legacy_id(group_id, routines, &name, None), |b| routine(b));
        }
    }
}

pub struct ParameterizedBenchmark<T: Debug, M: Measurement = WallTime> {
    routines: Vec<(String, ParamRoutine<T, M>)>,
    values: Vec<T>,
}

impl<T: Debug + 'static, M: Measurement + 'static> ParameterizedBenchmark<T, M> {
    config_methods!();

    pub fn new<S, F, I>(id: S, f: F, parameters: I) -> ParameterizedBenchmark<T, M>
    where
        S: Into<String>,
        F: FnMut(&mut Bencher<'_, M>, &T) + 'static,
        I: IntoIterator<Item = T>,
    {
        ParameterizedBenchmark {
            routines: vec![(id.into(), Box::new(f))],
            values: parameters.into_iter().collect(),
        }
    }

    pub fn with_function<S, F>(mut self, id: S, f: F) -> ParameterizedBenchmark<T, M>
    where
        S: Into<String>,
        F: FnMut(&mut Bencher<'_, M>, &T) + 'static,
    {
        self.routines.push((id.into(), Box::new(f)));
        self
    }

    pub fn throughput<F>(self, _throughput: F) -> ParameterizedBenchmark<T, M>
    where
        F: Fn(&T) -> Throughput + 'static,
    {
        self
    }
}

impl<T: Debug + 'static, M: Measurement + 'static> BenchmarkDefinition<M>
    for ParameterizedBenchmark<T, M>
{
    fn run(self, group_id: &str, c: &mut Criterion<M>) {
        let (routines, values) = (self.routines.len(), self.values.len());
        for (name, mut routine) in self.routines {
            for value in &self.values {
                let value_str = (values != 1).then(|| format!("{value:?}"));
                c.run(legacy_id(group_id, routines, &name, value_str), |b| {
                    routine(b, value)
                });
            }
        }
    }
}

pub struct Fun<I: Debug, M: Measurement + 'static = WallTime> {
    name: String,
    f: ParamRoutine<I, M>,
}

impl<I: Debug, M: Measurement> Fun<I, M> {
    pub fn new<F>(name: &str, f: F) -> Fun<I, M>
    where
        F: FnMut(&mut Bencher<'_, M>, &I) + 'static,
    {
        Fun {
            name: name.to_string(),
            f: Box::new(f),
        }
    }
}

impl<M: Measurement + 'static> Criterion<M> {
    pub fn bench<B: BenchmarkDefinition<M>>(
        &mut self,
        group_id: &str,
        benchmark: B,
    ) -> &mut Criterion<M> {
        benchmark.run(group_id, self);
        self
    }

    pub fn bench_function_over_inputs<I, F>(
        &mut self,
        id: &str,
        f: F,
        inputs: I,
    ) -> &mut Criterion<M>
    where
        I: IntoIterator,
        I::Item: Debug + 'static,
        F: FnMut(&mut Bencher<'_, M>, &I::Item) + 'static,
    {
        self.bench(id, ParameterizedBenchmark::new(id, f, inputs))
    }

    pub fn bench_functions<I>(
        &mut self,
        id: &str,
        funs: Vec<Fun<I, M>>,
        input: I,
    ) -> &mut Criterion<M>
    where
        I: Debug + 'static,
    {
        let routines = funs.len();
        for mut fun in funs {
            self.run(legacy_id(id, routines, &fun.name, None), |b| {
                (fun.f)(b, &input)
            });
        }
        self
    }
}
