package ranking

import (
	"sync"

	"github.com/arenawatch/arenawatch"
)

// memoLimit caps the identities a catalog remembers, so that a process
// reading endless distinct names (a hostile page) keeps bounded memory;
// past it, rows are classified without being remembered.
const memoLimit = 1 << 16

// classMemo remembers Classify's answer per model identity. A Catalog is
// immutable, so an answer never goes stale: a catalog of another version
// (an override, a merge) is another *Catalog with its own memo. A history
// of thousands of snapshots lists the same few hundred models again and
// again; the memo classifies each once. Safe for concurrent use. (A map
// under a lock, keyed by the model string: sync.Map hashing the whole
// classKey took twice as long in BenchmarkClassifyRepeated.)
type classMemo struct {
	mu sync.RWMutex
	// m is keyed by the model key alone, which hashes fast; the few
	// identities sharing one key (other names, organizations, licences)
	// are told apart by comparing the whole classKey.
	m map[string][]memoEntry
	n int
}

type memoEntry struct {
	key   classKey
	class Class
}

// classKey is everything of a row that Classify reads: the names, and
// the organization, licence and open flag with whether each is present.
type classKey struct {
	model, name, underlying string
	org, license            string
	hasOrg, hasLicense      bool
	open                    int8 // -1 absent, 0 false, 1 true
}

func keyOf(r arenawatch.Row) classKey {
	k := classKey{model: r.Model, name: r.Name, underlying: r.Underlying, open: -1}
	if r.Organization != nil {
		k.org, k.hasOrg = *r.Organization, true
	}
	if r.License != nil {
		k.license, k.hasLicense = *r.License, true
	}
	if r.Open != nil {
		k.open = 0
		if *r.Open {
			k.open = 1
		}
	}
	return k
}

// classify returns c's class of r, from the memo when r's identity was
// classified before.
func (m *classMemo) classify(c *Catalog, r arenawatch.Row) Class {
	k := keyOf(r)
	m.mu.RLock()
	for _, e := range m.m[k.model] {
		if e.key == k {
			m.mu.RUnlock()
			return e.class
		}
	}
	m.mu.RUnlock()
	cl := c.classify(r)
	m.mu.Lock()
	if m.m == nil {
		m.m = map[string][]memoEntry{}
	}
	if m.n < memoLimit && !m.has(k) { // another goroutine may have added it
		m.m[k.model] = append(m.m[k.model], memoEntry{k, cl})
		m.n++
	}
	m.mu.Unlock()
	return cl
}

// has reports whether k is remembered; m.mu must be held.
func (m *classMemo) has(k classKey) bool {
	for _, e := range m.m[k.model] {
		if e.key == k {
			return true
		}
	}
	return false
}

// size is the number of identities remembered.
func (m *classMemo) size() int {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return m.n
}
