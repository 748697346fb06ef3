package l10n

import (
	"encoding/json"
	"fmt"
)

// Texts is a catalog of the words of a user interface: by key, the
// Italian and the English text. The catalogs are data files (JSON, one
// key a line: {"nav.map": ["Mappa", "Map"], …}) embedded by the packages
// that show them, the OGC API pages and the office console.
type Texts map[string][2]string

// ParseTexts reads a catalog; every key needs both texts.
func ParseTexts(b []byte) (Texts, error) {
	var raw map[string][]string
	if err := json.Unmarshal(b, &raw); err != nil {
		return nil, fmt.Errorf("text catalog: %w", err)
	}
	t := make(Texts, len(raw))
	for k, v := range raw {
		if len(v) != 2 || v[0] == "" || v[1] == "" {
			return nil, fmt.Errorf("text catalog: %q wants [\"italiano\", \"English\"], not %q", k, v)
		}
		t[k] = [2]string{v[0], v[1]}
	}
	return t, nil
}

// Text is the text of key in l; a missing key is returned as it is.
func (t Texts) Text(l Lang, key string) string {
	v, ok := t[key]
	if !ok {
		return key
	}
	if l == En {
		return v[1]
	}
	return v[0]
}

// Textf is Text with the key's text as a format.
func (t Texts) Textf(l Lang, key string, args ...any) string {
	return fmt.Sprintf(t.Text(l, key), args...)
}

// In is every text in l, by key (what a page's script receives).
func (t Texts) In(l Lang) map[string]string {
	out := make(map[string]string, len(t))
	for k := range t {
		out[k] = t.Text(l, k)
	}
	return out
}
