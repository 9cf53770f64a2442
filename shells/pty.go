package shells

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/telnetkit/telnet"
	"github.com/telnetkit/telnet/charset"
)

// DefaultPtyPath is the PATH of a PtyShell's program when its Env sets
// none.
const DefaultPtyPath = "PATH=/usr/local/bin:/usr/bin:/bin"

// A PtyShell runs a program in a pseudo-terminal for each connection, and
// copies what the client types to the program and what the program writes
// to the client, as telnetd does with login.
//
// The program and its arguments are fixed: nothing the client sends ever
// becomes an argument. Its environment is Env, then the values the client
// gave that pass an allow-list, checked for their form:
//
//   - TERM, the client's terminal type in lower case, when it is a plain
//     terminfo name (letters, digits, and ". _ + -"); "dumb" when there is
//     none and Env sets none;
//   - COLUMNS and LINES, from the window size the client reported (NAWS);
//   - LANG and the LC_ variables of POSIX, from the client's NEW-ENVIRON,
//     when they look like a locale name ("en_US.UTF-8", "C"); on a Conn
//     with an encoding ([telnet.WithEncoding]), which gives the program
//     UTF-8 whatever the client's encoding, with UTF-8 for their codeset
//     ("en_US.ISO-8859-1" becomes "en_US.UTF-8");
//   - the variables named in ClientEnv, from NEW-ENVIRON, when their value
//     is at most 256 bytes of printable UTF-8.
//
// The window size follows the client's: each NAWS sets the terminal's
// size (TIOCSWINSZ), and the kernel sends SIGWINCH to the program in the
// foreground. The Telnet commands IP, BRK, ABORT, SUSP, EOF, EC and EL
// become the characters ^C, ^C, ^\, ^Z, ^D, DEL and ^U, and AYT is
// answered "[Yes]".
//
// A PtyShell expects the Conn to leave line endings alone
// ([telnet.WithRawLineEndings]), so that the program gets the bytes a
// terminal would send and the client gets the bytes the program writes:
// a curses program moves the cursor with bare LFs. As telnetd does, it
// turns the client's Enter (CR LF or CR NUL) into CR, unless the client
// sends in BINARY mode, whose bytes pass unchanged. With a Conn that
// folds line endings, Enter reaches the program as LF, which the
// terminal's line discipline takes as the end of a line too.
//
// # The session ends with the connection
//
// The program starts in a session of its own (setsid), whose controlling
// terminal is the pseudo-terminal. When the client leaves, the server
// shuts down, or the program exits, every process still in that session
// (the program, the jobs of a job-control shell in their own process
// groups, background jobs that ignore SIGHUP) gets SIGHUP, and SIGKILL
// when still there after HangupGrace; then the program's last output is
// sent, the connection closes and the exit status is logged. Reading the
// pseudo-terminal after the program has exited (EIO on Linux) is the end
// of its output. On Linux the session's processes are found in /proc, and
// the server becomes a child subreaper (PR_SET_CHILD_SUBREAPER), so that
// the processes a session leaves behind are reparented to it and reaped
// rather than left as zombies; a process that starts a session of its own
// (setsid, as a daemon does) leaves the session and is not followed.
// Elsewhere only the program's process group is signalled.
//
// The program gets the pseudo-terminal as descriptors 0, 1 and 2 and no
// other descriptor of the server: those the server inherited without
// close-on-exec are marked close-on-exec before the program starts.
//
// A public server should run the program as an unprivileged account:
// start the server as root with User set (the --pty-user flag of
// telnet-server), so that the program runs with that account's user and
// group IDs, and nothing a client does in the session reaches the
// server's files or processes.
//
// With a client that does LINEMODE (BSD telnet; a server asks for it with
// [telnet.WithLineMode]), the pseudo-terminal follows the program as BSD
// telnetd's does: while the program reads lines with echo, the client
// edits them with the special characters agreed, which become the
// terminal's control characters (EXTPROC mode); while it reads each key
// (a full-screen program, bash's line editor) or hides what is typed, the
// client sends each key and the server's side echoes. The client's
// XON/XOFF flow control (LFLOW) follows the program's.
//
// PtyShell runs on Linux, macOS and the BSDs; elsewhere ServeTelnet
// returns an error that wraps [errors.ErrUnsupported].
type PtyShell struct {
	// Program is the program to run, a path or a name looked up in the
	// server's PATH.
	Program string
	// Args are its arguments, after the program name.
	Args []string
	// Env is the environment the program starts with, as "KEY=value"
	// strings; nil means DefaultPtyPath alone. The client's values
	// replace those of the same name.
	Env []string
	// ClientEnv names more variables the client may set through
	// NEW-ENVIRON, such as COLORTERM. Never name one that changes how
	// programs load or run (LD_PRELOAD, PATH, BASH_ENV, ...).
	ClientEnv []string
	// Dir is the program's working directory; empty means the server's.
	Dir string
	// User, when not empty, is the account the program runs as: a name
	// or a numeric user ID, with its group and supplementary groups.
	// Changing user takes privilege: the server runs as root.
	User string
	// LineMode makes the client edit and echo lines itself: the server
	// says WONT ECHO and WONT SGA, and the terminal does not echo. By
	// default the client sends each key as it is typed, and the
	// terminal's line discipline (or the program) echoes. Under LINEMODE
	// the program decides, as above.
	LineMode bool
	// HangupGrace is how long the program has to exit after SIGHUP,
	// before SIGKILL; zero means 2 seconds.
	HangupGrace time.Duration
}

