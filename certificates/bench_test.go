package certificates

import (
	"context"
	"fmt"
	"testing"
)

// BenchmarkIssue: one certificate of one parcel (report with map, PDF,
// register insert). go test -run - -bench . ./certificates
func BenchmarkIssue(b *testing.B) {
	f := newFixture(b)
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, _, err := f.svc.Issue(ctx, f.request(fmt.Sprintf("B-%d", i))); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkVerify: reading a certificate back, recomputing it from its
// recorded versions and drawing its PDF again.
func BenchmarkVerify(b *testing.B) {
	f := newFixture(b)
	ctx := context.Background()
	e, _, err := f.svc.Issue(ctx, f.request("B"))
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if v, _, err := f.svc.Verify(ctx, e.Code); err != nil || !v.Recomputed {
			b.Fatal(err, v.Why)
		}
	}
}
