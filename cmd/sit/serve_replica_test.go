package main

import (
	"context"
	"fmt"
	"io"
	"math"
	"net/http"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/sit-gis/sit/internal/dbtest"
	"github.com/sit-gis/sit/internal/pgcluster"
)

// plotsFile writes n squares near Lucca whose "label" property is label.
func plotsFile(t *testing.T, dir, label string, n int) string {
	t.Helper()
	var feats []map[string]any
	for i := range n {
		x := 10.50 + float64(i%10)*0.001
		y := 43.84 + float64(i/10)*0.001
		feats = append(feats, feature(box(x, y, x+0.0008, y+0.0008), map[string]any{"label": label, "n": i}))
	}
	return writeGeoJSON(t, dir, label+".geojson", feats)
}

// replicaAnswer is what a server says of the layer "plots": the catalog's
// version, the label of its first feature, a tile's ETag.
type replicaAnswer struct {
	version int
	label   string
	etag    string
}

// plotsTile is the z14 tile holding the squares of plotsFile.
func plotsTile() string {
	lon, lat, z := 10.503, 43.842, 14
	n := math.Exp2(float64(z))
	x := int((lon + 180) / 360 * n)
	r := lat * math.Pi / 180
	y := int((1 - math.Log(math.Tan(r)+1/math.Cos(r))/math.Pi) / 2 * n)
	return fmt.Sprintf("/tiles/plots/%d/%d/%d.mvt", z, x, y)
}

// askPlots reads the three answers; any status but 200 fails the test.
func askPlots(t *testing.T, base string) replicaAnswer {
	t.Helper()
	a := replicaAnswer{version: servedVersions(t, base)["plots"]}
	var items struct {
		Features []struct {
			Properties struct {
				Label string `json:"label"`
			} `json:"properties"`
		} `json:"features"`
	}
	getJSON(t, base+"/collections/plots/items?limit=3", &items)
	if len(items.Features) == 0 {
		t.Fatal("no features")
	}
	a.label = items.Features[0].Properties.Label
	resp, err := client.Get(base + plotsTile())
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Header.Get("ETag") == "" {
		t.Fatalf("tile: %d, ETag %q", resp.StatusCode, resp.Header.Get("ETag"))
	}
	a.etag = resp.Header.Get("ETag")
	return a
}

// adminExec runs a statement as a cluster's superuser (the test's hands on
// the standby's replay).
func adminExec(t *testing.T, c *pgcluster.Cluster, sql string) string {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, c.AdminURLFor(pgcluster.Database))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var out string
	if err := conn.QueryRow(ctx, sql).Scan(&out); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return out
}

// checkImpatientServer: a second server with a short --replica-max-lag,
// while the standby's replay is paused again and v3 imported, switches to
// v3 read from the primary alone, when the patient one keeps v2.
func checkImpatientServer(t *testing.T, primary, standby *pgcluster.Cluster, dir string, patient *liveServer, v2 replicaAnswer) (*liveServer, replicaAnswer) {
	t.Helper()
	owner := primary.OwnerURL()
	impatient := startServe(t, primary.ReaderURL(), "--replica-url", standby.ReaderURL(), "--replica-max-lag", "1s")
	if a := askPlots(t, impatient.base); a != v2 {
		t.Fatalf("second server: %+v, want %+v", a, v2)
	}
	adminExec(t, standby, "SELECT pg_wal_replay_pause()::text")
	eventually(t, "replay to pause", func() bool { return adminExec(t, standby, "SELECT pg_get_wal_replay_pause_state()") == "paused" })
	if _, errOut, code := sitImport(t, owner, plotsFile(t, dir, "v3", 50), "--layer", "plots", "--replace"); code != 0 {
		t.Fatalf("import v3: %s", errOut)
	}
	var v3 replicaAnswer
	eventually(t, "the impatient server to switch to v3", func() bool { v3 = askPlots(t, impatient.base); return v3.version == 3 })
	if metric(t, impatient.base, `sit_db_replica_usable{target="replica-1"}`) != 0 {
		t.Fatal("the lagging replica still serves reads")
	}
	replicaReads := metric(t, impatient.base, `sit_db_reads_total{target="replica-1"}`)
	primaryReads := metric(t, impatient.base, `sit_db_reads_total{target="primary"}`)
	for i := 0; i < 10; i++ {
		if a := askPlots(t, impatient.base); a.version != 3 || a.label != "v3" {
			t.Fatalf("impatient server: %+v", a)
		}
		if a := askPlots(t, patient.base); a != v2 {
			t.Fatalf("patient server while the standby is paused: %+v, want %+v", a, v2)
		}
	}
	if metric(t, impatient.base, `sit_db_reads_total{target="replica-1"}`) != replicaReads ||
		metric(t, impatient.base, `sit_db_reads_total{target="primary"}`) <= primaryReads {
		t.Fatal("the impatient server did not read v3 from the primary alone")
	}
	return impatient, v3
}

