// Package profile maps the attribute names a source uses onto the
// canonical columns of a layer kind (see the rules below), and reads the
// user's mappings for names it does not know.
package profile

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/sit-gis/sit/domain"
	"github.com/sit-gis/sit/importers"
	"github.com/sit-gis/sit/layers"
)

// A profile maps the attribute names a source uses onto the canonical
// columns of a layer kind (DESIGN §3, layers.CanonicalFields). Italian
// offices name the same thing a dozen ways (FOGLIO, fg, foglio; ZTO,
// ZONA_OMOGE, ZN_ZTO, ...); the synonym tables below hold the names seen in
// real files, and a mapping file adds any other.
//
// Rules, in order:
//   - matching is case-insensitive;
//   - for each canonical column the first present, non-empty candidate
//     wins: the canonical name itself, then the user's mapping, then the
//     built-in synonyms in the order listed;
//   - the winning attribute is renamed (its source name disappears); the
//     losers and every unknown attribute are kept as they are;
//   - values are normalised to the canonical type (text, double, date).
//
// Applying a profile twice gives the same result as applying it once, so a
// reader may apply the cadastral rules itself and the CLI again.

// synonyms lists, per canonical column, the source names that mean it, in
// order of preference.
type synonyms struct {
	canonical string
	names     []string
}

func profileSynonyms(kind layers.Kind) []synonyms {
	switch kind {
	case layers.KindCadastral:
		return []synonyms{
			{"comune", []string{"ADMINISTRATIVEUNIT", "cod_comune", "codice_comune", "codcom", "belfiore", "cod_belfiore", "cod_catastale", "codice_catastale"}},
			{"sezione", []string{"sez", "sezione_censuaria", "sez_cens", "cod_sezione"}},
			{"foglio", []string{"fg", "fgl", "num_foglio", "n_foglio", "numero_foglio"}},
			{"particella", []string{"mappale", "numero", "num_particella", "n_particella", "num_mappale", "part", "particell"}},
			{"allegato", []string{"all", "cod_allegato"}},
			{"sviluppo", []string{"svil", "cod_sviluppo"}},
			{"ref", []string{"NATIONALCADASTRALREFERENCE", "NATIONALCADASTRALZONINGREFERENCE", "ncr", "nationalCadastralReference", "riferimento_catastale"}},
		}
	case layers.KindZoning, layers.KindConstraint:
		return []synonyms{
			// The plan's own zone code (B2, E1, ...). The ZTO family comes
			// last: where a source has both, the finer code is the sigla.
			{"zone_code", []string{"ZN_SIGLA", "SIGLA", "SOTTOZONA", "ZONA", "cod_zona", "codice_zona", "codice", "ZTO", "ZONA_OM", "ZONA_OMOGE", "zona_omogenea"}},
			// DM 1444/68 class; ZN_ZTO holds the Piemonte domain code 01..06.
			{"zone_class", []string{"ZN_ZTO", "classe_zto", "zto_classe"}},
			{"description", []string{"descrizione", "descrizion", "ZONA_DESC", "DESC_ZONA", "DEST_PREV", "LEGENDA", "desc", "denominazione", "destinazione"}},
			{"norm_ref", []string{"ART_NTA", "ZN_NTA", "articolo", "art", "riferimento legislativo", "riferimento_legislativo", "rif_normativo", "norma", "nta"}},
			{"plan", []string{"piano", "strumento", "tema", "strumento_urbanistico"}},
		}
	case layers.KindBroadband:
		return []synonyms{
			{"snapshot", []string{"data_snapshot", "data_rilevazione", "data"}},
			{"technology", []string{"tecnologia", "tech", "tipo_rete", "tipo_tecnologia", "access_technology"}},
			{"max_down_mbps", []string{"velocita", "velocità", "download", "vel_down", "max_down", "down_mbps", "velocita_max", "velocita_download", "downstream", "banda_down"}},
			{"max_up_mbps", []string{"upload", "vel_up", "max_up", "up_mbps", "velocita_upload", "upstream", "banda_up"}},
			{"operator", []string{"operatore", "gestore", "provider", "operatore_rete"}},
			{"address", []string{"indirizzo", "indirizzo_completo", "full_address"}},
			{"area_class", []string{"colore", "classe_area", "area"}},
		}
	}
	return nil
}

// Apply returns a function that renames the attributes of a feature
// onto the canonical columns of kind (see the rules above). mapping adds
// source→canonical pairs (ParseMapping reads them from a file; check them
// with ValidateMapping); it wins over the built-in synonyms. The returned
// function may be called from one goroutine at a time per feature; it does
// not keep the feature.
func Apply(kind layers.Kind, mapping map[string]string) func(layers.Feature) layers.Feature {
	p := newProfile(kind, mapping)
	return p.apply
}

