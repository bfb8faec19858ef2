package gdprhttp

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"fmt"
	"math/big"
	"strings"
	"time"

	"github.com/gdprkit/gdprkit/gdpr"
	"github.com/gdprkit/gdprkit/gdpr/rights"
)

// TicketPrefix starts every ticket, which is also the ID of the request at
// the kit's desk.
const TicketPrefix = "web-"

// codeDigits is the length of a one-time code.
const codeDigits = 6

// challenge is a request waiting for its code. It keeps only a hash of
// the code, and no address.
type challenge struct {
	ticket   string
	subject  string // "" for an address no subject has
	right    rights.Right
	purpose  string
	ground   gdpr.Ground
	language string
	hash     [sha256.Size]byte
	expires  time.Time
	attempts int
	used     bool
}

// codeHash binds a code to its ticket.
func codeHash(ticket, code string) [sha256.Size]byte {
	return sha256.Sum256([]byte(ticket + "\x00" + strings.TrimSpace(code)))
}

var ticketEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// newTicket returns a ticket of 128 random bits.
func newTicket() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b) // never fails (crypto/rand)
	return TicketPrefix + strings.ToLower(ticketEncoding.EncodeToString(b))
}

// validTicket reports whether s has the shape of a ticket.
func validTicket(s string) bool {
	if !strings.HasPrefix(s, TicketPrefix) || len(s) != len(TicketPrefix)+26 {
		return false
	}
	for _, r := range s[len(TicketPrefix):] {
		if !('a' <= r && r <= 'z' || '2' <= r && r <= '7') {
			return false
		}
	}
	return true
}

// newCode returns a random code of codeDigits digits.
func newCode() string {
	n, err := rand.Int(rand.Reader, big.NewInt(1_000_000))
	if err != nil {
		panic(err) // crypto/rand never fails
	}
	return fmt.Sprintf("%0*d", codeDigits, n.Int64())
}

// verifiedKey marks, in a context, the ticket whose code was entered.
type verifiedKey struct{}

type verifiedBy struct{ ticket, subject string }

// Verifier returns the rights.Verifier to give the kit (gdprkit.Config's
// Verifier): it verifies the requests whose one-time code was entered in a
// Handler, and asks next about every other request (none is verified when
// next is nil).
func Verifier(next rights.Verifier) rights.Verifier {
	return rights.VerifierFunc(func(ctx context.Context, r rights.Request) (bool, error) {
		if v, ok := ctx.Value(verifiedKey{}).(verifiedBy); ok && v.ticket == r.ID && v.subject == r.Subject {
			return true, nil
		}
		if next == nil || strings.HasPrefix(r.ID, TicketPrefix) {
			return false, nil // a ticket is verified by its code only
		}
		return next.Verify(ctx, r)
	})
}
