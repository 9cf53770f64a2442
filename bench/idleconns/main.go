// Command idleconns measures the memory the library adds to an idle
// connection: it accepts N connections from a child process, once as raw
// TCP and once as negotiated Telnet, each with a goroutine blocked in Read
// with a 4 KiB buffer as a server's handler would be, and reports the Go
// heap and stack in use per connection, and the difference.
//
// Usage:
//
//	go run ./bench/idleconns [-n 10000]
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
	"sync"
	"time"

	"github.com/telnetkit/telnet"
)

func main() {
	n := flag.Int("n", 10000, "connections")
	child := flag.String("child", "", "run as the client side: dial `addr` (raw or telnet mode from -mode)")
	mode := flag.String("mode", "raw", "client mode: raw or telnet")
	flag.Parse()
	if *child != "" {
		runClients(*child, *n, *mode == "telnet")
		return
	}
	raw := measure(*n, false)
	tel := measure(*n, true)
	fmt.Printf("connections: %d\n", *n)
	fmt.Printf("raw net.Conn:  %7.0f bytes per connection (heap + stacks)\n", raw)
	fmt.Printf("telnet.Conn:   %7.0f bytes per connection (heap + stacks)\n", tel)
	fmt.Printf("library's own: %7.0f bytes per connection\n", tel-raw)
}

// inUse returns the Go heap and stack memory in use, after a GC.
func inUse() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc + m.StackInuse
}

// measure accepts n connections and returns the memory per connection.
func measure(n int, useTelnet bool) float64 {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	if useTelnet {
		l = telnet.NewListener(l, telnet.WithNegotiationTimeout(10*time.Second))
	}
	defer l.Close()
	mode := "raw"
	if useTelnet {
		mode = "telnet"
	}
	cmd := exec.Command(os.Args[0], "-child", l.Addr().String(), "-n", fmt.Sprint(n), "-mode", mode)
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		log.Fatal(err)
	}
	before := inUse()
	if err := cmd.Start(); err != nil {
		log.Fatal(err)
	}

	var ready, done sync.WaitGroup
	conns := make([]net.Conn, 0, n)
	for range n {
		c, err := l.Accept()
		if err != nil {
			log.Fatal(err)
		}
		conns = append(conns, c)
		ready.Add(1)
		done.Add(1)
		go func() {
			defer done.Done()
			if tc, ok := c.(*telnet.Conn); ok {
				if err := tc.Handshake(context.Background()); err != nil {
					log.Fatal(err)
				}
			}
			ready.Done()
			buf := make([]byte, 4096)
			c.Read(buf) // idle until the end
		}()
	}
	ready.Wait()
	time.Sleep(200 * time.Millisecond) // let the last replies settle
	per := float64(inUse()-before) / float64(n)

	for _, c := range conns {
		c.Close()
	}
	done.Wait()
	stdin.Close()
	cmd.Wait()
	return per
}

// runClients dials n connections and keeps them open, reading, until
// standard input closes.
func runClients(addr string, n int, useTelnet bool) {
	var wg sync.WaitGroup
	for range n {
		var c net.Conn
		var err error
		if useTelnet {
			c, err = telnet.Dial("tcp", addr, telnet.WithTerminalType("xterm"))
		} else {
			c, err = net.Dial("tcp", addr)
		}
		if err != nil {
			log.Fatal(err)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			io.Copy(io.Discard, c)
		}()
	}
	io.Copy(io.Discard, bufio.NewReader(os.Stdin))
	wg.Wait()
}
