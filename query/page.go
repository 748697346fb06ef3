package query

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/sit-gis/sit/internal/httpx"
	"github.com/sit-gis/sit/layers"
)

// page is what a page query found besides the features themselves.
type page struct {
	Returned    int
	First, Last string // fids of the first and last feature
	// More: in normal mode there is a next page; in before mode a previous one.
	More bool
	// Counted is the number of matches counted by the page query itself
	// (up to the count cap), -1 when it did not count.
	Counted int64
}

// errStop ends a stream early without being an error.
var errStop = errors.New("stop")

// runPage runs the page query and calls each for every feature, in order.
func (s *Service) runPage(ctx context.Context, q ItemsRequest, each func(fid, feature []byte) error) (page, error) {
	bq := itemsSQLCounted(s.seeks.seek(q), s.opt.CountCap)
	pg := page{Counted: -1}
	if bq.Counted {
		pg.Counted = 0
	}
	skipFirst := false
	i := 0
	err := s.data.Stream(ctx, bq.SQL, bq.Args, func(row [][]byte) error {
		i++
		if bq.Counted && i == 1 {
			pg.Counted, _ = strconv.ParseInt(string(row[2]), 10, 64)
		}
		if bq.Before {
			if i == 1 {
				n, _ := strconv.Atoi(string(row[2]))
				if n >= bq.Fetch {
					skipFirst, pg.More = true, true
				}
			}
			if i == 1 && skipFirst {
				return nil
			}
		} else if i == bq.Fetch {
			pg.More = true
			return errStop
		}
		if pg.Returned == 0 {
			pg.First = string(row[0])
		}
		pg.Returned++
		pg.Last = string(row[0])
		return each(row[0], row[1])
	})
	if errors.Is(err, errStop) {
		err = nil
	}
	if err == nil {
		s.seeks.record(q, pg)
	}
	return pg, err
}

// matched works out numberMatched: exact from the catalog for a whole
// layer, exact from the page itself when it is the last, a bounded count
// up to CountCap otherwise, and above that the planner's estimate. Pages
// reached by key (after/before) under a filter carry none (-1): counting
// again on every page would cost more than it tells.
func (s *Service) matched(ctx context.Context, q ItemsRequest, pg page) (n int64, estimated bool, err error) {
	if !q.filtered() {
		if q.Layer.Published() {
			n, err = s.layerCount(ctx, q.Layer)
			return n, false, err
		}
		return q.Layer.FeatureCount, false, nil
	}
	if q.After != "" || q.Before != "" {
		return -1, false, nil
	}
	if !pg.More && (pg.Returned > 0 || q.Offset == 0) {
		return q.Offset + int64(pg.Returned), false, nil
	}
	if pg.Counted > 0 {
		n = pg.Counted
	} else {
		sql, args := countSQL(q, s.opt.CountCap+1)
		if n, err = s.data.Int(ctx, sql, args); err != nil {
			return -1, false, err
		}
	}
	if n <= s.opt.CountCap {
		return n, false, nil
	}
	est, err := s.estimate(ctx, q)
	if err != nil {
		return -1, false, err
	}
	return max(est, n), true, nil
}

// estimate returns the planner's row estimate of the request's filter.
func (s *Service) estimate(ctx context.Context, q ItemsRequest) (int64, error) {
	sql, args := estimateSQL(q)
	var plan []struct {
		Plan struct {
			Rows float64 `json:"Plan Rows"`
		} `json:"Plan"`
	}
	err := s.data.Stream(ctx, sql, args, func(row [][]byte) error {
		return json.Unmarshal(row[0], &plan)
	})
	if err != nil {
		return 0, err
	}
	if len(plan) == 0 {
		return 0, errors.New("estimate: empty plan")
	}
	return int64(plan[0].Plan.Rows), nil
}

// pageLinks builds self, alternate, next and prev.
func (s *Service) pageLinks(base, path string, query url.Values, q ItemsRequest, pg page, f format) []Link {
	self, alt := formatJSON, formatHTML
	selfType, altType := mtGeoJSON, mtHTML
	if f == formatHTML {
		self, alt = formatHTML, formatJSON
		selfType, altType = mtHTML, mtGeoJSON
	}
	fname := map[format]string{formatJSON: "json", formatHTML: "html"}
	links := []Link{
		{Href: withQuery(base, path, withFormat(query, fname[self])), Rel: "self", Type: selfType, Title: "this page"},
		{Href: withQuery(base, path, withFormat(query, fname[alt])), Rel: "alternate", Type: altType, Title: "this page as " + fname[alt]},
	}
	mk := func(set map[string]string, drop ...string) string {
		v := withFormat(query, fname[self])
		for _, d := range drop {
			v.Del(d)
		}
		for k, val := range set {
			v.Set(k, val)
		}
		return withQuery(base, path, v)
	}
	var next, prev string
	switch {
	case len(q.SortBy) > 0 || q.Layer.KeyColumn() == "":
		// Sorted pages, and those of a layer without a key, move by offset.
		if pg.More {
			next = mk(map[string]string{"offset": strconv.FormatInt(q.Offset+int64(q.Limit), 10)})
		}
		if q.Offset > 0 {
			prev = mk(map[string]string{"offset": strconv.FormatInt(max(0, q.Offset-int64(q.Limit)), 10)})
		}
	case q.Before != "":
		if pg.Returned > 0 {
			next = mk(map[string]string{"after": pg.Last}, "before", "offset")
			if pg.More {
				prev = mk(map[string]string{"before": pg.First}, "after", "offset")
			}
		}
	default:
		// Next pages seek by key (fid > last): as fast at the end of the
		// layer as at its start, whatever the offset of the first page.
		if pg.More {
			next = mk(map[string]string{"after": pg.Last}, "before", "offset")
		}
		switch {
		case q.After != "" && pg.Returned > 0:
			prev = mk(map[string]string{"before": pg.First}, "after", "offset")
		case q.After == "" && q.Offset > 0:
			prev = mk(map[string]string{"offset": strconv.FormatInt(max(0, q.Offset-int64(q.Limit)), 10)})
		}
	}
	if next != "" {
		links = append(links, Link{Href: next, Rel: "next", Type: selfType, Title: "next page"})
	}
	if prev != "" {
		links = append(links, Link{Href: prev, Rel: "prev", Type: selfType, Title: "previous page"})
	}
	return links
}

