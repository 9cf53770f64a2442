package telnet

import (
	"bytes"
	"compress/zlib"
	"io"
	"net"
	"testing"
	"time"
)

// FuzzCompressedStream feeds any bytes after the SB that starts MCCP2 to
// a client, split in two reads, and then closes: Read never panics, its
// output is bounded, and it ends with an error.
func FuzzCompressedStream(f *testing.F) {
	f.Add(mccpServerStream(f, "hello\r\n", "after\r\n")[8:], 3)
	f.Add([]byte("\x78\x9c\xff\xff"), 1)
	f.Add([]byte("\x1f\x8b\x08\x00\x00\x00\x00\x00"), 4)
	f.Add([]byte("\x00\x05\x00\xfa\xffhello"), 2)
	f.Fuzz(func(t *testing.T, stream []byte, split int) {
		cc, sc := net.Pipe()
		client := Client(cc, WithCompression(), WithNegotiationTimeout(0), WithRawLineEndings())
		defer client.Close()
		go drain(sc)
		in := append([]byte("\xff\xfb\x56\xff\xfa\x56\xff\xf0"), stream...)
		split = max(0, min(len(in), split))
		go func() {
			sc.Write(in[:split])
			sc.Write(in[split:])
			sc.Close()
		}()
		client.SetReadDeadline(time.Now().Add(5 * time.Second))
		buf := make([]byte, 512)
		total := 0
		for {
			n, err := client.Read(buf)
			total += n
			if err != nil {
				break
			}
			if total > 64<<20 {
				t.Fatal("unbounded output")
			}
		}
	})
}

// FuzzDeflater compresses writes of any sizes as a Conn does, and
// checks that the standard library's zlib reader gets them back, ended
// or not.
func FuzzDeflater(f *testing.F) {
	f.Add([]byte("The goblin hits you.\r\n"), uint8(5), true)
	f.Add(bytes.Repeat([]byte("abc"), 5000), uint8(200), false)
	f.Fuzz(func(t *testing.T, data []byte, step uint8, end bool) {
		var d deflater
		wire := d.append(nil, nil)
		size := int(step) + 1
		for p := data; len(p) > 0; p = p[min(size, len(p)):] {
			wire = d.append(wire, p[:min(size, len(p))])
		}
		if end {
			wire = d.finish(wire)
		}
		zr, err := zlib.NewReader(bytes.NewReader(wire))
		if err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(zr)
		if end && err != nil || !end && err != io.ErrUnexpectedEOF {
			t.Fatalf("end %v: %v", end, err)
		}
		if !bytes.Equal(got, data) {
			t.Fatalf("got %d bytes back of %d", len(got), len(data))
		}
	})
}
