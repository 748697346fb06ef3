package broadband

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"

	"github.com/sit-gis/sit/importers"
	"github.com/sit-gis/sit/layers"
)

// AGCOM "Reportistica" per comune (geo.agcom.it, Broadband map → report per
// comune): one row per municipality with the counts of cells, points,
// addresses and households reached by fixed networks, in total and by FTTH /
// FTTC. UTF-8 with BOM, comma-separated, a header row; no geometry. The
// loader joins each row to a boundary layer by ISTAT code (agcomJoin).

// agcomJoin is how AGCOM rows find their geometry: pro_com (an integer)
// equals com_istat_code_num of the openpolis / ISTAT municipal boundaries
// (com_istat_code is the zero-padded text '046017').
func agcomJoin() *importers.BoundaryJoin {
	return &importers.BoundaryJoin{Key: "pro_com", BoundaryKey: "com_istat_code_num"}
}

// snapshotYYMMDD matches the AGCOM file names (Reportistica_250630_Comuni.csv).
var snapshotYYMMDD = regexp.MustCompile(`(?i)reportistica_(\d{2})(\d{2})(\d{2})(?:\D|$)`)

// snapshotISO matches a full date in a file name: 2025-06-30, 2025_06_30, 20250630.
var snapshotISO = regexp.MustCompile(`(?:^|\D)((?:19|20)\d{2})[-_]?(\d{2})[-_]?(\d{2})(?:\D|$)`)

// SnapshotFromName returns the date a broadband file name carries: the
// AGCOM Reportistica_YYMMDD pattern (250630 → 2025-06-30), else a full
// YYYY-MM-DD / YYYY_MM_DD / YYYYMMDD date. ok is false when there is none;
// the CLI must then ask for --snapshot.
func SnapshotFromName(p string) (time.Time, bool) {
	base := filepath.Base(p)
	if m := snapshotYYMMDD.FindStringSubmatch(base); m != nil {
		if t, ok := makeDate("20"+m[1], m[2], m[3]); ok {
			return t, true
		}
	}
	if m := snapshotISO.FindStringSubmatch(base); m != nil {
		if t, ok := makeDate(m[1], m[2], m[3]); ok {
			return t, true
		}
	}
	return time.Time{}, false
}

func makeDate(y, m, d string) (time.Time, bool) {
	t, err := time.Parse("2006-01-02", y+"-"+m+"-"+d)
	if err != nil {
		return time.Time{}, false
	}
	return t, true
}

// agcomColumnName turns an AGCOM header into a clean snake_case name:
// "Celle 20m x 20m raggiunte FTTH" → celle_20m_ftth, "Punti geograficamente
// distinti (passo 5m)" → punti_distinti, "Indirizzi postali distinti (se
// fornito/disponibile)" → indirizzi, "Famiglie Residenti (calcolato)" →
// famiglie, "Famiglie raggiunte FTTH (calcolato)" → famiglie_ftth. A column
// AGCOM adds later gets the same treatment or, failing the patterns, its
// words joined by underscores.
func agcomColumnName(header string) string {
	words := headerWords(header)
	if len(words) == 0 {
		return ""
	}
	tech := ""
	switch words[len(words)-1] {
	case "ftth", "fttc", "fttb", "fwa", "adsl", "vdsl", "xdsl", "5g", "4g", "satellite":
		tech = words[len(words)-1]
		words = words[:len(words)-1]
	}
	has := func(w string) bool {
		for _, x := range words {
			if x == w {
				return true
			}
		}
		return false
	}
	var base string
	switch {
	case len(words) == 2 && words[0] == "pro" && words[1] == "com":
		base = "pro_com"
	case has("celle"):
		base = "celle_20m"
	case has("punti") && has("dichiarati"):
		base = "punti_dichiarati"
	case has("punti") && has("distinti"):
		base = "punti_distinti"
	case has("indirizzi"):
		base = "indirizzi"
	case has("famiglie"):
		base = "famiglie"
	default:
		base = strings.Join(words, "_")
	}
	if tech != "" {
		return base + "_" + tech
	}
	return base
}

// headerWords lower-cases a header, drops accents and parenthesised notes,
// and splits it into alphanumeric words.
func headerWords(h string) []string {
	h = strings.TrimPrefix(strings.TrimSpace(h), "\ufeff")
	var sb strings.Builder
	depth := 0
	for _, r := range h {
		switch {
		case r == '(':
			depth++
		case r == ')':
			if depth > 0 {
				depth--
			}
		case depth == 0:
			sb.WriteRune(r)
		}
	}
	plain, _, err := transform.String(transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC), sb.String())
	if err != nil {
		plain = sb.String()
	}
	return strings.FieldsFunc(strings.ToLower(plain), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}

// sniffAGCOM recognises the AGCOM header.
func sniffAGCOM(head []byte) bool {
	line, _, _ := bytes.Cut(head, []byte("\n"))
	l := strings.ToLower(string(line))
	return strings.Contains(l, "pro_com") && strings.Contains(l, "celle 20m")
}

