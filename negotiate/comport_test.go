package negotiate

import (
	"bytes"
	"errors"
	"reflect"
	"testing"
)

func TestComPortEncodeGolden(t *testing.T) {
	tests := []struct {
		name string
		m    ComPortMessage
		want []byte
	}{
		{
			// telnetlib3's client asks for the signature this way.
			"signature request",
			ComPortSignatureMessage(ComPortSignature, ""),
			[]byte{0xff, 0xfa, 0x2c, 0x00, 0xff, 0xf0},
		},
		{
			"server signature",
			ComPortSignatureMessage(ComPortSignature.Reply(), "ser2net"),
			codecWire(0xff, 0xfa, 0x2c, 0x64, "ser2net", 0xff, 0xf0),
		},
		{
			// pySerial opens a port at 9600 baud with this.
			"set baud rate 9600",
			ComPortBaudMessage(ComPortSetBaudRate, 9600),
			[]byte{0xff, 0xfa, 0x2c, 0x01, 0x00, 0x00, 0x25, 0x80, 0xff, 0xf0},
		},
		{
			"server baud rate 115200",
			ComPortBaudMessage(ComPortSetBaudRate.Reply(), 115200),
			[]byte{0xff, 0xfa, 0x2c, 0x65, 0x00, 0x01, 0xc2, 0x00, 0xff, 0xf0},
		},
		{
			"baud rate with IAC bytes",
			ComPortBaudMessage(ComPortSetBaudRate, 65535),
			[]byte{0xff, 0xfa, 0x2c, 0x01, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xf0},
		},
		{"data size 8", ComPortByteMessage(ComPortSetDataSize, 8), []byte{0xff, 0xfa, 0x2c, 0x02, 0x08, 0xff, 0xf0}},
		{"parity none", ComPortByteMessage(ComPortSetParity, ComPortParityNone), []byte{0xff, 0xfa, 0x2c, 0x03, 0x01, 0xff, 0xf0}},
		{"stop size 1.5", ComPortByteMessage(ComPortSetStopSize, ComPortStopSize15), []byte{0xff, 0xfa, 0x2c, 0x04, 0x03, 0xff, 0xf0}},
		{"DTR on", ComPortByteMessage(ComPortSetControl, ComPortControlDTROn), []byte{0xff, 0xfa, 0x2c, 0x05, 0x08, 0xff, 0xf0}},
		{
			"server modem state",
			ComPortByteMessage(ComPortNotifyModemState.Reply(), ComPortModemCD|ComPortModemDSR|ComPortModemCTS),
			[]byte{0xff, 0xfa, 0x2c, 0x6b, 0xb0, 0xff, 0xf0},
		},
		{"suspend", ComPortMessage{Command: ComPortFlowControlSuspend}, []byte{0xff, 0xfa, 0x2c, 0x08, 0xff, 0xf0}},
		{"server resume", ComPortMessage{Command: ComPortFlowControlResume.Reply()}, []byte{0xff, 0xfa, 0x2c, 0x6d, 0xff, 0xf0}},
		{"line state mask", ComPortByteMessage(ComPortSetLineStateMask, 0xff), []byte{0xff, 0xfa, 0x2c, 0x0a, 0xff, 0xff, 0xff, 0xf0}},
		{"purge both", ComPortByteMessage(ComPortPurgeData, ComPortPurgeBoth), []byte{0xff, 0xfa, 0x2c, 0x0c, 0x03, 0xff, 0xf0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			payload, err := AppendComPort(nil, tt.m)
			if err != nil {
				t.Fatal(err)
			}
			if got := AppendSubnegotiation(nil, ComPort, payload); !bytes.Equal(got, tt.want) {
				t.Errorf("wire = % x\nwant   % x", got, tt.want)
			}
		})
	}
}

func TestAppendComPortErrors(t *testing.T) {
	tests := []struct {
		name string
		m    ComPortMessage
	}{
		{"unknown command", ComPortMessage{Command: 13}},
		{"unknown reply", ComPortMessage{Command: 113, Value: []byte{1}}},
		{"short baud", ComPortMessage{Command: ComPortSetBaudRate, Value: []byte{0, 0, 1}}},
		{"long baud", ComPortMessage{Command: ComPortSetBaudRate.Reply(), Value: []byte{0, 0, 0, 1, 0}}},
		{"missing byte", ComPortMessage{Command: ComPortSetParity}},
		{"two bytes", ComPortMessage{Command: ComPortPurgeData, Value: []byte{1, 2}}},
		{"suspend with value", ComPortMessage{Command: ComPortFlowControlSuspend, Value: []byte{0}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := AppendComPort([]byte("keep"), tt.m)
			if err == nil || string(got) != "keep" {
				t.Errorf("got % x, %v; want dst unchanged and an error", got, err)
			}
		})
	}
}

