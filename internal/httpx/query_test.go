package httpx

import (
	"net/http/httptest"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestParseQuery(t *testing.T) {
	tests := []struct {
		name, raw string
		want      map[string][]string
		param     string // the parameter the 400 names; "" for success
	}{
		{"empty", "", map[string][]string{}, ""},
		{"plain", "a=1&b=two", map[string][]string{"a": {"1"}, "b": {"two"}}, ""},
		{"repeated", "a=1&a=2", map[string][]string{"a": {"1", "2"}}, ""},
		{"escapes and plus", "q=via%20del+fosso&f=%C3%A0", map[string][]string{"q": {"via del fosso"}, "f": {"à"}}, ""},
		{"escaped semicolon", "filter=a%3Db%3Bc", map[string][]string{"filter": {"a=b;c"}}, ""},
		{"empty pairs", "&a=1&&", map[string][]string{"a": {"1"}}, ""},
		{"name only", "skipGeometry", map[string][]string{"skipGeometry": {""}}, ""},
		{"semicolon in a filter", "filter=foglio%3D37;x", nil, "filter"},
		{"semicolon in a bbox", "bbox=10,43,11,44;x&limit=1", nil, "bbox"},
		{"semicolon as separator", "a=1;b=2", nil, "a"},
		{"bad escape in a value", "bbox=10%2G43", nil, "bbox"},
		{"bad escape in a name", "li%mit=3", nil, "li%mit"},
		{"invalid utf-8", "q=%ff%fe", nil, "q"},
		{"NUL", "q=a%00b", nil, "q"},
		{"no name", "=x", nil, "query"},
		{"no name, bad value", "=%", nil, "query"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseQuery(tc.raw)
			if tc.param != "" {
				p, ok := err.(*Problem)
				if !ok || p.Status != 400 || p.Parameter != tc.param {
					t.Fatalf("error %v, want a 400 naming %q", err, tc.param)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tc.want) {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
			for k, vs := range tc.want {
				if strings.Join(got[k], "|") != strings.Join(vs, "|") {
					t.Fatalf("%s: got %q, want %q", k, got[k], vs)
				}
			}
		})
	}
}

func TestParamsCheck(t *testing.T) {
	p := Params{Once: []string{"q", "limit"}, Many: []string{"parcel"}, Long: []string{"filter"},
		Other: func(name string) (bool, bool) { return name == "foglio", true }}
	p.Once = append(p.Once, "filter")
	tests := []struct {
		name, raw, param string
	}{
		{"known", "q=x&limit=2", ""},
		{"repeatable", "parcel=1&parcel=2", ""},
		{"other", "foglio=1&foglio=2", ""},
		{"unknown", "q=x&password=1", "password"},
		{"twice", "limit=1&limit=2", "limit"},
		{"too long", "q=" + strings.Repeat("a", MaxValueLength+1), "q"},
		{"long allowed", "filter=" + strings.Repeat("a", MaxValueLength+1), ""},
		{"syntax first", "q=1;2", "q"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := p.Parse(httptest.NewRequest("GET", "/x?"+tc.raw, nil))
			if tc.param == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			pr, ok := err.(*Problem)
			if !ok || pr.Parameter != tc.param || pr.Status != 400 {
				t.Fatalf("error %v, want a 400 naming %q", err, tc.param)
			}
		})
	}
}

// FuzzParseQuery: any query string parses or is a 400 naming a parameter;
// what parses has valid UTF-8 names and values without NUL.
func FuzzParseQuery(f *testing.F) {
	for _, s := range []string{"a=1&b=2", "filter=foglio%3D37;x", "bbox=1,2,3,4;x", "%zz=1", "a=%ff", "q=via+del+fosso", "&&", "a", "a=b=c"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		q, err := ParseQuery(raw)
		if err != nil {
			if p, ok := err.(*Problem); !ok || p.Status != 400 || p.Parameter == "" {
				t.Fatalf("%q: %v", raw, err)
			}
			return
		}
		for k, vs := range q {
			if !utf8.ValidString(k) {
				t.Fatalf("%q: name %q", raw, k)
			}
			for _, v := range vs {
				if !utf8.ValidString(v) || strings.ContainsRune(v, 0) {
					t.Fatalf("%q: value %q", raw, v)
				}
			}
		}
	})
}
