package tiles

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/sit-gis/sit/internal/httpx"
)

// The query parameters of the tile routes. Tiles take v, the version tag
// TileJSON puts in its URL template; OGC documents take f=json; the rest
// take none.
var (
	tileParams = httpx.Params{Once: []string{"v", "f"}}
	docParams  = httpx.Params{Once: []string{"f"}}
	noParams   = httpx.Params{}
)

// parseTileQuery checks a tile request's query: v is a hex tag (any
// version: an old tag still gets the current tile), f names MVT.
func parseTileQuery(r *http.Request) error {
	_, err := parseTileQueryWith(r, nil)
	return err
}

// parseTileQueryWith is parseTileQuery that also takes the parameters of
// tile functions, and returns the query.
func parseTileQueryWith(r *http.Request, functionParams []string) (url.Values, error) {
	p := tileParams
	p.Once = append(append([]string(nil), p.Once...), functionParams...)
	q, err := p.Parse(r)
	if err != nil {
		return nil, err
	}
	return q, checkTileQuery(q)
}

// checkTileQuery checks v and f.
func checkTileQuery(q url.Values) error {
	if v := q.Get("v"); q.Has("v") && (v == "" || len(v) > 32 || strings.Trim(v, "0123456789abcdef") != "") {
		return httpx.BadParameter("v", "the version tag of a tile URL is up to 32 lowercase hex digits, as TileJSON gives it")
	}
	if q.Has("f") {
		if _, err := httpx.FormatParam(q.Get("f"), httpx.Format{Name: "mvt", Types: []string{MVTType}}); err != nil {
			return err
		}
	}
	return nil
}

// parseDocQuery checks the query of a JSON document (f=json only).
func parseDocQuery(r *http.Request) error {
	q, err := docParams.Parse(r)
	if err != nil {
		return err
	}
	_, err = httpx.FormatParam(q.Get("f"), httpx.FormatJSON)
	return err
}

// docName reads the {file} of a route serving NAME.json documents, which
// take no parameters: NAME, or a 404 naming param that says where the
// documents are.
func docName(r *http.Request, param, where string) (string, error) {
	if _, err := noParams.Parse(r); err != nil {
		return "", err
	}
	name, ok := strings.CutSuffix(httpx.PathValue(r, "file"), ".json")
	if !ok || name == "" {
		return "", httpx.NotFoundParameter(param, where)
	}
	return name, nil
}

// writeDoc sends the JSON document the core made (with its ETag: 304 when
// the client has it), or the core's error for the frame to answer.
func (s *Service) writeDoc(w http.ResponseWriter, r *http.Request, doc any, err error) error {
	if err != nil {
		return err
	}
	return httpx.JSON(w, r, http.StatusOK, JSONType, doc)
}