// Pty returns a PtyShell that runs program with args, in character mode,
// with the default environment.
func Pty(program string, args ...string) *PtyShell {
	return &PtyShell{Program: program, Args: args}
}

func (p *PtyShell) hangupGrace() time.Duration {
	if p.HangupGrace > 0 {
		return p.HangupGrace
	}
	return 2 * time.Second
}

// localeVars are the variables of the locale a client may set.
var localeVars = []string{"LANG", "LC_ALL", "LC_ADDRESS", "LC_COLLATE", "LC_CTYPE", "LC_IDENTIFICATION",
	"LC_MEASUREMENT", "LC_MESSAGES", "LC_MONETARY", "LC_NAME", "LC_NUMERIC", "LC_PAPER", "LC_TELEPHONE",
	"LC_TIME"}

var (
	terminfoName = regexp.MustCompile(`^[a-z0-9][a-z0-9._+-]{0,63}$`)
	localeName   = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$`)
)

// environment returns the program's environment for the client of c:
// Env, then what passes the allow-list, each name once.
func (p *PtyShell) environment(c *telnet.Conn) []string {
	env := p.Env
	if env == nil {
		env = []string{DefaultPtyPath}
	}
	vars := make(map[string]string)
	var order []string
	set := func(name, value string) {
		if _, ok := vars[name]; !ok {
			order = append(order, name)
		}
		vars[name] = value
	}
	for _, kv := range env {
		name, value, _ := strings.Cut(kv, "=")
		set(name, value)
	}
	if term := strings.ToLower(c.TerminalType()); terminfoName.MatchString(term) {
		set("TERM", term)
	} else if _, ok := vars["TERM"]; !ok {
		set("TERM", "dumb")
	}
	if cols, rows := c.WindowSize(); cols > 0 && rows > 0 {
		set("COLUMNS", strconv.Itoa(cols))
		set("LINES", strconv.Itoa(rows))
	}
	client := c.Env()
	read, write := c.Encoding()
	converts := read != "" || write != ""
	for _, name := range localeVars {
		if v, ok := client[name]; ok && localeName.MatchString(v) {
			if converts {
				v = charset.LangWithCharset(v, "UTF-8")
			}
			set(name, v)
		}
	}
	for _, name := range p.ClientEnv {
		if v, ok := client[name]; ok && printable(v) && !slices.Contains(localeVars, name) {
			set(name, v)
		}
	}
	out := make([]string, 0, len(order))
	for _, name := range order {
		out = append(out, name+"="+vars[name])
	}
	return out
}

// printable reports whether v is a short value of printable UTF-8.
func printable(v string) bool {
	if len(v) > 256 || !utf8.ValidString(v) {
		return false
	}
	return !strings.ContainsFunc(v, func(r rune) bool { return r < 0x20 || r == 0x7f || r >= 0x80 && r < 0xa0 })
}

// enterFolder turns the client's Enter into one byte, across reads: CR,
// what a terminal sends, or LF, the end of a line the client edited.
type enterFolder struct{ afterCR bool }

// fold rewrites p in place, with each CR, CR LF and CR NUL as end, and
// returns its new length.
func (f *enterFolder) fold(p []byte, end byte) int {
	w := 0
	for _, b := range p {
		if f.afterCR && (b == '\n' || b == 0) {
			f.afterCR = false
			continue
		}
		f.afterCR = b == '\r'
		if f.afterCR {
			b = end
		}
		p[w] = b
		w++
	}
	return w
}
