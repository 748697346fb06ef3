package cadastre

import (
	"errors"
	"net/http"

	"github.com/sit-gis/sit/internal/httpx"
)

// HandleAt serves GET /parcels/at?lon=X&lat=Y[&crs=EPSG:N]: the parcel
// under a point as a GeoJSON Feature (x= and y= are accepted for projected
// coordinates). A point on a road is a 404 problem naming the nearest parcel.
func (s *Service) HandleAt(w http.ResponseWriter, r *http.Request) error {
	s, q, err := s.request(r, atParams)
	if err != nil {
		return err
	}
	lonName, latName := "lon", "lat"
	if q.Has("lon") && q.Has("x") || q.Has("lat") && q.Has("y") {
		return httpx.BadParameter("x", "give lon/lat or x/y, not both")
	}
	if !q.Has("lon") && q.Has("x") {
		lonName = "x"
	}
	if !q.Has("lat") && q.Has("y") {
		latName = "y"
	}
	pt, err := ParsePoint(q.Get(lonName), q.Get(latName), q.Get("crs"), lonName, latName)
	if err != nil {
		return err
	}
	p, err := s.At(r.Context(), pt)
	if err != nil {
		return namePoint(err, lonName)
	}
	return httpx.JSON(w, r, http.StatusOK, GeoJSONType, p.Feature(s.base(r)))
}

// namePoint makes a "no parcel here" answer name the point's parameter.
func namePoint(err error, param string) error {
	var p *httpx.Problem
	if errors.As(err, &p) && p.Parameter == "" {
		cp := *p
		cp.Parameter = param
		return &cp
	}
	return err
}
