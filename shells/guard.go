package shells

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/telnetkit/telnet"
)

// maxGuardLine bounds what the guard shells read of a line: the rest is
// dropped.
const maxGuardLine = 2048

// The texts of the guard shells, telnetlib3's.
const (
	busyGreeting   = "Machine is busy, do not touch! "
	busyFollowUp   = "\r\nYou hear a distant explosion... "
	robotQuestion1 = "Do robots dream of electric sheep? [yn] "
	robotQuestion2 = "\r\nHave you ever wondered, who are the windowmakers? "
)

// The time the guard shells wait for a line.
const (
	busyReadTimeout  = 30 * time.Second
	robotReadTimeout = 10 * time.Second
)

// Busy returns the shell of the connections beyond a Daemon's MaxConns, as
// telnetlib3's: it says "Machine is busy, do not touch! ", reads a line,
// says "You hear a distant explosion... ", reads another, and ends. It
// waits 30 seconds at most for each line, keeps 2 KiB of it, echoes
// nothing, and logs what was typed at INFO level through
// [telnet.LoggerFromContext].
func Busy() telnet.Handler {
	return telnet.HandlerFunc(func(ctx context.Context, c *telnet.Conn) error {
		return busy(ctx, c, busyReadTimeout)
	})
}

func busy(ctx context.Context, c *telnet.Conn, timeout time.Duration) error {
	defer wakeOnDone(ctx, c)()
	log := telnet.LoggerFromContext(ctx)
	log.Info("shells: busy shell: connection limit reached")
	ed := newLineReader(c, maxGuardLine, nil)
	for i, text := range []string{busyGreeting, busyFollowUp} {
		if _, err := io.WriteString(c, text); err != nil {
			return endError(ctx, err)
		}
		line, err := ed.readLineBy(ctx, time.Now().Add(timeout))
		if line != "" || err == nil {
			log.Info("shells: busy shell: input", "n", i+1, "line", line)
		}
		if err != nil && !isTimeout(err) {
			return endError(ctx, err)
		}
	}
	_, err := io.WriteString(c, "\r\n")
	return endError(ctx, err)
}

// isTimeout reports whether err is a read deadline that passed.
func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// Robot returns the shell of the clients that fail [RobotCheck], as
// telnetlib3's: it asks "Do robots dream of electric sheep? [yn] ", then
// "Have you ever wondered, who are the windowmakers? ", each until the
// answer is not blank and for 10 seconds at most, logs the answers at
// INFO level through [telnet.LoggerFromContext], and ends. It echoes what
// is typed while the server echoes, and keeps 2 KiB of each answer.
func Robot() telnet.Handler {
	return telnet.HandlerFunc(func(ctx context.Context, c *telnet.Conn) error {
		return robot(ctx, c, robotReadTimeout)
	})
}

func robot(ctx context.Context, c *telnet.Conn, timeout time.Duration) error {
	defer wakeOnDone(ctx, c)()
	log := telnet.LoggerFromContext(ctx)
	log.Info("shells: robot shell")
	ed := newLineReader(c, maxGuardLine, serverEchoes(c))
	var answers []string
	defer func() {
		if len(answers) > 0 {
			log.Info("shells: robot denied", "answers", answers)
		}
	}()
	for _, question := range []string{robotQuestion1, robotQuestion2} {
		answer, err := ask(ctx, c, ed, question, timeout)
		if err != nil {
			if isTimeout(err) {
				log.Info("shells: robot shell: no answer", "after", timeout)
				return nil
			}
			return endError(ctx, err)
		}
		answers = append(answers, answer)
	}
	_, err := io.WriteString(c, "\r\n")
	return endError(ctx, err)
}

// ask asks question until the answer is not blank, within timeout.
func ask(ctx context.Context, c *telnet.Conn, ed *LineReader, question string, timeout time.Duration) (string, error) {
	deadline := time.Now().Add(timeout)
	for {
		if _, err := io.WriteString(c, question); err != nil {
			return "", err
		}
		answer, err := ed.readLineBy(ctx, deadline)
		if err != nil {
			return "", err
		}
		if strings.TrimSpace(answer) != "" {
			return answer, nil
		}
		question = "\r\n" + strings.TrimPrefix(question, "\r\n")
	}
}

