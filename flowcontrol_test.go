package telnet

import (
	"errors"
	"net"
	"testing"

	"github.com/telnetkit/telnet/negotiate"
)

func TestFlowControl(t *testing.T) {
	client, server := pair(t, nil, []Option{WithRemoteOption(negotiate.LFLOW, Request)})
	flow := func(c *Conn, on, any bool) func() bool {
		return func() bool {
			gotOn, gotAny, ok := c.FlowControl()
			return ok && gotOn == on && gotAny == any
		}
	}
	pumpUntil(t, flow(client, true, false), client, server)
	if err := server.SetFlowControl(false, true); err != nil {
		t.Fatal(err)
	}
	if !flow(server, false, true)() {
		t.Error("the server does not report what it asked for")
	}
	pumpUntil(t, flow(client, false, true), client, server)
	if err := client.SetFlowControl(true, false); !errors.Is(err, ErrOptionDisabled) {
		t.Errorf("a client's SetFlowControl: %v", err)
	}
	// Without LFLOW there is nothing to set or report.
	plain, server2 := pair(t, []Option{WithLocalOption(negotiate.LFLOW, Refuse)}, []Option{WithRemoteOption(negotiate.LFLOW, Request)})
	pumpUntil(t, func() bool { return !server2.OptionEnabled(negotiate.Remote, negotiate.LFLOW) }, plain, server2)
	if _, _, ok := server2.FlowControl(); ok {
		t.Error("FlowControl reports LFLOW off as on")
	}
	if err := server2.SetFlowControl(true, true); !errors.Is(err, ErrOptionDisabled) {
		t.Errorf("SetFlowControl without LFLOW: %v", err)
	}
}

// A bad LFLOW payload changes nothing, and the data after it arrives.
func TestFlowControlBadPayload(t *testing.T) {
	client, raw := rawPeer(t, func(c net.Conn) *Conn { return Client(c, WithNegotiationTimeout(0)) })
	raw.Write([]byte("\xff\xfd\x21")) // DO LFLOW
	pumpUntil(t, func() bool { _, _, ok := client.FlowControl(); return ok }, client)
	// RESTART-ANY and OFF, each with a byte too many, and an empty one:
	// taken, either would change the state.
	raw.Write([]byte("\xff\xfa\x21\x02\x00\xff\xf0\xff\xfa\x21\xff\xf0\xff\xfa\x21\x00\x01\xff\xf0x"))
	buf := make([]byte, 8)
	if n, err := client.Read(buf); err != nil || string(buf[:n]) != "x" {
		t.Fatalf("Read = %q, %v", buf[:n], err)
	}
	if on, any, ok := client.FlowControl(); !ok || !on || any {
		t.Errorf("after bad payloads: on %v, restart any %v, LFLOW %v", on, any, ok)
	}
}
