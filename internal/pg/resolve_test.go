package pg_test

import (
	"context"
	"strings"
	"testing"

	"github.com/sit-gis/sit/internal/config"
	"github.com/sit-gis/sit/internal/pg"
)

// TestResolveURLs: which credentials each kind of command gets from
// --database-url (the owner's) and --reader-url (the reader's).
func TestResolveURLs(t *testing.T) {
	const owner, reader = "postgres://sit@db.example/sit", "postgres://sit_reader@db.example/sit"
	resolve := map[string]func(context.Context, config.Global) (pg.Target, error){
		"Resolve":        func(ctx context.Context, g config.Global) (pg.Target, error) { return pg.Resolve(ctx, g, nil) },
		"ResolveReading": func(ctx context.Context, g config.Global) (pg.Target, error) { return pg.ResolveReading(ctx, g, nil) },
		"serve": func(ctx context.Context, g config.Global) (pg.Target, error) {
			return pg.ResolveServing(ctx, g, nil, false)
		},
		"serve --migrate": func(ctx context.Context, g config.Global) (pg.Target, error) {
			return pg.ResolveServing(ctx, g, nil, true)
		},
	}
	tests := []struct {
		fn, dbURL, readerURL string
		wantOwner, wantRead  string
		wantErr              string
	}{
		{"Resolve", owner, "", owner, owner, ""},
		{"Resolve", owner, reader, owner, reader, ""},
		{"Resolve", "", reader, "", "", "--database-url"},
		{"ResolveReading", "", reader, "", reader, ""},
		{"ResolveReading", owner, "", owner, owner, ""},
		{"serve", owner, "", "", "", "--reader-url"},
		{"serve", owner, reader, "", reader, ""},
		{"serve --migrate", "", reader, "", "", "--database-url"},
		{"serve --migrate", owner, reader, owner, reader, ""},
		{"serve", "", "not a url://", "", "", "--reader-url"},
	}
	for _, tc := range tests {
		t.Run(tc.fn+" "+tc.dbURL+" "+tc.readerURL, func(t *testing.T) {
			got, err := resolve[tc.fn](context.Background(), config.Global{DatabaseURL: tc.dbURL, ReaderURL: tc.readerURL})
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error %v, want one naming %s", err, tc.wantErr)
				}
				return
			}
			if err != nil || got.OwnerURL != tc.wantOwner || got.ReaderURL != tc.wantRead {
				t.Fatalf("owner %q reader %q (%v); want %q %q", got.OwnerURL, got.ReaderURL, err, tc.wantOwner, tc.wantRead)
			}
		})
	}
}
