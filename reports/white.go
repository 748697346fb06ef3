package reports

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"

	"github.com/jackc/pgx/v5"

	"github.com/sit-gis/sit/internal/httpx"
)

// WhiteRequest asks for the uncovered (white-area) addresses.
type WhiteRequest struct {
	Zones    string // optional polygon layer to name each address's zone
	Zone     string // optional fid of one zone of Zones
	Coverage string
	Snapshot string
	Limit    int
	Offset   int
}

// WhiteAddress is one address of a white area (< 30 Mbit/s, no NGA network).
type WhiteAddress struct {
	FID         any      `json:"fid"`
	Address     string   `json:"address"`
	Technology  string   `json:"technology"`
	Operator    string   `json:"operator"`
	MaxDownMbps *float64 `json:"max_down_mbps"`
	SpeedBand   string   `json:"speed_band"`
	AreaClass   string   `json:"area_class"`
	Households  *int64   `json:"households"`
	ZoneFID     any      `json:"zone_fid,omitempty"`
	ZoneName    string   `json:"zone_name,omitempty"`
	ZoneCode    string   `json:"zone_code,omitempty"`
	Lon         float64  `json:"lon"`
	Lat         float64  `json:"lat"`
}

// WhiteList is a page of white-area addresses.
type WhiteList struct {
	Coverage       LayerRef       `json:"coverage"`
	Zones          *LayerRef      `json:"zones,omitempty"`
	Snapshot       string         `json:"snapshot"`
	NumberMatched  int64          `json:"numberMatched"`
	NumberReturned int            `json:"numberReturned"`
	Limit          int            `json:"limit"`
	Offset         int            `json:"offset"`
	Addresses      []WhiteAddress `json:"addresses"`
}

// ParsePage reads limit and offset parameters (defaults def, at most max).
func ParsePage(limitS, offsetS string, def, max int) (int, int, error) {
	limit, offset := def, 0
	if limitS != "" {
		n, err := strconv.Atoi(limitS)
		if err != nil || n < 1 {
			return 0, 0, httpx.BadParameter("limit", fmt.Sprintf("%q is not a positive integer", limitS))
		}
		if n > max {
			return 0, 0, httpx.BadParameter("limit", fmt.Sprintf("%d is more than the maximum %d", n, max))
		}
		limit = n
	}
	if offsetS != "" {
		n, err := strconv.Atoi(offsetS)
		if err != nil || n < 0 {
			return 0, 0, httpx.BadParameter("offset", fmt.Sprintf("%q is not a non-negative integer", offsetS))
		}
		offset = n
	}
	return limit, offset, nil
}

