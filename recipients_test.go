package gdprkit_test

import (
	"archive/zip"
	"bytes"
	"context"
	"database/sql"
	"io"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gdprkit/gdprkit"
	"github.com/gdprkit/gdprkit/gdpr"
	"github.com/gdprkit/gdprkit/gdpr/rights"
	"github.com/gdprkit/gdprkit/internal/dbtest"
	"github.com/gdprkit/gdprkit/pii"
)

// noticeBox is a RecipientNotifier that keeps what it was given.
type noticeBox struct {
	mu  sync.Mutex
	got []rights.Notice
}

func (b *noticeBox) Notify(_ context.Context, n rights.Notice) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.got = append(b.got, n)
	return nil
}

// TestKitTellsRecipients: the kit keeps disclosures and the outbox in its
// database and passes Config.Notifier on, so that an erasure through the
// kit reaches the recipients the subject's data was disclosed to (Art.
// 19); and Config.Authority is the supervisory authority an export's
// README names for complaints (Art. 77), in the subject's language.
func TestKitTellsRecipients(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sql.DB) {
		ctx := context.Background()
		box := &noticeBox{}
		authority := gdpr.Party{Name: "Berliner Beauftragte für Datenschutz und Informationsfreiheit"}
		kit, shop := openShop(t, db, filepath.Join(t.TempDir(), "kek.json"), newClock().Now, func(c *gdprkit.Config) {
			c.Purposes[1].Recipients = []gdpr.Recipient{{Name: "Parcel Co.", Role: gdpr.Processor, Country: "DE"}}
			c.Notifier, c.Authority = box, authority
		})
		shop.add(t, "ada", "ada@example.org", newClock().t)
		shop.add(t, "cy", "cy@example.org", newClock().t)
		require.NoError(t, kit.Desk().RecordDisclosure(ctx, rights.Disclosure{
			Subject: "ada", Recipient: "Parcel Co.", Purpose: "orders", Categories: []pii.Category{pii.Email}}))

		_, err := kit.Erase(ctx, "ada")
		require.NoError(t, err)
		rep, err := kit.Desk().DeliverNotices(ctx)
		require.NoError(t, err)
		assert.Equal(t, 1, rep.Delivered)
		require.Len(t, box.got, 1)
		assert.Equal(t, "ada", box.got[0].Subject)
		assert.Equal(t, rights.RightErasure, box.got[0].Right)
		assert.Equal(t, "Parcel Co.", box.got[0].Recipient)

		req, err := kit.Desk().Receive(ctx, rights.Request{Right: rights.RightAccess, Subject: "cy", Language: "de"})
		require.NoError(t, err)
		var archive bytes.Buffer
		_, err = kit.Desk().Export(ctx, req.ID, &archive)
		require.NoError(t, err)
		readme := zipFile(t, archive.Bytes(), rights.ReadmeName)
		assert.True(t, strings.Contains(readme, authority.Name), "the README names the authority")
		assert.True(t, strings.Contains(readme, "Speicherdauer: 6 Monate"), "the README states the period in German words")
	})
}

// zipFile returns one file of an archive, its lines joined.
func zipFile(t *testing.T, archive []byte, name string) string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(archive), int64(len(archive)))
	require.NoError(t, err)
	rc, err := zr.Open(name)
	require.NoError(t, err)
	defer rc.Close()
	b, err := io.ReadAll(rc)
	require.NoError(t, err)
	return strings.Join(strings.Fields(string(b)), " ")
}
