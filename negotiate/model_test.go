package negotiate

import (
	"math/rand/v2"
	"testing"
)

// TestQMethodModel runs two engines against each other: each side makes
// random requests while the messages in flight are delivered in random
// interleavings, in order per direction as TCP does. Whatever happens,
// once the requests stop the exchange must go quiet within a bounded
// number of messages, nothing may stay pending, and both ends must agree
// on the state of every option.
func TestQMethodModel(t *testing.T) {
	opts := []Option{Echo, SGA, NAWS, Binary}
	for seed := range uint64(2000) {
		rng := rand.New(rand.NewPCG(seed, 1))
		randomSet := func() OptionSet {
			var s OptionSet
			for _, o := range opts {
				if rng.IntN(2) == 0 {
					s.Add(o)
				}
			}
			return s
		}
		a := New(Config{Local: randomSet(), Remote: randomSet()})
		b := New(Config{Local: randomSet(), Remote: randomSet()})
		var toA, toB []byte // bytes in flight

		// deliver hands the peer of src up to n bytes of what src sent.
		deliver := func(dst *Engine, queue *[]byte, n int) {
			n = min(n, len(*queue))
			buf := append([]byte(nil), (*queue)[:n]...)
			*queue = (*queue)[n:]
			if got := dst.Feed(buf); got != 0 {
				t.Fatalf("seed %d: data from negotiation: %q", seed, buf[:got])
			}
		}
		// requests per option and side stay below the refusal limit, past
		// which a peer's repeated request is deliberately not answered.
		requests := map[[3]int]int{}
		for range 40 {
			switch rng.IntN(4) {
			case 0, 1:
				e, who := a, 0
				if rng.IntN(2) == 0 {
					e, who = b, 1
				}
				side, opt := Side(rng.IntN(2)), opts[rng.IntN(len(opts))]
				k := [3]int{who, int(side), int(opt)}
				if requests[k] >= refusalLimit {
					continue
				}
				requests[k]++
				if rng.IntN(2) == 0 {
					e.Enable(side, opt)
				} else {
					e.Disable(side, opt)
				}
			case 2:
				toB = a.AppendOutput(toB)
				deliver(b, &toB, rng.IntN(5))
			case 3:
				toA = b.AppendOutput(toA)
				deliver(a, &toA, rng.IntN(5))
			}
		}
		// Quiesce: deliver everything, and count what is still exchanged.
		exchanged := 0
		for round := 0; ; round++ {
			toB = a.AppendOutput(toB)
			toA = b.AppendOutput(toA)
			if len(toA) == 0 && len(toB) == 0 {
				break
			}
			exchanged += len(toA) + len(toB)
			if round > 100 {
				t.Fatalf("seed %d: no convergence after %d rounds", seed, round)
			}
			deliver(b, &toB, len(toB))
			deliver(a, &toA, len(toA))
		}
		// Each option side can have at most one request and one queued
		// request in flight, each answered once: 4 messages of 3 bytes.
		if limit := 2 * 2 * len(opts) * 4 * 3; exchanged > limit {
			t.Errorf("seed %d: %d bytes exchanged after the last request, limit %d", seed, exchanged, limit)
		}
		if a.Negotiating() || b.Negotiating() {
			t.Errorf("seed %d: still negotiating", seed)
		}
		for _, o := range opts {
			if a.Enabled(Local, o) != b.Enabled(Remote, o) || a.Enabled(Remote, o) != b.Enabled(Local, o) {
				t.Errorf("seed %d: %v: a local %v remote %v, b local %v remote %v", seed, o,
					a.Enabled(Local, o), a.Enabled(Remote, o), b.Enabled(Local, o), b.Enabled(Remote, o))
			}
		}
	}
}
