// A Go program for GOARCH=386 (SSE2 code by default): goroutines over
// several threads, channels, select with timers, maps, the garbage collector
// under load, math and fmt with floats, os/exec of itself, recovered panics
// (some of them from hardware faults: nil pointer, divide by zero), a
// signal received through os/signal, and a spinning goroutine that only
// asynchronous preemption (SIGURG) can stop. Output is deterministic.
//
//	goprog SELF     SELF: this program's path, for os/exec
package main

import (
	"errors"
	"fmt"
	"math"
	"os"
	"os/exec"
	"os/signal"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == "child" {
		fmt.Printf("child: args %q\n", os.Args[2:])
		fmt.Fprintln(os.Stderr, "child: to stderr")
		os.Exit(3)
	}
	self := "goprog"
	if len(os.Args) > 1 {
		self = os.Args[1]
	}
	runtime.GOMAXPROCS(4)
	fmt.Printf("go %s/%s gomaxprocs %d\n", runtime.GOOS, runtime.GOARCH, runtime.GOMAXPROCS(0))
	goroutines()
	channels()
	maps()
	garbage()
	mathFmt()
	execSelf(self)
	panics()
	signals()
	preemption()
	fmt.Println("done")
}

func goroutines() {
	// four goroutines locked to their threads, all alive at once: four threads
	var ready, release sync.WaitGroup
	ready.Add(4)
	release.Add(1)
	tids := make([]int, 4)
	var done sync.WaitGroup
	for i := 0; i < 4; i++ {
		done.Add(1)
		go func(i int) {
			defer done.Done()
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			tids[i] = syscall.Gettid()
			ready.Done()
			release.Wait()
		}(i)
	}
	ready.Wait()
	release.Done()
	done.Wait()
	distinct := map[int]bool{}
	for _, t := range tids {
		distinct[t] = true
	}
	fmt.Printf("threads: %d locked goroutines on %d threads\n", len(tids), len(distinct))

	// work split over goroutines: mutex, atomic, results through a channel
	var mu sync.Mutex
	var counter int
	var atomicCounter int64
	results := make(chan [2]float64, 8)
	var wg sync.WaitGroup
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			s := 0.0
			for i := 1; i <= 20000; i++ {
				s += 1 / float64(i*(w+1))
				if i%100 == 0 {
					mu.Lock()
					counter++
					mu.Unlock()
					atomic.AddInt64(&atomicCounter, 2)
				}
			}
			results <- [2]float64{float64(w), s}
		}(w)
	}
	wg.Wait()
	close(results)
	var rs [][2]float64
	for r := range results {
		rs = append(rs, r)
	}
	sort.Slice(rs, func(i, j int) bool { return rs[i][0] < rs[j][0] })
	for _, r := range rs {
		fmt.Printf("  worker %d: %.15f\n", int(r[0]), r[1])
	}
	fmt.Printf("  counter %d atomic %d\n", counter, atomicCounter)
}

func channels() {
	// unbuffered ping-pong
	ping, pong := make(chan int), make(chan int)
	go func() {
		for v := range ping {
			pong <- v * 2
		}
		close(pong)
	}()
	sum := 0
	for i := 0; i < 1000; i++ {
		ping <- i
		sum += <-pong
	}
	close(ping)
	_, open := <-pong
	fmt.Printf("pingpong sum %d, closed %v\n", sum, !open)

	// select: a timer against a channel nobody sends on
	never := make(chan int)
	t0 := time.Now()
	select {
	case <-never:
		fmt.Println("select: impossible")
	case <-time.After(30 * time.Millisecond):
		fmt.Printf("select: timer fired, waited >= 30ms: %v\n", time.Since(t0) >= 30*time.Millisecond)
	}
	// select with default, and a ready channel beating a timer
	ready := make(chan string, 1)
	select {
	case v := <-ready:
		fmt.Println("default: impossible", v)
	default:
		fmt.Println("select: default taken")
	}
	ready <- "value"
	select {
	case v := <-ready:
		fmt.Println("select: got", v)
	case <-time.After(time.Second):
		fmt.Println("select: timeout")
	}
	// a ticker, an AfterFunc, a stopped timer
	tick := time.NewTicker(5 * time.Millisecond)
	n := 0
	for range tick.C {
		n++
		if n == 3 {
			break
		}
	}
	tick.Stop()
	fired := make(chan bool)
	time.AfterFunc(10*time.Millisecond, func() { fired <- true })
	stopped := time.NewTimer(time.Hour)
	fmt.Printf("ticks %d, afterfunc %v, stop %v\n", n, <-fired, stopped.Stop())

	// fan-in from producers through a buffered channel
	out := make(chan int, 16)
	var wg sync.WaitGroup
	for p := 0; p < 5; p++ {
		wg.Add(1)
		go func(p int) {
			defer wg.Done()
			for i := 0; i < 200; i++ {
				out <- p*1000 + i
			}
		}(p)
	}
	go func() { wg.Wait(); close(out) }()
	total, count := 0, 0
	for v := range out {
		total += v
		count++
	}
	fmt.Printf("fan-in %d values, total %d\n", count, total)
}

