package cadastre

import (
	"net/http"
	"net/url"

	"github.com/go-chi/chi/v5"

	"github.com/sit-gis/sit/internal/httpx"
)

// HandleRef serves GET /parcels/{ref}: the parcel a reference names as a
// GeoJSON Feature. The reference may be written in any spelling ParseRef
// reads (URL-escaped: /parcels/37%2F125; /parcels/37/125 works too). An
// ambiguous reference answers 300 Multiple Choices with the candidates as
// a FeatureCollection; none is a 404 problem.
func (s *Service) HandleRef(w http.ResponseWriter, r *http.Request) error {
	s, _, err := s.request(r, refParams)
	if err != nil {
		return err
	}
	// chi routes on the escaped path when it has escapes (/parcels/37%2F125),
	// so the parameter comes as written: unescape it.
	ref := chi.URLParam(r, "ref")
	if p := chi.URLParam(r, "particella"); p != "" {
		// /parcels/37/125: the slash form left unescaped.
		ref = chi.URLParam(r, "foglio") + "/" + p
	}
	ref, err = url.PathUnescape(ref)
	if err != nil {
		return httpx.BadParameter("ref", "the reference is not correctly %-escaped")
	}
	lk, err := s.ByRef(r.Context(), ref, "ref", s.opt.DefaultLimit)
	if err != nil {
		return err
	}
	base := s.base(r)
	if len(lk.Parcels) == 1 {
		return httpx.JSON(w, r, http.StatusOK, GeoJSONType, lk.Parcels[0].Feature(base))
	}
	for _, p := range lk.Parcels {
		w.Header().Add("Link", "<"+base+ParcelPath(p.Ref)+`>; rel="alternate"; type="application/geo+json"`)
	}
	return httpx.JSON(w, r, http.StatusMultipleChoices, GeoJSONType, FeatureCollection(lk.Parcels, base, map[string]any{
		"query": ref, "reference": lk.Ref, "ambiguous": true, "more": lk.More,
		"detail": "the reference names several parcels: choose one by its national reference (links)",
	}))
}
