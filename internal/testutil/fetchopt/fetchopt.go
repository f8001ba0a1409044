// Package fetchopt holds the fetch settings of tests that fetch from
// loopback servers. It is apart from testutil because fetch's own tests
// import testutil, and testutil must not import fetch.
package fetchopt

import (
	"time"

	"github.com/arenawatch/arenawatch/fetch"
)

// Fast keeps tests that fetch from loopback servers fast: a tiny backoff,
// no pause between requests, two retries. (The fetch package's own tests
// keep a copy: they cannot import this package, which imports fetch.)
func Fast() fetch.Options {
	return fetch.Options{
		RequestTimeout: 2 * time.Second,
		BackoffBase:    5 * time.Millisecond,
		MaxRetryWait:   3 * time.Second,
		HostDelay:      -1,
		Retries:        2,
	}
}
