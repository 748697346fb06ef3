package web

import (
	"fmt"
	"net/url"
	"sort"
	"strings"
)

// Basemap is the viewer's base map, as the page receives it in
// /map/config.json. The server's --basemap flag is one string; the viewer
// needs to know what kind of source it names, so the server decides once.
type Basemap struct {
	// Type is "raster" (XYZ template or WMS turned into one), "style" (a
	// MapLibre style whose layers go under SIT's) or "pmtiles" (an archive,
	// raster or vector, read with Range requests).
	Type string `json:"type"`
	// URL of a style or a PMTiles archive.
	URL string `json:"url,omitempty"`
	// Tiles are the raster tile URL templates.
	Tiles       []string `json:"tiles,omitempty"`
	TileSize    int      `json:"tileSize,omitempty"`
	Attribution string   `json:"attribution,omitempty"`
	// origins are the hosts the page must be allowed to fetch from (CSP);
	// "*" when a style may refer to any host.
	origins []string
}

// knownAttribution names the licensor of well-known base map hosts, so that
// `--basemap https://tile.openstreetmap.org/{z}/{x}/{y}.png` is credited
// without more flags. A URL fragment "#attribution=…" overrides it.
var knownAttribution = []struct{ host, text string }{
	{"openstreetmap.org", "© OpenStreetMap contributors"},
	{"openstreetmap.fr", "© OpenStreetMap contributors"},
	{"regione.toscana.it", "© Regione Toscana – Geoscopio"},
	{"agenziaentrate.gov.it", "© Agenzia delle Entrate"},
	{"pcn.minambiente.it", "© Geoportale Nazionale (MASE)"},
}

// placeholders fills the template variables MapLibre knows, so that a
// template parses as a URL.
var placeholders = strings.NewReplacer("{s}", "a", "{z}", "0", "{x}", "0", "{y}", "0", "{-y}", "0", "{quadkey}", "0",
	"{bbox-epsg-3857}", "0,0,0,0", "{ratio}", "", "{r}", "")

// ParseBasemap classifies the --basemap value: an XYZ raster template
// ({z}/{x}/{y}, {s} subdomains expanded), a WMS URL (SERVICE=WMS or "wms" in
// the path, LAYERS required; turned into a GetMap template in EPSG:3857), a
// PMTiles archive (pmtiles:// or *.pmtiles) or a style (*.json). An empty
// value means no base map (nil).
func ParseBasemap(raw string) (*Basemap, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return nil, nil
	}
	attribution := ""
	if i := strings.Index(raw, "#"); i >= 0 {
		frag, err := url.ParseQuery(raw[i+1:])
		if err == nil && frag.Get("attribution") != "" {
			attribution = frag.Get("attribution")
		}
		raw = raw[:i]
	}
	bad := func(why string) error {
		return fmt.Errorf("--basemap %q: %s (want an XYZ template with {z}/{x}/{y}, a WMS URL with SERVICE=WMS&LAYERS=…, a PMTiles archive or a style .json)", raw, why)
	}
	pm := strings.HasPrefix(raw, "pmtiles://")
	// Placeholders are not valid in a host name: parse a filled-in copy.
	u, err := url.Parse(placeholders.Replace(strings.TrimPrefix(raw, "pmtiles://")))
	if err != nil {
		return nil, bad(err.Error())
	}
	switch {
	case u.Scheme == "http" || u.Scheme == "https":
		if u.Host == "" {
			return nil, bad("no host")
		}
	case u.Scheme == "" && u.Host == "" && strings.HasPrefix(u.Path, "/"):
		// A path on this server, e.g. an archive under /pmtiles/.
	default:
		return nil, bad("not an http(s) URL or an absolute path")
	}
	if attribution == "" {
		attribution = attributionFor(u.Hostname())
	}
	origin := ""
	if u.Host != "" {
		origin = u.Scheme + "://" + u.Host
	}
	b := &Basemap{Attribution: attribution}
	if origin != "" {
		b.origins = []string{origin}
	}
	rawNoPM := strings.TrimPrefix(raw, "pmtiles://")
	lowerPath := strings.ToLower(u.Path)
	switch {
	case pm || strings.HasSuffix(lowerPath, ".pmtiles"):
		b.Type, b.URL = "pmtiles", rawNoPM
	case strings.Contains(rawNoPM, "{z}") || strings.Contains(rawNoPM, "{quadkey}"):
		b.Type, b.TileSize = "raster", 256
		b.Tiles = expandSubdomains(rawNoPM)
		if strings.Contains(rawNoPM, "{s}") {
			// The hosts differ by subdomain: allow the whole parent domain.
			b.origins = nil
			for _, t := range b.Tiles {
				if tu, err := url.Parse(placeholders.Replace(t)); err == nil {
					b.origins = appendUnique(b.origins, tu.Scheme+"://"+tu.Host)
				}
			}
		}
	case isWMS(u):
		tmpl, err := wmsTemplate(rawNoPM, u)
		if err != nil {
			return nil, bad(err.Error())
		}
		b.Type, b.TileSize, b.Tiles = "raster", 256, []string{tmpl}
	case strings.HasSuffix(lowerPath, ".json") || strings.Contains(lowerPath, "style"):
		// A style names its own tile, glyph and sprite hosts.
		b.Type, b.URL, b.origins = "style", rawNoPM, []string{"*"}
	default:
		return nil, bad("cannot tell what kind of source this is")
	}
	return b, nil
}

