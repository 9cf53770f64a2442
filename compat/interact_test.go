package compat_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

const closedLine = "*** Connection closed by remote host ***\n"

// pipe returns an os.Pipe, closed at cleanup; its reader has
// SetReadDeadline, so Interact can stop reading it.
func pipe(t *testing.T) (r, w *os.File) {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		r.Close()
		w.Close()
	})
	return r, w
}

// interactServer answers a line with another, then closes.
func interactServer() []step {
	return steps(send("hello\r\n\xff\xfd\x01"), awaitBytes(7), send("you said abc\r\n"), eof())
}

// typeAfterRefusal writes "abc\n" to w once the client has refused the
// server's DO, so that the order of what it sends is fixed.
func typeAfterRefusal(t *testing.T, srv *scripted, w *os.File) {
	done := make(chan struct{})
	t.Cleanup(func() { <-done })
	go func() {
		defer close(done)
		if srv.WaitReceived(3) {
			w.WriteString("abc\n")
		}
	}()
}

// TestInteractPeerCloses checks that Interact returns when the peer
// closes although its input stays open, and what it prints and sends.
func TestInteractPeerCloses(t *testing.T) {
	srv := startScripted(t, interactServer())
	tn := dial(t, srv, 0)
	in, w := pipe(t)
	typeAfterRefusal(t, srv, w)
	var out bytes.Buffer
	var err error
	within(t, 5*time.Second, func() { w.Close() }, func() { err = tn.Interact(in, &out) })
	if err != nil {
		t.Errorf("Interact: %v", err)
	}
	if want := "hello\r\nyou said abc\r\n" + closedLine; out.String() != want {
		t.Errorf("printed %q, want %q", out.String(), want)
	}
	tn.Close()
	if got := srv.Received(t); string(got) != "\xff\xfc\x01abc\n" {
		t.Errorf("sent %q", got)
	}
}

// TestInteractInputEnds checks that Interact returns at the end of its
// input and leaves the connection usable.
func TestInteractInputEnds(t *testing.T) {
	srv := startScripted(t, steps(awaitBytes(7), send("bye\xff\xff"), eof()))
	tn := dial(t, srv, 0)
	var out bytes.Buffer
	var err error
	within(t, 5*time.Second, func() { tn.Close() }, func() { err = tn.Interact(strings.NewReader("a\xffb\nc"), &out) })
	if err != nil || out.Len() != 0 {
		t.Errorf("Interact = %v, printed %q", err, out.String())
	}
	if _, err := tn.Write([]byte("!")); err != nil {
		t.Fatal(err)
	}
	if got, err := tn.ReadAll(); string(got) != "bye\xff" || err != nil {
		t.Errorf("ReadAll after Interact = %q, %v", got, err)
	}
	tn.Close()
	if got := srv.Received(t); string(got) != "a\xff\xffb\nc!" {
		t.Errorf("sent %q", got)
	}
}

// TestInteractDifferential runs CPython's interact and compat's on the
// same server and input, and compares what they print and send.
func TestInteractDifferential(t *testing.T) {
	python := needTelnetlib(t)

	pySrv := startScripted(t, interactServer())
	in, w := pipe(t)
	typeAfterRefusal(t, pySrv, w)
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, python, "-W", "ignore::DeprecationWarning", "-c",
		"import sys, telnetlib; telnetlib.Telnet('127.0.0.1', int(sys.argv[1])).interact()", fmt.Sprint(pySrv.Port()))
	cmd.Stdin = in
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	pyOut, err := cmd.Output()
	if err != nil {
		t.Fatalf("python: %v\n%s", err, stderr.Bytes())
	}
	pySent := pySrv.Received(t)

	goSrv := startScripted(t, interactServer())
	tn := dial(t, goSrv, 0)
	in, w = pipe(t)
	typeAfterRefusal(t, goSrv, w)
	var goOut bytes.Buffer
	within(t, 5*time.Second, func() { w.Close() }, func() { err = tn.Interact(in, &goOut) })
	if err != nil {
		t.Errorf("Interact: %v", err)
	}
	tn.Close()
	goSent := goSrv.Received(t)

	if !bytes.Equal(goOut.Bytes(), pyOut) {
		t.Errorf("printed\n go:     %q\n python: %q", goOut.Bytes(), pyOut)
	}
	if !bytes.Equal(goSent, pySent) {
		t.Errorf("sent\n go:     %q\n python: %q", goSent, pySent)
	}
}
