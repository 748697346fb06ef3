package query

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strconv"
	"strings"

	"github.com/sit-gis/sit/internal/httpx"
	"github.com/sit-gis/sit/layers"
)

// handleItems serves /collections/{collectionId}/items: a GeoJSON page or
// an HTML one. The page is produced into a spool and sent once the
// database work is over, so that a client reading slowly (or not at all)
// never holds a database connection.
func (s *Service) handleItems(w http.ResponseWriter, r *http.Request) error {
	l, err := s.layerOf(r)
	if err != nil {
		return err
	}
	query, f, err := s.request(r, s.itemsParams(l))
	if err != nil {
		return err
	}
	q, err := s.ParseItems(l, query)
	if err != nil {
		return err
	}
	if q.LimitClamped {
		w.Header().Set(LimitClampedHeader, strconv.Itoa(q.Limit))
	}
	base, path := s.base(r), "/collections/"+escapePath(l.Name)+"/items"
	if f != formatHTML {
		etag := itemsETag(s.opt.Version, l, base, r.URL.RawQuery)
		w.Header().Set("ETag", etag)
		if _, ok := httpx.ETagMatch(r.Header.Get("If-None-Match"), etag); ok {
			w.WriteHeader(http.StatusNotModified)
			return nil
		}
	}
	release, err := s.turn(r.Context(), q)
	if err != nil {
		return err
	}
	if f == formatHTML {
		return s.itemsHTML(w, r, q, base, path, query, release)
	}
	body := httpx.NewSpool(r, mtGeoJSON)
	defer body.Close()
	err = s.streamGeoJSON(r.Context(), body, q, base, path, query)
	release() // the database work is over: sending waits on the client alone
	if err != nil {
		return err
	}
	w.Header().Set("Content-Crs", "<"+q.CRS.URI+">")
	if err := body.Send(w, http.StatusOK); err != nil && r.Context().Err() == nil {
		s.log.Debug("features page not delivered", "path", r.URL.Path, "err", err)
	}
	return nil
}

// itemsETag is a weak validator of a GeoJSON page: the software, the
// layer's version and metadata (a published table's version changes with
// every committed edit when tracked, every layers.UntrackedTTL when not),
// the base of its links and the query. Weak: the page's timeStamp differs.
// A client revalidating gets 304 without a query to the database.
func itemsETag(version string, l layers.Layer, base, rawQuery string) string {
	sum := sha256.Sum256([]byte(strings.Join([]string{version, l.Name, strconv.FormatInt(l.Version, 10),
		strconv.FormatInt(l.UpdatedAt.UnixNano(), 36), string(l.Visibility), base, rawQuery}, "\x00")))
	return `W/"` + hex.EncodeToString(sum[:12]) + `"`
}

// LimitClampedHeader carries the limit used when the client asked for more
// than the maximum (documented in /api).
const LimitClampedHeader = "OGC-Limit-Clamped"
