package admin

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/sit-gis/sit/ingest"
	"github.com/sit-gis/sit/internal/httpx"
	"github.com/sit-gis/sit/layers"
)

// uploadFields are the form fields (or, with a raw body, query
// parameters) of an upload: the flags of `sit import`, by the same names.
var uploadFields = []string{"layer", "kind", "role", "title", "description", "attribution", "srid", "replace", "append", "snapshot",
	"format", "table", "encoding", "csv-wkt", "csv-lon", "csv-lat", "delimiter", "swap-axes", "expected-area", "mixed", "mapping",
	"join", "filter", "fail-on-reject", "visibility", "comune", "province", "release-date"}

// repeatable are the upload fields that may be given more than once.
var repeatable = []string{"role", "filter", "comune", "province"}

// uploadParams are the query of a raw-body upload: filename and the fields.
var uploadParams = httpx.Params{Once: append([]string{"filename"}, without(uploadFields, repeatable...)...), Many: repeatable}

func without(list []string, drop ...string) []string {
	var out []string
	for _, s := range list {
		if !contains(drop, s) {
			out = append(out, s)
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// newJobID is 16 random hex characters.
func newJobID() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// safeName keeps a file name the readers recognise (its extension) and
// nothing that could leave the job's directory.
func safeName(name string) string {
	name = filepath.Base(strings.ReplaceAll(name, "\\", "/"))
	name = unsafeName.ReplaceAllString(name, "_")
	name = strings.TrimLeft(name, ".")
	if len(name) > 120 {
		ext := filepath.Ext(name)
		name = name[:120-len(ext)] + ext
	}
	if name == "" || name == "_" {
		name = "upload"
	}
	return name
}

// spool reads the upload into dir: a multipart form (a part "file" and
// the fields) or a raw body named by ?filename=. It returns the file, its
// name as sent, its size and the fields.
func (s *Service) spool(w http.ResponseWriter, r *http.Request, dir string) (path, source string, size int64, fields url.Values, err error) {
	r.Body = http.MaxBytesReader(w, r.Body, s.opt.MaxUploadBytes)
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt == "multipart/form-data" {
		return s.spoolMultipart(r, dir)
	}
	q, err := uploadParams.Parse(r)
	if err != nil {
		return "", "", 0, nil, err
	}
	source = q.Get("filename")
	if source == "" {
		return "", "", 0, nil, httpx.BadParameter("filename", "a raw upload names its file: ?filename=piano.zip (or send multipart/form-data with a part \"file\")")
	}
	path = filepath.Join(dir, safeName(source))
	size, err = writeFile(path, r.Body)
	return path, source, size, q, err
}

func (s *Service) spoolMultipart(r *http.Request, dir string) (path, source string, size int64, fields url.Values, err error) {
	if _, err := (httpx.Params{}).Parse(r); err != nil {
		return "", "", 0, nil, err
	}
	mr, err := r.MultipartReader()
	if err != nil {
		return "", "", 0, nil, httpx.BadParameter("body", "not a multipart form: "+err.Error())
	}
	fields = url.Values{}
	for n := 0; ; n++ {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return "", "", 0, nil, badBody(err)
		}
		if n > 100 {
			return "", "", 0, nil, httpx.BadParameter("body", "more than 100 form parts")
		}
		if err := s.readPart(part, dir, fields, &path, &source, &size); err != nil {
			return "", "", 0, nil, err
		}
	}
	if path == "" {
		return "", "", 0, nil, httpx.BadParameter("file", "the form has no part \"file\" with the file to import")
	}
	return path, source, size, fields, nil
}

// readPart stores the file part on disk and a field in fields.
func (s *Service) readPart(part *multipart.Part, dir string, fields url.Values, path, source *string, size *int64) error {
	defer part.Close()
	name := part.FormName()
	if name == "file" {
		if *path != "" {
			return httpx.BadParameter("file", "one file per upload")
		}
		*source = part.FileName()
		if *source == "" {
			*source = "upload"
		}
		*path = filepath.Join(dir, safeName(*source))
		n, err := writeFile(*path, part)
		*size = n
		return err
	}
	if !contains(uploadFields, name) {
		return httpx.BadParameter(name, "not a field of an upload (fields: file, "+strings.Join(uploadFields, ", ")+")")
	}
	b, err := io.ReadAll(io.LimitReader(part, 64<<10+1))
	if err != nil {
		return badBody(err)
	}
	if len(b) > 64<<10 {
		return httpx.BadParameter(name, "longer than 64 KiB")
	}
	if len(fields[name]) > 0 && !contains(repeatable, name) {
		return httpx.BadParameter(name, "given twice")
	}
	fields.Add(name, string(b))
	return nil
}

func badBody(err error) error {
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return err
	}
	return httpx.BadParameter("body", "the upload broke off: "+err.Error())
}

func writeFile(path string, r io.Reader) (int64, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return 0, fmt.Errorf("store the upload: %w", err)
	}
	n, err := io.Copy(f, r)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return n, badBody(err)
	}
	return n, nil
}

// request turns the fields into an import request. A layer an upload
// creates starts internal (the office checks it before anyone else sees
// it) unless the form says otherwise.
func request(path, source string, f url.Values, comune string) (ingest.Request, error) {
	b := func(name string) (bool, error) {
		switch strings.ToLower(f.Get(name)) {
		case "", "false", "0", "off", "no":
			return false, nil
		case "true", "1", "on", "yes":
			return true, nil
		}
		return false, httpx.BadParameter(name, fmt.Sprintf("%q: want true or false", f.Get(name)))
	}
	req := ingest.Request{Path: path, SourceName: source, Layer: f.Get("layer"), Kind: f.Get("kind"), Roles: f["role"],
		Title: f.Get("title"), Description: f.Get("description"), Attribution: f.Get("attribution"), SRID: f.Get("srid"),
		Snapshot: f.Get("snapshot"), Format: f.Get("format"), Table: f.Get("table"), Encoding: f.Get("encoding"),
		CSVWKT: f.Get("csv-wkt"), CSVLon: f.Get("csv-lon"), CSVLat: f.Get("csv-lat"), Delimiter: f.Get("delimiter"),
		ExpectedArea: f.Get("expected-area"), Mixed: f.Get("mixed"), Mapping: f.Get("mapping"), Join: f.Get("join"),
		Filters: f["filter"], Comune: comune, Visibility: f.Get("visibility"),
		Comuni: f["comune"], Provinces: f["province"], ReleaseDate: f.Get("release-date")}
	if req.Visibility == "" {
		req.Visibility = string(layers.Internal)
	}
	var err error
	for _, x := range []struct {
		name string
		dst  *bool
	}{{"replace", &req.Replace}, {"append", &req.Append}, {"swap-axes", &req.SwapAxes}, {"fail-on-reject", &req.FailOnReject}} {
		if *x.dst, err = b(x.name); err != nil {
			return req, err
		}
	}
	return req, nil
}
