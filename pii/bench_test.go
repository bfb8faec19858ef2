package pii_test

import (
	"io"
	"log/slog"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/gdprkit/gdprkit/pii"
)

// benchUser is the struct of BenchmarkLogRedacted: four personal fields
// among eight.
type benchUser struct {
	ID        string    `json:"id" pii:"subject"`
	Name      string    `json:"name" pii:"name"`
	Email     string    `json:"email" pii:"email"`
	Phone     string    `json:"phone" pii:"phone"`
	IP        string    `json:"ip" pii:"ip"`
	Country   string    `json:"country"`
	Plan      string    `json:"plan"`
	CreatedAt time.Time `json:"created_at"`
}

// handwrittenUser is benchUser with a hand-written LogValue that replaces
// the four personal fields: the ideal the library is measured against.
type handwrittenUser benchUser

func (u handwrittenUser) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("id", u.ID),
		slog.String("name", "[redacted:name]"),
		slog.String("email", "[redacted:email]"),
		slog.String("phone", "[redacted:phone]"),
		slog.String("ip", "[redacted:ip]"),
		slog.String("country", u.Country),
		slog.String("plan", u.Plan),
		slog.Time("created_at", u.CreatedAt),
	)
}

func BenchmarkLogRedacted(b *testing.B) {
	u := benchUser{ID: "u-1842", Name: "Grace Hopper", Email: "grace@example.net", Phone: "+1 202 555 0143",
		IP: "203.0.113.7", Country: "US", Plan: "team", CreatedAt: time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)}
	b.Run("plain", func(b *testing.B) {
		log := slog.New(slog.NewJSONHandler(io.Discard, nil))
		b.ReportAllocs()
		for b.Loop() {
			log.Info("signup", "user", u) //piicheck:ignore the unredacted floor is what this sub-benchmark measures
		}
	})
	b.Run("handwritten", func(b *testing.B) {
		log := slog.New(slog.NewJSONHandler(io.Discard, nil))
		h := handwrittenUser(u)
		b.ReportAllocs()
		for b.Loop() {
			log.Info("signup", "user", h)
		}
	})
	b.Run("pii", func(b *testing.B) {
		// Tagged fields only, as the hand-written LogValue does.
		log := slog.New(pii.NewHandler(slog.NewJSONHandler(io.Discard, nil),
			&pii.HandlerOptions{NoTextDetection: true, NoKeyNames: true}))
		b.ReportAllocs()
		for b.Loop() {
			log.Info("signup", "user", u)
		}
	})
	b.Run("default", func(b *testing.B) {
		log := slog.New(pii.NewHandler(slog.NewJSONHandler(io.Discard, nil), nil))
		b.ReportAllocs()
		for b.Loop() {
			log.Info("signup", "user", u)
		}
	})
}

// BenchmarkLogCleanMessage logs a 1 KB message holding no personal data
// through the default handler, against the plain JSON handler.
func BenchmarkLogCleanMessage(b *testing.B) {
	msg := strings.Repeat("order 7731 shipped from warehouse B to the regional hub; ", 18)[:1024]
	b.Run("plain", func(b *testing.B) {
		log := slog.New(slog.NewJSONHandler(io.Discard, nil))
		b.SetBytes(int64(len(msg)))
		b.ReportAllocs()
		for b.Loop() {
			log.Info(msg)
		}
	})
	b.Run("default", func(b *testing.B) {
		log := slog.New(pii.NewHandler(slog.NewJSONHandler(io.Discard, nil), nil))
		b.SetBytes(int64(len(msg)))
		b.ReportAllocs()
		for b.Loop() {
			log.Info(msg)
		}
	})
}

func BenchmarkSchemaLookup(b *testing.B) {
	t := reflect.TypeFor[benchUser]()
	if _, err := pii.SchemaOf(t); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := pii.SchemaOf(t); err != nil {
			b.Fatal(err)
		}
	}
}

func TestSchemaLookupDoesNotAllocate(t *testing.T) {
	typ := reflect.TypeFor[benchUser]()
	if _, err := pii.SchemaOf(typ); err != nil {
		t.Fatal(err)
	}
	allocs := testing.AllocsPerRun(100, func() { pii.SchemaOf(typ) })
	if allocs != 0 {
		t.Fatalf("a cached schema lookup allocates %v times", allocs)
	}
}
