package pii_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"testing"

	"github.com/gdprkit/gdprkit/pii"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/tink-crypto/tink-go/v2/insecurecleartextkeyset"
	"github.com/tink-crypto/tink-go/v2/keyset"
	commonpb "github.com/tink-crypto/tink-go/v2/proto/common_go_proto"
	hmacprfpb "github.com/tink-crypto/tink-go/v2/proto/hmac_prf_go_proto"
	tinkpb "github.com/tink-crypto/tink-go/v2/proto/tink_go_proto"
	"google.golang.org/protobuf/proto"
)

// fixedKey builds an HMAC-SHA256 PRF keyset holding the given key bytes.
func fixedKey(t *testing.T, key []byte) *keyset.Handle {
	t.Helper()
	value, err := proto.Marshal(&hmacprfpb.HmacPrfKey{
		Params:   &hmacprfpb.HmacPrfParams{Hash: commonpb.HashType_SHA256},
		KeyValue: key,
	})
	require.NoError(t, err)
	ks := &tinkpb.Keyset{
		PrimaryKeyId: 1,
		Key: []*tinkpb.Keyset_Key{{
			KeyData: &tinkpb.KeyData{
				TypeUrl:         "type.googleapis.com/google.crypto.tink.HmacPrfKey",
				Value:           value,
				KeyMaterialType: tinkpb.KeyData_SYMMETRIC,
			},
			Status:           tinkpb.KeyStatusType_ENABLED,
			KeyId:            1,
			OutputPrefixType: tinkpb.OutputPrefixType_RAW,
		}},
	}
	return insecurecleartextkeyset.KeysetHandle(ks)
}

func TestTokenVector(t *testing.T) {
	key := []byte("0123456789abcdef0123456789abcdef")
	tok, err := pii.NewTokenizer(fixedKey(t, key))
	require.NoError(t, err)

	// The token is HMAC-SHA256(key, category || 0x00 || normalised value),
	// cut to 16 bytes, in unpadded base64url: computed here without Tink.
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte("user.contact.email\x00alice@example.com"))
	want := base64.RawURLEncoding.EncodeToString(mac.Sum(nil)[:16])

	got := tok.Token(pii.Email, "Alice@Example.COM")
	assert.Equal(t, want, got)
	assert.Equal(t, "sEoT_REg2-l--vZ44cXIyA", got, "the published test vector")
	assert.Len(t, got, pii.TokenLen)
}

func TestTokenNormalisation(t *testing.T) {
	key, err := pii.NewTokenKey()
	require.NoError(t, err)
	tok, err := pii.NewTokenizer(key)
	require.NoError(t, err)

	same := [][2]struct {
		c pii.Category
		v string
	}{
		{{pii.Email, "Alice@Example.COM"}, {pii.Email, "  alice@example.com "}},
		{{pii.Email, "STRASSE@example.de"}, {pii.Email, "strasse@example.de"}},
		{{pii.Name, "Ｊｏｈｎ"}, {pii.Name, "John"}}, // NFKC folds full-width letters
		{{pii.Phone, "+44 (20) 7946-0958"}, {pii.Phone, "+442079460958"}},
		{{pii.Name, "e\u0301"}, {pii.Name, "\u00e9"}}, // composed and decomposed é
	}
	for _, p := range same {
		assert.Equal(t, tok.Token(p[0].c, p[0].v), tok.Token(p[1].c, p[1].v), "%q and %q", p[0].v, p[1].v)
	}
	assert.NotEqual(t, tok.Token(pii.Name, "Alice"), tok.Token(pii.Name, "alice"), "names keep their case")
	assert.NotEqual(t, tok.Token(pii.Email, "a@b.c"), tok.Token(pii.Name, "a@b.c"), "categories are kept apart")

	other, err := pii.NewTokenKey()
	require.NoError(t, err)
	tok2, err := pii.NewTokenizer(other)
	require.NoError(t, err)
	assert.NotEqual(t, tok.Token(pii.Email, "a@b.c"), tok2.Token(pii.Email, "a@b.c"), "different keys, different tokens")
}

func TestNewTokenizerRejectsNil(t *testing.T) {
	_, err := pii.NewTokenizer(nil)
	assert.Error(t, err)
}