func attributionFor(host string) string {
	host = strings.ToLower(host)
	for _, k := range knownAttribution {
		if host == k.host || strings.HasSuffix(host, "."+k.host) {
			return k.text
		}
	}
	return host
}

func expandSubdomains(t string) []string {
	if !strings.Contains(t, "{s}") {
		return []string{t}
	}
	var out []string
	for _, s := range []string{"a", "b", "c"} {
		out = append(out, strings.ReplaceAll(t, "{s}", s))
	}
	return out
}

func appendUnique(ss []string, s string) []string {
	for _, x := range ss {
		if x == s {
			return ss
		}
	}
	return append(ss, s)
}

func isWMS(u *url.URL) bool {
	for k, v := range u.Query() {
		if strings.EqualFold(k, "service") && len(v) > 0 && strings.EqualFold(v[0], "wms") {
			return true
		}
	}
	return strings.Contains(strings.ToLower(u.Path), "wms")
}

// wmsTemplate turns a WMS endpoint (with at least LAYERS) into a GetMap
// tile template that MapLibre fills with {bbox-epsg-3857}. Parameters the
// operator gave (STYLES, FORMAT, TRANSPARENT, vendor ones) are kept; the
// ones a tile needs are set.
func wmsTemplate(raw string, u *url.URL) (string, error) {
	base, query, _ := strings.Cut(raw, "?")
	q, err := url.ParseQuery(query)
	if err != nil {
		return "", fmt.Errorf("query: %w", err)
	}
	params := map[string]string{}
	keys := map[string]string{} // upper-case name → the spelling given
	for k, v := range q {
		uk := strings.ToUpper(k)
		keys[uk] = k
		if len(v) > 0 {
			params[uk] = v[0]
		}
	}
	if params["LAYERS"] == "" {
		return "", fmt.Errorf("a WMS base map needs LAYERS=… in the URL")
	}
	version := params["VERSION"]
	if version == "" {
		version = "1.3.0"
	}
	crsKey := "CRS"
	if !strings.HasPrefix(version, "1.3") {
		crsKey = "SRS"
	}
	set := map[string]string{"SERVICE": "WMS", "REQUEST": "GetMap", "VERSION": version, "WIDTH": "256", "HEIGHT": "256", crsKey: "EPSG:3857"}
	for _, k := range []string{"FORMAT", "STYLES", "TRANSPARENT"} {
		if _, ok := params[k]; !ok {
			set[k] = map[string]string{"FORMAT": "image/png", "STYLES": "", "TRANSPARENT": "false"}[k]
		}
	}
	for k, v := range set {
		params[k] = v
	}
	delete(params, "BBOX")
	names := make([]string, 0, len(params))
	for k := range params {
		names = append(names, k)
	}
	sort.Strings(names)
	var b strings.Builder
	b.WriteString(base)
	b.WriteByte('?')
	for i, k := range names {
		if i > 0 {
			b.WriteByte('&')
		}
		name := k
		if given, ok := keys[k]; ok {
			name = given
		}
		b.WriteString(url.QueryEscape(name) + "=" + url.QueryEscape(params[k]))
	}
	// MapLibre replaces the literal {bbox-epsg-3857}: it must not be escaped.
	b.WriteString("&BBOX={bbox-epsg-3857}")
	return b.String(), nil
}
