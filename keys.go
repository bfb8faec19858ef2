package gdprkit

import (
	"context"
	"fmt"
	"sort"

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

// namespaces returns the names of every namespace the kit keeps keys in,
// the kit's own included, sorted.
func (k *Kit) namespaces() []string {
	names := make([]string, 0, len(k.shredders))
	for ns := range k.shredders {
		names = append(names, ns)
	}
	sort.Strings(names)
	return names
}

// Replay destroys again, in every namespace, each key the erasure log
// (Kit.ErasureLog) says was erased: run it after restoring the key store
// from a backup. It returns how many keys it destroyed; running it again
// destroys none (see shred.Shredder.Replay).
func (k *Kit) Replay(ctx context.Context) (int, error) {
	total := 0
	for _, ns := range k.namespaces() {
		n, err := k.shredders[ns].Replay(ctx, k.erasureLog)
		total += n
		if err != nil {
			return total, fmt.Errorf("gdprkit: Replay: namespace %q: %w", ns, err)
		}
	}
	return total, nil
}

// RotateKEK re-wraps with Config.KEK every key, in every namespace (the
// kit's own included), that a KEK of Config.OldKEKs wrapped, batchSize
// records at a time, and returns how many it re-wrapped. An interrupted
// rotation is resumed by calling RotateKEK again (see
// shred.Shredder.RotateKEK); once it returns nil, Config.OldKEKs may be
// dropped.
func (k *Kit) RotateKEK(ctx context.Context, batchSize int) (int, error) {
	total := 0
	for _, ns := range k.namespaces() {
		n, err := k.shredders[ns].RotateKEK(ctx, batchSize)
		total += n
		if err != nil {
			return total, fmt.Errorf("gdprkit: RotateKEK: namespace %q: %w", ns, err)
		}
	}
	return total, nil
}
