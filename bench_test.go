package telnet

import (
	"bytes"
	"io"
	"net"
	"testing"
)

// The bulk benchmarks move data over loopback TCP in 32 KiB writes and
// reads, through a Conn and, in the same run, through the raw net.Conn,
// so that the two can be compared as a ratio.

const benchChunk = 32 << 10

// benchPayload is text with an IAC every `every` bytes (none when 0).
func benchPayload(every int) []byte {
	p := bytes.Repeat([]byte("The quick brown fox jumps over the lazy dog. "), benchChunk/45+1)[:benchChunk]
	if every > 0 {
		for i := every - 1; i < len(p); i += every {
			p[i] = 0xff
		}
	}
	return p
}

// benchPair returns two negotiated Conns over loopback, in binary mode
// both ways (as two of this library's ends agree by default).
func benchPair(b *testing.B, opts ...Option) (client, server *Conn) {
	b.Helper()
	cc, sc := benchLoopback(b)
	client = Client(cc, opts...)
	server = Server(sc, opts...)
	done := make(chan error, 1)
	go func() { done <- server.Handshake(b.Context()) }()
	pump(b, client, done)
	return client, server
}

func benchLoopback(b *testing.B) (net.Conn, net.Conn) {
	b.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	defer l.Close()
	ch := make(chan net.Conn, 1)
	go func() {
		c, err := l.Accept()
		if err != nil {
			b.Error(err)
		}
		ch <- c
	}()
	c, err := net.Dial("tcp", l.Addr().String())
	if err != nil {
		b.Fatal(err)
	}
	s := <-ch
	b.Cleanup(func() { c.Close(); s.Close() })
	return c, s
}

// benchRead measures reading b.N chunks from r while w sends them; each
// chunk of wire bytes holds size bytes of data.
func benchRead(b *testing.B, w io.Writer, r io.Reader, payload []byte, size int) {
	b.SetBytes(int64(size))
	b.ReportAllocs()
	go func() {
		for i := 0; i < b.N; i++ {
			if _, err := w.Write(payload); err != nil {
				return
			}
		}
	}()
	buf := make([]byte, benchChunk)
	want := int64(b.N) * int64(size)
	b.ResetTimer()
	var got int64
	for got < want {
		n, err := r.Read(buf)
		if err != nil {
			b.Fatal(err)
		}
		got += int64(n)
	}
}

// benchWrite measures writing b.N chunks to w while r drains them.
func benchWrite(b *testing.B, w io.Writer, r io.Reader, payload []byte) {
	b.SetBytes(int64(len(payload)))
	b.ReportAllocs()
	done := make(chan struct{})
	go func() {
		io.Copy(io.Discard, r)
		close(done)
	}()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := w.Write(payload); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	if c, ok := w.(interface{ Close() error }); ok {
		c.Close()
	}
	<-done
}

func BenchmarkReadRaw(b *testing.B) {
	c, s := benchLoopback(b)
	benchRead(b, s, c, benchPayload(0), benchChunk)
}

func BenchmarkReadNoIAC(b *testing.B) {
	client, server := benchPair(b)
	benchRead(b, server.NetConn(), client, benchPayload(0), benchChunk)
}

func BenchmarkReadIACPerKiB(b *testing.B) {
	client, server := benchPair(b)
	// The server side writes escaped data: IAC IAC every KiB.
	p := benchPayload(0)
	var esc []byte
	for i := 0; i < len(p); i += 1024 {
		esc = append(esc, p[i:min(i+1023, len(p))]...)
		esc = append(esc, 0xff, 0xff)
	}
	benchRead(b, server.NetConn(), client, esc, len(p))
}

func BenchmarkWriteRaw(b *testing.B) {
	c, s := benchLoopback(b)
	benchWrite(b, s, c, benchPayload(0))
}

func BenchmarkWriteNoIAC(b *testing.B) {
	client, server := benchPair(b)
	benchWrite(b, server, client.NetConn(), benchPayload(0))
}

func BenchmarkWriteIACPerKiB(b *testing.B) {
	client, server := benchPair(b)
	benchWrite(b, server, client.NetConn(), benchPayload(1024))
}

// BenchmarkHandshake measures a connection and its full default
// negotiation, server and client of this library over loopback, against
// BenchmarkDialRaw, the connection alone.
func BenchmarkHandshake(b *testing.B) {
	l, err := Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	defer l.Close()
	b.ReportAllocs()
	for b.Loop() {
		done := make(chan error, 1)
		go func() {
			c, err := l.Accept()
			if err != nil {
				done <- err
				return
			}
			defer c.Close()
			done <- c.(*Conn).Handshake(b.Context())
		}()
		c, err := Dial("tcp", l.Addr().String(), WithTerminalType("xterm"))
		if err != nil {
			b.Fatal(err)
		}
		go io.Copy(io.Discard, c) // the client answers while it reads
		if err := <-done; err != nil {
			b.Fatal(err)
		}
		c.Close()
	}
}

func BenchmarkDialRaw(b *testing.B) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	defer l.Close()
	b.ReportAllocs()
	for b.Loop() {
		done := make(chan error, 1)
		go func() {
			c, err := l.Accept()
			if err == nil {
				c.Close()
			}
			done <- err
		}()
		c, err := net.Dial("tcp", l.Addr().String())
		if err != nil {
			b.Fatal(err)
		}
		if err := <-done; err != nil {
			b.Fatal(err)
		}
		c.Close()
	}
}

func BenchmarkReadTextLines(b *testing.B) {
	client, server := benchPair(b)
	p := bytes.ReplaceAll(benchPayload(0), []byte(". "), []byte(".\n"))
	wire := bytes.ReplaceAll(p, []byte("\n"), []byte("\r\n"))
	benchRead(b, server.NetConn(), client, wire, len(p))
}

func BenchmarkWriteTextLines(b *testing.B) {
	client, server := benchPair(b)
	p := bytes.ReplaceAll(benchPayload(0), []byte(". "), []byte(".\n"))
	benchWrite(b, server, client.NetConn(), p)
}

// The encoding benchmarks read and write through a Conn WithEncoding,
// against BenchmarkReadNoIAC and BenchmarkWriteNoIAC.

func benchUTF8Payload() []byte {
	return bytes.ReplaceAll(benchPayload(0), []byte("quick"), []byte("quíck"))[:benchChunk]
}

func BenchmarkReadUTF8(b *testing.B) {
	client, server := benchPair(b, WithEncoding("utf-8"), WithEnv(nil))
	p := benchUTF8Payload()
	benchRead(b, server.NetConn(), client, p, len(p))
}

func BenchmarkWriteUTF8(b *testing.B) {
	client, server := benchPair(b, WithEncoding("utf-8"), WithEnv(nil))
	benchWrite(b, server, client.NetConn(), benchUTF8Payload())
}

func BenchmarkReadCP437(b *testing.B) {
	client, server := benchPair(b, WithEncoding("cp437"), WithEnv(nil))
	p := bytes.Repeat([]byte("\xc9\xcd\xbb box \x82 "), benchChunk/12)
	benchRead(b, server.NetConn(), client, p, len(p))
}

func BenchmarkWriteCP437(b *testing.B) {
	client, server := benchPair(b, WithEncoding("cp437"), WithEnv(nil))
	benchWrite(b, server, client.NetConn(), bytes.Repeat([]byte("╔═╗ box é "), benchChunk/16))
}
