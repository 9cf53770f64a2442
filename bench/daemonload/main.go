//go:build linux

// Command daemonload serves as many negotiated Telnet connections as the
// descriptor limit allows, from a child process on 127.0.0.1, and reports
// the accept rate, the memory per idle connection, and how long Shutdown
// takes to end them all.
//
// It measures two servers in turn: a Daemon whose handler waits in Read
// with a small buffer, as a MUD's or a BBS's would, and the same
// connections accepted from a telnet listener and negotiated with no
// goroutine left per connection. Memory is the Go heap and stacks in use,
// after a collection, and the process's resident set, each per connection.
//
// Usage:
//
//	go run ./bench/daemonload [-n 0] [-buf 256]
package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/telnetkit/telnet"
)

func main() {
	n := flag.Int("n", 0, "connections; 0 for as many as the descriptor limit allows")
	buf := flag.Int("buf", 256, "the handler's read buffer, in bytes")
	child := flag.String("child", "", "run as the client side: dial `addr` n times")
	server := flag.String("server", "", "run one measure: `daemon` or listener")
	flag.Parse()
	limit := raiseLimit()
	if *child != "" {
		runClients(*child, *n)
		return
	}
	if *n == 0 {
		*n = int(limit) - 200 // the program's own descriptors
	}
	if *server == "" {
		// Each measure in a process of its own: memory freed by one
		// would count against the other.
		fmt.Printf("descriptor limit %d, connections %d, handler buffer %d bytes\n", limit, *n, *buf)
		for _, mode := range []string{"daemon", "listener"} {
			cmd := exec.Command(os.Args[0], "-server", mode, "-n", fmt.Sprint(*n), "-buf", fmt.Sprint(*buf))
			cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
			if err := cmd.Run(); err != nil {
				log.Fatal(err)
			}
		}
		return
	}
	{
		withHandler := *server == "daemon"
		r := measure(*n, *buf, withHandler)
		what := "Daemon, handler in Read"
		if !withHandler {
			what = "listener, no goroutine"
		}
		fmt.Printf("%-24s %6.0f conn/s accepted and negotiated; per connection: heap %5.0f B, stacks %5.0f B, total %5.0f B, RSS %5.0f B",
			what, r.rate, r.heap, r.stacks, r.heap+r.stacks, r.rss)
		if withHandler {
			fmt.Printf("; Shutdown %v", r.shutdown.Round(time.Millisecond))
		}
		fmt.Println()
	}
}

// raiseLimit raises the soft limit of descriptors to the hard limit, and
// returns it.
func raiseLimit() uint64 {
	var rl syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &rl); err != nil {
		log.Fatal(err)
	}
	rl.Cur = rl.Max
	if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &rl); err != nil {
		log.Fatal(err)
	}
	return rl.Cur
}

type result struct {
	rate              float64 // connections accepted and negotiated a second
	heap, stacks, rss float64 // bytes per connection
	shutdown          time.Duration
}

// goInUse returns the Go heap and stack memory in use, after a GC.
func goInUse() (heap, stacks float64) {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return float64(m.HeapAlloc), float64(m.StackInuse)
}

// rss returns the resident set of the process, in bytes.
func rss() float64 {
	b, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0
	}
	f := strings.Fields(string(b))
	pages, _ := strconv.ParseFloat(f[1], 64)
	return pages * float64(os.Getpagesize())
}

func measure(n, bufSize int, withHandler bool) result {
	inner, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	opts := []telnet.Option{telnet.WithNegotiationTimeout(30 * time.Second)}
	var negotiated atomic.Int64
	allIn := make(chan struct{})
	counted := func() {
		if negotiated.Add(1) == int64(n) {
			close(allIn)
		}
	}
	heapBefore, stacksBefore := goInUse()
	rssBefore := rss()

	cmd := exec.Command(os.Args[0], "-child", inner.Addr().String(), "-n", fmt.Sprint(n))
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		log.Fatal(err)
	}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		log.Fatal(err)
	}

	var d *telnet.Daemon
	var conns []net.Conn
	if withHandler {
		d = &telnet.Daemon{
			Options:     opts,
			IdleTimeout: -1,
			Handler: telnet.HandlerFunc(func(ctx context.Context, c *telnet.Conn) error {
				counted()
				buf := make([]byte, bufSize)
				for {
					if _, err := c.Read(buf); err != nil {
						return err
					}
				}
			}),
		}
		go d.Serve(inner)
	} else {
		l := telnet.NewListener(inner, opts...)
		defer l.Close()
		var mu sync.Mutex
		go func() {
			for {
				c, err := l.Accept()
				if err != nil {
					return
				}
				mu.Lock()
				conns = append(conns, c)
				mu.Unlock()
				go func() {
					c.(*telnet.Conn).Handshake(context.Background())
					counted()
				}()
			}
		}()
		defer func() {
			mu.Lock()
			defer mu.Unlock()
			for _, c := range conns {
				c.Close()
			}
		}()
	}
	select {
	case <-allIn:
	case <-time.After(5 * time.Minute):
		log.Fatalf("only %d of %d connections negotiated", negotiated.Load(), n)
	}
	r := result{rate: float64(n) / time.Since(start).Seconds()}
	time.Sleep(500 * time.Millisecond) // the last replies go out
	heap, stacks := goInUse()
	r.heap, r.stacks = (heap-heapBefore)/float64(n), (stacks-stacksBefore)/float64(n)
	r.rss = (rss() - rssBefore) / float64(n)

	if d != nil {
		start := time.Now()
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		if err := d.Shutdown(ctx); err != nil {
			log.Print("shutdown: ", err)
		}
		cancel()
		r.shutdown = time.Since(start)
	}
	stdin.Close()
	cmd.Wait()
	return r
}

// runClients dials n connections, negotiated, and keeps them open,
// reading, until standard input closes or the server closes them.
func runClients(addr string, n int) {
	var wg sync.WaitGroup
	conns := make([]net.Conn, 0, n)
	for range n {
		c, err := telnet.Dial("tcp", addr, telnet.WithTerminalType("xterm"))
		if err != nil {
			log.Fatal(err)
		}
		conns = append(conns, c)
		wg.Add(1)
		go func() {
			defer wg.Done()
			io.Copy(io.Discard, c)
			c.Close() // as a Telnet client does when the server closes
		}()
	}
	io.Copy(io.Discard, bufio.NewReader(os.Stdin))
	for _, c := range conns {
		c.Close()
	}
	wg.Wait()
}
