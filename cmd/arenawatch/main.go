// Command arenawatch watches public AI model leaderboards and answers
// questions about origin and openness over time: which open-weight model
// leads a board, and where the best open model that is not from a Chinese
// lab places.
//
// Run "arenawatch --help" for the commands. Exit codes are listed in
// exit.go and in the README.
package main

import (
	"context"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"
)

// version is arenawatch's version, shown by --version and sent in the
// User-Agent. Release builds set it:
//
//	go build -ldflags "-X main.version=1.2.3" ./cmd/arenawatch
var version = "0.1.0-dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run is the whole program with its world passed in, so tests drive the
// real CLI in-process.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := &env{
		stdin:  stdin,
		stdout: stdout,
		stderr: stderr,
		now:    time.Now,
		getenv: os.Getenv,
	}
	return e.run(ctx, args)
}
