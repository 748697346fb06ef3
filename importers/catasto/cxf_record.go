package catasto

import "github.com/paulmach/orb"

// recordReader reads the fields of one record in their order and keeps
// the first error: after it nothing more is read, so the record's reader
// checks once, at the end, instead of after every field.
type recordReader struct {
	p   *cxfParser
	err error
}

// field reads one field with read unless an earlier one failed.
func field[T any](f *recordReader, read func(what string) (T, error), what string) T {
	var v T
	if f.err == nil {
		v, f.err = read(what)
	}
	return v
}

func (f *recordReader) text(what string) string     { return field(f, f.p.readText, what) }
func (f *recordReader) int(what string) int64       { return field(f, f.p.readInt, what) }
func (f *recordReader) count(what string) int64     { return field(f, f.p.readCount, what) }
func (f *recordReader) real(what string) float64    { return field(f, f.p.readReal, what) }
func (f *recordReader) point(what string) orb.Point { return field(f, f.p.readPoint, what) }

func (f *recordReader) points(n int64, what string) []orb.Point {
	return field(f, func(what string) ([]orb.Point, error) { return f.p.readPoints(n, what) }, what)
}
