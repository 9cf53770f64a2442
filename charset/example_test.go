package charset_test

import (
	"fmt"

	"github.com/telnetkit/telnet/charset"
	"github.com/telnetkit/telnet/negotiate"
)

func ExampleLookup() {
	for _, name := range []string{"latin1", "cp-437", "sjis", "c64", "klingon"} {
		_, canonical, err := charset.Lookup(name)
		fmt.Println(name, "->", canonical, err)
	}
	// Output:
	// latin1 -> ISO-8859-1 <nil>
	// cp-437 -> IBM437 <nil>
	// sjis -> Shift_JIS <nil>
	// c64 -> petscii <nil>
	// klingon ->  charset: unknown encoding "klingon" (charset.Names lists the known names)
}

// A Decoder keeps a character split across two reads.
func ExampleDecoder() {
	enc, _, _ := charset.Lookup("big5bbs")
	d := charset.NewDecoder(enc, charset.Replace)
	dst := make([]byte, 64)
	for _, read := range [][]byte{{'>', 0xA4}, {0xA4, 0xB0, ' '}} {
		n, _, _ := d.Decode(dst, read)
		fmt.Printf("%q\n", dst[:n])
	}
	// Output:
	// ">"
	// "中░ "
}

func ExampleEncoder() {
	enc, _, _ := charset.Lookup("cp437")
	e := charset.NewEncoder(enc, charset.Replace)
	dst := make([]byte, 64)
	n, _, _ := e.Encode(dst, []byte("┌─┐ 5€"))
	fmt.Printf("% x\n", dst[:n])
	// Output:
	// da c4 bf 20 35 3f
}

// A client configured for CP437 answers a server's CHARSET REQUEST.
func ExampleChooser() {
	request, _ := negotiate.AppendCharsetRequest(nil, ' ', charset.Offers(""))
	m, _ := negotiate.ParseCharset(request)
	reply, _ := negotiate.AppendCharsetReply(nil, m, charset.Chooser("ibm437"))
	fmt.Printf("%q\n", reply)
	// Output:
	// "\x02CP437"
}

func ExampleLangCharset() {
	name, ok := charset.LangCharset("en_US.UTF-8")
	fmt.Println(name, ok)
	// Output:
	// UTF-8 true
}

func ExampleLangWithCharset() {
	fmt.Println(charset.LangWithCharset("fr_FR.UTF-8@euro", "cp437"))
	// Output:
	// fr_FR.IBM437@euro
}
