//go:build race

package pii_test

// raceEnabled: the race detector changes allocation counts (sync.Pool drops
// items on purpose), so allocation tests skip under it.
const raceEnabled = true
