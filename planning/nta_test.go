package planning

import (
	"reflect"
	"strings"
	"testing"
)

func TestParseNTAMarkdown(t *testing.T) {
	src := "# Norme Tecniche di Attuazione\n\nPreambolo che non è un articolo.\n\n" +
		"## Art. 12 – Zona A: centro storico\n\nZone: A\n\n1. Sono ammessi interventi di restauro.\n2. Art. 5 del regolamento edilizio richiamato nel testo.\n\n\n3. Altro comma.\n\n" +
		"## Articolo 12 bis. Zona A1\n**Zone:** A1, A2\nTesto A1.\n\n" +
		"## **Art. 28** - Zona E3\nTesto E3.\n"
	arts, err := ParseNTA(strings.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	if len(arts) != 3 {
		t.Fatalf("%d articles: %+v", len(arts), arts)
	}
	want := []struct{ num, title, body string }{
		{"12", "Zona A: centro storico", "1. Sono ammessi interventi di restauro.\n2. Art. 5 del regolamento edilizio richiamato nel testo.\n\n3. Altro comma."},
		{"12 bis", "Zona A1", "Testo A1."},
		{"28", "Zona E3", "Testo E3."},
	}
	for i, w := range want {
		if arts[i].Number != w.num || arts[i].Title != w.title || arts[i].Body != w.body {
			t.Errorf("article %d: %q %q %q, want %q %q %q", i, arts[i].Number, arts[i].Title, arts[i].Body, w.num, w.title, w.body)
		}
	}
	if !reflect.DeepEqual(arts[0].Zones, []string{"A"}) || !reflect.DeepEqual(arts[1].Zones, []string{"A1", "A2"}) || arts[2].Zones != nil {
		t.Errorf("zones %v %v %v", arts[0].Zones, arts[1].Zones, arts[2].Zones)
	}
}

func TestParseNTAPlainWithPages(t *testing.T) {
	// pdftotext separates pages with form feeds; a reference to an article
	// inside a paragraph (no blank line before it) is not a heading.
	src := "NORME\n\nArt. 1 - Finalità\nIl piano disciplina il territorio.\nArt. 3 del D.P.R. citato.\n\fpagina due\n\nArt. 2 - Zone\nTesto\n\fTesto pagina tre\n"
	arts, err := ParseNTA(strings.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	if len(arts) != 2 {
		t.Fatalf("%d articles: %+v", len(arts), arts)
	}
	if arts[0].PageFrom != 1 || arts[0].PageTo != 2 || arts[1].PageFrom != 2 || arts[1].PageTo != 3 {
		t.Errorf("pages %d-%d, %d-%d", arts[0].PageFrom, arts[0].PageTo, arts[1].PageFrom, arts[1].PageTo)
	}
	if !strings.Contains(arts[0].Body, "Art. 3 del D.P.R.") {
		t.Errorf("inline reference lost: %q", arts[0].Body)
	}
}

func TestParseNTAErrors(t *testing.T) {
	for name, src := range map[string]string{
		"no article": "Solo testo.\n",
		"twice":      "Art. 1 - A\nx\n\nArt. 1 - B\ny\n",
		"not utf-8":  "Art. 1 - Citt\xe0\n",
	} {
		if _, err := ParseNTA(strings.NewReader(src)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestArticlesOfRef(t *testing.T) {
	for in, want := range map[string][]string{
		"Art. 28 NTA":         {"28"},
		"art.12bis e art. 13": {"12 bis", "13"},
		"Articolo 7":          {"7"},
		"NTA":                 nil,
	} {
		if got := ArticlesOfRef(in); !reflect.DeepEqual(got, want) {
			t.Errorf("%q: %v, want %v", in, got, want)
		}
	}
	if !articleLess("9", "10") || !articleLess("10", "10 bis") || !articleLess("10 bis", "10 ter") || articleLess("11", "10 bis") {
		t.Error("article order")
	}
}

func TestZoneArticles(t *testing.T) {
	m, err := ZoneArticles(strings.NewReader("zone_code,article\nA,12\nA1;Art. 12 bis;13\n# comment\n"))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(m, map[string][]string{"A": {"12"}, "A1": {"12 bis", "13"}}) {
		t.Errorf("%v", m)
	}
	if _, err := ZoneArticles(strings.NewReader("A\n")); err == nil {
		t.Error("a line without article accepted")
	}
}
