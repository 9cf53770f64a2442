package negotiate

import (
	"bytes"
	"fmt"
)

// AppendGMCP appends a GMCP message: the package name (such as
// "Core.Hello" or "Char.Vitals"), then, when json is not empty, one space
// and json. The JSON text is not checked.
//
// It returns dst unchanged and an error when pkg is empty or contains a
// space or an ASCII control character, since the receiver would split such
// a name differently.
func AppendGMCP(dst []byte, pkg string, json []byte) ([]byte, error) {
	if err := checkGMCPPackage([]byte(pkg)); err != nil {
		return dst, err
	}
	dst = append(dst, pkg...)
	if len(json) > 0 {
		dst = append(dst, ' ')
		dst = append(dst, json...)
	}
	return dst, nil
}

// ParseGMCP decodes a GMCP payload into its package name and the JSON text
// after the first space, which is empty when there is none. The JSON is
// neither checked nor unmarshalled. An empty package name, or one with an
// ASCII control character, is malformed.
//
// The results do not share memory with p.
func ParseGMCP(p []byte) (pkg string, json []byte, err error) {
	name, rest, found := bytes.Cut(p, []byte{' '})
	if err := checkGMCPPackage(name); err != nil {
		return "", nil, fmt.Errorf("%w: %w", err, ErrMalformed)
	}
	if found && len(rest) > 0 {
		json = bytes.Clone(rest)
	}
	return string(name), json, nil
}

func checkGMCPPackage(name []byte) error {
	if len(name) == 0 {
		return fmt.Errorf("negotiate: empty GMCP package name")
	}
	for _, b := range name {
		if b <= ' ' || b == 0x7f {
			return fmt.Errorf("negotiate: GMCP package name %q contains byte %#x", name, b)
		}
	}
	return nil
}
