package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sit-gis/sit/internal/dbtest"
)

// TestServeKilledMidUpload kills `sit serve --allow-uploads` (SIGKILL: no
// chance to clean up) while an upload is streaming in, and again while the
// upload's import is staging the new version; each time a restarted
// server serves the previous version unchanged (version, count, tile and
// its ETag), and after the second the import history and the job say the
// import was interrupted.
func TestServeKilledMidUpload(t *testing.T) {
	t.Parallel()
	roles := dbtest.Roles(t)
	if _, errOut, code := runSit(t, "import", "--database-url", roles.Owner, "../../data/admin/openpolis_limits_P_46_municipalities.geojson", "--layer", "strato"); code != 0 {
		t.Fatal(errOut)
	}
	tok, errOut, code := runSit(t, "token", "create", "--name", "kill-test", "--role", "admin", "--database-url", roles.Owner)
	if code != 0 {
		t.Fatal(errOut)
	}
	u := uploader{token: strings.TrimSpace(tok), dir: t.TempDir(), big: writeBigFile(t, 100000)}
	flags := []string{"--web-url", roles.Web, "--database-url", roles.Owner, "--allow-uploads", "--upload-dir", u.dir, "--tile-cache-bytes", "0"}
	srv := startServe(t, roles.Reader, flags...)
	before := u.state(t, srv.base)
	if before.version != 1 || before.features != 33 {
		t.Fatalf("before: %+v", before)
	}

	// Killed while the upload streams in. (One test, not subtests: each
	// server lives until the whole test ends.)
	u.killMidBody(t, srv)
	srv = startServe(t, roles.Reader, flags...)
	if after := u.state(t, srv.base); after != before {
		t.Fatalf("after a kill mid-upload: %+v, before %+v", after, before)
	}
	u.killMidImport(t, roles.Owner, roles.Reader, &srv, flags)
	if after := u.state(t, srv.base); after != before {
		t.Fatalf("after a kill mid-import: %+v, before %+v", after, before)
	}
}

// killMidImport uploads the big file, kills the server while its import
// stages the new version, restarts it, and checks that the history and the
// job say interrupted.
func (u uploader) killMidImport(t *testing.T, owner, reader string, srv **liveServer, flags []string) {
	t.Helper()
	var last int64
	queryRow(t, owner, "SELECT coalesce(max(id), 0) FROM sit.imports", &last)
	job := u.post(t, (*srv).base, u.big)
	var pid int64
	waitFor(t, "the upload's import to be staging", (*srv).logs, func() bool {
		queryRow(t, owner, fmt.Sprintf(`SELECT coalesce(max(backend_pid), 0) FROM sit.imports i
			WHERE id > %d AND phase = 'staging' AND sit.import_alive(i.id)`, last), &pid)
		return pid > 0
	})
	_ = (*srv).cmd.Process.Kill()
	<-(*srv).done
	waitFor(t, "the dead import's backend to end", (*srv).logs, func() bool {
		var gone bool
		queryRow(t, owner, fmt.Sprintf("SELECT NOT EXISTS (SELECT 1 FROM pg_stat_activity WHERE pid = %d)", pid), &gone)
		return gone
	})
	*srv = startServe(t, reader, flags...)
	var imports struct {
		Imports []struct{ Status, Source string } `json:"imports"`
	}
	u.getJSON(t, (*srv).base+"/admin/imports?layer=strato&limit=1", &imports)
	if len(imports.Imports) != 1 || imports.Imports[0].Status != "interrupted" {
		t.Fatalf("the import history does not say interrupted: %+v", imports)
	}
	// The job is reported interrupted once its heartbeat is stale.
	eventually(t, "the job to be reported interrupted", func() bool {
		var doc struct{ Status string }
		u.getJSON(t, (*srv).base+"/admin/jobs/"+job, &doc)
		return doc.Status == "interrupted"
	})
}

// uploader sends uploads as an administrator's script would.
type uploader struct {
	token, dir, big string
}

// layerState is what a client sees of the layer.
type layerState struct {
	version, features int64
	tileETag          string
	tileBytes         int
}

func (u uploader) do(t *testing.T, req *http.Request) (*http.Response, []byte) {
	t.Helper()
	req.Header.Set("Authorization", "Bearer "+u.token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res, b
}

func (u uploader) getJSON(t *testing.T, url string, v any) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	res, body := u.do(t, req)
	if res.StatusCode != 200 || json.Unmarshal(body, v) != nil {
		t.Fatalf("GET %s: %d %s", url, res.StatusCode, body)
	}
}

// state reads the layer's version and count (admin API) and its tile
// (as the public).
func (u uploader) state(t *testing.T, base string) layerState {
	t.Helper()
	var l struct{ Version, Features int64 }
	u.getJSON(t, base+"/admin/layers/strato", &l)
	res, err := http.Get(base + "/tiles/strato/8/135/93.mvt")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != 200 {
		t.Fatalf("tile: %d %s", res.StatusCode, body)
	}
	return layerState{version: l.Version, features: l.Features, tileETag: res.Header.Get("ETag"), tileBytes: len(body)}
}

// post uploads a whole file (replacing strato) and returns the job's id.
func (u uploader) post(t *testing.T, base, path string) string {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	_ = mw.WriteField("layer", "strato")
	_ = mw.WriteField("replace", "true")
	fw, _ := mw.CreateFormFile("file", filepath.Base(path))
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = fw.Write(data)
	_ = mw.Close()
	req, _ := http.NewRequest("POST", base+"/admin/uploads", &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	res, body := u.do(t, req)
	var job struct{ ID string }
	if res.StatusCode != http.StatusAccepted || json.Unmarshal(body, &job) != nil || job.ID == "" {
		t.Fatalf("upload: %d %s", res.StatusCode, body)
	}
	return job.ID
}

// killMidBody streams half of the big file, waits until the server has
// written part of it to its upload directory, and kills the server.
func (u uploader) killMidBody(t *testing.T, srv *liveServer) {
	t.Helper()
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	req, _ := http.NewRequest("POST", srv.base+"/admin/uploads", pr)
	req.Header.Set("Authorization", "Bearer "+u.token)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	sent := make(chan error, 1)
	go func() {
		res, err := http.DefaultClient.Do(req)
		if err == nil {
			res.Body.Close()
			err = fmt.Errorf("the server answered %d to a broken-off upload", res.StatusCode)
		}
		sent <- err
	}()
	data, err := os.ReadFile(u.big)
	if err != nil {
		t.Fatal(err)
	}
	_ = mw.WriteField("layer", "strato")
	_ = mw.WriteField("replace", "true")
	fw, _ := mw.CreateFormFile("file", filepath.Base(u.big))
	if _, err := fw.Write(data[:len(data)/2]); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "part of the upload on the server's disk", srv.logs, func() bool { return spooled(u.dir) > 0 })
	_ = srv.cmd.Process.Kill()
	<-srv.done
	_ = pw.CloseWithError(io.ErrUnexpectedEOF)
	if err := <-sent; err == nil || strings.Contains(err.Error(), "answered") {
		t.Fatalf("upload to a killed server: %v", err)
	}
}

// spooled is how many bytes the upload directory holds.
func spooled(dir string) int64 {
	var n int64
	_ = filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if info, err := d.Info(); err == nil {
				n += info.Size()
			}
		}
		return nil
	})
	return n
}
