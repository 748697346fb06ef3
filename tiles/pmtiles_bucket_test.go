package tiles

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/sit-gis/sit/access"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
)

// fakeS3 runs an S3-compatible server (gofakes3, in memory) inside the
// test with one bucket, "tiles", and returns the URL of its "published/"
// prefix. Requests are signed with test credentials.
func fakeS3(t *testing.T) string {
	u, _ := fakeS3Recording(t)
	return u
}

// fakeS3Recording is fakeS3 that also returns the Cache-Control headers of
// the writes it received (gofakes3 does not keep that header).
func fakeS3Recording(t *testing.T) (string, func() []string) {
	t.Helper()
	backend := s3mem.New()
	if err := backend.CreateBucket("tiles"); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var seen []string
	fake := gofakes3.New(backend).Server()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if cc := r.Header.Get("Cache-Control"); cc != "" && (r.Method == http.MethodPut || r.Method == http.MethodPost) {
			mu.Lock()
			seen = append(seen, cc)
			mu.Unlock()
		}
		fake.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	t.Setenv("AWS_ACCESS_KEY_ID", "sit-test")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "sit-test-secret")
	return "s3://tiles/published?endpoint=" + url.QueryEscape(srv.URL) + "&use_path_style=true&region=eu-south-1", func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), seen...)
	}
}

// archiveURL names an archive inside the bucket URL's prefix.
func archiveURL(bucketURL, name string) string {
	u, _ := url.Parse(bucketURL)
	u.Path += "/" + name
	return u.String()
}

// download reads an object of the fake bucket with the SDK directly.
func download(t *testing.T, bucketURL, name string) (*s3.HeadObjectOutput, []byte) {
	t.Helper()
	b, err := openS3(bucketURL)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	key := aws.String(b.prefix + name)
	head, err := b.client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: &b.bucket, Key: key})
	if err != nil {
		t.Fatalf("head %s: %v", name, err)
	}
	out, err := b.client.GetObject(ctx, &s3.GetObjectInput{Bucket: &b.bucket, Key: key})
	if err != nil {
		t.Fatal(err)
	}
	defer out.Body.Close()
	data, err := io.ReadAll(out.Body)
	if err != nil {
		t.Fatal(err)
	}
	return head, data
}

func exportFixture(t *testing.T, out string) ExportResult {
	t.Helper()
	svc := New(bytesDB{body: []byte(strings.Repeat("\x1a\x20fixture-tile-bytes-that-compress!", 40))}, access.NewCatalog(testCatalog()), Options{})
	box := [4]float64{10.49, 43.84, 10.51, 43.85}
	res, err := svc.ExportPMTiles(context.Background(), out, ExportOptions{Layers: mustLayers(t, svc, "parcels"), MinZoom: 14, MaxZoom: 16,
		BBox: &box, Workers: 2, Name: "demo", CacheControl: "public, max-age=86400"})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// An archive exported to a bucket is the archive exported to a file, byte
// for byte, with its type and cache header; above the part size it goes up
// in parts.
func TestExportPMTilesToBucket(t *testing.T) {
	dir := t.TempDir()
	local := filepath.Join(dir, "demo.pmtiles")
	exportFixture(t, local)
	want, err := os.ReadFile(local)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name     string
		partSize int64
	}{{"one PUT", 64 << 20}, {"multipart", 1000}} {
		t.Run(c.name, func(t *testing.T) {
			old := uploadPartSize
			uploadPartSize = c.partSize
			defer func() { uploadPartSize = old }()
			bucket, cacheHeaders := fakeS3Recording(t)
			res := exportFixture(t, archiveURL(bucket, "demo.pmtiles"))
			if res.Bytes != int64(len(want)) {
				t.Errorf("result says %d bytes, the file export %d", res.Bytes, len(want))
			}
			head, got := download(t, bucket, "demo.pmtiles")
			if !bytes.Equal(got, want) {
				t.Fatalf("bucket object (%d bytes) differs from the file export (%d bytes)", len(got), len(want))
			}
			if aws.ToString(head.ContentType) != PMTilesType {
				t.Errorf("content type %q", aws.ToString(head.ContentType))
			}
			if cc := cacheHeaders(); len(cc) != 1 || cc[0] != "public, max-age=86400" {
				t.Errorf("Cache-Control sent with the upload: %q, want it once", cc)
			}
			tmp := filepath.Join(t.TempDir(), "copy.pmtiles")
			if err := os.WriteFile(tmp, got, 0o644); err != nil {
				t.Fatal(err)
			}
			verify(t, tmp)
		})
	}
}

