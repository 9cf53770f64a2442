// Command idleconns measures the memory the library adds to an idle
// connection: it accepts N connections from a child process, as raw TCP,
// as negotiated Telnet, and as Telnet with MCCP2 (the server compresses)
// and with MCCP2 and MCCP3 (both compress), each with a goroutine blocked
// in Read with a 4 KiB buffer as a server's handler would be, and reports
// the Go heap and stack in use per connection. Every connection is sent
// one screen of text first, so that a compressor holds what it keeps
// between writes. The baseline for compression is raw TCP with the
// standard library's zlib writer, flushed after that text.
//
// Usage:
//
//	go run ./bench/idleconns [-n 10000]
package main

import (
	"bufio"
	"compress/zlib"
	"context"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/telnetkit/telnet"
	"github.com/telnetkit/telnet/negotiate"
)

func main() {
	n := flag.Int("n", 10000, "connections")
	child := flag.String("child", "", "run as the client side: dial `addr` (in the mode of -mode)")
	mode := flag.String("mode", "raw", "client mode: "+strings.Join(modes, ", "))
	flag.Parse()
	if *child != "" {
		runClients(*child, *n, *mode)
		return
	}
	per := make(map[string]float64)
	for _, m := range modes {
		per[m] = measure(*n, m)
	}
	fmt.Printf("connections: %d\n", *n)
	fmt.Printf("raw net.Conn:              %7.0f bytes per connection (heap + stacks)\n", per["raw"])
	fmt.Printf("raw + zlib.Writer:         %7.0f\n", per["zlib"])
	fmt.Printf("telnet.Conn:               %7.0f\n", per["telnet"])
	fmt.Printf("telnet.Conn, MCCP2:        %7.0f\n", per["mccp2"])
	fmt.Printf("telnet.Conn, MCCP2+MCCP3:  %7.0f\n", per["mccp3"])
	fmt.Printf("library's own:             %7.0f bytes per connection\n", per["telnet"]-per["raw"])
	fmt.Printf("MCCP2's own:               %7.0f (the standard library's zlib writer: %.0f, %.1fx)\n",
		per["mccp2"]-per["telnet"], per["zlib"]-per["raw"], (per["zlib"]-per["raw"])/(per["mccp2"]-per["telnet"]))
	fmt.Printf("MCCP3's own:               %7.0f\n", per["mccp3"]-per["mccp2"])
}

// The modes measured, in order.
var modes = []string{"raw", "zlib", "telnet", "mccp2", "mccp3"}

// screen is the text sent to every connection.
var screen = []byte(strings.Repeat("The Goblin Warren. A damp tunnel slopes down to the north; "+
	"a goblin guard watches you.\r\nExits: north, south. HP: 40/40 MP: 12/12\r\n", 12))

// options returns the Telnet options of a mode's server or client.
func options(mode string, client bool) []telnet.Option {
	opts := []telnet.Option{telnet.WithNegotiationTimeout(10 * time.Second)}
	switch {
	case mode == "mccp3" || mode == "mccp2" && !client:
		opts = append(opts, telnet.WithCompression())
	case mode == "mccp2":
		opts = append(opts, telnet.WithRemoteOption(negotiate.MCCP2, telnet.Accept))
	}
	if client {
		opts = append(opts, telnet.WithTerminalType("xterm"))
	}
	return opts
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
func measure(n int, mode string) float64 {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	if useTelnet := mode != "raw" && mode != "zlib"; useTelnet {
		l = telnet.NewListener(l, options(mode, false)...)
	}
	defer l.Close()
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
	zws := make([]*zlib.Writer, n)
	for range n {
		c, err := l.Accept()
		if err != nil {
			log.Fatal(err)
		}
		conns = append(conns, c)
		ready.Add(1)
		done.Add(1)
		go func(i int) {
			defer done.Done()
			if tc, ok := c.(*telnet.Conn); ok {
				if err := tc.Handshake(context.Background()); err != nil {
					log.Fatal(err)
				}
			}
			var w io.Writer = c
			if mode == "zlib" {
				zws[i] = zlib.NewWriter(c)
				defer zws[i].Flush() // keeps it alive until the end
				w = zws[i]
			}
			if _, err := w.Write(screen); err != nil {
				log.Fatal(err)
			}
			if mode == "zlib" {
				zws[i].Flush()
			}
			ready.Done()
			buf := make([]byte, 4096)
			c.Read(buf) // idle until the end
		}(len(conns) - 1)
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
func runClients(addr string, n int, mode string) {
	var wg sync.WaitGroup
	for range n {
		var c net.Conn
		var err error
		if mode != "raw" && mode != "zlib" {
			c, err = telnet.Dial("tcp", addr, options(mode, true)...)
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