// The robot check's probe: a character every terminal renders two columns
// wide (U+231A WATCH, East Asian Wide, emoji presentation).
const (
	wideChar        = "\u231a"
	cursorRequest   = "\x1b[6n" // DSR: report the cursor position
	maxRobotReading = 256       // bytes read for both reports, at most
)

// cursorReport matches a cursor position report, CSI row ; column R, at
// the end of what was read.
var cursorReport = regexp.MustCompile(`\x1b\[(\d{1,5});(\d{1,5})R$`)

// A RobotChecker tells people at terminals from programs, as telnetlib3's
// robot_check: it asks the terminal where its cursor is (DSR), writes a
// wide character, asks again, and erases the character. A terminal that
// moved the cursor two columns is a person's, whose connection goes to
// Next; a client that answers otherwise or not at all goes to Fail.
type RobotChecker struct {
	// Next serves the clients that pass.
	Next telnet.Handler
	// Fail serves the others; nil means Robot.
	Fail telnet.Handler
	// Timeout bounds the whole check; zero means 5 seconds.
	Timeout time.Duration
}

// RobotCheck returns a RobotChecker that sends the clients that pass to
// next and the others to fail (Robot when fail is nil).
func RobotCheck(next, fail telnet.Handler) *RobotChecker {
	return &RobotChecker{Next: next, Fail: fail}
}

// ServeTelnet checks the client, then serves it with Next or Fail. Input
// typed before the terminal's answers is dropped.
func (rc *RobotChecker) ServeTelnet(ctx context.Context, c *telnet.Conn) error {
	timeout := rc.Timeout
	if timeout == 0 {
		timeout = 5 * time.Second
	}
	log := telnet.LoggerFromContext(ctx)
	width, err := measureWidth(ctx, c, timeout)
	switch {
	case ctx.Err() != nil:
		return nil
	case err != nil && !isTimeout(err) && !errors.Is(err, errNoReport):
		return endError(ctx, err)
	case width == 2:
		log.Debug("shells: robot check passed")
		return rc.Next.ServeTelnet(ctx, c)
	}
	log.Info("shells: robot check failed", "width", width, "err", err)
	if rc.Fail == nil {
		return robot(ctx, c, robotReadTimeout)
	}
	return rc.Fail.ServeTelnet(ctx, c)
}

// errNoReport is a client that sent too much without a cursor position
// report.
var errNoReport = errors.New("shells: no cursor position report")

// measureWidth returns the columns the terminal moved its cursor for the
// wide character, and leaves the read deadline as it found it: none.
func measureWidth(ctx context.Context, c *telnet.Conn, timeout time.Duration) (int, error) {
	stop := wakeOnDone(ctx, c)
	defer func() {
		if stop() {
			c.SetReadDeadline(time.Time{})
		}
	}()
	if err := c.SetReadDeadline(time.Now().Add(timeout)); err != nil {
		return 0, err
	}
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	read := 0
	var cols [2]int
	for i, probe := range []string{cursorRequest, wideChar + cursorRequest} {
		if _, err := io.WriteString(c, probe); err != nil {
			return 0, err
		}
		col, err := readCursorColumn(c, &read)
		if err != nil {
			return 0, err
		}
		cols[i] = col
	}
	width := cols[1] - cols[0]
	if width > 0 && width <= 8 {
		// Erase the character: back to the first column, blanks over it,
		// and back again.
		back := fmt.Sprintf("\x1b[%dG", cols[0])
		if _, err := io.WriteString(c, back+strings.Repeat(" ", width)+back); err != nil {
			return 0, err
		}
	}
	return width, nil
}

// readCursorColumn reads a byte at a time, so that nothing after the
// report is taken from the next handler, until a cursor position report,
// and returns its column. read counts the bytes read, bounded by
// maxRobotReading.
func readCursorColumn(c *telnet.Conn, read *int) (int, error) {
	var buf []byte
	b := make([]byte, 1)
	for *read < maxRobotReading {
		if _, err := c.Read(b); err != nil {
			return 0, err
		}
		*read++
		buf = append(buf, b[0])
		if b[0] != 'R' {
			continue
		}
		if m := cursorReport.FindSubmatch(buf); m != nil {
			return strconv.Atoi(string(m[2]))
		}
	}
	return 0, errNoReport
}
