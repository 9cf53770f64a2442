package main

import (
	"bytes"
	"testing"
)

func TestScreenOutput(t *testing.T) {
	tests := []struct {
		name   string
		mode   mode
		writes []string
		want   string
	}{
		{"raw is untouched", modeRaw, []string{"a\nb\r\n\r\x00"}, "a\nb\r\n\r\x00"},
		{"line gives a bare LF its CR", modeLine, []string{"a\nb\r\nc"}, "a\r\nb\r\nc"},
		{"line remembers a CR across writes", modeLineNoEcho, []string{"a\r", "\nb\n"}, "a\r\nb\r\n"},
		{"line leaves CR LF alone", modeLine, []string{"a\r\n\r\nb"}, "a\r\n\r\nb"},
		{"line with LF first and bare LFs in a row", modeLine, []string{"x", "\n\n\r\nb\n"}, "x\r\n\r\n\r\nb\r\n"},
	}
	for _, tt := range tests {
		var buf bytes.Buffer
		s := newScreen(&buf)
		for _, w := range tt.writes {
			if err := s.output([]byte(w), tt.mode); err != nil {
				t.Fatal(err)
			}
		}
		if buf.String() != tt.want {
			t.Errorf("%s: wrote %q, want %q", tt.name, buf.String(), tt.want)
		}
	}
}

func TestScreenMessageOnItsOwnLine(t *testing.T) {
	var buf bytes.Buffer
	s := newScreen(&buf)
	s.message("one")
	s.output([]byte("$ "), modeRaw)
	s.message("two")
	s.output([]byte("x\r\n"), modeRaw)
	s.message("three")
	if want := "one\r\n$ \r\ntwo\r\nx\r\nthree\r\n"; buf.String() != want {
		t.Errorf("wrote %q, want %q", buf.String(), want)
	}
}

func TestCRLFWriter(t *testing.T) {
	var buf bytes.Buffer
	n, err := crlfWriter{&buf}.Write([]byte("a\nb\n"))
	if n != 4 || err != nil || buf.String() != "a\r\nb\r\n" {
		t.Errorf("Write = %d, %v; wrote %q", n, err, buf.String())
	}
}
