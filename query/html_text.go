package query

import "github.com/sit-gis/sit/internal/l10n"

// pageTexts reads the words of the HTML pages, Italian and English, by key
// (templates/texts.json). A page asks for them with {{.T "key"}}; a key
// missing there renders as itself, and TestPageTextsComplete checks that
// every key the templates use is there.
func pageTexts() (l10n.Texts, error) {
	b, err := templateFiles.ReadFile("templates/texts.json")
	if err != nil {
		return nil, err
	}
	return l10n.ParseTexts(b)
}
