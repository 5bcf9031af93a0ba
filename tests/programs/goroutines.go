// SPDX-License-Identifier: GPL-2.0-or-later
// A Go runtime (gccgo's libgo) with goroutines over several threads,
// channels, timers and maps, run with -L.  Built only when
// riscv64-linux-gnu-gccgo is installed (it is not in the quick start's
// package list).
package main

import (
	"fmt"
	"runtime"
	"sync"
	"time"
)

func fib(n int) int {
	if n < 2 {
		return n
	}
	return fib(n-1) + fib(n-2)
}

func main() {
	runtime.GOMAXPROCS(4)
	var wg sync.WaitGroup
	ch := make(chan int, 100)
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func(k int) {
			defer wg.Done()
			ch <- fib(20 + k%5)
		}(i)
	}
	wg.Wait()
	close(ch)
	sum := 0
	for v := range ch {
		sum += v
	}
	t := time.NewTimer(50 * time.Millisecond)
	<-t.C
	m := map[string]int{}
	for i := 0; i < 10000; i++ {
		m[fmt.Sprint(i%100)]++
	}
	fmt.Println("sum", sum, "keys", len(m), "goroutines ok")
}