// Reader wraps a reader so that every feature goes through fn.
func Reader(r layers.FeatureReader, fn func(layers.Feature) layers.Feature) layers.FeatureReader {
	return &profileReader{r: r, fn: fn}
}

type profileReader struct {
	r  layers.FeatureReader
	fn func(layers.Feature) layers.Feature
}

func (p *profileReader) Next() (layers.Feature, error) {
	f, err := p.r.Next()
	if err != nil {
		return f, err
	}
	return p.fn(f), nil
}

func (p *profileReader) Close() error { return p.r.Close() }

// Split lets the loader apply the profile on its workers (layers.SplitReader):
// the function only reads and rewrites the feature it is given.
func (p *profileReader) Split() (layers.FeatureReader, func(layers.Feature) layers.Feature) {
	return p.r, p.fn
}

// profile is a compiled Apply: candidate names per canonical column,
// lower-cased.
type profile struct {
	kind       layers.Kind
	fields     []layers.Field
	candidates map[string][]string
	// order is the order the targets are filled in: canonical columns
	// first, then the user's extra targets sorted (the same for every
	// record, so computed once).
	order []string
}

func newProfile(kind layers.Kind, mapping map[string]string) profile {
	p := profile{kind: kind, fields: layers.CanonicalFields(kind), candidates: map[string][]string{}}
	// The user's names, grouped by target, in a stable order.
	user := map[string][]string{}
	for src, dst := range mapping {
		dst = strings.ToLower(strings.TrimSpace(dst))
		src = strings.ToLower(strings.TrimSpace(src))
		if src == "" || dst == "" {
			continue
		}
		user[dst] = append(user[dst], src)
	}
	for _, names := range user {
		sort.Strings(names)
	}
	builtin := map[string][]string{}
	for _, s := range profileSynonyms(kind) {
		for _, n := range s.names {
			builtin[s.canonical] = append(builtin[s.canonical], strings.ToLower(n))
		}
	}
	targets := map[string]bool{}
	for _, f := range p.fields {
		targets[f.Name] = true
	}
	for dst := range user {
		targets[dst] = true
	}
	for dst := range targets {
		c := []string{dst}
		c = append(c, user[dst]...)
		c = append(c, builtin[dst]...)
		p.candidates[dst] = c
	}
	var extra []string
	for _, fd := range p.fields {
		p.order = append(p.order, fd.Name)
	}
	for dst := range p.candidates {
		if p.fieldType(dst) == "" {
			extra = append(extra, dst)
		}
	}
	sort.Strings(extra)
	p.order = append(p.order, extra...)
	return p
}

// fieldType is the canonical type of a column, "" when it is not canonical
// (a mapping may rename to any name; such values are left as they are).
func (p profile) fieldType(name string) layers.FieldType {
	for _, f := range p.fields {
		if f.Name == name {
			return f.Type
		}
	}
	return ""
}

// lowerIndex maps each lower-cased attribute name to the key that holds it.
// Where two keys differ only by case the lower-case one (usually the
// canonical spelling) wins, then the smaller key, so the choice is stable.
func lowerIndex(props map[string]any) map[string]string {
	idx := make(map[string]string, len(props))
	for k := range props {
		lk := strings.ToLower(strings.TrimSpace(k))
		if old, ok := idx[lk]; ok {
			if old == lk || (k != lk && old < k) {
				continue
			}
		}
		idx[lk] = k
	}
	return idx
}

func isEmptyValue(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case string:
		return strings.TrimSpace(x) == ""
	case float64:
		return math.IsNaN(x)
	}
	return false
}

func (p profile) apply(f layers.Feature) layers.Feature {
	if f.Props == nil {
		f.Props = map[string]any{}
	}
	props := f.Props
	idx := lowerIndex(props)
	for _, dst := range p.order {
		for _, cand := range p.candidates[dst] {
			key, ok := idx[cand]
			if !ok {
				continue
			}
			v := props[key]
			if isEmptyValue(v) {
				continue
			}
			nv, ok := p.normalise(dst, v)
			if !ok {
				// Not usable as this column (a speed that is no number):
				// leave the attribute as it is and try the next name.
				continue
			}
			if key != dst {
				delete(props, key)
				delete(idx, cand)
			}
			props[dst] = nv
			idx[dst] = dst
			break
		}
	}
	switch p.kind {
	case layers.KindCadastral:
		applyCadastralRules(props)
	case layers.KindZoning, layers.KindConstraint:
		applyZoningRules(props, idx)
	case layers.KindBroadband:
		applyBroadbandRules(props)
	}
	return f
}

