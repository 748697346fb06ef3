package server

import (
	"archive/zip"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/sit-gis/sit/importers/bulk/bulktest"
	"github.com/sit-gis/sit/internal/config"
)

// TestUploadBulkArchive: the cadastre's bulk download (region zip →
// province zips → comune zips) uploaded as it is imports its parcels and
// sheets in one job, limited to the comuni of the comune field; the field
// is refused, naming it, for a file that is not such an archive.
func TestUploadBulkArchive(t *testing.T) {
	s := newSite(t, config.DefaultServer())
	path := bulktest.Write(t, t.TempDir(), bulktest.Layout{Region: "TOSCANA", Nested: zip.Deflate}, bulktest.Tuscany())
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	res, body := s.do(adminLU, "POST", "/admin/uploads?filename=TOSCANA.zip&layer=catasto&comune=E715&comune=Capannori&release-date=2025-12-31", f)
	if res.StatusCode != 202 {
		t.Fatalf("upload: %d %s", res.StatusCode, body)
	}
	var job struct {
		Progress struct {
			Results []struct {
				Layer  string `json:"layer"`
				Loaded int64  `json:"loaded"`
			} `json:"results"`
		} `json:"progress"`
	}
	body = s.awaitJob(adminLU, body, &job)
	got := map[string]int64{}
	for _, r := range job.Progress.Results {
		got[r.Layer] = r.Loaded
	}
	lucca, capannori := bulktest.Tuscany()[0], bulktest.Tuscany()[1]
	if len(got) != 2 || got["catasto_particelle"] != int64(lucca.Parcels()+capannori.Parcels()) || got["catasto_fogli"] != int64(lucca.Fogli+capannori.Fogli) {
		t.Fatalf("results %v: %s", got, body)
	}
	if d, err := s.owner.VersionRelease(t.Context(), "catasto_particelle", 1); err != nil || d.Format(time.DateOnly) != "2025-12-31" {
		t.Errorf("release date %v %v, want the release-date field's", d, err)
	}
	res, body = s.do(adminLU, "POST", "/admin/uploads?filename=x.geojson&layer=nuovo&comune=E715", strings.NewReader(`{"type":"FeatureCollection","features":[]}`))
	if res.StatusCode != 400 || !strings.Contains(string(body), `"parameter":"comune"`) {
		t.Errorf("comune field on a GeoJSON: %d %s", res.StatusCode, body)
	}
}

// awaitJob polls the job an upload answered with (body) until it
// succeeds, and decodes its last state into job; a failed or interrupted
// job, or one still running after two minutes, fails the test.
func (s *site) awaitJob(who string, body []byte, job any) []byte {
	s.t.Helper()
	var st struct {
		ID     string `json:"id"`
		Status string `json:"status"`
	}
	deadline := time.Now().Add(2 * time.Minute)
	for {
		if err := json.Unmarshal(body, &st); err != nil {
			s.t.Fatalf("job %s: %v", body, err)
		}
		if st.Status == "succeeded" {
			break
		}
		if st.Status == "failed" || st.Status == "interrupted" || time.Now().After(deadline) {
			s.t.Fatalf("job: %s", body)
		}
		time.Sleep(50 * time.Millisecond)
		_, body = s.do(who, "GET", "/admin/jobs/"+st.ID, nil)
	}
	if err := json.Unmarshal(body, job); err != nil {
		s.t.Fatal(err)
	}
	return body
}
