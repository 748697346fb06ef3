package config

import (
	"bytes"
	"reflect"
	"strings"
	"testing"
)

// TestPublishTables: [[publish]] tables are read into the typed struct,
// printed back, and every mistake is named.
func TestPublishTables(t *testing.T) {
	good := `[server]
max_limit = 500

[[publish]]
source = "ufficio"

[[publish]]
source = "ufficio.catasto"
visibility = "professional"
kind = "cadastral"
roles = ["cadastre"]
no_track = true
mercator = true
`
	l, err := Load(Sources{Env: []string{"SIT_CONFIG=" + writeFile(t, good)}})
	if err != nil {
		t.Fatal(err)
	}
	want := []Publish{{Source: "ufficio"}, {Source: "ufficio.catasto", Visibility: "professional", Kind: "cadastral", Roles: []string{"cadastre"}, NoTrack: true, Mercator: true}}
	if !reflect.DeepEqual(l.Publish, want) || l.Server.MaxLimit != 500 {
		t.Fatalf("read %+v (max_limit %d)", l.Publish, l.Server.MaxLimit)
	}
	if s, r := want[1].Schema(), want[1].Relation(); s != "ufficio" || r != "catasto" {
		t.Errorf("split %q %q", s, r)
	}
	var b bytes.Buffer
	if err := l.Print(&b); err != nil {
		t.Fatal(err)
	}
	back, err := Load(Sources{Env: []string{"SIT_CONFIG=" + writeFile(t, b.String())}})
	if err != nil || !reflect.DeepEqual(back.Publish, want) {
		t.Fatalf("round trip: %v %+v\n%s", err, back.Publish, b.String())
	}
	tests := []struct{ name, file, want string }{
		{"unknown key", "[[publish]]\nsource = \"a\"\nschema = \"b\"\n", "unknown key schema in [[publish]]"},
		{"no source", "[[publish]]\nvisibility = \"public\"\n", "publish[1]: source is missing"},
		{"twice", "[[publish]]\nsource = \"a.b\"\n[[publish]]\nsource = \"a.b\"\n", "publish[2]: source a.b is published twice"},
		{"bad visibility", "[[publish]]\nsource = \"a\"\nvisibility = \"segreto\"\n", `publish[1]: visibility "segreto"`},
		{"schema with a key", "[[publish]]\nsource = \"a\"\nkey = \"id\"\n", "publish[1]: source a is a whole schema"},
		{"bad source", "[[publish]]\nsource = \".b\"\n", `publish[1]: source ".b": want SCHEMA or SCHEMA.RELATION`},
		{"wrong type", "[[publish]]\nsource = 3\n", "[[publish]]"},
		{"mercator not a boolean", "[[publish]]\nsource = \"a\"\nmercator = \"yes\"\n", "mercator"},
		{"a table, not an array", "[publish]\nsource = \"a\"\n", "[[publish]]"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Load(Sources{Env: []string{"SIT_CONFIG=" + writeFile(t, tc.file)}})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("%v; want %q", err, tc.want)
			}
		})
	}
}
