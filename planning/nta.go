package planning

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"regexp"
	"strings"
	"unicode/utf8"
)

// Article is one article of a plan's rules (Norme Tecniche di Attuazione).
type Article struct {
	Number string `json:"number"` // "28", "28 bis"
	Title  string `json:"title,omitempty"`
	Body   string `json:"body"`
	// PageFrom and PageTo are the pages of the source PDF (0: not a PDF).
	PageFrom int `json:"page_from,omitempty"`
	PageTo   int `json:"page_to,omitempty"`
	// Zones are the zone codes the article declares it rules
	// ("Zone: A, A1" on a line of its own).
	Zones []string `json:"zones,omitempty"`
}

// Heading names the article as the reports print it: "Art. 28 – Zona E3".
func (a Article) Heading() string {
	if a.Title == "" {
		return "Art. " + a.Number
	}
	return "Art. " + a.Number + " – " + a.Title
}

// Limits of an NTA file: a comune's rules run to a few hundred articles
// and a few hundred pages.
const (
	maxNTABytes    = 32 << 20
	maxArticles    = 2000
	maxHeadingLine = 160
)

// latinOrdinals are the suffixes of inserted articles (28 bis, 28 ter).
const latinOrdinals = `bis|ter|quater|quinquies|sexies|septies|octies|novies|nonies|decies`

// headingRE reads an article heading: "Art. 28 – Title", "Articolo 28 bis.
// Title", "## Art. 28 - Title", "**Art. 28** Title".
var headingRE = regexp.MustCompile(`(?i)^\s*(#{1,6}\s*)?(?:\*\*|__)?\s*art(?:icolo|\.)?\s*(\d{1,4}(?:[\s-]*(?:` + latinOrdinals + `)\b)?)(?:\*\*|__)?\s*(?:[-–—.:)]+\s*)?(.*?)\s*(?:\*\*|__)?\s*$`)

// zonesRE reads an article's declaration of the zones it rules.
var zonesRE = regexp.MustCompile(`(?i)^\s*(?:[-*]\s*)?(?:\*\*|_)?zon[ae]\s*(?:\*\*|_)?\s*:\s*(?:\*\*|_)?\s*(.+?)\s*$`)

// ParseNTA splits the text of a plan's rules into articles. Each article
// starts at a heading line "Art. N …" (Markdown headings "## Art. N …"
// when the text has any, else any such line after a blank line); the text
// before the first is dropped. Page breaks (form feeds, as pdftotext
// writes them) give each article its pages.
func ParseNTA(r io.Reader) ([]Article, error) {
	b, err := io.ReadAll(io.LimitReader(r, maxNTABytes+1))
	if err != nil {
		return nil, fmt.Errorf("read the rules: %w", err)
	}
	if len(b) > maxNTABytes {
		return nil, fmt.Errorf("the rules' text is over %d MiB", maxNTABytes>>20)
	}
	b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(b) {
		return nil, errors.New("the rules' text is not UTF-8 (convert it, e.g. iconv -f WINDOWS-1252 -t UTF-8)")
	}
	lines := strings.Split(strings.ReplaceAll(string(b), "\r\n", "\n"), "\n")
	markdown := false
	for _, l := range lines {
		if m := headingRE.FindStringSubmatch(l); m != nil && m[1] != "" {
			markdown = true
			break
		}
	}
	arts, err := splitArticles(lines, markdown)
	if err != nil {
		return nil, err
	}
	if len(arts) == 0 {
		return nil, errors.New("no article found: each starts with a line \"Art. N – title\" (or a Markdown heading \"## Art. N …\")")
	}
	return arts, nil
}

// splitArticles walks the lines, opening an article at each heading.
func splitArticles(lines []string, markdown bool) ([]Article, error) {
	var out []Article
	var body []string
	page, blank := 1, true
	seen := map[string]bool{}
	closeArt := func() {
		if len(out) == 0 {
			return
		}
		a := &out[len(out)-1]
		a.Body = cleanBody(body)
		a.PageTo = max(page, a.PageFrom)
		body = nil
	}
	for _, raw := range lines {
		pages := strings.Count(raw, "\f")
		line := strings.ReplaceAll(raw, "\f", "")
		page += pages
		if num, title, ok := heading(line, markdown, blank || pages > 0); ok {
			closeArt()
			if seen[num] {
				return nil, fmt.Errorf("article %s appears twice", num)
			}
			seen[num] = true
			if len(out) == maxArticles {
				return nil, fmt.Errorf("more than %d articles", maxArticles)
			}
			out = append(out, Article{Number: num, Title: title, PageFrom: page})
			blank = false
			continue
		}
		if len(out) > 0 {
			if m := zonesRE.FindStringSubmatch(line); m != nil {
				a := &out[len(out)-1]
				a.Zones = append(a.Zones, splitCodes(m[1])...)
			} else {
				body = append(body, strings.TrimRight(line, " \t"))
			}
		}
		blank = strings.TrimSpace(line) == ""
	}
	closeArt()
	return out, nil
}

