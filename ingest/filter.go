package ingest

import (
	"fmt"
	"strings"

	"github.com/sit-gis/sit/layers"
)

// filterReader passes only the features whose properties match every
// filter (--filter provincia=Lucca), compared as text, ignoring case.
type filterReader struct {
	r  layers.FeatureReader
	eq map[string]string
}

func (f *filterReader) Next() (layers.Feature, error) {
	for {
		feat, err := f.r.Next()
		if err != nil {
			return feat, err
		}
		if f.match(feat) {
			return feat, nil
		}
	}
}

func (f *filterReader) match(feat layers.Feature) bool {
	for k, want := range f.eq {
		v, ok := feat.Props[k]
		if !ok || v == nil || !strings.EqualFold(fmt.Sprint(v), want) {
			return false
		}
	}
	return true
}

func (f *filterReader) Close() error { return f.r.Close() }