// streamGeoJSON writes a FeatureCollection as the rows arrive. The members
// known only at the end (numberReturned, numberMatched, links) follow the
// features: JSON members are unordered.
func (s *Service) streamGeoJSON(ctx context.Context, w io.Writer, q ItemsRequest, base, path string, query url.Values) error {
	if _, err := io.WriteString(w, `{"type":"FeatureCollection","features":[`); err != nil {
		return err
	}
	first := true
	pg, err := s.runPage(ctx, q, func(fid, feature []byte) error {
		if !first {
			if _, err := io.WriteString(w, ","); err != nil {
				return err
			}
		}
		first = false
		_, err := w.Write(feature)
		return err
	})
	if err != nil {
		return err
	}
	// An estimated numberMatched (above CountCap) is documented in /api.
	n, _, err := s.matched(ctx, q, pg)
	if err != nil {
		return err
	}
	trailer := struct {
		NumberReturned int    `json:"numberReturned"`
		NumberMatched  *int64 `json:"numberMatched,omitempty"`
		TimeStamp      string `json:"timeStamp"`
		Links          []Link `json:"links"`
	}{NumberReturned: pg.Returned, TimeStamp: time.Now().UTC().Format(time.RFC3339), Links: s.pageLinks(base, path, query, q, pg, formatJSON)}
	if n >= 0 {
		trailer.NumberMatched = &n
	}
	data, err := marshal(trailer)
	if err != nil {
		return err
	}
	if _, err := io.WriteString(w, "],"); err != nil {
		return err
	}
	_, err = w.Write(data[1:])
	return err
}

// problem translates the errors of a failed request for the frame. Errors PostgreSQL raised because of
// what the request asked (a value out of range in a filter, coordinates
// PROJ cannot transform) are 400s naming the parameter; a table swapped by
// an import is a 503 to retry; the rest (outages, timeouts, faults) goes to
// the one error writer.
func (s *Service) problem(r *http.Request, err error) error {
	code := sqlState(err)
	switch {
	case len(code) == 5 && code[:2] == "22":
		err = httpx.BadParameter("filter", "the request cannot be evaluated on this collection's data: "+dataErrorText(code))
	case code == "XX000" && strings.Contains(err.Error(), "transform"):
		// PROJ could not transform coordinates given in another CRS.
		err = httpx.BadParameter(crsParam(r), "coordinates outside the area where their CRS can be transformed")
	case code == "42P01" || code == "42703" || code == "0A000":
		err = httpx.Unavailable("the collection is being replaced by an import; retry in a moment", 1)
	}
	return err
}

func dataErrorText(code string) string {
	switch code {
	case "22012":
		return "division by zero"
	case "22003":
		return "a number is out of range"
	case "22008":
		return "a date or time is out of range"
	case "22P02", "22007":
		return "a value has the wrong type"
	case "2201E", "2201F":
		return "invalid argument of a mathematical function"
	}
	return "a value is invalid"
}

// crsParam names the parameter whose coordinates could not be transformed.
func crsParam(r *http.Request) string {
	q := r.URL.Query()
	if q.Has("bbox-crs") {
		return "bbox"
	}
	if q.Has("filter") {
		return "filter"
	}
	return "crs"
}

// maxCounts bounds the memo of published layers' counts.
const maxCounts = 1024

// layerCount is the exact number of features of a published layer,
// counted once per version of it (a tracked table's version changes with
// every committed edit, an untracked one's with its TTL): the catalog
// keeps no count of data SIT does not write.
func (s *Service) layerCount(ctx context.Context, l layers.Layer) (int64, error) {
	key := l.Name + "@" + strconv.FormatInt(l.Version, 10)
	if n, ok := s.counts.Load(key); ok {
		return n.(int64), nil
	}
	n, err := s.data.Int(ctx, header(l, "count")+"SELECT count(*) FROM "+l.Ident().Sanitize(), nil)
	if err != nil {
		return -1, err
	}
	if s.nCounts.Add(1) > maxCounts {
		s.counts.Clear()
		s.nCounts.Store(1)
	}
	s.counts.Store(key, n)
	return n, nil
}
