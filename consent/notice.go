package consent

import "time"

// Notice is one version of the information a subject is given before
// consenting to a purpose (Arts. 7 and 13): the privacy notice, the text of
// the consent request.
//
// Publishing versions is optional. Once a purpose has published versions, a
// grant must name one of them; a version published as a Material change
// makes every consent given under an earlier version Outdated from the
// moment it takes effect, so that it must be asked for again. A grant under
// a version that was never published counts as older than every published
// one.
type Notice struct {
	// Purpose is the purpose the notice informs about.
	Purpose string `json:"purpose"`
	// Version names this version, as grants quote it in Act.Notice.
	Version string `json:"version"`
	// Effective is when the version takes effect; zero means when it is
	// published. A Material version cannot take effect in the past.
	Effective time.Time `json:"effective"`
	// Material marks a change that needs new consent: a new purpose, a new
	// recipient, a longer retention, anything the subject did not agree to.
	// Wording fixes are not material.
	Material bool `json:"material,omitempty"`
}
