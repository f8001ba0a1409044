package store

import (
	"context"
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/arenawatch/arenawatch"
)

// damageSource writes a store with several boards and snapshots and
// returns its bytes.
func damageSource(t *testing.T) []byte {
	t.Helper()
	path := filepath.Join(t.TempDir(), "arenawatch.db")
	db, closeDB := openDB(t, path, Options{Timeout: time.Second, Now: fakeClock(t0.Add(time.Hour))})
	for b, board := range []string{"arena-text", "livebench", "designarena-website"} {
		for i := range 4 {
			s, raw := makeSnapshot(board, t0.Add(time.Duration(b*10+i)*time.Hour), 120, uint64(b*10+i))
			mustSave(t, db, s, raw, OutcomeStored)
		}
		if err := db.RecordFailure(context.Background(), board, t0.Add(time.Duration(b*10+5)*time.Hour), arenawatch.KindDrift, "https://x.test", "drift"); err != nil {
			t.Fatal(err)
		}
	}
	closeDB()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// readEverything reads every record of a store the way the commands do,
// and returns the first error; a panic fails the test.
func readEverything(path string) error {
	db, err := Open(path, Options{ReadOnly: true})
	if err != nil {
		return err
	}
	defer db.Close()
	var first error
	keep := func(err error) {
		if first == nil && err != nil {
			first = err
		}
	}
	boards, err := db.Boards()
	keep(err)
	for _, b := range boards {
		infos, err := db.Snapshots(b)
		keep(err)
		for _, in := range infos {
			_, err := db.At(b, in.FetchedAt)
			keep(err)
		}
		_, err = db.Latest(b)
		keep(err)
		_, err = db.Runs(b, 0)
		keep(err)
		_, err = db.ConsecutiveFailures(b)
		keep(err)
	}
	keep(db.Check())
	return first
}

// TestDamagedFiles: a truncated or bit-flipped database gives an error of
// kind damaged, never a panic, never an internal or a usage error.
func TestDamagedFiles(t *testing.T) {
	src := damageSource(t)
	dir := t.TempDir()
	type variant struct {
		name string
		data []byte
	}
	var vs []variant
	for _, frac := range []float64{0.002, 0.1, 0.3, 0.5, 0.7, 0.9, 0.99} {
		vs = append(vs, variant{"truncated " + time.Duration(frac*1000).String(), src[:int(float64(len(src))*frac)]})
	}
	r := rand.New(rand.NewPCG(8, 13))
	for i := range 60 {
		b := append([]byte(nil), src...)
		for range 1 + i%8 {
			// Leave bbolt's two meta pages alone in half of the cases, so
			// that the damage reaches the pages below them.
			lo := 0
			if i%2 == 0 {
				lo = 2 * os.Getpagesize()
			}
			p := lo + r.IntN(len(b)-lo)
			b[p] ^= byte(1 + r.IntN(255))
		}
		vs = append(vs, variant{"bit flips " + string(rune('a'+i%26)) + string(rune('0'+i/26)), b})
	}
	damagedSeen := 0
	for i, v := range vs {
		path := filepath.Join(dir, "v"+string(rune('a'+i%26))+string(rune('a'+i/26))+".db")
		if err := os.WriteFile(path, v.data, 0o600); err != nil {
			t.Fatal(err)
		}
		err := func() (err error) {
			defer func() {
				if r := recover(); r != nil {
					t.Errorf("%s: panic: %v", v.name, r)
				}
			}()
			return readEverything(path)
		}()
		if err == nil {
			continue // the flips hit bytes nobody reads (free pages, padding)
		}
		var ae *arenawatch.Error
		if !errors.As(err, &ae) || ae.Kind != arenawatch.KindDamaged {
			t.Errorf("%s: %v (kind %v), want damaged", v.name, err, arenawatch.KindOf(err))
		}
		if ae != nil && ae.Kind == arenawatch.KindDamaged {
			damagedSeen++
		}
	}
	if damagedSeen < len(vs)/2 {
		t.Errorf("only %d of %d damaged files were reported as damaged", damagedSeen, len(vs))
	}
}
