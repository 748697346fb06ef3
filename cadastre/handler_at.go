package cadastre

import (
	"net/http"
)

// HandleAt serves GET /parcels/at?lon=X&lat=Y[&crs=EPSG:N]: the parcel
// under a point as a GeoJSON Feature (x= and y= are accepted for projected
// coordinates). A point on a road is a 404 problem naming the nearest parcel.
func (s *Service) HandleAt(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	lonName, latName := "lon", "lat"
	if q.Get("lon") == "" && q.Get("x") != "" {
		lonName = "x"
	}
	if q.Get("lat") == "" && q.Get("y") != "" {
		latName = "y"
	}
	pt, err := ParsePoint(q.Get(lonName), q.Get(latName), q.Get("crs"), lonName, latName)
	if err != nil {
		WriteError(w, r, s.log, err)
		return
	}
	p, err := s.At(r.Context(), pt)
	if err != nil {
		WriteError(w, r, s.log, err)
		return
	}
	WriteJSON(w, http.StatusOK, GeoJSONType, p.Feature(s.base()))
}