func TestParseComPort(t *testing.T) {
	tests := []struct {
		name string
		p    []byte
		want ComPortMessage
	}{
		{"signature request", []byte{0x00}, ComPortMessage{Command: ComPortSignature}},
		{"server signature", codecWire(0x64, "sredird 2.2.2"), ComPortMessage{Command: 100, Value: []byte("sredird 2.2.2")}},
		{"signature with 255 and SE bytes", []byte{0x00, 0xff, 0xf0}, ComPortMessage{Command: ComPortSignature, Value: []byte{0xff, 0xf0}}},
		{"baud rate", []byte{0x01, 0x00, 0x00, 0x25, 0x80}, ComPortMessage{Command: ComPortSetBaudRate, Value: []byte{0x00, 0x00, 0x25, 0x80}}},
		{
			"sredird's baud reply with 4 extra NULs",
			[]byte{0x65, 0x00, 0x00, 0x25, 0x80, 0x00, 0x00, 0x00, 0x00},
			ComPortMessage{Command: 101, Value: []byte{0x00, 0x00, 0x25, 0x80}},
		},
		{"data size", []byte{0x66, 0x08}, ComPortMessage{Command: 102, Value: []byte{0x08}}},
		{"control 19", []byte{0x05, 0x13}, ComPortMessage{Command: ComPortSetControl, Value: []byte{19}}},
		{"line state", []byte{0x6a, 0x61}, ComPortMessage{Command: 106, Value: []byte{0x61}}},
		{"suspend", []byte{0x08}, ComPortMessage{Command: ComPortFlowControlSuspend}},
		{"server resume", []byte{0x6d}, ComPortMessage{Command: 109}},
		{"modem mask 255", []byte{0x0b, 0xff}, ComPortMessage{Command: ComPortSetModemStateMask, Value: []byte{0xff}}},
		{"purge", []byte{0x70, 0x01}, ComPortMessage{Command: 112, Value: []byte{0x01}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseComPort(tt.p)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestParseComPortMalformed(t *testing.T) {
	tests := []struct {
		name string
		p    []byte
	}{
		{"empty", nil},
		{"command 13", []byte{0x0d, 0x00}},
		{"command 99", []byte{0x63}},
		{"command 113", []byte{0x71, 0x00}},
		{"command 255", []byte{0xff, 0x00}},
		{"baud truncated", []byte{0x01, 0x00, 0x25, 0x80}},
		{"baud without value", []byte{0x01}},
		{"baud 5 bytes", []byte{0x65, 0x00, 0x00, 0x25, 0x80, 0x00}},
		{"baud 8 bytes with a non-NUL tail", []byte{0x65, 0x00, 0x00, 0x25, 0x80, 0x00, 0x00, 0x00, 0x01}},
		{"baud 12 bytes", []byte{0x65, 0, 0, 0x25, 0x80, 0, 0, 0, 0, 0, 0, 0, 0}},
		{"data size without value", []byte{0x02}},
		{"parity with two bytes", []byte{0x03, 0x01, 0x01}},
		{"notify line state with two bytes", []byte{0x6a, 0xff, 0xff}},
		{"suspend with value", []byte{0x08, 0x00}},
		{"server resume with value", []byte{0x6d, 0xff}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseComPort(tt.p)
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("ParseComPort(% x) = %+v, %v; want ErrMalformed", tt.p, got, err)
			}
		})
	}
}

func TestComPortAccessors(t *testing.T) {
	if got := ComPortBaudMessage(ComPortSetBaudRate, 115200).Baud(); got != 115200 {
		t.Errorf("Baud = %d", got)
	}
	if got := ComPortBaudMessage(ComPortSetBaudRate.Reply(), 0xffffffff).Baud(); got != 0xffffffff {
		t.Errorf("reply Baud = %d", got)
	}
	if got := ComPortByteMessage(ComPortSetDataSize, 4).Baud(); got != 0 {
		t.Errorf("Baud of SET-DATASIZE = %d, want 0", got)
	}
	if got := ComPortByteMessage(ComPortSetParity, ComPortParityEven).Byte(); got != ComPortParityEven {
		t.Errorf("Byte = %d", got)
	}
	if got := ComPortBaudMessage(ComPortSetBaudRate, 9600).Byte(); got != 0 {
		t.Errorf("Byte of a baud rate = %d, want 0", got)
	}
	if got := ComPortSignatureMessage(ComPortSignature.Reply(), "ser2net 4.6").Signature(); got != "ser2net 4.6" {
		t.Errorf("Signature = %q", got)
	}
	if got := ComPortByteMessage(ComPortSetParity, 'x').Signature(); got != "" {
		t.Errorf("Signature of SET-PARITY = %q, want empty", got)
	}
}

func TestComPortCommand(t *testing.T) {
	tests := []struct {
		c       ComPortCommand
		known   bool
		isReply bool
		base    ComPortCommand
		reply   ComPortCommand
		name    string
	}{
		{ComPortSignature, true, false, 0, 100, "SIGNATURE"},
		{ComPortSetBaudRate, true, false, 1, 101, "SET-BAUDRATE"},
		{ComPortPurgeData, true, false, 12, 112, "PURGE-DATA"},
		{101, true, true, 1, 101, "SERVER-SET-BAUDRATE"},
		{112, true, true, 12, 112, "SERVER-PURGE-DATA"},
		{13, false, false, 13, 113, "13"},
		{99, false, false, 99, 199, "99"},
		{113, false, true, 13, 113, "113"},
		{255, false, true, 155, 255, "255"},
	}
	for _, tt := range tests {
		if tt.c.Known() != tt.known || tt.c.IsReply() != tt.isReply || tt.c.Base() != tt.base || tt.c.Reply() != tt.reply || tt.c.String() != tt.name {
			t.Errorf("%d: Known %v IsReply %v Base %d Reply %d String %q", byte(tt.c), tt.c.Known(), tt.c.IsReply(), tt.c.Base(), tt.c.Reply(), tt.c.String())
		}
	}
}

func TestComPortRoundTrip(t *testing.T) {
	msgs := []ComPortMessage{
		ComPortSignatureMessage(ComPortSignature, ""),
		ComPortSignatureMessage(ComPortSignature.Reply(), "x\xff\x00y"),
		ComPortBaudMessage(ComPortSetBaudRate, 0),
		ComPortBaudMessage(ComPortSetBaudRate.Reply(), 4000000),
		{Command: ComPortFlowControlSuspend},
		{Command: ComPortFlowControlResume.Reply()},
	}
	for c := ComPortSetDataSize; c <= ComPortPurgeData; c++ {
		if c == ComPortFlowControlSuspend || c == ComPortFlowControlResume {
			continue
		}
		msgs = append(msgs, ComPortByteMessage(c, byte(c)), ComPortByteMessage(c.Reply(), 0xff))
	}
	for _, m := range msgs {
		p, err := AppendComPort(nil, m)
		if err != nil {
			t.Fatalf("%+v: %v", m, err)
		}
		got, err := ParseComPort(p)
		if err != nil || !reflect.DeepEqual(got, m) {
			t.Errorf("round trip of %+v gave %+v, %v", m, got, err)
		}
	}
}

func FuzzParseComPort(f *testing.F) {
	f.Add([]byte{0x00})
	f.Add(codecWire(0x64, "ser2net"))
	f.Add([]byte{0x01, 0x00, 0x00, 0x25, 0x80})
	f.Add([]byte{0x65, 0x00, 0x00, 0x25, 0x80, 0x00, 0x00, 0x00, 0x00})
	f.Add([]byte{0x02, 0x08})
	f.Add([]byte{0x03, 0x01})
	f.Add([]byte{0x04, 0x01})
	f.Add([]byte{0x05, 0x08})
	f.Add([]byte{0x6b, 0xb0})
	f.Add([]byte{0x08})
	f.Add([]byte{0x0c, 0x03})
	f.Fuzz(func(t *testing.T, p []byte) {
		m, err := ParseComPort(p)
		if err != nil {
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("error %v does not wrap ErrMalformed", err)
			}
			return
		}
		again, err := AppendComPort(nil, m)
		if err != nil {
			t.Fatalf("re-encoding %+v: %v", m, err)
		}
		m2, err := ParseComPort(again)
		if err != nil {
			t.Fatalf("re-encoded % x does not parse: %v", again, err)
		}
		if !reflect.DeepEqual(m, m2) {
			t.Fatalf("decode-encode-decode changed %+v into %+v", m, m2)
		}
	})
}