// normalise converts a source value to the canonical column's type.
func (p profile) normalise(dst string, v any) (any, bool) {
	switch p.fieldType(dst) {
	case layers.TypeDouble:
		return toFloat(v)
	case layers.TypeDate:
		return toDate(v)
	case layers.TypeText:
		s := valueText(v)
		if s == "" {
			return nil, false
		}
		switch dst {
		case "foglio":
			s = domain.TrimZeros(s)
		case "technology":
			s = normaliseTechnology(s)
		case "area_class":
			c, ok := domain.AreaClassFromColour(s)
			if !ok {
				return nil, false
			}
			s = c
		}
		return s, true
	}
	return v, true
}

// valueText renders a scalar as text: integers without decimals, so a
// foglio stored as 12.0 in a dBase numeric field reads "12".
func valueText(v any) string {
	switch x := v.(type) {
	case string:
		return strings.TrimSpace(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case int:
		return strconv.Itoa(x)
	case float64:
		if x == math.Trunc(x) && math.Abs(x) < 1e15 {
			return strconv.FormatInt(int64(x), 10)
		}
		return strconv.FormatFloat(x, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	case time.Time:
		if layers.IsDateOnly(x) {
			return x.Format(time.DateOnly)
		}
		return x.Format(time.RFC3339)
	case nil:
		return ""
	}
	return strings.TrimSpace(fmt.Sprint(v))
}

// speedValue matches "100", "100,5", "1 Gbps", "300 Mbit/s", ">= 1000".
var speedValue = regexp.MustCompile(`(?i)^\s*[<>=≥≤~]*\s*([0-9]+(?:[.,][0-9]+)?)\s*(g|m|k)?(?:bit/s|bps|b/s|b)?\s*$`)

func toFloat(v any) (any, bool) {
	switch x := v.(type) {
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return nil, false
		}
		return x, true
	case int64:
		return float64(x), true
	case int:
		return float64(x), true
	case string:
		m := speedValue.FindStringSubmatch(x)
		if m == nil {
			return nil, false
		}
		f, err := strconv.ParseFloat(strings.ReplaceAll(m[1], ",", "."), 64)
		if err != nil {
			return nil, false
		}
		switch strings.ToLower(m[2]) {
		case "g":
			f *= 1000
		case "k":
			f /= 1000
		}
		return f, true
	}
	return nil, false
}

func toDate(v any) (any, bool) {
	switch x := v.(type) {
	case time.Time:
		y, m, d := x.Date()
		return time.Date(y, m, d, 0, 0, 0, 0, time.UTC), true
	case string:
		s := strings.TrimSpace(x)
		for _, l := range []string{time.DateOnly, "02/01/2006", "2/1/2006", "02-01-2006", "20060102", "2006/01/02", time.RFC3339} {
			if t, err := time.Parse(l, s); err == nil {
				y, m, d := t.Date()
				return time.Date(y, m, d, 0, 0, 0, 0, time.UTC), true
			}
		}
	}
	return nil, false
}

func normaliseTechnology(s string) string {
	u := strings.ToUpper(strings.TrimSpace(s))
	switch u {
	case "FIBRA", "FIBRA OTTICA", "FTTP", "FTTB", "FTTH/B":
		return "FTTH"
	case "VDSL", "VDSL2", "FTTCAB", "FTTN", "MISTO RAME-FIBRA":
		return "FTTC"
	case "WIRELESS", "FIXED WIRELESS", "FWA/WIRELESS":
		return "FWA"
	case "ADSL2+", "ADSL2", "XDSL", "RAME":
		return "ADSL"
	case "NESSUNA", "NESSUNO", "NO", "NONE", "ASSENTE":
		return "none"
	}
	return u
}

// applyCadastralRules fills the parts of the national cadastral reference
// (ref, or the INSPIRE local id) that no attribute gave, and flags roads and
// water (which the cadastre numbers like parcels: STRADA001, ACQUA005).
func applyCadastralRules(props map[string]any) {
	refText := valueText(props["ref"])
	if refText == "" {
		// IT.AGE.PLA.<NCR> / IT.AGE.MAP.<sheet>, also as gml:id.
		idx := lowerIndex(props)
		for _, n := range []string{"inspireid_localid", "gml_id"} {
			if s := valueText(props[idx[n]]); s != "" {
				if _, err := domain.ParseNationalCadastralReference(s); err == nil {
					refText = s
					break
				}
			}
		}
	}
	if refText != "" {
		if r, err := domain.ParseNationalCadastralReference(refText); err == nil {
			setIfEmpty(props, "comune", r.Comune)
			setIfEmpty(props, "sezione", r.Sezione)
			setIfEmpty(props, "foglio", r.Foglio)
			setIfEmpty(props, "allegato", r.Allegato)
			setIfEmpty(props, "sviluppo", r.Sviluppo)
			setIfEmpty(props, "particella", r.Particella)
			if isEmptyValue(props["ref"]) {
				props["ref"] = r.String()
			}
		}
	}
	if _, ok := props["tipo"]; !ok {
		if t := domain.ParcelTipo(valueText(props["particella"])); t != "" {
			props["tipo"] = t
		}
	}
}

func setIfEmpty(props map[string]any, k, v string) {
	if v == "" || !isEmptyValue(props[k]) {
		return
	}
	props[k] = v
}

// applyZoningRules derives zone_class (DM 1444/68 A–F). An explicit class
// (zone_class, or ZN_ZTO with the Piemonte domain codes 01..06) wins; then
// the first letter of a "zona territoriale omogenea" attribute; then that of
// zone_code.
func applyZoningRules(props map[string]any, idx map[string]string) {
	if v := props["zone_class"]; !isEmptyValue(v) {
		if c, ok := domain.ZoneClassOf(valueText(v), true); ok {
			props["zone_class"] = c
		}
		return
	}
	// The "zona territoriale omogenea" attributes, whose first letter gives
	// the class when zone_code came from a finer one (SIGLA B2a, ZTO B).
	for _, n := range []string{"ZTO", "ZONA_OM", "ZONA_OMOGE", "zona_omogenea"} {
		if k, ok := idx[strings.ToLower(n)]; ok {
			if c, ok := domain.ZoneClassOf(valueText(props[k]), false); ok {
				props["zone_class"] = c
				return
			}
		}
	}
	if c, ok := domain.ZoneClassOf(valueText(props["zone_code"]), false); ok {
		props["zone_class"] = c
	}
}

// applyBroadbandRules keeps derived columns consistent: speed_band from
// max_down_mbps (the loader recomputes it in SQL with the same rule).
func applyBroadbandRules(props map[string]any) {
	if d, ok := props["max_down_mbps"].(float64); ok {
		if b := domain.SpeedBand(d); b != "" {
			props["speed_band"] = b
		}
	}
}

// ParseMapping reads a mapping for Apply. Two forms are accepted:
//
//	# comment
//	NUM_MAPP = particella
//	"Sigla zona" = zone_code
//
// (one "source = canonical" pair a line, quotes optional, blank lines and
// # comments ignored), or a JSON object {"NUM_MAPP": "particella", ...}.
func ParseMapping(b []byte) (map[string]string, error) {
	b = importers.TrimBOM(b)
	if t := bytes.TrimSpace(b); len(t) > 0 && t[0] == '{' {
		var m map[string]string
		if err := json.Unmarshal(t, &m); err != nil {
			return nil, fmt.Errorf("invalid JSON mapping (want an object of \"source\": \"canonical\" strings): %w", err)
		}
		for k, v := range m {
			if strings.TrimSpace(k) == "" || strings.TrimSpace(v) == "" {
				return nil, errors.New("JSON mapping has an empty name")
			}
		}
		return m, nil
	}
	m := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(b))
	line := 0
	for sc.Scan() {
		line++
		l := strings.TrimSpace(sc.Text())
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		src, dst, ok := strings.Cut(l, "=")
		src, dst = unquote(src), unquote(dst)
		if !ok || src == "" || dst == "" {
			return nil, fmt.Errorf("line %d: want \"source = canonical\", got %q", line, l)
		}
		if old, dup := m[src]; dup && old != dst {
			return nil, fmt.Errorf("line %d: %q is mapped twice (to %q and %q)", line, src, old, dst)
		}
		m[src] = dst
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("line %d: %w", line+1, err)
	}
	return m, nil
}

