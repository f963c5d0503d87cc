package main

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	_ "modernc.org/sqlite" // the SQLite driver FerretDB itself uses ("sqlite")
)

// Why this exists: FerretDB v1.24's SQLite backend looks documents up by `_id` with
// `WHERE _ferretdb_sjson->'$._id' = ?`, but the unique index it creates is on `_ferretdb_sjson->"_id"`.
// SQLite matches index expressions by their text, so no `_id` lookup ever uses that index: every find,
// update and delete by `_id` reads the table until the document turns up, and a miss reads all of it
// (about 100 ms at 20,000 documents). An index on the very expression the queries use fixes that without
// touching FerretDB: it only speeds up queries, FerretDB's own index still enforces uniqueness, and
// DROP TABLE (dropping a collection) takes it along.

const lookupIndexSuffix = "__id_lookup"

// idLookupIndexer adds the lookup index to every collection table of every database in dir.
type idLookupIndexer struct {
	dir    string
	logger *slog.Logger
	// The last time each database file (with its WAL) changed when it was fully indexed: unchanged files
	// are not opened again.
	seen map[string]time.Time
}

func newIDLookupIndexer(dir string, logger *slog.Logger) *idLookupIndexer {
	return &idLookupIndexer{dir: dir, logger: logger, seen: map[string]time.Time{}}
}

// run indexes at once and then every interval until ctx is done. New collections are found on the next
// pass; until then their lookups are only slower, never wrong.
func (x *idLookupIndexer) run(ctx context.Context, every time.Duration) {
	ticker := time.NewTicker(every)
	defer ticker.Stop()
	for {
		x.pass(ctx)
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
		}
	}
}

func (x *idLookupIndexer) pass(ctx context.Context) {
	files, err := filepath.Glob(filepath.Join(x.dir, "*.sqlite"))
	if err != nil {
		x.logger.WarnContext(ctx, "id lookup index: cannot list databases", slog.String("error", err.Error()))
		return
	}
	live := map[string]bool{}
	for _, file := range files {
		live[file] = true
		changed := lastChange(file)
		if at, ok := x.seen[file]; ok && at.Equal(changed) {
			continue
		}
		if err := indexDatabase(ctx, file); err != nil {
			x.logger.DebugContext(ctx, "id lookup index: will try again", slog.String("file", file), slog.String("error", err.Error()))
			continue
		}
		x.seen[file] = changed
		x.logger.DebugContext(ctx, "id lookup index: database checked", slog.String("file", file))
	}
	for file := range x.seen {
		if !live[file] {
			delete(x.seen, file)
		}
	}
}

// lastChange is the later modification time of a database file and its write-ahead log.
func lastChange(file string) time.Time {
	var at time.Time
	for _, f := range []string{file, file + "-wal"} {
		if st, err := os.Stat(f); err == nil && st.ModTime().After(at) {
			at = st.ModTime()
		}
	}
	return at
}

// indexDatabase creates the missing lookup indexes of one database file. It opens the file read-write but
// never creates it: a database FerretDB dropped meanwhile must stay gone.
func indexDatabase(ctx context.Context, file string) error {
	db, err := sql.Open("sqlite", "file:"+file+"?mode=rw&_pragma=busy_timeout(10000)")
	if err != nil {
		return err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)

	tables, err := collectionTables(ctx, db)
	if err != nil {
		return err
	}
	for _, table := range tables {
		q := fmt.Sprintf(`CREATE INDEX IF NOT EXISTS %q ON %q (_ferretdb_sjson->'$._id')`, table+lookupIndexSuffix, table)
		if _, err := db.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("%s: %w", table, err)
		}
	}
	return nil
}

// collectionTables lists the tables FerretDB keeps collections in (its metadata table names them).
func collectionTables(ctx context.Context, db *sql.DB) ([]string, error) {
	rows, err := db.QueryContext(ctx, `SELECT table_name FROM _ferretdb_collections`)
	if err != nil {
		if strings.Contains(err.Error(), "no such table") {
			return nil, nil // a database FerretDB has not finished creating
		}
		return nil, err
	}
	defer rows.Close()
	var tables []string
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			return nil, err
		}
		tables = append(tables, t)
	}
	return tables, rows.Err()
}