// White lists the addresses of white areas at a snapshot, by zone (when
// zones is given) then address: the intervention planning list.
func (s *Service) White(ctx context.Context, req WhiteRequest) (WhiteList, error) {
	var out WhiteList
	st, err := s.setup(ctx, BroadbandRequest{Coverage: req.Coverage, Snapshot: req.Snapshot})
	if err != nil {
		return out, err
	}
	cov := st.coverage
	out = WhiteList{Coverage: LayerRef{Name: cov.Name, Title: cov.Title, Version: cov.Version}, Snapshot: st.snapshot,
		Limit: req.Limit, Offset: req.Offset, Addresses: []WhiteAddress{}}
	if _, ok := cov.Property("area_class"); !ok {
		return out, notFound("coverage", fmt.Sprintf("layer %s has no area_class column", cov.Name))
	}
	col := func(c, cast string) string {
		if _, ok := cov.Property(c); ok {
			return "b." + pgx.Identifier{c}.Sanitize() + cast
		}
		return "NULL" + cast
	}
	text := func(c string) string { return "coalesce(" + col(c, "::text") + ", '')" }
	hh := "NULL::bigint"
	if st.households != "" {
		hh = "b." + pgx.Identifier{st.households}.Sanitize() + "::bigint"
	}
	args := []any{st.snapshot}
	join, zsel, order := "", "NULL::text, '', ''", keyOrGeom(cov, "b")
	where := snapshotIs(cov, "b", 1) + " AND b.area_class = 'white'"
	if req.Zones != "" {
		zl, err := s.zonesLayer(ctx, req.Zones)
		if err != nil {
			return out, err
		}
		out.Zones = &LayerRef{Name: zl.Name, Title: zl.Title, Version: zl.Version}
		name, code := labelColumns(zl)
		join = zoneJoin(zl, cov, ", "+name+" AS name, "+code+" AS code")
		zsel, order = "zz.fid::text, coalesce(zz.name, ''), coalesce(zz.code, '')", "zz.name, zz.fid"
		if req.Zone != "" {
			args = append(args, req.Zone)
			where += " AND zz.fid::text = $2"
		}
	} else if req.Zone != "" {
		return out, httpx.BadParameter("zone", "give zones= (the layer) with zone= (the fid of one of its zones)")
	}
	addr := text("address")
	from := " FROM " + cov.Ident().Sanitize() + " b " + join + " WHERE " + where
	if err := s.db.QueryRow(ctx, "SELECT count(*)"+from, args...).Scan(&out.NumberMatched); err != nil {
		return out, fmt.Errorf("white areas of %s: %w", cov.Name, err)
	}
	n := len(args)
	sql := "SELECT " + keyOrNull(cov, "b") + ", " + addr + ", " + text("technology") + ", " + text("operator") + ", " + col("max_down_mbps", "::float8") + ", " +
		text("speed_band") + ", " + text("area_class") + ", " + hh + ", " + zsel + ", ST_X(ST_PointOnSurface(" + cov.Geom("b") + ")), ST_Y(ST_PointOnSurface(" + cov.Geom("b") + "))" +
		from + " ORDER BY " + order + ", " + addr + ", " + keyOrGeom(cov, "b") + " LIMIT $" + strconv.Itoa(n+1) + " OFFSET $" + strconv.Itoa(n+2)
	rows, err := s.db.Query(ctx, sql, append(args, req.Limit, req.Offset)...)
	if err != nil {
		return out, fmt.Errorf("white areas of %s: %w", cov.Name, err)
	}
	defer rows.Close()
	for rows.Next() {
		var a WhiteAddress
		var zfid *string
		if err := rows.Scan(&a.FID, &a.Address, &a.Technology, &a.Operator, &a.MaxDownMbps, &a.SpeedBand, &a.AreaClass, &a.Households,
			&zfid, &a.ZoneName, &a.ZoneCode, &a.Lon, &a.Lat); err != nil {
			return out, fmt.Errorf("white areas of %s: %w", cov.Name, err)
		}
		if zfid != nil {
			a.ZoneFID = *zfid
		}
		out.Addresses = append(out.Addresses, a)
	}
	if err := rows.Err(); err != nil {
		return out, fmt.Errorf("white areas of %s: %w", cov.Name, err)
	}
	out.NumberReturned = len(out.Addresses)
	return out, nil
}

// WriteWhiteCSV writes the list as CSV.
func WriteWhiteCSV(w io.Writer, l WhiteList) error {
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"fid", "address", "technology", "operator", "max_down_mbps", "speed_band", "area_class", "households",
		"zone_fid", "zone_name", "zone_code", "lon", "lat", "snapshot"})
	for _, a := range l.Addresses {
		down, hh := "", ""
		if a.MaxDownMbps != nil {
			down = ftoa(*a.MaxDownMbps)
		}
		if a.Households != nil {
			hh = itoa(*a.Households)
		}
		_ = cw.Write([]string{fmt.Sprint(a.FID), a.Address, a.Technology, a.Operator, down, a.SpeedBand, a.AreaClass, hh,
			fmt.Sprint(orEmpty(a.ZoneFID)), a.ZoneName, a.ZoneCode, strconv.FormatFloat(a.Lon, 'f', 7, 64), strconv.FormatFloat(a.Lat, 'f', 7, 64), l.Snapshot})
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("white areas CSV: %w", err)
	}
	return nil
}

// WhiteGeoJSON returns the list as a GeoJSON FeatureCollection of points.
func WhiteGeoJSON(l WhiteList) map[string]any {
	fs := make([]any, 0, len(l.Addresses))
	for _, a := range l.Addresses {
		props, _ := json.Marshal(a)
		var m map[string]any
		_ = json.Unmarshal(props, &m)
		delete(m, "lon")
		delete(m, "lat")
		m["snapshot"] = l.Snapshot
		fs = append(fs, map[string]any{"type": "Feature", "id": a.FID,
			"geometry":   map[string]any{"type": "Point", "coordinates": []float64{a.Lon, a.Lat}},
			"properties": m})
	}
	return map[string]any{"type": "FeatureCollection", "features": fs, "numberMatched": l.NumberMatched,
		"numberReturned": l.NumberReturned, "snapshot": l.Snapshot, "coverage": l.Coverage}
}
