// Command ferretdb runs FerretDB v1 (SQLite backend) for Site Steward's embedded database.
//
// Why a wrapper and not `go install github.com/FerretDB/FerretDB/cmd/ferretdb@v1.24.2`: the binary that
// command builds panics at start ("Invalid build/version/version.txt") because the module archive lacks the
// generated version file, and FerretDB only checks it when FerretDB itself is the main module. Built through
// FerretDB's embeddable package, the same pinned v1.24.2 runs as is, with telemetry off.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"net/http"
	_ "net/http/pprof"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	listen := flag.String("listen-addr", "127.0.0.1:27017", "TCP address to listen on")
	dataDir := flag.String("data-dir", "data", "directory that holds the SQLite files")
	logLevel := flag.String("log-level", "warn", "debug, info, warn or error")
	pprofAddr := flag.String("pprof-addr", "", "serve Go profiles (net/http/pprof) on this address; off when empty")
	flag.Parse()

	if *pprofAddr != "" {
		go func() { _ = http.ListenAndServe(*pprofAddr, nil) }()
	}

	abs, err := filepath.Abs(*dataDir)
	if err != nil {
		fail(err)
	}
	if err := os.MkdirAll(abs, 0o750); err != nil {
		fail(err)
	}

	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		fail(err)
	}
	logger := slog.New(slog.NewJSONHandler(os.Stderr, &slog.HandlerOptions{Level: level}))

	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: *listen},
		Logger:    logger,
		Handler:   "sqlite",
		SQLiteURL: "file:" + abs + "/",
	})
	if err != nil {
		fail(err)
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()

	// FerretDB's own `_id` index is never used for lookups (idindex.go): add one that is.
	go newIDLookupIndexer(abs, logger).run(ctx, time.Second)

	// Printed once the listener is bound, so the parent knows the port is ready.
	fmt.Fprintf(os.Stdout, "ferretdb listening on %s\n", *listen)
	if err := f.Run(ctx); err != nil && ctx.Err() == nil {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "ferretdb:", err)
	os.Exit(1)
}
