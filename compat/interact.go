package compat

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"time"
)

// closedMessage is what Python's interact prints when the peer closes.
const closedMessage = "*** Connection closed by remote host ***\n"

// Interact is a very dumb Telnet client, as Python's interact is: the data
// received is copied to out as it arrives, and each line read from in is
// written to the connection (with IAC doubled). Pass os.Stdin and
// os.Stdout for Python's behaviour. It returns nil when in reaches end of
// file, leaving the connection open, or after printing "*** Connection
// closed by remote host ***" when the peer closes. Unlike Python, which
// decodes both ways as ASCII and fails on any other byte, bytes pass as
// they are.
//
// Interact reads in from a goroutine of its own, which it waits for before
// returning. When the peer closes first, a pending read of in is ended
// with a past read deadline if in has SetReadDeadline (a net.Conn, a pipe
// from os.Pipe); otherwise, a terminal for example, Interact returns once
// that read does, at the next line or end of file.
func (t *Telnet) Interact(in io.Reader, out io.Writer) error {
	if t.inCallback {
		return ErrInCallback
	}
	if t.conn == nil || t.closed.Load() {
		return ErrNotConnected
	}
	var wg sync.WaitGroup
	defer wg.Wait()

	lines := make(chan []byte)
	quit := make(chan struct{})
	inErr := make(chan error, 1)
	wg.Add(1)
	go func() {
		defer wg.Done()
		inErr <- readLines(in, lines, quit)
	}()

	var stop atomic.Bool
	connErr := make(chan error, 1)
	wg.Add(1)
	go func() {
		defer wg.Done()
		connErr <- t.copyOut(out, &stop)
	}()

	for {
		select {
		case line, ok := <-lines:
			if !ok {
				return errors.Join(<-inErr, t.stopCopy(&stop, connErr))
			}
			if _, err := t.Write(line); err != nil {
				return errors.Join(err, stopInput(in, quit, inErr), t.stopCopy(&stop, connErr))
			}
		case err := <-connErr:
			return errors.Join(err, stopInput(in, quit, inErr))
		}
	}
}

// readLines sends the lines of in on lines until end of file, an error,
// or quit.
func readLines(in io.Reader, lines chan<- []byte, quit <-chan struct{}) error {
	defer close(lines)
	br := bufio.NewReader(in)
	for {
		line, err := br.ReadBytes('\n')
		if len(line) > 0 {
			select {
			case lines <- line:
			case <-quit:
				return nil
			}
		}
		select {
		case <-quit:
			return nil
		default:
		}
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("compat: interact: %w", err)
		}
	}
}

// stopInput ends the goroutine of readLines and returns its error.
func stopInput(in io.Reader, quit chan struct{}, inErr <-chan error) error {
	close(quit)
	d, ok := in.(interface{ SetReadDeadline(time.Time) error })
	if ok {
		d.SetReadDeadline(time.Unix(1, 0))
	}
	err := <-inErr
	if ok {
		d.SetReadDeadline(time.Time{})
	}
	return err
}

// copyOut copies the data received to out, as Python's interact does with
// read_eager each time the socket is readable, until end of file or stop.
func (t *Telnet) copyOut(out io.Writer, stop *atomic.Bool) error {
	for {
		if t.cooked.Len() == 0 && !t.atEOF() {
			t.conn.SetReadDeadline(time.Time{})
			// stopCopy sets stop and then a past deadline: one of the two
			// is seen whatever the order.
			if stop.Load() {
				return nil
			}
			buf := t.readBuf()
			n, err := t.conn.Read(buf)
			if n == 0 && isTimeout(err) && stop.Load() {
				return nil
			}
			if err := t.received(buf[:n], err); err != nil {
				return err
			}
		}
		data := t.cooked.All()
		if len(data) > 0 {
			if _, err := out.Write(data); err != nil {
				return fmt.Errorf("compat: interact: %w", err)
			}
		} else if t.atEOF() {
			_, err := io.WriteString(out, closedMessage)
			return err
		}
	}
}

// stopCopy ends the goroutine of copyOut and returns its error.
func (t *Telnet) stopCopy(stop *atomic.Bool, connErr <-chan error) error {
	stop.Store(true)
	t.conn.SetReadDeadline(time.Unix(1, 0))
	return <-connErr
}
