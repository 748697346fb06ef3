package reports

import (
	"context"
	"io"
	"testing"
)

// BenchmarkZoningReport measures the report of one parcel straddling two
// zones and a constraint: the statements alone (JSON), and with the map
// and the PDF.
func BenchmarkZoningReport(b *testing.B) {
	f := newZoningFixture(b)
	ctx := context.Background()
	b.Run("json", func(b *testing.B) {
		for b.Loop() {
			if _, err := f.svc.Zoning(ctx, ZoningRequest{Parcels: []string{"E715_003700.125"}}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("pdf", func(b *testing.B) {
		for b.Loop() {
			rep, err := f.svc.Zoning(ctx, ZoningRequest{Parcels: []string{"E715_003700.125"}, WithMap: true})
			if err != nil {
				b.Fatal(err)
			}
			if err := WriteZoningPDF(io.Discard, rep); err != nil {
				b.Fatal(err)
			}
		}
	})
}