// TestServeReplicaNeverAheadOfReplay: a server reading from a real
// streaming standby never answers with a layer version the standby has not
// replayed. With the standby's replay paused, an import on the primary
// leaves every answer (catalog, features, tile ETag) on the old version
// while the server knows of the new one; once replay resumes they all
// change. A server with a short --replica-max-lag switches after it, with
// its reads on the primary and none on the lagging standby; a standby
// that goes away leaves the reads to the primary.
func TestServeReplicaNeverAheadOfReplay(t *testing.T) {
	t.Parallel()
	primary := dbtest.Cluster(t)
	dir := t.TempDir()
	owner := primary.OwnerURL()
	if _, errOut, code := sitImport(t, owner, plotsFile(t, dir, "v1", 30), "--layer", "plots"); code != 0 {
		t.Fatalf("import v1: %s", errOut)
	}
	standby := dbtest.Standby(t, primary)
	caughtUp := func() bool {
		lsn := adminExec(t, primary, "SELECT pg_current_wal_insert_lsn()::text")
		return adminExec(t, standby, "SELECT (pg_last_wal_replay_lsn() >= '"+lsn+"'::pg_lsn)::text") == "true"
	}
	eventually(t, "the standby to catch up", caughtUp)

	patient := startServe(t, primary.ReaderURL(), "--replica-url", standby.ReaderURL(), "--replica-max-lag", "5m")
	// The catalog's floor is the primary's WAL position when the server
	// started: the replica serves once its next check finds it replayed.
	eventually(t, "the replica in use", func() bool {
		return metric(t, patient.base, `sit_db_replica_usable{target="replica-1"}`) == 1
	})
	v1 := askPlots(t, patient.base)
	if v1.version != 1 || v1.label != "v1" {
		t.Fatalf("before: %+v", v1)
	}
	if metric(t, patient.base, `sit_db_reads_total{target="replica-1"}`) <= 0 {
		t.Fatal("no read went to the replica")
	}

	adminExec(t, standby, "SELECT pg_wal_replay_pause()::text")
	eventually(t, "replay to pause", func() bool { return adminExec(t, standby, "SELECT pg_get_wal_replay_pause_state()") == "paused" })
	if _, errOut, code := sitImport(t, owner, plotsFile(t, dir, "v2", 40), "--layer", "plots", "--replace"); code != 0 {
		t.Fatalf("import v2: %s", errOut)
	}
	// The server has read the new catalog from the primary and holds it back.
	eventually(t, "the server to hear of v2", func() bool { return metric(t, patient.base, "sit_catalog_waiting_for_replicas") == 1 })
	replicaReads := metric(t, patient.base, `sit_db_reads_total{target="replica-1"}`)
	for i := 0; i < 20; i++ {
		if a := askPlots(t, patient.base); a != v1 {
			t.Fatalf("answer %d while the standby has not replayed v2: %+v, want %+v", i, a, v1)
		}
	}
	if metric(t, patient.base, `sit_db_reads_total{target="replica-1"}`) <= replicaReads {
		t.Fatal("the old version was not read from the replica")
	}

	adminExec(t, standby, "SELECT pg_wal_replay_resume()::text")
	var v2 replicaAnswer
	eventually(t, "v2 once replayed", func() bool { v2 = askPlots(t, patient.base); return v2.version == 2 })
	if v2.label != "v2" || v2.etag == v1.etag {
		t.Fatalf("after replay: %+v (before %+v)", v2, v1)
	}

	impatient, v3 := checkImpatientServer(t, primary, standby, dir, patient, v2)

	adminExec(t, standby, "SELECT pg_wal_replay_resume()::text")
	eventually(t, "the patient server to reach v3", func() bool { return askPlots(t, patient.base) == v3 })
	eventually(t, "the replica back in use", func() bool {
		return metric(t, impatient.base, `sit_db_replica_usable{target="replica-1"}`) == 1
	})

	if err := standby.Down(context.Background()); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the stopped replica to be seen down", func() bool {
		return metric(t, patient.base, `sit_db_replica_up{target="replica-1"}`) == 0
	})
	for i := 0; i < 10; i++ {
		if a := askPlots(t, patient.base); a != v3 {
			t.Fatalf("with the standby down: %+v, want %+v", a, v3)
		}
	}
}