func unquote(s string) string {
	s = strings.TrimSpace(s)
	if len(s) >= 2 && (s[0] == '"' && s[len(s)-1] == '"' || s[0] == '\'' && s[len(s)-1] == '\'') {
		s = s[1 : len(s)-1]
	}
	return strings.TrimSpace(s)
}

// ValidateMapping checks that every target of mapping is a canonical column
// of kind, so that a typo ("particela") is an error rather than a new column.
func ValidateMapping(kind layers.Kind, mapping map[string]string) error {
	canon := map[string]bool{}
	var names []string
	for _, f := range layers.CanonicalFields(kind) {
		canon[f.Name] = true
		names = append(names, f.Name)
	}
	var bad []string
	for src, dst := range mapping {
		if !canon[strings.ToLower(strings.TrimSpace(dst))] {
			bad = append(bad, fmt.Sprintf("%s = %s", src, dst))
		}
	}
	if len(bad) == 0 {
		return nil
	}
	sort.Strings(bad)
	if len(names) == 0 {
		return fmt.Errorf("kind %q has no canonical columns to map onto (mapping: %s)", kind, strings.Join(bad, ", "))
	}
	return fmt.Errorf("mapping targets are not canonical columns of kind %q (%s): %s", kind, strings.Join(names, ", "), strings.Join(bad, ", "))
}
