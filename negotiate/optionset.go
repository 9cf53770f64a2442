package negotiate

// An OptionSet is a set of options. The zero value is the empty set.
type OptionSet [4]uint64

// OptionSetOf returns the set holding the given options.
func OptionSetOf(opts ...Option) OptionSet {
	var s OptionSet
	for _, o := range opts {
		s.Add(o)
	}
	return s
}

// Add puts opt in the set.
func (s *OptionSet) Add(opt Option) { s[opt>>6] |= 1 << (opt & 63) }

// Remove takes opt out of the set.
func (s *OptionSet) Remove(opt Option) { s[opt>>6] &^= 1 << (opt & 63) }

// Has reports whether opt is in the set.
func (s *OptionSet) Has(opt Option) bool { return s[opt>>6]&(1<<(opt&63)) != 0 }
