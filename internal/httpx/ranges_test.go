package httpx

import (
	"errors"
	"testing"
)

func TestParseRange(t *testing.T) {
	const size = 1000
	tests := []struct {
		header string
		want   []ByteRange
		err    error // ErrRangeUnsatisfiable, errRangeIgnored, or errBad for a *Problem
	}{
		{"bytes=0-99", []ByteRange{{0, 100}}, nil},
		{"bytes=0-0", []ByteRange{{0, 1}}, nil},
		{"bytes=900-", []ByteRange{{900, 100}}, nil},
		{"bytes=-100", []ByteRange{{900, 100}}, nil},
		{"bytes=-5000", []ByteRange{{0, 1000}}, nil},
		{"bytes=990-2000", []ByteRange{{990, 10}}, nil},
		{"BYTES=0-1", []ByteRange{{0, 2}}, nil},
		{"bytes=0-1, 5-6", []ByteRange{{0, 2}, {5, 2}}, nil},
		{"bytes=0-1,2000-3000", []ByteRange{{0, 2}}, nil},
		{"bytes=-0", nil, ErrRangeUnsatisfiable},
		{"bytes=1000-", nil, ErrRangeUnsatisfiable},
		{"bytes=1000-2000", nil, ErrRangeUnsatisfiable},
		{"bytes=-0,1000-", nil, ErrRangeUnsatisfiable},
		{"items=0-5", nil, errRangeIgnored},
		{"bytes=5-1", nil, errBad},
		{"bytes=-5-10", nil, errBad},
		{"bytes=--5", nil, errBad},
		{"bytes=a-b", nil, errBad},
		{"bytes=+1-2", nil, errBad},
		{"bytes= 1 - 2", nil, errBad},
		{"bytes=1", nil, errBad},
		{"bytes=", nil, errBad},
		{"bytes", nil, errBad},
		{"bytes=99999999999999999999-", nil, errBad},
		{"bytes=0-1,2-3,4-5,6-7,8-9,10-11,12-13,14-15,16-17,18-19,20-21,22-23,24-25,26-27,28-29,30-31,32-33", nil, errBad},
	}
	for _, tc := range tests {
		t.Run(tc.header, func(t *testing.T) {
			got, err := ParseRange(tc.header, size)
			switch {
			case tc.err == errBad:
				if p, ok := err.(*Problem); !ok || p.Status != 416 || p.Parameter != "Range" {
					t.Fatalf("err %v, want a 416 problem naming Range", err)
				}
				return
			case tc.err != nil:
				if !errors.Is(err, tc.err) {
					t.Fatalf("err %v, want %v", err, tc.err)
				}
				return
			case err != nil:
				t.Fatal(err)
			}
			if len(got) != len(tc.want) {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Fatalf("got %v, want %v", got, tc.want)
				}
			}
		})
	}
	if _, err := ParseRange("bytes=-5", 0); !errors.Is(err, ErrRangeUnsatisfiable) {
		t.Fatalf("suffix of an empty body: %v", err)
	}
}

var errBad = errors.New("malformed")

// FuzzParseRange: no input panics, and every range returned lies inside
// the content and is not empty.
func FuzzParseRange(f *testing.F) {
	for _, s := range []string{"bytes=0-99", "bytes=-0", "bytes=-5", "bytes=5-", "bytes=0-1,5-6", "bytes=5-1", "items=1-2", "bytes=--", "bytes=9223372036854775807-"} {
		f.Add(s, int64(1000))
	}
	f.Fuzz(func(t *testing.T, header string, size int64) {
		if size < 0 {
			size = -size
		}
		if size < 0 {
			return
		}
		rs, err := ParseRange(header, size)
		if err != nil {
			return
		}
		for _, r := range rs {
			if r.Start < 0 || r.Length <= 0 || r.Start+r.Length > size {
				t.Fatalf("%q over %d bytes: range %+v", header, size, r)
			}
		}
	})
}
