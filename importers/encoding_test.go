package importers

import (
	"strings"
	"testing"
)

func TestLookupEncoding(t *testing.T) {
	// Each name must decode these bytes to this text.
	cases := []struct {
		name string
		in   string
		want string
	}{
		{"UTF-8", "Citt\xc3\xa0", "Città"},
		{"utf8", "Citt\xc3\xa0", "Città"},
		{"65001", "Citt\xc3\xa0", "Città"},
		{"UTF-8", "Citt\xe0", "Città"}, // a .cpg that lies: invalid UTF-8 falls back to 1252
		{"1252", "Citt\xe0", "Città"},
		{"ANSI 1252", "Piet\xe0", "Pietà"},
		{"CP1252", "\x80 10", "€ 10"},
		{"windows-1252", "Localit\xe0 Sant\x92Anna", "Località Sant’Anna"},
		{"8859-1", "Citt\xe0", "Città"},
		{"88591", "Citt\xe0", "Città"},
		{"ISO-8859-1", "Citt\xe0", "Città"},
		{"ISO 8859-1", "Citt\xe0", "Città"},
		{"latin1", "Citt\xe0", "Città"},
		{"ISO-8859-15", "\xa4 10", "€ 10"},
		{"850", "Citt\x85", "Città"},
		{"IBM850", "Citt\x85", "Città"},
		{"OEM", "Citt\x85", "Città"},
		{"437", "Citt\x85", "Città"},
		{"1250", "\x8a", "Š"},
		{"koi8-r", "\xc1", "а"},
		{"shift_jis", "\x93\x8c\x8b\x9e", "東京"},
		{"932", "\x93\x8c\x8b\x9e", "東京"},
	}
	for _, tc := range cases {
		t.Run(tc.name+"/"+tc.want, func(t *testing.T) {
			d, err := LookupEncoding(tc.name)
			if err != nil {
				t.Fatal(err)
			}
			if got := d.Decode([]byte(tc.in)); got != tc.want {
				t.Errorf("decode = %q, want %q", got, tc.want)
			}
			if got := d.DecodeString(tc.in); got != tc.want {
				t.Errorf("decodeString = %q, want %q", got, tc.want)
			}
		})
	}
	for _, bad := range []string{"", "klingon", "cp99999"} {
		if _, err := LookupEncoding(bad); err == nil {
			t.Errorf("LookupEncoding(%q) succeeded", bad)
		}
	}
}

func TestDBFTextDecoderPrecedence(t *testing.T) {
	latin := "Citt\xe0"
	utf := "Citt\xc3\xa0"
	cases := []struct {
		name      string
		opt, cpg  string
		ldid      byte
		in, want  string
		wantError string
	}{
		{name: "default: Latin-1 bytes", in: latin, want: "Città"},
		{name: "default: UTF-8 bytes", in: utf, want: "Città"},
		{name: "driver byte 0x57 (ANSI)", ldid: 0x57, in: latin, want: "Città"},
		{name: "driver byte 0x02 (DOS 850)", ldid: 0x02, in: "Citt\x85", want: "Città"},
		{name: "driver byte still lets UTF-8 through", ldid: 0x57, in: utf, want: "Città"},
		{name: "cpg beats the driver byte", cpg: "UTF-8", ldid: 0x02, in: utf, want: "Città"},
		// A declared single-byte code page is applied even to bytes that look like UTF-8.
		{name: "cpg 1252 is strict", cpg: "1252", in: utf, want: "CittÃ\u00a0"},
		{name: "unknown cpg is ignored", cpg: "boh", in: latin, want: "Città"},
		{name: "option beats cpg", opt: "cp850", cpg: "UTF-8", in: "Citt\x85", want: "Città"},
		{name: "bad option is an error", opt: "klingon", wantError: "unknown text encoding"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d, err := DBaseTextDecoder(tc.opt, tc.cpg, tc.ldid)
			if tc.wantError != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantError) {
					t.Fatalf("err = %v, want %q", err, tc.wantError)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := d.Decode([]byte(tc.in)); got != tc.want {
				t.Errorf("decode = %q, want %q", got, tc.want)
			}
		})
	}
}
