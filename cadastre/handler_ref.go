package cadastre

import (
	"net/http"
	"net/url"

	"github.com/go-chi/chi/v5"
)

// HandleRef serves GET /parcels/{ref}: the parcel a reference names as a
// GeoJSON Feature. The reference may be written in any spelling ParseRef
// reads (URL-escaped: /parcels/37%2F125; /parcels/37/125 works too). An ambiguous reference answers
// 300 Multiple Choices with the candidates as a FeatureCollection; none is
// a 404 problem.
func (s *Service) HandleRef(w http.ResponseWriter, r *http.Request) {
	ref := chi.URLParam(r, "ref")
	if p := chi.URLParam(r, "particella"); p != "" {
		// /parcels/37/125: the slash form left unescaped.
		ref = chi.URLParam(r, "foglio") + "/" + p
	}
	if u, err := url.PathUnescape(ref); err == nil {
		ref = u
	}
	lk, err := s.ByRef(r.Context(), ref, "ref", s.opt.DefaultLimit)
	if err != nil {
		WriteError(w, r, s.log, err)
		return
	}
	if len(lk.Parcels) == 1 {
		WriteJSON(w, http.StatusOK, GeoJSONType, lk.Parcels[0].Feature(s.base()))
		return
	}
	for _, p := range lk.Parcels {
		w.Header().Add("Link", "<"+s.base()+ParcelPath(p.Ref)+`>; rel="alternate"; type="application/geo+json"`)
	}
	WriteJSON(w, http.StatusMultipleChoices, GeoJSONType, FeatureCollection(lk.Parcels, s.base(), map[string]any{
		"query": ref, "reference": lk.Ref, "ambiguous": true, "more": lk.More,
		"detail": "the reference names several parcels: choose one by its national reference (links)",
	}))
}