// A server reading the bucket answers every archive request as a server
// reading a directory of the same archives does.
func TestArchivesOnBucketAnswerAsDirectory(t *testing.T) {
	dir := t.TempDir()
	exportFixture(t, filepath.Join(dir, "demo.pmtiles"))
	bucket := fakeS3(t)
	exportFixture(t, archiveURL(bucket, "demo.pmtiles"))
	fromDir := router(New(noDB{}, access.NewCatalog(testCatalog()), Options{PMTilesDir: dir, PublicURL: "http://h"}))
	fromBucket := router(New(noDB{}, access.NewCatalog(testCatalog()), Options{PMTilesDir: bucket, PublicURL: "http://h"}))
	in := tileAt(15)
	for _, c := range []struct {
		name, path string
		header     [2]string
		status     int
	}{
		{"tile gzip", "/pmtiles/demo/" + in.String() + ".mvt", [2]string{"Accept-Encoding", "gzip"}, 200},
		{"tile identity", "/pmtiles/demo/" + in.String() + ".mvt", [2]string{}, 200},
		{"tile outside", "/pmtiles/demo/15/0/0.mvt", [2]string{}, 204},
		{"zoom past the archive", "/pmtiles/demo/18/0/0.mvt", [2]string{}, 204},
		{"tilejson", "/pmtiles/demo.json", [2]string{}, 200},
		{"header range", "/pmtiles/demo.pmtiles", [2]string{"Range", "bytes=0-126"}, 206},
		{"tail range", "/pmtiles/demo.pmtiles", [2]string{"Range", "bytes=-100"}, 206},
		{"whole archive", "/pmtiles/demo.pmtiles", [2]string{}, 200},
		{"list", "/pmtiles", [2]string{}, 200},
		{"unknown archive", "/pmtiles/nope.json", [2]string{}, 404},
		{"unknown archive tile", "/pmtiles/nope/15/0/0.mvt", [2]string{}, 404},
		{"dots refused", "/pmtiles/..%2Fdemo.json", [2]string{}, 404},
	} {
		t.Run(c.name, func(t *testing.T) {
			var got [2]*httptest.ResponseRecorder
			for i, h := range []http.Handler{fromDir, fromBucket} {
				req := httptest.NewRequest("GET", c.path, nil)
				if c.header[0] != "" {
					req.Header.Set(c.header[0], c.header[1])
				}
				got[i] = httptest.NewRecorder()
				h.ServeHTTP(got[i], req)
			}
			d, b := got[0], got[1]
			if d.Code != c.status || b.Code != c.status {
				t.Fatalf("status: directory %d, bucket %d, want %d: %s", d.Code, b.Code, c.status, b.Body)
			}
			if c.status < 300 && !bytes.Equal(d.Body.Bytes(), b.Body.Bytes()) {
				t.Fatalf("bodies differ: directory %d bytes, bucket %d bytes", d.Body.Len(), b.Body.Len())
			}
			for _, k := range []string{"Content-Type", "Content-Encoding", "Content-Range"} {
				if d.Header().Get(k) != b.Header().Get(k) {
					t.Errorf("%s: directory %q, bucket %q", k, d.Header().Get(k), b.Header().Get(k))
				}
			}
		})
	}
}

func TestOpenS3(t *testing.T) {
	t.Setenv("AWS_REGION", "")
	t.Setenv("AWS_DEFAULT_REGION", "")
	for _, c := range []struct {
		url, bucket, prefix, err string
	}{
		{"s3://tiles", "tiles", "", ""},
		{"s3://tiles/a/b/?region=eu-south-1&endpoint=http://127.0.0.1:9000&use_path_style=true", "tiles", "a/b/", ""},
		{"s3://", "", "", "want s3://BUCKET"},
		{"http://tiles/x", "", "", "want s3://BUCKET"},
		{"s3://tiles?use_path_style=maybe", "", "", "not a boolean"},
		{"s3://tiles?acl=public", "", "", `unknown parameter "acl"`},
	} {
		t.Run(c.url, func(t *testing.T) {
			b, err := openS3(c.url)
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) {
					t.Fatalf("error %v, want %q", err, c.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if b.bucket != c.bucket || b.prefix != c.prefix {
				t.Errorf("bucket %q prefix %q", b.bucket, b.prefix)
			}
		})
	}
	for _, c := range []struct{ url, bucket, name, err string }{
		{"s3://tiles/x/demo.pmtiles?region=r", "s3://tiles/x/?region=r", "demo.pmtiles", ""},
		{"s3://tiles/", "", "", "name the archive"},
	} {
		b, n, err := bucketKey(c.url)
		if (err != nil) != (c.err != "") || (err != nil && !strings.Contains(err.Error(), c.err)) || b != c.bucket || n != c.name {
			t.Errorf("bucketKey(%s) = %q %q %v", c.url, b, n, err)
		}
	}
}

// A bucket that does not exist fails the export before any tile is made,
// and the server that should read it says so at start.
func TestBucketErrors(t *testing.T) {
	bucket := fakeS3(t)
	missing := strings.Replace(bucket, "s3://tiles/", "s3://nope/", 1)
	svc := New(noDB{}, access.NewCatalog(testCatalog()), Options{})
	_, err := svc.ExportPMTiles(context.Background(), archiveURL(missing, "demo.pmtiles"), ExportOptions{Layers: mustLayers(t, svc, "parcels"), MaxZoom: 16})
	if err == nil || !strings.Contains(err.Error(), "s3://nope/") {
		t.Errorf("export to a missing bucket: %v", err)
	}
	if _, err := NewArchives(missing, "", nil); err == nil || !strings.Contains(err.Error(), "s3://nope/") {
		t.Errorf("serving a missing bucket: %v", err)
	}
}
