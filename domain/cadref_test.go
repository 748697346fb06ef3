package domain

import "testing"

func TestParseNationalCadastralReference(t *testing.T) {
	cases := []struct {
		in, sheet, foglio, part string
		err                     bool
	}{
		{"E715_012300.456", "E715_012300", "123", "456", false},
		{"G273_003400.1298", "G273_003400", "34", "1298", false},
		{"CadastralParcel.IT.AGE.PLA.A000W000200.STRADA001", "A000W000200", "2", "STRADA001", false},
		{"IT.AGE.MAP.E715_0033A0", "E715_0033A0", "33", "", false},
		{"E715_012300.", "", "", "", true},
		{"E715.456", "", "", "", true},
		{"", "", "", "", true},
	}
	for _, c := range cases {
		t.Run(c.in, func(t *testing.T) {
			r, err := ParseNationalCadastralReference(c.in)
			if (err != nil) != c.err {
				t.Fatalf("err %v", err)
			}
			if err == nil && (r.Sheet() != c.sheet || r.Foglio != c.foglio || r.Particella != c.part) {
				t.Errorf("%+v", r)
			}
		})
	}
}

func TestParseSheetCode(t *testing.T) {
	cases := []struct {
		in                                 string
		comune, sezione, foglio, all, svil string
		wantErr                            bool
	}{
		{"H501D076700", "H501", "D", "767", "0", "0", false},
		{"E715_012300", "E715", "", "123", "0", "0", false},
		{"e715_0033a0", "E715", "", "33", "A", "0", false},
		{"E715_033A00", "E715", "", "33A", "0", "0", false},
		{"H282B0128QU", "H282", "B", "128", "Q", "U", false},
		{"E715_000000", "E715", "", "0", "0", "0", false},
		{"E715_0123", "", "", "", "", "", true},
		{"7150_012300", "", "", "", "", "", true},
	}
	for _, c := range cases {
		t.Run(c.in, func(t *testing.T) {
			r, err := ParseSheetCode(c.in)
			if (err != nil) != c.wantErr {
				t.Fatalf("err %v, wantErr %v", err, c.wantErr)
			}
			if err != nil {
				return
			}
			if r.Comune != c.comune || r.Sezione != c.sezione || r.Foglio != c.foglio || r.Allegato != c.all || r.Sviluppo != c.svil {
				t.Errorf("got %+v", r)
			}
		})
	}
}
