package compat_test

import (
	"bytes"
	"math/rand/v2"
	"strings"
)

// Protocol bytes, spelt out in the scenarios.
const (
	iac  = "\xff"
	dont = "\xfe"
	do   = "\xfd"
	wont = "\xfc"
	will = "\xfb"
	sb   = "\xfa"
	se   = "\xf0"
)

// scenarios returns the differential suite. Where a result depends on
// what has arrived, the client writes a byte the server waits for before
// it sends more, or sleeps long after the server has sent; a pause only
// splits bytes where the result does not depend on the split. Where a
// scenario has want or sent, they were worked out by hand from
// telnetlib.py.
func scenarios() []scenario {
	large, largeSent := largeStream()
	return []scenario{
		{
			name:   "read_until across split reads",
			server: steps(send("hel"), pause(100), send("lo wor"), pause(100), send("ld\r\nrest"), eof()),
			spec:   spec{Ops: ops(readUntil("world"), readUntil("\n"), call("read_all"))},
			want:   []string{dataLine([]byte("hello world")), dataLine([]byte("\r\n")), dataLine([]byte("rest"))},
		},
		{
			name:   "read_until match split between reads",
			server: steps(send("xxd"), pause(150), send("efyy"), eof()),
			spec:   spec{Ops: ops(readUntil("def"), call("read_very_lazy"), call("read_all"))},
			want:   []string{dataLine([]byte("xxdef")), dataLine([]byte("yy")), dataLine(nil)},
		},
		{
			name:   "read_until timeout returns what arrived",
			server: steps(send("abc"), awaitBytes(1), pause(100), send("def"), eof()),
			spec: spec{Ops: ops(readUntil("a"), readUntilT("def", 0.2), write("!"), readUntilT("def", 3),
				readUntil("x"), call("read_all"))},
			want: []string{dataLine([]byte("a")), dataLine([]byte("bc")), "wrote", dataLine([]byte("def")), "eof",
				dataLine(nil)},
		},
		{
			name:   "read_until timeout zero polls",
			server: steps(send("abc"), awaitBytes(1), eof()),
			spec: spec{Ops: ops(sleep(0.5), readUntilT("zz", 0), readUntilT("zz", 0), readUntilT("", 0),
				write("!"), sleep(0.5), readUntilT("zz", 0))},
			want: []string{dataLine([]byte("abc")), dataLine(nil), dataLine(nil), "wrote", "eof"},
		},
		{
			name:   "read_until at end of file",
			server: steps(send("abc"), eof()),
			spec:   spec{Ops: ops(readUntil("zz"), readUntil("zz"), call("read_all"), call("read_some"), call("read_very_lazy"))},
			want:   []string{dataLine([]byte("abc")), "eof", dataLine(nil), dataLine(nil), "eof"},
		},
		{
			name:   "IAC IAC in data, split too",
			server: steps(send("a"+iac+iac+"b"), pause(100), send("c"+iac), pause(100), send(iac+"d"), eof()),
			spec:   spec{Ops: ops(readUntil(iac), call("read_all"))},
			want:   []string{dataLine([]byte("a\xff")), dataLine([]byte("bc\xffd"))},
		},
		{
			name:   "NUL and DC1 dropped",
			server: steps(send("a\x00b\x11c\r\x00d\x00"), pause(100), send("\x11\x11e"), eof()),
			spec:   spec{Ops: ops(readUntil("\r"), readUntil("d"), call("read_all"))},
			want:   []string{dataLine([]byte("abc\r")), dataLine([]byte("d")), dataLine([]byte("e"))},
		},
		{
			name: "every option refused",
			server: steps(send(iac+do+"\x01"+iac+will+"\x03"+iac+dont+"\x18"+iac+wont+"\x1f"+"data"+
				iac+do+iac+iac+will+"\x01"+iac+do+"\x01"), eof()),
			spec: spec{Ops: ops(call("read_all"))},
			want: []string{dataLine([]byte("data"))},
			sent: iac + wont + "\x01" + iac + dont + "\x03" + iac + wont + "\x18" + iac + dont + "\x1f" +
				iac + wont + iac + iac + dont + "\x01" + iac + wont + "\x01",
		},
		{
			name: "negotiation split across reads",
			server: steps(send(iac), pause(100), send(do), pause(100), send("\x18ab"+iac+will), awaitBytes(3),
				send("\x01"+iac), pause(100), send(wont+"\x05cd"), eof()),
			spec: spec{Ops: ops(call("read_some"), call("read_some"), call("read_some"), call("read_some"))},
			want: []string{dataLine([]byte("ab")), dataLine([]byte("cd")), dataLine(nil), dataLine(nil)},
			sent: iac + wont + "\x18" + iac + dont + "\x01" + iac + dont + "\x05",
		},
		{
			name:   "other commands ignored",
			server: steps(send("a"+iac+"\xf1b"+iac+"\xf9c"+iac+"\xf6d"+iac+"\x01e"+iac+se+"f"+iac+"\xf2g"), eof()),
			spec:   spec{Ops: ops(call("read_all"), call("read_sb_data"))},
			want:   []string{dataLine([]byte("abcdefg")), dataLine(nil)},
		},
		{
			name:   "SB data",
			server: steps(send("x"+iac+sb+"\x18\x01"+iac+se+"y"), eof()),
			spec:   spec{Ops: ops(readUntil("y"), call("read_sb_data"), call("read_sb_data"), call("read_all"))},
			want:   []string{dataLine([]byte("xy")), dataLine([]byte("\x18\x01")), dataLine(nil), dataLine(nil)},
		},
		{
			name: "SB with IAC IAC, NUL and a negotiation inside",
			server: steps(send(iac+sb+"\x18a"+iac+iac+"b\x00c"+iac+do+"\x01d\x11"+iac+se+"e"), awaitBytes(4),
				send(iac+sb+"\x00ab"+iac+se+"|"), awaitBytes(5), send(iac+sb+"\x11cd"+iac+se+"|"), eof()),
			spec: spec{Ops: ops(readUntil("e"), call("read_sb_data"), write("1"), readUntil("|"),
				call("read_sb_data"), write("2"), readUntil("|"), call("read_sb_data"))},
			want: []string{dataLine([]byte("e")), dataLine([]byte("\x18a\xffbcd")), "wrote", dataLine([]byte("|")),
				dataLine([]byte("ab")), "wrote", dataLine([]byte("|")), dataLine([]byte("cd"))},
			sent: iac + wont + "\x01" + "12",
		},
		{
			name:   "SB split across reads, read in the middle",
			server: steps(send("x"+iac+sb+"\x1fA"), awaitBytes(1), send("B"+iac), pause(100), send(se+"z"), eof()),
			spec: spec{Ops: ops(readUntil("x"), call("read_very_lazy"), call("read_sb_data"), write("!"),
				readUntil("z"), call("read_sb_data"))},
			want: []string{dataLine([]byte("x")), dataLine(nil), dataLine([]byte("\x1fA")), "wrote",
				dataLine([]byte("z")), dataLine([]byte("B"))},
		},
		{
			name:   "a new SB discards unread SB data",
			server: steps(send(iac+sb+"\x01old"+iac+se), pause(150), send(iac+sb+"\x02new"+iac+se+"!"), eof()),
			spec:   spec{Ops: ops(readUntil("!"), call("read_sb_data"))},
			want:   []string{dataLine([]byte("!")), dataLine([]byte("\x02new"))},
		},
		{
			name:   "difference: a new SB in the same read discards unread SB data",
			server: steps(send(iac+sb+"\x01a"+iac+sb+"\x02b"+iac+se+"!"), eof()),
			spec:   spec{Ops: ops(readUntil("!"), call("read_sb_data"))},
			want:   []string{dataLine([]byte("!")), dataLine([]byte("\x02b"))},
			pyWant: []string{dataLine([]byte("!")), dataLine([]byte("\x01a\x02b"))},
		},
		{
			name:   "difference: reads of more than 50 bytes",
			server: steps(send(strings.Repeat("0123456789", 12)), eof()),
			spec:   spec{Ops: ops(sleep(0.5), call("read_eager"), call("read_very_eager"), call("read_some"))},
			want:   []string{dataLine([]byte(strings.Repeat("0123456789", 12))), "eof", dataLine(nil)},
			pyWant: []string{dataLine([]byte(strings.Repeat("0123456789", 5))),
				dataLine([]byte(strings.Repeat("0123456789", 7))), dataLine(nil)},
		},
		{
			name: "end of file inside sequences",
			server: steps(send("ab"+iac+sb+"\x18cd"), pause(100), send(iac+se+"ef"+iac), pause(100),
				send(iac+"gh"+iac+sb+"xy"), pause(100), send(iac), eof()),
			spec: spec{Ops: ops(call("read_all"), call("read_sb_data"), call("read_very_eager"))},
			want: []string{dataLine([]byte("abef\xffgh")), dataLine([]byte("xy")), "eof"},
		},
		{
			name:   "callback does all the negotiation",
			server: callbackServer(),
			spec:   spec{Callback: true, Agree: []byte{0x18, 0x01}, Ops: ops(readUntil("hi"), call("read_all"))},
			want: []string{"cb 253 24", "cb 251 1", "cb 253 31", "cb 252 3", "cb 250 0", "cb 240 0", "sb 1801",
				"cb 241 0", "cb 249 0", dataLine([]byte("hi")), "cb 254 255", "cb 240 0", "sb ",
				dataLine([]byte("\xfa !"))},
			sent: iac + will + "\x18" + iac + do + "\x01" + iac + sb + "\x18\x00XTERM" + iac + se,
		},
		{
			name: "expect across reads",
			server: steps(send("login"), pause(100), send(": "), awaitBytes(1), send("pass"), awaitBytes(2),
				send("word: x"), eof()),
			spec: spec{Ops: ops(expect("login: ", "password:"), write("1"), expect("word: ", "pass"), write("2"),
				expect("wo(r)d: (y)?"), call("read_all"))},
			want: []string{"expect 0 6c6f67696e3a20 6c6f67696e3a20", "wrote", "expect 1 70617373 70617373", "wrote",
				"expect 0 776f72643a20,72,- 776f72643a20", dataLine([]byte("x"))},
		},
		{
			name:   "expect timeout and end of file",
			server: steps(send("abc"), awaitBytes(1), pause(100), send("def"), eof()),
			spec: spec{Ops: ops(readUntil("a"), expectT(0.2, "def"), write("!"), expectT(3, "d.f"), expect("x"),
				expectT(0, "x"))},
			want: []string{dataLine([]byte("a")), "expect -1  6263", "wrote", "expect 0 646566 646566", "eof", "eof"},
		},
		{
			name:   "expect returns the text at end of file",
			server: steps(send("abc"), pause(100), send("de"), eof()),
			spec:   spec{Ops: ops(expect("q*"), expect("x"), expect("x"), expect("x*"), call("read_all"))},
			want:   []string{"expect 0  ", "expect -1  6162636465", "eof", "eof", dataLine(nil)},
		},
		{
			name:   "socket timeout bounds reads but not read_until",
			server: steps(awaitBytes(1), pause(400), send("xy"), eof()),
			spec: spec{OpenTimeout: seconds(0.2),
				Ops: ops(expect("x"), call("read_some"), write("!"), readUntil("x"), call("read_all"))},
			want: []string{"timeout", "timeout", "wrote", dataLine([]byte("x")), dataLine([]byte("y"))},
		},
		{
			name:   "socket timeout keeps what was read",
			server: steps(send("abc"), awaitBytes(1), send("\xff\xfb\x01d"), eof()),
			spec: spec{OpenTimeout: seconds(0.2), Ops: ops(readUntil("a"), call("read_all"), call("read_very_lazy"),
				call("read_all"), write("!"), call("read_all"))},
			want: []string{dataLine([]byte("a")), "timeout", dataLine([]byte("bc")), "timeout", "wrote", dataLine([]byte("d"))},
			sent: "!\xff\xfe\x01",
		},
		{
			name:   "eager and lazy reads",
			server: steps(send("abc"+iac+do+"\x01def"), awaitBytes(4), send("ghi"), eof()),
			spec: spec{Ops: ops(call("read_very_lazy"), call("read_lazy"), sleep(0.5), call("read_very_lazy"),
				call("read_lazy"), call("read_eager"), call("read_eager"), call("read_very_eager"), write("!"), sleep(0.5),
				call("read_very_lazy"), call("read_very_eager"), call("read_very_eager"), call("read_lazy"),
				call("read_very_lazy"), call("read_eager"), call("read_sb_data"))},
			want: []string{dataLine(nil), dataLine(nil), dataLine(nil), dataLine(nil), dataLine([]byte("abcdef")),
				dataLine(nil), dataLine(nil), "wrote", dataLine(nil), dataLine([]byte("ghi")), "eof", "eof", "eof", "eof",
				dataLine(nil)},
			sent: iac + wont + "\x01!",
		},
		{
			name:   "read_eager reads what arrived without waiting",
			server: steps(send(iac+will+"\x01ab"), awaitBytes(4), send("cd"), eof()),
			spec: spec{Ops: ops(sleep(0.5), call("read_eager"), call("read_eager"), call("read_very_eager"),
				write("!"), call("read_some"), sleep(0.5), call("read_eager"))},
			want: []string{dataLine([]byte("ab")), dataLine(nil), dataLine(nil), "wrote", dataLine([]byte("cd")), "eof"},
		},
		{
			name: "read_some returns as data comes",
			server: steps(send("ab"), awaitBytes(1), send("cd"), awaitBytes(2), send(iac+will+"\x01"), pause(100),
				send("ef"), eof()),
			spec: spec{Ops: ops(call("read_some"), write("1"), call("read_some"), write("2"), call("read_some"),
				call("read_some"), call("read_some"))},
			want: []string{dataLine([]byte("ab")), "wrote", dataLine([]byte("cd")), "wrote", dataLine([]byte("ef")),
				dataLine(nil), dataLine(nil)},
			sent: "12" + iac + dont + "\x01",
		},
		{
			name:   "write doubles IAC",
			server: steps(awaitBytes(6), send("ok"), eof()),
			spec:   spec{Ops: ops(write("a\xffb\r\n"), write(""), call("read_all"))},
			want:   []string{"wrote", "wrote", dataLine([]byte("ok"))},
			sent:   "a\xff\xffb\r\n",
		},
		{
			name:   "close keeps the queue, then end of file",
			server: steps(send("abcdef")),
			spec: spec{Ops: ops(readUntil("b"), call("close"), call("read_very_lazy"), call("read_very_lazy"),
				call("read_all"), call("read_some"), call("read_eager"), call("read_very_eager"), readUntil("x"),
				expect("c"), write("x"))},
			want: []string{dataLine([]byte("ab")), "closed", dataLine([]byte("cdef")), "eof", dataLine(nil),
				dataLine(nil), "eof", "eof", "error", "error", "error"},
		},
		{
			name:   "large stream",
			server: steps(sendBytes(large), eof()),
			spec:   spec{Ops: ops(call("read_all_digest"))},
			sent:   string(largeSent),
		},
	}
}

