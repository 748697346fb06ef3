package query

import (
	"encoding/json"
	"testing"
)

func TestLanding(t *testing.T) {
	s := catalogService(t, Options{LandingLinks: []Link{{Href: "/map/", Rel: "alternate", Type: mtHTML, Title: "Map viewer"}}})
	tests := []struct {
		name, target, accept, publicURL string
		wantType, wantSelf              string
	}{
		{"json by default", "/", "", "", mtJSON, "http://example.com/?f=json"},
		{"json for GDAL's Accept", "/", "application/json", "", mtJSON, "http://example.com/?f=json"},
		{"html for a browser", "/", "text/html,application/xhtml+xml,*/*;q=0.8", "", "text/html; charset=utf-8", ""},
		{"f wins over Accept", "/?f=json", "text/html", "", mtJSON, "http://example.com/?f=json"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := serve(t, s, tc.target, "Accept", tc.accept)
			if rec.Code != 200 || rec.Header().Get("Content-Type") != tc.wantType {
				t.Fatalf("%d %q", rec.Code, rec.Header().Get("Content-Type"))
			}
			if tc.wantType != mtJSON {
				return
			}
			var doc Landing
			if err := json.Unmarshal(rec.Body.Bytes(), &doc); err != nil {
				t.Fatal(err)
			}
			rels := map[string]Link{}
			for _, l := range doc.Links {
				rels[l.Rel+" "+l.Type] = l
			}
			for _, want := range []string{"self " + mtJSON, "alternate " + mtHTML, "service-desc " + mtOpenAPI, "service-doc " + mtHTML,
				"conformance " + mtJSON, "data " + mtJSON} {
				if _, ok := rels[want]; !ok {
					t.Errorf("no link %s", want)
				}
			}
			if rels["self "+mtJSON].Href != tc.wantSelf {
				t.Errorf("self = %s", rels["self "+mtJSON].Href)
			}
			found := false
			for _, l := range doc.Links {
				found = found || (l.Href == "http://example.com/map/" && l.Title == "Map viewer")
			}
			if !found {
				t.Error("no link to the map viewer")
			}
		})
	}
	if rec := serve(t, s, "/?f=xml"); rec.Code != 400 || rec.Header().Get("Content-Type") != "application/problem+json" {
		t.Errorf("f=xml: %d", rec.Code)
	}
	pub := catalogService(t, Options{PublicURL: "https://sit.comune.lucca.it/"})
	var doc Landing
	_ = json.Unmarshal(serve(t, pub, "/").Body.Bytes(), &doc)
	if doc.Links[0].Href != "https://sit.comune.lucca.it/?f=json" {
		t.Errorf("public URL not used: %s", doc.Links[0].Href)
	}
}