// heading reads an article heading line: its number and title.
func heading(line string, markdown, afterBlank bool) (num, title string, ok bool) {
	if len(line) > maxHeadingLine {
		return "", "", false
	}
	m := headingRE.FindStringSubmatch(line)
	if m == nil || (markdown && m[1] == "") || (!markdown && !afterBlank) {
		return "", "", false
	}
	num = normNumber(m[2])
	title = strings.Trim(strings.TrimSpace(m[3]), "*_ ")
	return num, title, true
}

// NormNumber spells an article number one way: "28bis", "28-bis", "28 BIS"
// are "28 bis".
func NormNumber(s string) string { return normNumber(s) }

var suffixRE = regexp.MustCompile(`(?i)^(\d+)[\s-]*(` + latinOrdinals + `)?$`)

func normNumber(s string) string {
	s = strings.TrimSpace(s)
	m := suffixRE.FindStringSubmatch(s)
	if m == nil {
		return strings.ToLower(s)
	}
	n := strings.TrimLeft(m[1], "0")
	if n == "" {
		n = "0"
	}
	if m[2] == "" {
		return n
	}
	return n + " " + strings.ToLower(m[2])
}

// splitCodes reads a list of zone codes: "A, A1; B2" → A, A1, B2.
func splitCodes(s string) []string {
	var out []string
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == ' ' }) {
		if f = strings.Trim(f, "*_."); f != "" {
			out = append(out, f)
		}
	}
	return out
}

// cleanBody trims an article's lines: no leading or trailing blank lines,
// at most one blank line between paragraphs.
func cleanBody(lines []string) string {
	var b strings.Builder
	blank := 0
	for _, l := range lines {
		if strings.TrimSpace(l) == "" {
			blank++
			continue
		}
		if b.Len() > 0 {
			if blank > 0 {
				b.WriteString("\n\n")
			} else {
				b.WriteByte('\n')
			}
		}
		blank = 0
		b.WriteString(l)
	}
	return b.String()
}

// normRefRE finds the article a zone's norm_ref names: "Art. 28 NTA",
// "art.28 bis", "Articolo 12".
var normRefRE = regexp.MustCompile(`(?i)\bart(?:icolo|\.)?\s*(\d{1,4}(?:[\s-]*(?:` + latinOrdinals + `)\b)?)`)

// ArticlesOfRef lists the articles a norm_ref names, in order.
func ArticlesOfRef(ref string) []string {
	var out []string
	for _, m := range normRefRE.FindAllStringSubmatch(ref, -1) {
		out = append(out, normNumber(m[1]))
	}
	return out
}

// PDFText extracts the text of a PDF with pdftotext (poppler-utils), pages
// separated by form feeds, so that ParseNTA gives each article its pages.
func PDFText(ctx context.Context, path string) ([]byte, error) {
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		return nil, errors.New("reading a PDF needs pdftotext: apt-get install poppler-utils (or give the rules as text or Markdown)")
	}
	var out, errb bytes.Buffer
	cmd := exec.CommandContext(ctx, bin, "-enc", "UTF-8", "-eol", "unix", path, "-")
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("pdftotext %s: %w: %s", path, err, strings.TrimSpace(errb.String()))
	}
	return out.Bytes(), nil
}

// ZoneArticles reads a zone → article table (CSV: zone_code,article), the
// other way to say which articles rule which zones.
func ZoneArticles(r io.Reader) (map[string][]string, error) {
	sc := bufio.NewScanner(io.LimitReader(r, 4<<20))
	out := map[string][]string{}
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.FieldsFunc(line, func(r rune) bool { return r == ',' || r == ';' || r == '\t' })
		if len(f) < 2 {
			return nil, fmt.Errorf("line %d: want zone_code,article", n)
		}
		zone := strings.TrimSpace(f[0])
		if n == 1 && strings.EqualFold(zone, "zone_code") {
			continue
		}
		for _, a := range f[1:] {
			if a = strings.TrimSpace(a); a != "" {
				art := normNumber(strings.TrimPrefix(strings.TrimPrefix(strings.ToLower(a), "art."), "art"))
				out[zone] = append(out[zone], art)
			}
		}
	}
	return out, sc.Err()
}