func claimsAGCOM(_ string, head []byte) bool { return sniffAGCOM(head) }

// agcomTextFields are the columns kept as text; all others are counts.
func agcomIsText(name string) bool {
	return name == "regione" || name == "provincia" || name == "comune"
}

func openAGCOM(p string, opt importers.Options) (*importers.Source, error) {
	st, err := os.Stat(p)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", p, err)
	}
	f, err := os.Open(p)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", p, err)
	}
	cols, err := readAGCOMHeader(p, newTableCSV(f, ',', opt))
	f.Close()
	if err != nil {
		return nil, err
	}
	snapshot, hasSnapshot := SnapshotFromName(p)
	fields := []layers.Field{}
	for _, c := range cols {
		if c == "" {
			continue
		}
		t := layers.TypeInteger
		if agcomIsText(c) {
			t = layers.TypeText
		}
		fields = append(fields, layers.Field{Name: c, Type: t})
	}
	if hasSnapshot {
		fields = append(fields, layers.Field{Name: "snapshot", Type: layers.TypeDate})
	}
	src := importers.NewSource(p, "agcom")
	src.Join = agcomJoin()
	info := importers.Info{Name: stemOf(p), SRID: opt.SRID, Fields: fields, Count: -1, Size: st.Size(), Kind: layers.KindBroadband}
	src.Datasets = []importers.Dataset{importers.FileDataset(src, info, func(f io.ReadCloser) (layers.FeatureReader, error) {
		r := &agcomReader{name: p, f: f, csv: newTableCSV(f, ',', opt), snapshot: snapshot, hasSnapshot: hasSnapshot}
		cols, err := readAGCOMHeader(p, r.csv)
		r.cols = cols
		return r, err
	})}
	return src, nil
}

func readAGCOMHeader(name string, cr *csv.Reader) ([]string, error) {
	h, err := readHeaderRow(name, cr, "the AGCOM header row")
	if err != nil {
		return nil, err
	}
	cols := make([]string, len(h))
	seen := map[string]int{}
	for i, c := range h {
		n := agcomColumnName(c)
		if n == "" {
			continue // the trailing empty columns
		}
		seen[n]++
		if seen[n] > 1 {
			n = fmt.Sprintf("%s_%d", n, seen[n])
		}
		cols[i] = n
	}
	if seen["pro_com"] == 0 {
		return nil, fmt.Errorf("%s: line 1: no pro_com column: not an AGCOM Reportistica per comune table", name)
	}
	return cols, nil
}

type agcomReader struct {
	name        string
	f           io.ReadCloser
	csv         *csv.Reader
	cols        []string
	snapshot    time.Time
	hasSnapshot bool
	rec         int64
}

func (r *agcomReader) Next() (layers.Feature, error) {
	for {
		row, err := r.csv.Read()
		if errors.Is(err, io.EOF) {
			return layers.Feature{}, io.EOF
		}
		line, _ := r.csv.FieldPos(0)
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) && !errors.Is(pe.Err, csv.ErrFieldCount) {
				r.rec++
				return layers.Feature{}, &layers.RecordError{Record: r.rec, Reason: fmt.Sprintf("%s: line %d: %v", r.name, pe.Line, pe.Err)}
			}
			return layers.Feature{}, fmt.Errorf("%s: %w", r.name, err)
		}
		if isBlankRow(row) {
			continue
		}
		r.rec++
		props := make(map[string]any, len(r.cols)+1)
		for i, c := range r.cols {
			if c == "" {
				continue
			}
			v := ""
			if i < len(row) {
				v = strings.TrimSpace(row[i])
			}
			if agcomIsText(c) {
				props[c] = importers.NilIfEmpty(v)
				continue
			}
			if v == "" {
				props[c] = nil
				continue
			}
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				return layers.Feature{}, &layers.RecordError{Record: r.rec, Reason: fmt.Sprintf("%s: line %d: column %s: %q is not an integer", r.name, line, c, v)}
			}
			props[c] = n
		}
		if props["pro_com"] == nil {
			return layers.Feature{}, &layers.RecordError{Record: r.rec, Reason: fmt.Sprintf("%s: line %d: no pro_com (ISTAT code): the row cannot be joined to a municipality", r.name, line)}
		}
		if r.hasSnapshot {
			props["snapshot"] = r.snapshot
		}
		// No ID: snapshots are appended, the same comune comes back each time.
		return layers.Feature{Record: r.rec, Props: props}, nil
	}
}

func isBlankRow(row []string) bool {
	for _, v := range row {
		if strings.TrimSpace(v) != "" {
			return false
		}
	}
	return true
}

func (r *agcomReader) Close() error { return r.f.Close() }

// stemOf is a file's name without its directory and extension.
func stemOf(path string) string {
	return strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
}
