package pii

import "fmt"

// Origin says how a personal value came to be held. Art. 20 portability
// covers what the data subject provided and what was observed about their use
// of the service, not what the controller derived or inferred.
type Origin uint8

const (
	// Provided by the data subject (a form, an upload). The default.
	Provided Origin = iota
	// Observed from the subject's use of the service (activity logs, device data).
	Observed
	// Derived or inferred by the controller (scores, segments, profiles).
	Derived
)

var originNames = [...]string{Provided: "provided", Observed: "observed", Derived: "derived"}

// String returns the origin's name as written in tags.
func (o Origin) String() string {
	if int(o) < len(originNames) {
		return originNames[o]
	}
	return fmt.Sprintf("Origin(%d)", uint8(o))
}

// Portable reports whether data of this origin belongs in an Art. 20 export.
func (o Origin) Portable() bool { return o == Provided || o == Observed }

// ParseOrigin reads an origin name as written in the origin= tag option.
func ParseOrigin(name string) (Origin, error) {
	for i, n := range originNames {
		if n == name {
			return Origin(i), nil
		}
	}
	return 0, fmt.Errorf("unknown origin %q (want provided, observed or derived)", name)
}
