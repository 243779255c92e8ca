/**
 * workflows-examples/bench-python.yml end to end: a Python package with two
 * pytest-benchmark benchmarks, run by pytest (pytest-benchmark is installed
 * by scripts/setup.sh), which writes its JSON to $BENCH_ACTION_OUTPUT, with
 * no Rust on PATH (language-e2e.ts).
 */
import { describeLanguage } from '../support/language-e2e.ts';

const PACKAGE = (slow: boolean) => `def _fib(n):
    return n if n < 2 else _fib(n - 1) + _fib(n - 2)


def fib(n):
    """The n-th Fibonacci number${slow ? ', computed eleven times over (the regression under test)' : ''}."""
    return ${slow ? 'sum(_fib(n) for _ in range(11)) // 11' : '_fib(n)'}


def sum_of_squares(n):
    """1 + 4 + ... + n*n, by a loop."""
    total = 0
    for i in range(1, n + 1):
        total += i * i
    return total
`;

const TESTS = `from fibpkg import fib, sum_of_squares


def test_fib(benchmark):
    assert benchmark(fib, 16) == 987


def test_sum_of_squares(benchmark):
    assert benchmark(sum_of_squares, 2000) == 2000 * 2001 * 4001 // 6
`;

describeLanguage({
  label: 'Python package, pytest-benchmark',
  example: 'bench-python.yml',
  files: (slow) => ({
    'pyproject.toml':
      '[project]\nname = "fibpkg"\nversion = "1.0.0"\n\n[tool.pytest.ini_options]\npythonpath = ["src"]\n',
    '.gitignore': '__pycache__/\n.pytest_cache/\n',
    'src/fibpkg/__init__.py': PACKAGE(slow),
    'tests/test_bench.py': TESTS,
  }),
  ids: ['tests/test_bench.py::test_fib', 'tests/test_bench.py::test_sum_of_squares'],
  metrics: ['time'],
  slowed: 'tests/test_bench.py::test_fib',
  timeoutMs: 180_000,
});
