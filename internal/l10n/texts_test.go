package l10n

import "testing"

func TestTexts(t *testing.T) {
	texts, err := ParseTexts([]byte(`{"nav.map": ["Mappa", "Map"], "n": ["%d voci", "%d entries"]}`))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		lang      Lang
		key, want string
	}{
		{It, "nav.map", "Mappa"},
		{En, "nav.map", "Map"},
		{En, "missing.key", "missing.key"},
	}
	for _, tc := range tests {
		if got := texts.Text(tc.lang, tc.key); got != tc.want {
			t.Errorf("Text(%s, %s) = %q, want %q", tc.lang, tc.key, got, tc.want)
		}
	}
	if got := texts.Textf(It, "n", 3); got != "3 voci" {
		t.Errorf("Textf = %q", got)
	}
	if in := texts.In(En); len(in) != 2 || in["nav.map"] != "Map" {
		t.Errorf("In(En) = %v", in)
	}
	for _, bad := range []string{`{"k": ["only one"]}`, `{"k": ["uno", ""]}`, `{"k": ["a", "b", "c"]}`, `{"k": "text"}`, `[`} {
		if _, err := ParseTexts([]byte(bad)); err == nil {
			t.Errorf("ParseTexts(%s) took it", bad)
		}
	}
}
