package negotiate

// AppendStatus appends the STATUS IS payload (RFC 859) that describes the
// engine's option state: WILL for every option enabled at our end and DO
// for every option enabled at the peer's, in option order. The engine
// sends it by itself in answer to SB STATUS SEND when STATUS is enabled at
// our end.
func (e *Engine) AppendStatus(dst []byte) []byte {
	var entries [2 * 256]StatusEntry
	list := entries[:0]
	for i := range e.us {
		if e.us[i]&qMask == qYes {
			list = append(list, StatusEntry{Command: WILL, Option: Option(i)})
		}
		if e.him[i]&qMask == qYes {
			list = append(list, StatusEntry{Command: DO, Option: Option(i)})
		}
	}
	dst, _ = AppendStatusIs(dst, list) // WILL and DO entries cannot fail
	return dst
}
