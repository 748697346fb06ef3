package broadband

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"

	"github.com/sit-gis/sit/importers"
)

// newTableCSV reads a delimited table as the publishers write them: a
// byte-order mark dropped, comma the publisher's delimiter unless
// --delimiter says otherwise, rows of any length (trailing cells missing),
// a stray quote kept as text. Rows are read into one reused slice: keep
// a copy of a row, not the row.
func newTableCSV(r io.Reader, comma rune, opt importers.Options) *csv.Reader {
	cr := csv.NewReader(importers.SkipBOM(bufio.NewReaderSize(r, 1<<16)))
	cr.Comma = comma
	if opt.Delimiter != 0 {
		cr.Comma = opt.Delimiter
	}
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	cr.ReuseRecord = true
	return cr
}

// readHeaderRow reads line 1; want says what it should hold, for the
// message on an empty file.
func readHeaderRow(name string, cr *csv.Reader, want string) ([]string, error) {
	h, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%s: empty file, want %s", name, want)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: line 1: %w", name, err)
	}
	return h, nil
}
