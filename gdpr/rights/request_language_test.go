package rights_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/gdprkit/gdprkit/gdpr/rights"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestReceiveTakesAnAcceptLanguageHeader: a request's Language may be an
// Accept-Language value as a browser sends it; the best supported README
// language is kept and used. An unsupported language gives English, not
// an error.
func TestReceiveTakesAnAcceptLanguageHeader(t *testing.T) {
	const (
		en = "Copy of your personal data"
		de = "Kopie Ihrer personenbezogenen Daten"
		fr = "Copie de vos données à caractère personnel"
	)
	f := newRightsFixture(t, nil)
	for _, tc := range []struct {
		in, stored, title string
	}{
		{"de-CH,de;q=0.9,en;q=0.8", "de", de},
		{"fr-CH, fr;q=0.9, en;q=0.8, de;q=0.7, *;q=0.5", "fr", fr},
		{"ja,es;q=0.8", "en", en},          // nothing supported
		{"ja;q=0.9,de;q=0.5", "de", de},    // the supported one, though less preferred
		{"en-GB;q=0.2,fr;q=0.9", "fr", fr}, // by weight, not by order
		{"*", "en", en},
		{"de;q=0", "en", en}, // "not German": nothing acceptable
		{"ja", "ja", en},     // a single tag is kept as given
		{"DE-at", "de-AT", de},
	} {
		t.Run(tc.in, func(t *testing.T) {
			r, err := f.rights.Receive(context.Background(), rights.Request{Right: rights.RightAccess, Subject: "cust-1", Language: tc.in})
			require.NoError(t, err)
			assert.Equal(t, tc.stored, r.Language)
			var buf bytes.Buffer
			_, err = f.rights.Export(context.Background(), r.ID, &buf)
			require.NoError(t, err)
			readme := string(readArchive(t, buf.Bytes()).files[rights.ReadmeName])
			assert.True(t, strings.HasPrefix(readme, tc.title+"\n"), "README in the language matched")
		})
	}
	for _, bad := range []string{"not a language", "en;q=x", "@@@"} {
		_, err := f.rights.Receive(context.Background(), rights.Request{Right: rights.RightAccess, Subject: "cust-1", Language: bad})
		assert.ErrorIs(t, err, rights.ErrInvalidRequest, "%q is malformed", bad)
	}
}
