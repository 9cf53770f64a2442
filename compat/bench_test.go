package compat_test

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"regexp"
	"testing"

	"github.com/telnetkit/telnet/compat"
)

// Each benchmark has a raw sub-benchmark, the same work without Telnet,
// as the baseline to compare with. The sizes grow by 16: a method linear
// in the data keeps the same MB/s at every size, where CPython's
// read_very_eager loses a factor of 16 at each step.

var benchSizes = []int{64 << 10, 1 << 20, 16 << 20}

// chunked returns p cut into reads of 32 KiB, as a loopback socket gives
// them.
func chunked(p []byte) [][]byte {
	var c [][]byte
	for len(p) > 0 {
		n := min(len(p), 32<<10)
		c = append(c, p[:n:n])
		p = p[n:]
	}
	return c
}

// text returns n bytes of lines ending in CR LF, with a CR NUL, an IAC
// IAC and a NOP every few lines, as Telnet text has them.
func text(n int) []byte {
	var b bytes.Buffer
	for i := 0; b.Len() < n; i++ {
		fmt.Fprintf(&b, "line %d of some output from a remote command\r\n", i)
		if i%8 == 0 {
			b.WriteString("\r\x00\xff\xff\xff\xf1")
		}
	}
	return b.Bytes()[:n]
}

// BenchmarkReadVeryEager reads everything that has arrived in one call.
func BenchmarkReadVeryEager(b *testing.B) {
	for _, size := range benchSizes {
		data := bytes.Repeat([]byte("0123456789abcdef"), size/16)
		b.Run(fmt.Sprintf("size=%dKiB/raw", size>>10), func(b *testing.B) {
			b.SetBytes(int64(size))
			for b.Loop() {
				if got, _ := io.ReadAll(newMemConn(chunked(data)...)); len(got) != size {
					b.Fatal(len(got))
				}
			}
		})
		b.Run(fmt.Sprintf("size=%dKiB/compat", size>>10), func(b *testing.B) {
			b.SetBytes(int64(size))
			for b.Loop() {
				tn := compat.NewTelnet(newMemConn(chunked(data)...), 0)
				if got, _ := tn.ReadVeryEager(); len(got) != size {
					b.Fatal(len(got))
				}
			}
		})
	}
}

// BenchmarkExpect waits for a prompt at the end of a long output.
func BenchmarkExpect(b *testing.B) {
	prompt := regexp.MustCompile(`[$#] $`)
	for _, size := range benchSizes {
		data := append(text(size-2), "$ "...)
		b.Run(fmt.Sprintf("size=%dKiB/raw", size>>10), func(b *testing.B) {
			b.SetBytes(int64(size))
			for b.Loop() {
				got, _ := io.ReadAll(newMemConn(chunked(data)...))
				if prompt.FindIndex(got) == nil {
					b.Fatal("no match")
				}
			}
		})
		b.Run(fmt.Sprintf("size=%dKiB/compat", size>>10), func(b *testing.B) {
			b.SetBytes(int64(size))
			for b.Loop() {
				tn := compat.NewTelnet(newMemConn(chunked(data)...), 0)
				if i, _, _, err := tn.Expect([]*regexp.Regexp{prompt}, compat.NoTimeout); i != 0 {
					b.Fatal(i, err)
				}
			}
		})
	}
}

// BenchmarkReadUntilLines reads a long output line by line.
func BenchmarkReadUntilLines(b *testing.B) {
	size := 4 << 20
	data := text(size)
	lines := bytes.Count(data, []byte("\n"))
	b.Run("raw", func(b *testing.B) {
		b.SetBytes(int64(size))
		for b.Loop() {
			r := bufio.NewReader(newMemConn(chunked(data)...))
			for range lines {
				if _, err := r.ReadBytes('\n'); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
	b.Run("compat", func(b *testing.B) {
		b.SetBytes(int64(size))
		for b.Loop() {
			tn := compat.NewTelnet(newMemConn(chunked(data)...), 0)
			for range lines {
				if _, err := tn.ReadUntil([]byte("\n"), compat.NoTimeout); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
}

// BenchmarkReadAllTCP reads 8 MiB of Telnet text from a loopback server.
func BenchmarkReadAllTCP(b *testing.B) {
	size := 8 << 20
	data := text(size)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	defer ln.Close()
	served := make(chan struct{})
	go func() {
		defer close(served)
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			c.Write(data)
			c.Close()
		}
	}()
	defer func() { ln.Close(); <-served }()
	port := ln.Addr().(*net.TCPAddr).Port
	b.Run("raw", func(b *testing.B) {
		b.SetBytes(int64(size))
		for b.Loop() {
			c, err := net.Dial("tcp", ln.Addr().String())
			if err != nil {
				b.Fatal(err)
			}
			if got, _ := io.ReadAll(c); len(got) != size {
				b.Fatal(len(got))
			}
			c.Close()
		}
	})
	b.Run("compat", func(b *testing.B) {
		b.SetBytes(int64(size))
		for b.Loop() {
			tn, err := compat.Dial("127.0.0.1", port, 0)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := tn.ReadAll(); err != nil {
				b.Fatal(err)
			}
			tn.Close()
		}
	})
}
