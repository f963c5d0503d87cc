// Command ferretdb runs FerretDB v1 (SQLite backend) for Site Steward's embedded database.
//
// Why a wrapper and not `go install github.com/FerretDB/FerretDB/cmd/ferretdb@v1.24.2`: the binary that
// command builds panics at start ("Invalid build/version/version.txt") because the module archive lacks the
// generated version file, and FerretDB only checks it when FerretDB itself is the main module. Built through
// FerretDB's embeddable package, the same pinned v1.24.2 runs as is, with telemetry off.
//
// Clients never talk to FerretDB directly: FerretDB listens on a private Unix socket, and the write-gating
// front (front.go) listens on --listen-addr, so single-document writes are atomic as on MongoDB.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
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

	// The socket lives in a private temporary directory: a Unix socket path must stay under 108 bytes, which a
	// deep data directory would not, and nothing but the front may reach FerretDB.
	sockDir, err := os.MkdirTemp("", "steward-ferretdb-")
	if err != nil {
		fail(err)
	}
	defer os.RemoveAll(sockDir)
	socket := filepath.Join(sockDir, "ferretdb.sock")

	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{Unix: socket},
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

	ferretDone := make(chan error, 1)
	go func() { ferretDone <- f.Run(ctx) }()

	var dialer net.Dialer
	fr := &front{
		dialBackend: func(ctx context.Context) (net.Conn, error) { return dialer.DialContext(ctx, "unix", socket) },
		logger:      logger,
	}
	if err := waitForBackend(ctx, fr, ferretDone); err != nil {
		fail(err)
	}

	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		fail(err)
	}
	// Printed once the listener is bound, so the parent knows the port is ready.
	fmt.Fprintf(os.Stdout, "ferretdb listening on %s\n", ln.Addr())

	frontDone := make(chan error, 1)
	go func() { frontDone <- fr.serve(ctx, ln) }()

	select {
	case err = <-ferretDone:
		stop()
		<-frontDone
	case err = <-frontDone:
		stop()
		<-ferretDone
	}
	logger.Info("front: stopped",
		slog.Int64("reads", fr.stats.reads.Load()), slog.Int64("writes", fr.stats.writes.Load()),
		slog.Int64("refused", fr.stats.refused.Load()))
	if err != nil && ctx.Err() == nil {
		fail(err)
	}
}

// waitForBackend returns once FerretDB accepts connections on its socket.
func waitForBackend(ctx context.Context, fr *front, ferretDone <-chan error) error {
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		if c, err := fr.dialBackend(ctx); err == nil {
			_ = c.Close()
			return nil
		}
		select {
		case err := <-ferretDone:
			if err == nil {
				err = errors.New("FerretDB stopped before it accepted a connection")
			}
			return err
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
	}
	return errors.New("FerretDB did not accept connections within 60 s")
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "ferretdb:", err)
	os.Exit(1)
}
