package planning

import (
	"testing"
	"time"

	"github.com/sit-gis/sit/layers"
)

func d(s string) time.Time {
	t, err := layers.ParseDay(s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestStandingAt(t *testing.T) {
	po := Plan{Code: "po", Kind: KindPO, Acts: []Act{
		{Kind: ActAdoption, Number: "12", Date: d("2019-03-10")},
		{Kind: ActApproval, Number: "45", Date: d("2020-07-20")},
		{Kind: ActEfficacy, Publication: "BURT n. 32", Date: d("2020-08-12")},
	}}
	variant := Plan{Code: "var", Kind: KindVariant, Parent: "po", Acts: []Act{{Kind: ActAdoption, Number: "7", Date: d("2025-02-03")}}}
	expired := Plan{Code: "prg", Kind: KindPRG, Acts: []Act{{Kind: ActApproval, Date: d("1998-01-01")}, {Kind: ActExpiry, Date: d("2020-08-12")}}}
	given := variant
	given.SafeguardGiven = ptr(d("2025-06-30"))
	approvedOnly := Plan{Code: "pa", Acts: []Act{{Kind: ActApproval, Date: d("2021-01-01")}, {Kind: ActEfficacy, Date: d("2021-02-01")}}}
	cases := []struct {
		name string
		p    Plan
		at   string
		want Status
	}{
		{"before adoption", po, "2019-03-09", StatusNotAdopted},
		{"adoption day counts", po, "2019-03-10", StatusAdopted},
		{"approved, not yet published: safeguard", po, "2020-08-11", StatusAdopted},
		{"in force from publication", po, "2020-08-12", StatusInForce},
		{"in force later", po, "2026-01-01", StatusInForce},
		{"variant adopted", variant, "2025-02-03", StatusAdopted},
		{"variant: last day of three years", variant, "2028-02-02", StatusAdopted},
		{"variant: safeguard lapsed after three years", variant, "2028-02-03", StatusSafeguardLapsed},
		{"safeguard end given", given, "2025-07-01", StatusSafeguardLapsed},
		{"safeguard end given: last day", given, "2025-06-30", StatusAdopted},
		{"old PRG in force", expired, "2010-01-01", StatusInForce},
		{"old PRG replaced", expired, "2020-08-12", StatusExpired},
		{"approval with no adoption recorded, before efficacy", approvedOnly, "2021-01-15", StatusAdopted},
		{"approval with no adoption recorded, in force", approvedOnly, "2021-02-01", StatusInForce},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := c.p.StandingAt(layers.EndOfDay(d(c.at)))
			if got.Status != c.want {
				t.Fatalf("%s at %s: %s, want %s", c.p.Code, c.at, got.Status, c.want)
			}
			if got.Label == "" || got.Status.Applies() != (c.want == StatusInForce || c.want == StatusAdopted) {
				t.Fatalf("label %q, applies %v", got.Label, got.Status.Applies())
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }

func TestActDescribe(t *testing.T) {
	cases := []struct {
		a    Act
		want string
	}{
		{Act{Kind: ActAdoption, Body: "Consiglio comunale", Number: "12", Date: d("2019-03-10")}, "Delibera del Consiglio comunale n. 12 del 10/03/2019"},
		{Act{Kind: ActApproval, Body: "Giunta comunale", Number: "3", Date: d("2020-01-02"), Publication: "BURT n. 5"}, "Delibera della Giunta comunale n. 3 del 02/01/2020 (BURT n. 5)"},
		{Act{Kind: ActEfficacy, Publication: "BURT n. 32 parte II", Date: d("2020-08-12")}, "Pubblicazione BURT n. 32 parte II del 12/08/2020"},
	}
	for _, c := range cases {
		if got := c.a.Describe(); got != c.want {
			t.Errorf("got %q, want %q", got, c.want)
		}
	}
}

func TestParseKinds(t *testing.T) {
	for in, want := range map[string]Kind{"po": KindPO, "Variante": KindVariant, "PRG": KindPRG, "ps": KindPS} {
		if k, err := ParseKind(in); err != nil || k != want {
			t.Errorf("ParseKind(%q) = %q, %v", in, k, err)
		}
	}
	if _, err := ParseKind("PUC"); err == nil {
		t.Error("PUC accepted")
	}
	for in, want := range map[string]ActKind{"adozione": ActAdoption, "approval": ActApproval, "pubblicazione": ActEfficacy, "revoca": ActExpiry} {
		if k, err := ParseActKind(in); err != nil || k != want {
			t.Errorf("ParseActKind(%q) = %q, %v", in, k, err)
		}
	}
	if _, err := ParseActKind("parere"); err == nil {
		t.Error("parere accepted")
	}
}
