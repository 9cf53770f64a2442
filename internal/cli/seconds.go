package cli

import (
	"fmt"
	"strconv"
	"time"
)

// maxSeconds bounds a Seconds option, far beyond any wait a person means,
// so that the conversion to a Duration cannot overflow.
const maxSeconds = 1e9

// Seconds is a [flag.Value] of a duration given as a number of seconds,
// as telnetlib3's options take it ("4", "1.5"), or as a Go duration
// ("250ms"). It is never negative.
type Seconds time.Duration

// String returns the duration in seconds, as it would be given.
func (s *Seconds) String() string {
	return strconv.FormatFloat(time.Duration(*s).Seconds(), 'g', -1, 64)
}

// Set parses v.
func (s *Seconds) Set(v string) error {
	if f, err := strconv.ParseFloat(v, 64); err == nil {
		if !(f >= 0 && f <= maxSeconds) { // NaN too
			return fmt.Errorf("%q is not a number of seconds", v)
		}
		*s = Seconds(f * float64(time.Second))
		return nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d < 0 {
		return fmt.Errorf("%q is not a number of seconds", v)
	}
	*s = Seconds(d)
	return nil
}
