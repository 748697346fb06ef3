package query

import (
	"bytes"
	"net/http"
	"slices"
	"strconv"

	"github.com/go-chi/chi/v5"

	"github.com/sit-gis/sit/internal/problem"
	"github.com/sit-gis/sit/layers"
)

// handleItem serves /collections/{collectionId}/items/{featureId}.
func (s *Service) handleItem(w http.ResponseWriter, r *http.Request) {
	f, ok := s.format(w, r)
	if !ok {
		return
	}
	id, ok := s.layerOr404(w, r)
	if !ok {
		return
	}
	l, _ := s.collection(id)
	fid := chi.URLParam(r, "featureId")
	query := r.URL.Query()
	q := ItemsRequest{Layer: l, CRS: CRS84}
	for k := range query {
		if !slices.Contains([]string{"f", "crs"}, k) {
			problem.Write(w, r, bad(k, "unknown parameter %s: a feature takes only f and crs", quoteList([]string{k})))
			return
		}
	}
	if v := query.Get("crs"); v != "" && f == formatJSON {
		c, ok := lookupCRS(v)
		if !ok {
			problem.Write(w, r, bad("crs", "%q is not offered; use one of %v", clip(v), CRSURIs()))
			return
		}
		q.CRS = c
	}
	notFound := func() {
		problem.Write(w, r, &problem.Problem{Title: "Not Found", Status: http.StatusNotFound,
			Detail: "collection " + l.Name + " has no feature " + quoteList([]string{fid}), Parameter: "featureId"})
	}
	if l.FIDType == layers.TypeInteger {
		if _, err := strconv.ParseInt(fid, 10, 64); err != nil {
			notFound()
			return
		}
	}
	sql, args := itemSQL(q, fid)
	var feature []byte
	err := s.data.Stream(r.Context(), sql, args, func(row [][]byte) error {
		feature = append([]byte(nil), row[1]...)
		return nil
	})
	if err != nil {
		if p := s.dbProblem(r.Context(), r, err); p != nil {
			problem.Write(w, r, p)
		}
		return
	}
	if feature == nil {
		notFound()
		return
	}
	base := s.base(r)
	coll := base + "/collections/" + escapePath(l.Name)
	self := coll + "/items/" + escapePath(fid)
	if f == formatHTML {
		s.itemHTML(w, r, l, fid, feature, coll)
		return
	}
	links := []Link{
		{Href: self + "?f=json", Rel: "self", Type: mtGeoJSON, Title: "this feature"},
		{Href: self + "?f=html", Rel: "alternate", Type: mtHTML, Title: "this feature as HTML"},
		{Href: coll + "?f=json", Rel: "collection", Type: mtJSON, Title: l.Title},
	}
	data, err := marshal(links)
	if err != nil {
		problem.Write(w, r, problem.New(http.StatusInternalServerError, "internal error"))
		return
	}
	w.Header().Set("Content-Crs", "<"+q.CRS.URI+">")
	b := s.newBody(w, r, mtGeoJSON)
	// The feature object is built by PostgreSQL; add the links before its
	// closing brace.
	_, _ = b.Write(bytes.TrimSuffix(feature, []byte("}")))
	_, _ = b.WriteString(`,"links":`)
	_, _ = b.Write(data)
	_, _ = b.WriteString("}")
	_ = b.Close()
}
