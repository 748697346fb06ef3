package bulk

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// errNotWhole is a zip whose end record does not describe the bytes it
// ends: a truncated download.
var errNotWhole = errors.New("the zip is cut short (an incomplete download?): its end record is missing")

// checkWhole makes sure the zip in ra ends with its own end record. Go's
// zip reader looks for the last end record in the final 64 KiB and accepts
// data before the archive (self-extracting zips): a region zip cut short
// whose last stored member is itself a zip would then read as that inner
// zip alone — a province imported as if it were the region. So the end
// record found must say that the central directory ends right where the
// record (or its zip64 record) begins.
func checkWhole(ra io.ReaderAt, size int64) error {
	const eocdLen = 22
	if size < eocdLen {
		return errNotWhole
	}
	n := int64(64<<10 + eocdLen)
	if n > size {
		n = size
	}
	buf := make([]byte, n)
	if _, err := ra.ReadAt(buf, size-n); err != nil && !errors.Is(err, io.EOF) {
		return err
	}
	i := bytes.LastIndex(buf, []byte("PK\x05\x06"))
	if i < 0 || len(buf)-i < eocdLen {
		return errNotWhole
	}
	rec := buf[i:]
	pos := size - n + int64(i)
	if commentLen := int64(binary.LittleEndian.Uint16(rec[20:])); pos+eocdLen+commentLen != size {
		return errNotWhole
	}
	cdSize, cdOff := int64(binary.LittleEndian.Uint32(rec[12:])), int64(binary.LittleEndian.Uint32(rec[16:]))
	if cdSize == 0xffffffff || cdOff == 0xffffffff || binary.LittleEndian.Uint16(rec[10:]) == 0xffff {
		return checkWhole64(ra, pos)
	}
	if cdOff+cdSize != pos {
		return errNotWhole
	}
	return nil
}

// checkWhole64 checks a zip64 archive: the locator before the end record
// points at the zip64 end record, which the central directory must meet.
func checkWhole64(ra io.ReaderAt, eocdPos int64) error {
	if eocdPos < 20 {
		return errNotWhole
	}
	loc := make([]byte, 20)
	if _, err := ra.ReadAt(loc, eocdPos-20); err != nil || !bytes.Equal(loc[:4], []byte("PK\x06\x07")) {
		return errNotWhole
	}
	recPos := int64(binary.LittleEndian.Uint64(loc[8:]))
	rec := make([]byte, 56)
	if _, err := ra.ReadAt(rec, recPos); err != nil || !bytes.Equal(rec[:4], []byte("PK\x06\x06")) {
		return errNotWhole
	}
	cdSize, cdOff := int64(binary.LittleEndian.Uint64(rec[40:])), int64(binary.LittleEndian.Uint64(rec[48:]))
	if cdOff+cdSize != recPos {
		return fmt.Errorf("%w (zip64)", errNotWhole)
	}
	return nil
}
