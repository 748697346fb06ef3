package conformance

import (
	"context"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/sit-gis/sit/internal/dbtest"
	"github.com/sit-gis/sit/layers"
)

// TestFoldFunctions checks the SQL functions behind CASEI and ACCENTI
// (migration 0400): both implementations of case folding (ICU when the
// server has it, the generated tables otherwise) and accent stripping.
func TestFoldFunctions(t *testing.T) {
	ctx := context.Background()
	pool := dbtest.Pool(t)
	if err := layers.Migrate(ctx, pool); err != nil {
		t.Fatal(err)
	}
	fold := func(fn, s string) string {
		t.Helper()
		var out *string
		if err := pool.QueryRow(ctx, "SELECT "+fn+"($1)", s).Scan(&out); err != nil {
			t.Fatalf("%s(%q): %v", fn, s, err)
		}
		if out == nil {
			return "NULL"
		}
		return *out
	}
	casei := []string{"sit.cql2_casei_tables"}
	var icu bool
	if err := pool.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_collation WHERE collname = 'und-x-icu')").Scan(&icu); err != nil {
		t.Fatal(err)
	}
	if icu {
		casei = append(casei, "sit.cql2_casei")
	} else {
		t.Log("this server has no ICU: sit.cql2_casei is the tables")
	}
	same := [][2]string{{"KØBENHAVN", "københavn"}, {"København", "KØBENHAVN"}, {"CHIȘINĂU", "chișinău"}, {"ΣΊΣΥΦΟΣ", "σίσυφοσ"},
		{"ŁÓDŹ", "łódź"}, {"МОСКВА", "москва"}, {"ǅemal", "ǆEMAL"}, {"Ꭰꭱ", "ꭰᎡ"}, {"STRAẞE", "straße"}, {"Via Roma", "VIA ROMA"}, {"K", "\u212a"}}
	differ := [][2]string{{"a", "b"}, {"ß", "s"}, {"Città", "Citta"}}
	for _, fn := range casei {
		for _, p := range same {
			if a, b := fold(fn, p[0]), fold(fn, p[1]); a != b {
				t.Errorf("%s: %q → %q but %q → %q", fn, p[0], a, p[1], b)
			}
		}
		for _, p := range differ {
			if fold(fn, p[0]) == fold(fn, p[1]) {
				t.Errorf("%s folds %q and %q alike", fn, p[0], p[1])
			}
		}
		if got := fold(fn, "Abc Ü 東京 123"); got != "abc ü 東京 123" {
			t.Errorf("%s: %q", fn, got)
		}
		if got := fold(fn, ""); got != "" {
			t.Errorf("%s of the empty string: %q", fn, got)
		}
	}
	accents := map[string]string{"Chișinău": "Chisinau", "Chi\u015fin\u0103u": "Chisinau", "Chis\u0326ina\u0306u": "Chisinau",
		"KØBENHAVN": "KOBENHAVN", "Ǿ ǿ": "O o", "Łódź": "Lodz", "Đakovo": "Dakovo", "Città Forlì Cantù": "Citta Forli Cantu",
		"Αθήνα": "Αθηνα", "Москва́ Ёлка": "Москва Елка", "東京 서울": "東京 서울", "ß ẞ Æ": "ß ẞ Æ", "plain ASCII 'x'": "plain ASCII 'x'"}
	for in, want := range accents {
		if got := fold("sit.cql2_accenti", in); got != want {
			t.Errorf("sit.cql2_accenti(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestFoldMigrationOtherEncoding: on a database that is not UTF-8 the
// migrations still apply, and CASEI folds ASCII.
func TestFoldMigrationOtherEncoding(t *testing.T) {
	ctx := context.Background()
	admin, err := pgx.Connect(ctx, dbtest.URL(t))
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(ctx)
	name := "sit_latin1_" + strings.ReplaceAll(strings.ToLower(t.Name()), "/", "_")
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()+" ENCODING 'LATIN1' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_, _ = admin.Exec(context.Background(), "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)")
	})
	cfg, err := pgxpool.ParseConfig(dbtest.URL(t))
	if err != nil {
		t.Fatal(err)
	}
	cfg.ConnConfig.Database = name
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	if err := layers.Migrate(ctx, pool); err != nil {
		t.Fatalf("migrations on a LATIN1 database: %v", err)
	}
	var casei, accenti string
	if err := pool.QueryRow(ctx, "SELECT sit.cql2_casei('Via ROMA'), sit.cql2_accenti('Via ROMA')").Scan(&casei, &accenti); err != nil {
		t.Fatal(err)
	}
	if casei != "via roma" || accenti != "Via ROMA" {
		t.Errorf("casei %q, accenti %q", casei, accenti)
	}
}
