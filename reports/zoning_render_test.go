package reports

import (
	"bytes"
	"compress/zlib"
	"context"
	"io"
	"regexp"
	"strings"
	"testing"
)

var (
	pdfPageRe   = regexp.MustCompile(`/Type\s*/Page[^s]`)
	pdfStreamRe = regexp.MustCompile(`(?s)<<([^>]*?)>>\s*stream\r?\n(.*?)\r?\nendstream`)
	pdfTjRe     = regexp.MustCompile(`\(((?:[^()\\]|\\.)*)\)\s*Tj`)
)

// parsePDF reads back what the tests check: the page count and the text
// and path operators of the content streams (inflated).
func parsePDF(t *testing.T, b []byte) (pages int, text, content string) {
	t.Helper()
	if !bytes.HasPrefix(b, []byte("%PDF-")) || !bytes.Contains(b, []byte("%%EOF")) {
		t.Fatalf("not a PDF: %q", b[:min(20, len(b))])
	}
	pages = len(pdfPageRe.FindAll(b, -1))
	var all strings.Builder
	for _, m := range pdfStreamRe.FindAllSubmatch(b, -1) {
		data := m[2]
		if bytes.Contains(m[1], []byte("FlateDecode")) {
			r, err := zlib.NewReader(bytes.NewReader(data))
			if err != nil {
				continue // fonts and images may be other encodings
			}
			data, err = io.ReadAll(r)
			if err != nil {
				t.Fatalf("inflate: %v", err)
			}
		}
		all.Write(data)
		all.WriteByte('\n')
	}
	content = all.String()
	var tb strings.Builder
	for _, m := range pdfTjRe.FindAllStringSubmatch(content, -1) {
		s := strings.NewReplacer(`\(`, "(", `\)`, ")", `\\`, `\`).Replace(m[1])
		tb.WriteString(s)
		tb.WriteByte('\n')
	}
	return pages, tb.String(), content
}

func TestWriteZoningPDF(t *testing.T) {
	f := newZoningFixture(t)
	rep, err := f.svc.Zoning(context.Background(), ZoningRequest{Parcels: []string{"37/125", "37/126"}, WithMap: true})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := WriteZoningPDF(&b, rep); err != nil {
		t.Fatal(err)
	}
	pages, text, content := parsePDF(t, b.Bytes())
	if pages != 2 {
		t.Fatalf("%d pages, want 2 (one per parcel)", pages)
	}
	for _, want := range []string{"Comune di Prova", "Foglio 37 particella 125", "Foglio 37 particella 126", "E715_003700.125",
		"Zone urbanistiche", "Vincoli", "Legenda", "B1", "E1", "P3", "Fonti dei dati", "t_zoning", "15/01/2026",
		"certificato di destinazione urbanistica", "Effetti di bordo", "Pagina 1 di 2"} {
		if !strings.Contains(text, want) {
			t.Errorf("the PDF text lacks %q", want)
		}
	}
	// The map is vector paths: moves, lines, closed fills (even-odd) and a clip.
	for _, op := range []string{" m\n", " l\n", "B*", "W n"} {
		if !strings.Contains(content, op) {
			t.Errorf("the PDF content lacks the operator %q (no vector map?)", op)
		}
	}
	// Same report, same bytes.
	var again bytes.Buffer
	if err := WriteZoningPDF(&again, rep); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b.Bytes(), again.Bytes()) {
		t.Fatal("two renderings of the same report differ")
	}
}

func TestWriteZoningHTML(t *testing.T) {
	f := newZoningFixture(t)
	rep, err := f.svc.Zoning(context.Background(), ZoningRequest{Parcels: []string{"37/125"}, WithMap: true})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := WriteZoningHTML(&b, rep); err != nil {
		t.Fatal(err)
	}
	html := b.String()
	for _, want := range []string{"<!DOCTYPE html>", "Comune di Prova", "Foglio 37 particella 125", "<svg", "<path d=\"M", "hatch0",
		"Zona B1 – completamento", "70,00", "30,00", "100,00", "DPR 380/2001", "@page", "t_vincoli"} {
		if !strings.Contains(html, want) {
			t.Errorf("the HTML lacks %q", want)
		}
	}
	// Self-contained: nothing fetched from elsewhere.
	for _, bad := range []string{"<script", "<link", "http://", "https://", "@import", "url(http"} {
		if strings.Contains(strings.ReplaceAll(html, `xmlns="http://www.w3.org/2000/svg"`, ""), bad) {
			t.Errorf("the HTML refers to something outside it: %q", bad)
		}
	}
}
