package cadastre

import (
	"encoding/json"
	"net/url"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/sit-gis/sit/domain"
	"github.com/sit-gis/sit/layers"
)

// Parcel is one parcel of the cadastre layer with what a lookup answers.
type Parcel struct {
	Layer string
	// FID is the feature id as stored (int64 or string).
	FID        any
	Ref        string // the national reference ("E715_003700.125"), or the layer's ref
	Comune     string
	Sezione    string
	Foglio     string
	Particella string
	Allegato   string
	Sviluppo   string
	// Kind is "particella", or "strada" / "acqua" for the road and water
	// polygons some cadastres number like parcels.
	Kind     string
	AreaM2   float64    // on the spheroid
	Centroid [2]float64 // lon, lat
	BBox     [4]float64 // minlon, minlat, maxlon, maxlat
	// Geometry is GeoJSON in EPSG:4326 (lon/lat), 7 decimals.
	Geometry json.RawMessage
	// Attributes are every column of the layer but the geometries.
	Attributes map[string]any
	// Match says how a search found the parcel.
	Match *Match
}

// ComuneName is the name of the parcel's comune ("Lucca" for E715), ""
// when the code is not a known Belfiore code.
func (p Parcel) ComuneName() string {
	n, _ := domain.ComuneName(p.Comune)
	return n
}

// Road reports whether the "parcel" is a road or water polygon.
func (p Parcel) Road() bool { return p.Kind == "strada" || p.Kind == "acqua" }

// Label is the reference as people write it: "Foglio 37 particella 125".
func (p Parcel) Label() string {
	return domain.Ref{Sezione: p.Sezione, Foglio: p.Foglio, Allegato: p.Allegato, Sviluppo: p.Sviluppo, Particella: p.Particella}.Label()
}

// Match tells how a search found a parcel.
type Match struct {
	// By is "reference", "address" or "point".
	By      string `json:"by"`
	Address string `json:"address,omitempty"`
}

// Link is a GeoJSON foreign member pointing at related resources.
type Link struct {
	Rel   string `json:"rel"`
	Href  string `json:"href"`
	Type  string `json:"type,omitempty"`
	Title string `json:"title,omitempty"`
}

// ParcelPath is the path of a parcel's own resource.
func ParcelPath(ref string) string { return "/parcels/" + url.PathEscape(ref) }

// Feature returns the parcel as a GeoJSON Feature with its links (base is
// the public URL prefix, "" for relative links).
func (p Parcel) Feature(base string) map[string]any {
	props := map[string]any{
		"layer": p.Layer, "fid": p.FID, "ref": p.Ref, "comune": p.Comune, "comune_name": p.ComuneName(), "sezione": p.Sezione, "foglio": p.Foglio,
		"particella": p.Particella, "allegato": p.Allegato, "sviluppo": p.Sviluppo, "label": p.Label(),
		"kind": p.Kind, "road": p.Road(), "area_m2": round(p.AreaM2, 2), "area_method": domain.AreaMethod,
		"centroid": []float64{round(p.Centroid[0], 7), round(p.Centroid[1], 7)}, "attributes": p.Attributes,
	}
	if p.Match != nil {
		props["match"] = p.Match
	}
	geom := p.Geometry
	if len(geom) == 0 {
		geom = json.RawMessage("null")
	}
	q := url.QueryEscape(p.Ref)
	return map[string]any{
		"type": "Feature", "id": p.Ref,
		"bbox":       []float64{round(p.BBox[0], 7), round(p.BBox[1], 7), round(p.BBox[2], 7), round(p.BBox[3], 7)},
		"geometry":   geom,
		"properties": props,
		"links": []Link{
			{Rel: "self", Href: base + ParcelPath(p.Ref), Type: "application/geo+json"},
			{Rel: "report", Href: base + "/reports/zoning?parcel=" + q, Type: "application/json", Title: "Zoning report (JSON)"},
			{Rel: "report", Href: base + "/reports/zoning?parcel=" + q + "&f=html", Type: "text/html", Title: "Zoning report (HTML)"},
			{Rel: "report", Href: base + "/reports/zoning?parcel=" + q + "&f=pdf", Type: "application/pdf", Title: "Zoning report (PDF)"},
		},
	}
}

// FeatureCollection wraps parcels as a GeoJSON FeatureCollection.
func FeatureCollection(ps []Parcel, base string, extra map[string]any) map[string]any {
	fs := make([]any, 0, len(ps))
	for _, p := range ps {
		fs = append(fs, p.Feature(base))
	}
	out := map[string]any{"type": "FeatureCollection", "features": fs, "numberReturned": len(fs)}
	for k, v := range extra {
		out[k] = v
	}
	return out
}

// parcelColumns is the select list that scanParcel reads, for layer l
// aliased p. Canonical columns a layer lacks read as ”.
func parcelColumns(l layers.Layer) string {
	col := func(name string) string {
		if _, ok := l.Property(name); ok {
			return "coalesce(p." + pgx.Identifier{name}.Sanitize() + "::text, '')"
		}
		return "''"
	}
	g := l.Geom("p")
	attrs := l.AttributesJSON("p")
	return l.Key("p") + ", " + col("comune") + ", " + col("sezione") + ", " + col("foglio") + ", " + col("particella") + ", " +
		col("allegato") + ", " + col("sviluppo") + ", " + col("ref") + ", " + col("tipo") + ", " +
		"ST_Area(" + g + "::geography), ST_X(ST_Centroid(" + g + ")), ST_Y(ST_Centroid(" + g + ")), " +
		"ST_XMin(" + g + "), ST_YMin(" + g + "), ST_XMax(" + g + "), ST_YMax(" + g + "), ST_AsGeoJSON(" + g + ", 7)::text, " + attrs
}

func scanParcel(l layers.Layer, row pgx.Row) (Parcel, error) {
	p := Parcel{Layer: l.Name}
	var ref, tipo, geom string
	var attrs map[string]any
	err := row.Scan(&p.FID, &p.Comune, &p.Sezione, &p.Foglio, &p.Particella, &p.Allegato, &p.Sviluppo, &ref, &tipo,
		&p.AreaM2, &p.Centroid[0], &p.Centroid[1], &p.BBox[0], &p.BBox[1], &p.BBox[2], &p.BBox[3], &geom, &attrs)
	if err != nil {
		return p, err
	}
	p.Comune = strings.ToUpper(p.Comune)
	p.Sezione = domain.OptionalPart(p.Sezione)
	p.Allegato = domain.OptionalPart(p.Allegato)
	p.Sviluppo = domain.OptionalPart(p.Sviluppo)
	p.Foglio = domain.TrimZeros(strings.ToUpper(p.Foglio))
	p.Geometry = json.RawMessage(geom)
	p.Attributes = attrs
	p.Kind = parcelKind(tipo, p.Particella)
	p.Ref = domain.NationalRef(p.Comune, p.Sezione, p.Foglio, p.Allegato, p.Sviluppo, p.Particella)
	if p.Ref == "" {
		p.Ref = ref
	}
	if p.Ref == "" {
		p.Ref = p.Foglio + "/" + p.Particella
	}
	return p, nil
}

// parcelKind reads the road / water flag: the layer's tipo column when it
// has one, else the particella (STRADA001, ACQUA005).
func parcelKind(tipo, particella string) string {
	if t := strings.ToLower(strings.TrimSpace(tipo)); t == "strada" || t == "acqua" || t == "particella" {
		return t
	}
	if k := domain.ParcelTipo(particella); k != "" {
		return k
	}
	return "particella"
}
