package gdprkit

import (
	"context"
	"fmt"

	"github.com/gdprkit/gdprkit/pii"
	"github.com/gdprkit/gdprkit/pii/shred"
)

// The kit's own crypto-shredding namespaces.
const (
	// NamespaceConsent seals the personal details of consent proofs; an
	// erasure shreds the subject's key in it.
	NamespaceConsent = "consent"
	// NamespaceJournal holds only the key of the journal's subject tokens:
	// created once, wrapped by the KEK, loaded by every instance, so that
	// tokens stay the same across restarts and instances.
	NamespaceJournal = "gdprkit.journal"
)

// openKeys creates a Shredder per namespace over one key store, and loads
// (or creates, once) the journal's tokenizer.
func (k *Kit) openKeys(ctx context.Context, cfg *Config) error {
	store, err := shred.NewSQLStore(ctx, k.keyDB)
	if err != nil {
		return fmt.Errorf("gdprkit: key store: %w", err)
	}
	if k.erasureLog, err = shred.NewSQLErasureLog(ctx, k.db); err != nil {
		return fmt.Errorf("gdprkit: erasure log: %w", err)
	}
	k.shredders = map[string]*shred.Shredder{}
	for _, ns := range append(cfg.Namespaces[:len(cfg.Namespaces):len(cfg.Namespaces)], NamespaceConsent, NamespaceJournal) {
		if _, dup := k.shredders[ns]; dup {
			return fmt.Errorf("gdprkit: namespace %q is named twice (%q and %q are the kit's own): %w", ns, NamespaceConsent, NamespaceJournal, ErrInvalidConfig)
		}
		s, err := shred.New(shred.ShredderConfig{Store: store, KEK: cfg.KEK, KEKID: cfg.KEKID, OldKEKs: cfg.OldKEKs,
			Namespace: ns, Now: cfg.Now, ErasureLog: k.erasureLog})
		if err != nil {
			return err
		}
		k.shredders[ns] = s
		// The namespace's reference key is read (or made) now, so that no
		// later call makes it inside a caller's transaction (WithTx).
		if _, err := s.Tokenizer(ctx); err != nil {
			return fmt.Errorf("gdprkit: namespace %q: %w", ns, err)
		}
	}
	k.tokens, err = k.shredders[NamespaceJournal].Tokenizer(ctx)
	return err
}

// Tokenizer returns the journal's tokenizer: Journal().Token(s) is
// Tokenizer().Token(pii.UniqueID, s). Its key is persistent (see
// NamespaceJournal); use it for pseudonymous tokens that must match the
// journal's, never as a blind index of sealed data.
func (k *Kit) Tokenizer() *pii.Tokenizer { return k.tokens }
