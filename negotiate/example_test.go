package negotiate_test

import (
	"fmt"

	"github.com/telnetkit/telnet/negotiate"
)

// A server engine asks for the window size, then parses what a client
// sent: data with protocol mixed in, split anywhere.
func ExampleEngine() {
	e := negotiate.New(negotiate.Config{
		Local:  negotiate.OptionSetOf(negotiate.Echo),
		Remote: negotiate.OptionSetOf(negotiate.NAWS),
	})
	e.Enable(negotiate.Remote, negotiate.NAWS)
	fmt.Printf("send % x\n", e.AppendOutput(nil))

	for _, chunk := range []string{
		"\xff\xfb\x1f\xff\xfa\x1f\x00\x50", // WILL NAWS, and half an SB
		"\x00\x18\xff\xf0hi\xff\xfd\x01!",  // the rest, data, DO ECHO
	} {
		buf := []byte(chunk)
		n := e.Feed(buf)
		for _, ev := range e.Events() {
			fmt.Println("event:", ev)
			if ev.Kind == negotiate.EventSubnegotiation && ev.Option == negotiate.NAWS {
				cols, rows, _ := negotiate.ParseNAWS(ev.Data)
				fmt.Println("window:", cols, rows)
			}
		}
		fmt.Printf("data %q, send [% x]\n", buf[:n], e.AppendOutput(nil))
	}
	// Output:
	// send ff fd 1f
	// event: WILL NAWS
	// event: remote NAWS enabled
	// data "", send []
	// event: SB NAWS 00 50 00 18
	// window: 80 24
	// event: DO ECHO
	// event: local ECHO enabled
	// data "hi!", send [ff fb 01]
}

// Encoders build payloads; AppendSubnegotiation frames and escapes them.
func ExampleAppendSubnegotiation() {
	payload := negotiate.AppendNAWS(nil, 255, 24)
	fmt.Printf("% x\n", negotiate.AppendSubnegotiation(nil, negotiate.NAWS, payload))
	// Output: ff fa 1f 00 ff ff 00 18 ff f0
}