// callbackServer offers options, sends an SB and commands for the callback
// to see, and then a DONT whose option byte is the IAC of the next SB, as
// telnetlib parses it, so that the SB byte becomes data.
func callbackServer() []step {
	return steps(
		send(iac+do+"\x18"+iac+will+"\x01"+iac+do+"\x1f"+iac+wont+"\x03"),
		awaitBytes(6),
		send(iac+sb+"\x18\x01"+iac+se+iac+"\xf1h"+iac+"\xf9i"),
		awaitBytes(17),
		send(iac+dont),
		pause(100),
		send(iac+sb+" "+iac+se+"!"),
		eof(),
	)
}

// largeStream returns 256 KiB of data mixed with escaped IACs, NULs,
// DC1s, negotiations, commands and SBs, and the refusals it must get.
func largeStream() (stream, refusals []byte) {
	r := rand.New(rand.NewPCG(1, 2))
	var b, want bytes.Buffer
	for b.Len() < 256<<10 {
		switch k := r.IntN(100); {
		case k < 80:
			for range r.IntN(200) {
				b.WriteByte(byte('a' + r.IntN(26)))
			}
		case k < 85:
			b.WriteString(iac + iac)
		case k < 88:
			b.WriteString("\r\x00\x11")
		case k < 94:
			cmd, opt := byte(0xfb+r.IntN(4)), byte(r.IntN(256))
			b.Write([]byte{0xff, cmd, opt})
			reply := byte(0xfe) // DONT, for WILL and WONT
			if cmd >= 0xfd {
				reply = 0xfc // WONT, for DO and DONT
			}
			want.Write([]byte{0xff, reply, opt})
		case k < 97:
			b.WriteString(iac + "\xf1")
		default:
			b.WriteString(iac + sb + "\x18\x00xterm" + iac + iac + iac + se)
		}
	}
	return b.Bytes(), want.Bytes()
}
