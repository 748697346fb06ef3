package query

import (
	"bytes"
	"net/http"
	"strconv"

	"github.com/sit-gis/sit/internal/httpx"
	"github.com/sit-gis/sit/layers"
)

// itemParams are the parameters of one feature.
var itemParams = httpx.Params{Once: []string{"f", "crs", "lang"}}

// handleItem serves /collections/{collectionId}/items/{featureId}.
func (s *Service) handleItem(w http.ResponseWriter, r *http.Request) error {
	query, f, l, err := s.collectionRequest(r, itemParams)
	if err != nil {
		return err
	}
	q := ItemsRequest{Layer: l, CRS: CRS84}
	if query.Has("crs") && f == formatJSON {
		if err := parseCRS(query, &q); err != nil {
			return err
		}
	}
	fid := httpx.PathValue(r, "featureId")
	feature, err := s.feature(r, q, fid)
	if err != nil {
		return err
	}
	coll := s.base(r) + "/collections/" + escapePath(l.Name)
	if f == formatHTML {
		return s.itemHTML(w, r, l, fid, feature, coll)
	}
	self := coll + "/items/" + escapePath(fid)
	links, err := marshal([]Link{
		{Href: self + "?f=json", Rel: "self", Type: mtGeoJSON, Title: "this feature"},
		{Href: self + "?f=html", Rel: "alternate", Type: mtHTML, Title: "this feature as HTML"},
		{Href: coll + "?f=json", Rel: "collection", Type: mtJSON, Title: l.Title},
	})
	if err != nil {
		return err
	}
	// The feature object is built by PostgreSQL; add the links before its
	// closing brace.
	var b bytes.Buffer
	b.Write(bytes.TrimSuffix(feature, []byte("}")))
	b.WriteString(`,"links":`)
	b.Write(links)
	b.WriteString("}")
	w.Header().Set("Content-Crs", "<"+q.CRS.URI+">")
	httpx.Send(w, r, http.StatusOK, mtGeoJSON, b.Bytes())
	return nil
}

// feature reads one feature, or a 404 naming featureId.
func (s *Service) feature(r *http.Request, q ItemsRequest, fid string) ([]byte, error) {
	notFound := httpx.NotFoundParameter("featureId", "collection "+q.Layer.Name+" has no feature "+quoteList([]string{fid}))
	if q.Layer.KeyColumn() == "" {
		return nil, httpx.NotFoundParameter("featureId", "collection "+q.Layer.Name+" has no feature URLs: "+q.Layer.NoKeyNote())
	}
	if q.Layer.FIDType == layers.TypeInteger {
		if _, err := strconv.ParseInt(fid, 10, 64); err != nil {
			return nil, notFound
		}
	}
	sql, args := itemSQL(q, fid)
	var feature []byte
	err := s.data.Stream(r.Context(), sql, args, func(row [][]byte) error {
		feature = append([]byte(nil), row[1]...)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if feature == nil {
		return nil, notFound
	}
	return feature, nil
}
