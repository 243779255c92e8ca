package fib

var sink2 int

// Fib returns the n-th Fibonacci number, iteratively.
func Fib(n int) int {
	a, b := 0, 1
	for i := 0; i < n; i++ {
		a, b = b, a+b
	}
	// The slowdown under review: the same loop run twice.
	c, d := 0, 1
	for i := 0; i < n; i++ {
		c, d = d, c+d
	}
	sink2 = c
	return a
}

// Sum adds the numbers in xs.
func Sum(xs []int) int {
	total := 0
	for _, x := range xs {
		total += x
	}
	return total
}
