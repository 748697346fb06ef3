package bulk

import (
	"fmt"
	"path"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/sit-gis/sit/domain"
	"github.com/sit-gis/sit/importers"
)

// The names the bulk download gives its files: <PROV>.zip for a province,
// <BELFIORE>_<NOME>.zip for a comune, <BELFIORE>_<NOME>_ple.gml for its
// parcels and _map.gml for its sheets (names upper-case, spaces kept).
var (
	provinceZipRe = regexp.MustCompile(`(?i)^([a-z]{2})\.zip$`)
	comuneZipRe   = regexp.MustCompile(`(?i)^([a-z][0-9]{3})_(.+)\.zip$`)
	comuneGMLRe   = regexp.MustCompile(`(?i)^([a-z][0-9]{3})_(.+)_(ple|map)\.gml$`)
)

// The datasets of a bulk download.
const (
	// DatasetParcels holds every _ple.gml (CadastralParcel): the particelle.
	DatasetParcels = "particelle"
	// DatasetSheets holds every _map.gml (CadastralZoning): the fogli.
	DatasetSheets = "fogli"
)

// cadMember is a member of the bulk download: the parcels or the sheets
// of one comune.
type cadMember struct {
	*Member
	Belfiore string // E715
	Name     string // LUCCA, as in the file name
	Province string // LU, from the province zip holding it ("" when none)
	Dataset  string // DatasetParcels or DatasetSheets
}

// classify tells a member of the bulk download from any other file.
func classify(m *Member) (cadMember, bool) {
	g := comuneGMLRe.FindStringSubmatch(m.Name)
	if g == nil {
		return cadMember{}, false
	}
	c := cadMember{Member: m, Belfiore: strings.ToUpper(g[1]), Name: g[2], Dataset: DatasetParcels}
	if strings.EqualFold(g[3], "map") {
		c.Dataset = DatasetSheets
	}
	for _, p := range m.Parents {
		if pm := provinceZipRe.FindStringSubmatch(path.Base(p)); pm != nil {
			c.Province = strings.ToUpper(pm[1])
		}
	}
	return c, true
}

// Selection picks comuni (Belfiore code or name) and provinces (their
// two-letter code, the name of their zip); empty picks everything.
type Selection struct {
	Comuni    []string
	Provinces []string
}

func (s Selection) empty() bool { return len(s.Comuni) == 0 && len(s.Provinces) == 0 }

// normName compares comune names as people type them and as the download
// writes them: case, accents' apostrophes and runs of spaces aside.
func normName(s string) string {
	s = strings.ToUpper(strings.TrimSpace(s))
	s = strings.NewReplacer("_", " ", "-", " ", "'", " ", "’", " ").Replace(s)
	return strings.Join(strings.Fields(s), " ")
}

// comuneMatches tells whether a --comune value names this comune: its
// Belfiore code, its name in the file, or its name in the ANPR list.
func comuneMatches(want, belfiore, name string) bool {
	if strings.EqualFold(strings.TrimSpace(want), belfiore) {
		return true
	}
	w := normName(want)
	if w == normName(name) {
		return true
	}
	official, ok := domain.ComuneName(belfiore)
	return ok && w == normName(official)
}

func (s Selection) wantComune(belfiore, name string) bool {
	if len(s.Comuni) == 0 {
		return true
	}
	for _, w := range s.Comuni {
		if comuneMatches(w, belfiore, name) {
			return true
		}
	}
	return false
}

func (s Selection) wantProvince(p string) bool {
	if len(s.Provinces) == 0 {
		return true
	}
	for _, w := range s.Provinces {
		if strings.EqualFold(strings.TrimSpace(w), p) {
			return true
		}
	}
	return false
}

// descend skips the zips of provinces and comuni not selected, unopened.
func (s Selection) descend(_ []string, name string) bool {
	if m := provinceZipRe.FindStringSubmatch(name); m != nil {
		return s.wantProvince(strings.ToUpper(m[1]))
	}
	if m := comuneZipRe.FindStringSubmatch(name); m != nil {
		return s.wantComune(strings.ToUpper(m[1]), m[2])
	}
	return true
}

func (s Selection) wants(c cadMember) bool {
	return s.wantComune(c.Belfiore, c.Name) && (c.Province == "" || s.wantProvince(c.Province))
}

// check says which requested comuni or provinces the archive lacks,
// listing what it holds.
func (s Selection) check(archive string, all []cadMember, skipped []string) error {
	var comuni, provinces []string
	for _, c := range all {
		comuni = append(comuni, c.Belfiore+" "+c.Name)
		if c.Province != "" {
			provinces = append(provinces, c.Province)
		}
	}
	for _, z := range skipped {
		if m := comuneZipRe.FindStringSubmatch(z); m != nil {
			comuni = append(comuni, strings.ToUpper(m[1])+" "+strings.TrimSuffix(m[2], ".zip"))
		}
		if m := provinceZipRe.FindStringSubmatch(z); m != nil {
			provinces = append(provinces, strings.ToUpper(m[1]))
		}
	}
	comuni, provinces = uniq(comuni), uniq(provinces)
	for _, w := range s.Comuni {
		if !slices.ContainsFunc(all, func(c cadMember) bool { return comuneMatches(w, c.Belfiore, c.Name) }) {
			return &importers.OptionError{Option: "comune", Err: fmt.Errorf("%s: no comune of that Belfiore code or name in %s (it holds %s)", w, archive, listSome(comuni))}
		}
	}
	for _, w := range s.Provinces {
		if !slices.ContainsFunc(all, func(c cadMember) bool { return strings.EqualFold(c.Province, strings.TrimSpace(w)) }) {
			return &importers.OptionError{Option: "province", Err: fmt.Errorf("%s: no province zip %s.zip with comuni in %s (it holds %s)", w, strings.ToUpper(w), archive, listSome(provinces))}
		}
	}
	return nil
}

func uniq(s []string) []string {
	sort.Strings(s)
	return slices.Compact(s)
}

// listSome quotes a list, cut after a dozen items.
func listSome(items []string) string {
	if len(items) == 0 {
		return "none"
	}
	if len(items) > 12 {
		return strings.Join(items[:12], ", ") + fmt.Sprintf(" and %d more", len(items)-12)
	}
	return strings.Join(items, ", ")
}