func maps() {
	m := map[string]int{}
	for i := 0; i < 20000; i++ {
		m["key"+strconv.Itoa(i)] = i * i
	}
	for i := 1; i < 20000; i += 2 {
		delete(m, "key"+strconv.Itoa(i))
	}
	sum := 0
	keys := make([]string, 0, len(m))
	for k, v := range m {
		sum += v
		keys = append(keys, k)
	}
	sort.Strings(keys)
	type point struct{ x, y int16 }
	pm := map[point]float64{}
	for i := 0; i < 1000; i++ {
		pm[point{int16(i % 37), int16(i % 41)}] += float64(i) / 7
	}
	fm := map[float64]int{math.NaN(): 1, math.NaN(): 2, 0.0: 3}
	fm[math.Copysign(0, -1)] = 4 // -0 == +0: the same key
	fmt.Printf("map len %d sum %d first %v last %s; struct keys %d p(3,3)=%.6f; float keys %d zero %d\n",
		len(m), sum, keys[:3], keys[len(keys)-1], len(pm), pm[point{3, 3}], len(fm), fm[0])
}

type node struct {
	left, right *node
	val         int32
}

func tree(depth int32) *node {
	if depth == 0 {
		return &node{val: 1}
	}
	return &node{tree(depth - 1), tree(depth - 1), depth}
}

func (n *node) check() int64 {
	if n.left == nil {
		return int64(n.val)
	}
	return int64(n.val) + n.left.check() - n.right.check()/2
}

func garbage() {
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	long := tree(14)
	total := int64(0)
	for round := 0; round < 12; round++ {
		t := tree(12)
		total += t.check()
		strs := make([]string, 0, 2000)
		for i := 0; i < 2000; i++ {
			strs = append(strs, strings.Repeat("x", i%50)+strconv.Itoa(i))
		}
		total += int64(len(strs[1999]))
		_ = make([]byte, 1<<20) // large allocations too
	}
	runtime.GC()
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	fmt.Printf("gc: total %d, long-lived tree %d, collections happened %v, mallocs > 200000 %v\n",
		total, long.check(), after.NumGC > before.NumGC, after.Mallocs-before.Mallocs > 200000)
}

