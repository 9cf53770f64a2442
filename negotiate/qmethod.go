package negotiate

// A qstate is the RFC 1143 state of one side of one option: one of qNo,
// qYes, qWantNo, qWantYes, with qOpposite set when the opposite request is
// queued behind the one in flight. The bits from qRefusal up count the
// refusals sent for the option.
type qstate uint8

const (
	qNo qstate = iota
	qYes
	qWantNo
	qWantYes

	qMask     qstate = 3
	qOpposite qstate = 4
	qRefusal  qstate = 8 // one refusal, in the counter bits
	qQueue    qstate = qMask | qOpposite

	// refusalLimit is how many times a peer that keeps asking for an
	// option we refuse gets an answer. RFC 1143 answers every request,
	// and a peer may re-ask legitimately, but a peer that re-asks on
	// every refusal would ping-pong with us forever.
	refusalLimit = 8
)

// states returns the state table of a side.
func (e *Engine) states(side Side) *[256]qstate {
	if side == Local {
		return &e.us
	}
	return &e.him
}

// Enabled reports whether opt is enabled at the given side. An option
// whose disabling we asked for is no longer enabled.
func (e *Engine) Enabled(side Side, opt Option) bool {
	return e.states(side)[opt]&qMask == qYes
}

// Pending reports whether a request of ours about opt at the given side is
// waiting for the peer's answer.
func (e *Engine) Pending(side Side, opt Option) bool {
	return e.states(side)[opt]&qMask >= qWantNo
}

// Negotiating reports whether any request of ours is waiting for an answer.
func (e *Engine) Negotiating() bool {
	for i := range e.us {
		if e.us[i]&qMask >= qWantNo || e.him[i]&qMask >= qWantNo {
			return true
		}
	}
	return false
}

// Enable asks for opt to be enabled at the given side: WILL opt for Local,
// DO opt for Remote, unless it is already enabled or asked for. It also
// adds opt to the policy of that side, so the peer's consent is accepted.
// The answer arrives as an [EventOption] from [Engine.Feed].
//
// [TimingMark] is a question, not a state: Enable(Remote, TimingMark)
// sends DO TIMING-MARK, and the peer's WILL (or WONT) answers it without
// enabling anything, so it can be asked again.
func (e *Engine) Enable(side Side, opt Option) {
	e.policySet(side).Add(opt)
	st := &e.states(side)[opt]
	switch *st & qQueue {
	case qNo:
		e.set(st, qWantYes)
		e.send(side, true, opt)
	case qWantNo:
		e.set(st, qWantNo|qOpposite)
	case qWantYes | qOpposite:
		e.set(st, qWantYes)
	}
}

// Disable asks for opt to be disabled at the given side: WONT opt for
// Local, DONT opt for Remote, unless it is already disabled or being
// disabled. It also removes opt from the policy of that side, so a later
// request from the peer is refused.
func (e *Engine) Disable(side Side, opt Option) {
	e.policySet(side).Remove(opt)
	st := &e.states(side)[opt]
	switch *st & qQueue {
	case qYes:
		e.set(st, qWantNo)
		e.send(side, false, opt)
	case qWantYes:
		e.set(st, qWantYes|qOpposite)
	case qWantNo | qOpposite:
		e.set(st, qWantNo)
	}
}

func (e *Engine) policySet(side Side) *OptionSet {
	if side == Local {
		return &e.policy.Local
	}
	return &e.policy.Remote
}

// send queues the message that asks for (or agrees to) the state of opt at
// side: WILL/WONT for Local, DO/DONT for Remote.
func (e *Engine) send(side Side, enable bool, opt Option) {
	var c Command
	switch {
	case side == Local && enable:
		c = WILL
	case side == Local:
		c = WONT
	case enable:
		c = DO
	default:
		c = DONT
	}
	e.out = AppendNegotiation(e.out, c, opt)
}

// set changes the RFC 1143 state in *st, keeping the refusal count.
func (e *Engine) set(st *qstate, q qstate) { *st = *st&^qQueue | q }

// refuse answers a request of the peer with a refusal, up to refusalLimit
// times per option and side; past that, the request is reported and left
// unanswered.
func (e *Engine) refuse(side Side, opt Option, offset int) {
	st := &e.states(side)[opt]
	if *st/qRefusal >= refusalLimit {
		e.addError(ErrRepeatedRequest, opt, offset)
		return
	}
	*st += qRefusal
	e.send(side, false, opt)
}

// receive applies a WILL, WONT, DO or DONT from the peer, following the
// RFC 1143 Q method.
func (e *Engine) receive(cmd Command, opt Option, offset int) {
	e.events = append(e.events, Event{Kind: EventNegotiation, Offset: offset, Command: cmd, Option: opt})
	side, enable := Remote, cmd == WILL
	if cmd == DO || cmd == DONT {
		side, enable = Local, cmd == DO
	}
	st := &e.states(side)[opt]
	was := *st&qMask == qYes

	if opt == TimingMark {
		e.timingMark(side, enable, st, offset)
		return
	}
	if enable {
		switch *st & qQueue {
		case qNo:
			if e.policySet(side).Has(opt) {
				e.set(st, qYes)
				e.send(side, true, opt)
			} else {
				e.refuse(side, opt, offset)
			}
		case qWantNo:
			// The peer answered our refusal with consent: RFC 1143 calls it
			// an error and leaves the option disabled.
			e.set(st, qNo)
		case qWantNo | qOpposite, qWantYes:
			e.set(st, qYes)
		case qWantYes | qOpposite:
			e.set(st, qWantNo)
			e.send(side, false, opt)
		}
	} else {
		switch *st & qQueue {
		case qYes:
			e.set(st, qNo)
			e.send(side, false, opt)
		case qWantNo, qWantYes, qWantYes | qOpposite:
			e.set(st, qNo)
		case qWantNo | qOpposite:
			e.set(st, qWantYes)
			e.send(side, true, opt)
		}
	}
	if now := *st&qMask == qYes; now != was {
		e.events = append(e.events, Event{Kind: EventOption, Offset: offset, Option: opt, Side: side, Enabled: now})
	}
}

// timingMark handles TIMING-MARK (RFC 860), which is a question and its
// answer rather than a state: every DO is answered, if the policy allows,
// with a WILL that enables nothing, and a WILL or WONT answering our DO
// returns the option to disabled, so it can be asked again.
func (e *Engine) timingMark(side Side, enable bool, st *qstate, offset int) {
	switch {
	case side == Local && enable:
		if e.policy.Local.Has(TimingMark) {
			e.send(Local, true, TimingMark)
		} else {
			e.refuse(Local, TimingMark, offset)
		}
	case side == Remote && *st&qMask == qWantYes:
		e.set(st, qNo)
	case side == Remote && enable:
		e.refuse(Remote, TimingMark, offset) // a mark we did not ask for
	}
}
