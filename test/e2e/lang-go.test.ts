/**
 * workflows-examples/bench-go.yml end to end: a Go module with two
 * benchmarks (recursive Fibonacci, and a sum of squares formatted in decimal,
 * one allocation, so -benchmem's B/op and allocs/op rows come along), built and run by `go test
 * -bench` here, no module proxy, no Rust on PATH (language-e2e.ts).
 */
import { describeLanguage } from '../support/language-e2e.ts';

const FIB = (slow: boolean) => `package fib

import "strconv"

func fib(n int) int {
	if n < 2 {
		return n
	}
	return fib(n-1) + fib(n-2)
}

// Fib is the n-th Fibonacci number${slow ? ', computed eleven times over (the regression under test)' : ''}.
func Fib(n int) int {
	${slow ? 's := 0\n\tfor i := 0; i < 11; i++ {\n\t\ts += fib(n)\n\t}\n\treturn s / 11' : 'return fib(n)'}
}

// SumOfSquares is 1 + 4 + ... + n*n in decimal: a loop, then one small allocation.
func SumOfSquares(n int) string {
	total := 0
	for i := 1; i <= n; i++ {
		total += i * i
	}
	return strconv.Itoa(total)
}
`;

const BENCH = `package fib

import "testing"

var sink int

func BenchmarkFib(b *testing.B) {
	for i := 0; i < b.N; i++ {
		sink += Fib(24)
	}
}

func BenchmarkSumOfSquares(b *testing.B) {
	for i := 0; i < b.N; i++ {
		sink += len(SumOfSquares(20000))
	}
}
`;

describeLanguage({
  label: 'Go module, go test -bench -benchmem',
  example: 'bench-go.yml',
  files: (slow) => ({ 'go.mod': 'module example.com/fib\n\ngo 1.21\n', 'fib.go': FIB(slow), 'fib_test.go': BENCH }),
  // No network but loopback: the module has no dependencies, and nothing may be fetched.
  env: { GOPROXY: 'off', GOFLAGS: '-mod=mod', GOTOOLCHAIN: 'local' },
  ids: ['BenchmarkFib', 'BenchmarkSumOfSquares'],
  metrics: ['time', 'B/op', 'allocs/op'],
  slowed: 'BenchmarkFib',
  timeoutMs: 180_000,
});