func mathFmt() {
	xs := []float64{2, 0.5, 1e-300, 1e300, math.Pi, -1, 0, math.Inf(1), math.SmallestNonzeroFloat64}
	for _, x := range xs {
		fmt.Printf("x=%v sqrt=%v sin=%v exp=%v log=%v floor=%v hypot=%v\n",
			x, math.Sqrt(x), math.Sin(x), math.Exp(x), math.Log(x), math.Floor(x*3.7), math.Hypot(x, 3))
	}
	fmt.Printf("pow %v %v atan2 %v cbrt %v mod %v\n", math.Pow(2, 0.5), math.Pow(10, -5), math.Atan2(-1, -2),
		math.Cbrt(27.5), math.Mod(10.5, 3))
	for _, f := range []float64{0.1, 1.0 / 3, 123456789.125, 5e-324, 1.7976931348623157e308, -0.0} {
		fmt.Printf("%s %s %s %s %s\n", strconv.FormatFloat(f, 'g', -1, 64), strconv.FormatFloat(f, 'e', 10, 64),
			strconv.FormatFloat(f, 'f', 3, 64), strconv.FormatFloat(f, 'x', -1, 64),
			strconv.FormatFloat(f, 'g', -1, 32))
	}
	for _, s := range []string{"0.1", "1e-320", "2.2250738585072011e-308", "0x1.fffffffffffffp1023", "1e400", "nan"} {
		v, err := strconv.ParseFloat(s, 64)
		fmt.Printf("parse %s = %v (%x) err %v\n", s, v, math.Float64bits(v), err)
	}
	var f32 float32 = 16777217
	i64 := int64(-9007199254740993)
	u := uint32(4294967295)
	neg := -2.9
	fmt.Printf("conv %v %v %v %v %d %d %d\n", f32, float64(i64), float64(u), float32(1)/3, int64(1e18), int32(neg),
		int64(neg*1e15))
	fmt.Printf("fmt %08.3f|%-8.2e|%+.4g|%x|%q|%v|%T\n", math.E, 12345.678, 1e-7, 255, "tab\t", []float32{1.5, -2}, 1i)
}

func execSelf(self string) {
	cmd := exec.Command(self, "child", "a b", "c")
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	var ee *exec.ExitError
	code := -1
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	}
	fmt.Printf("exec: %q stderr %q exit %d\n", string(out), stderr.String(), code)
	_, err = exec.Command("/nonexistent/prog").Output()
	fmt.Printf("exec missing: %v\n", err)
}

func try(name string, f func()) {
	defer func() {
		r := recover()
		if e, ok := r.(runtime.Error); ok {
			fmt.Printf("recovered %s: runtime error %q\n", name, e.Error())
		} else {
			fmt.Printf("recovered %s: %v\n", name, r)
		}
	}()
	f()
}

var sink []int
var nilMap map[string]int
var nilPtr *node
var zero = 0

func panics() {
	try("index", func() { s := []int{1, 2, 3}; i := 5; sink = append(sink, s[i]) })
	try("nil map", func() { nilMap["x"] = 1 })
	try("nil pointer", func() { sink = append(sink, int(nilPtr.val)) })
	try("divide", func() { sink = append(sink, 7/zero) })
	try("assert", func() { var v interface{} = "s"; sink = append(sink, v.(int)) })
	try("custom", func() { panic(fmt.Sprintf("custom %d", 42)) })
	try("slice", func() { s := make([]byte, 4); j := 9; _ = s[2:j] })
}

func signals() {
	c := make(chan os.Signal, 1)
	signal.Notify(c, syscall.SIGUSR1)
	syscall.Kill(syscall.Getpid(), syscall.SIGUSR1)
	select {
	case s := <-c:
		fmt.Printf("signal: received %v\n", s)
	case <-time.After(5 * time.Second):
		fmt.Println("signal: not received")
	}
	signal.Stop(c)
	signal.Ignore(syscall.SIGUSR2)
	syscall.Kill(syscall.Getpid(), syscall.SIGUSR2)
	time.Sleep(time.Millisecond)
	fmt.Println("signal: SIGUSR2 ignored")
}

func preemption() {
	// one P: the spinning goroutine (no calls, no preemption points) holds it
	// until the runtime preempts it with a signal
	prev := runtime.GOMAXPROCS(1)
	var stop, started int32
	spun := make(chan int64)
	go func() {
		var n int64
		atomic.StoreInt32(&started, 1)
		for atomic.LoadInt32(&stop) == 0 {
			n++
		}
		spun <- n
	}()
	// wait until it spins (however long a loaded machine takes to start it),
	// then let it spin: each wake-up of main needs the spinner preempted
	for atomic.LoadInt32(&started) == 0 {
		time.Sleep(time.Millisecond)
	}
	time.Sleep(20 * time.Millisecond)
	atomic.StoreInt32(&stop, 1)
	n := <-spun
	runtime.GOMAXPROCS(prev)
	fmt.Printf("preemption: spinner stopped, spun %v\n", n > 0)
}
