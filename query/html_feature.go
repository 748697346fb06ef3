package query

import (
	"context"
	"encoding/json"
	"math"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/paulmach/orb"

	"github.com/sit-gis/sit/domain"
	"github.com/sit-gis/sit/internal/l10n"
	"github.com/sit-gis/sit/layers"
)

// What the HTML pages say about one feature: its title as people name it,
// its values written for people, and where to go from it (the zoning
// report of a parcel, the viewer at the feature).

// nameProps are the properties that name a feature of a layer of no known
// kind, by preference.
var nameProps = []string{"name", "nome", "denominazione", "denominazi", "title", "titolo", "label", "comune_name"}

// featureTitle names a feature: "Foglio 37 particella 125" for a parcel,
// "Foglio 37" for a sheet, "E3 — Zona agricola" for a zone, the address of
// an address point, a name for the rest; else the layer's title and the
// feature id.
func featureTitle(l layers.Layer, props map[string]json.RawMessage, fid string) string {
	str := func(name string) string { return strings.TrimSpace(display(props[name])) }
	switch l.Kind {
	case layers.KindCadastral:
		ref := domain.Ref{Sezione: str("sezione"), Foglio: str("foglio"), Allegato: domain.OptionalPart(str("allegato")),
			Sviluppo: domain.OptionalPart(str("sviluppo")), Particella: str("particella")}
		if ref.Foglio != "" {
			return ref.Label()
		}
	case layers.KindZoning, layers.KindConstraint:
		if code, desc := str("zone_code"), str("description"); code != "" && desc != "" {
			return code + " — " + desc
		} else if code != "" || desc != "" {
			return code + desc
		}
	case layers.KindAddress, layers.KindBroadband:
		if a := str("address"); a != "" {
			return a
		}
		if st, n := str("street"), str("civico"); st != "" {
			return strings.TrimSpace(st + " " + n)
		}
	}
	for _, p := range nameProps {
		if v := str(p); v != "" {
			return v
		}
	}
	t := l.Title
	if t == "" {
		t = l.Name
	}
	return t + " " + fid
}

// valueText writes a property's value for people in lang: numbers of a
// known unit rounded with the unit, other numbers with at most 6 decimals
// (10 cm in degrees), dates and times in Italian local time, booleans in
// words. Integers of no known unit stay as they are (codes, years).
func valueText(texts l10n.Texts, lang l10n.Lang, p layers.Property, v json.RawMessage) string {
	s := display(v)
	if s == "" {
		return ""
	}
	switch p.Type {
	case layers.TypeDouble, layers.TypeInteger:
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return s
		}
		if u, ok := domain.ColumnUnit(p.Name); ok {
			out := lang.Number(f, u.Decimals)
			if u.Trim {
				out = lang.Decimal(f, u.Decimals)
			}
			return strings.TrimSpace(out + " " + u.Symbol)
		}
		if p.Type == layers.TypeInteger {
			return s
		}
		return lang.Decimal(f, 6)
	case layers.TypeBoolean:
		return texts.Text(lang, map[bool]string{true: "yes", false: "no"}[s == "true"])
	case layers.TypeDate:
		if t, err := time.Parse(time.DateOnly, s); err == nil {
			return lang.CalendarDate(t)
		}
	case layers.TypeTimestamp:
		if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
			return lang.DateTime(t)
		}
	}
	return s
}

// viewerHash is the viewer's location hash for a feature: the parcel's
// own state (#parcel=REF: the viewer looks it up, frames and selects it)
// for a parcel of the cadastre, else the map framed on the feature
// (#map=zoom/lat/lon, MapLibre's hash).
func viewerHash(parcelRef string, g orb.Geometry) string {
	if parcelRef != "" {
		return "#parcel=" + url.QueryEscape(parcelRef)
	}
	if g == nil {
		return ""
	}
	b := g.Bound()
	c := b.Center()
	// The zoom at which the feature's width fits about 600 pixels of 256
	// pixel tiles; 18 for a point.
	w := math.Max(b.Max[0]-b.Min[0], (b.Max[1]-b.Min[1])/math.Max(math.Cos(c[1]*math.Pi/180), 0.01))
	z := 18.0
	if w > 0 {
		z = math.Min(18, math.Floor(math.Log2(600.0/256*360/w)))
	}
	z = math.Max(z, 2)
	return "#map=" + strconv.Itoa(int(z)) + "/" + strconv.FormatFloat(c[1], 'f', 6, 64) + "/" + strconv.FormatFloat(c[0], 'f', 6, 64)
}

// parcelRef is the reference by which the lookup and the zoning report
// find a parcel of the cadastre: its national reference, else
// foglio/particella; "" for a feature that is not a parcel of the layer
// playing the cadastre's role.
func (s *Service) parcelRef(ctx context.Context, l layers.Layer, props map[string]json.RawMessage) string {
	cad, err := layers.LayerFor(s.cat.Layers(ctx), layers.RoleCadastre)
	if err != nil || cad.Name != l.Name {
		return ""
	}
	if ref := strings.TrimSpace(display(props["ref"])); ref != "" {
		return ref
	}
	f, p := strings.TrimSpace(display(props["foglio"])), strings.TrimSpace(display(props["particella"]))
	if f == "" || p == "" {
		return ""
	}
	return f + "/" + p
}
