package importers

import (
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/ianaindex"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/korean"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
)

// TextDecoder turns the bytes of one text value (a dBase field, a CSV cell)
// into a Go string. Italian offices mostly export Windows-1252 / Latin-1, but
// QGIS writes UTF-8 and sidecar files (.cpg) get lost, so unless the user or
// the file states the encoding outright, a value that is valid UTF-8 is taken
// as UTF-8 and anything else is decoded with the fallback code page. A
// Latin-1 accented word ("Città" = 43 69 74 74 E0) is never valid UTF-8, and
// a run of Latin-1 bytes that happens to be valid UTF-8 ("Ã¨") is not
// something an Italian text contains, so the guess is safe per value.
type TextDecoder struct {
	// name is the encoding's name for messages ("windows-1252").
	name string
	// cm is the single-byte code page used for non-UTF-8 values.
	cm *charmap.Charmap
	// mb is a multi-byte code page (Shift-JIS, GBK, ...) used instead of cm.
	mb encoding.Encoding
	// preferUTF8 makes a value that is valid UTF-8 win over the code page.
	preferUTF8 bool
}

// DefaultTextDecoder is used when nothing declares an encoding: UTF-8 when
// the bytes are valid UTF-8, Windows-1252 otherwise.
func DefaultTextDecoder() TextDecoder {
	return TextDecoder{name: "utf-8, else windows-1252", cm: charmap.Windows1252, preferUTF8: true}
}

// Decode returns b as a string. It never fails: bytes a code page leaves
// undefined become U+FFFD.
func (d TextDecoder) Decode(b []byte) string {
	ascii := true
	for _, c := range b {
		if c >= 0x80 {
			ascii = false
			break
		}
	}
	if ascii || (d.preferUTF8 && utf8.Valid(b)) {
		return string(b)
	}
	if d.mb != nil {
		s, err := d.mb.NewDecoder().Bytes(b)
		if err == nil {
			return string(s)
		}
		return strings.ToValidUTF8(string(b), "\uFFFD")
	}
	if d.cm == nil {
		return strings.ToValidUTF8(string(b), "\uFFFD")
	}
	var sb strings.Builder
	sb.Grow(len(b) + len(b)/4)
	for _, c := range b {
		sb.WriteRune(d.cm.DecodeByte(c))
	}
	return sb.String()
}

// DecodeString is Decode for a string holding the raw bytes (CSV cells).
func (d TextDecoder) DecodeString(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			if d.preferUTF8 && utf8.ValidString(s) {
				return s
			}
			return d.Decode([]byte(s))
		}
	}
	return s
}

// utf8TextDecoder is the decoder for a declared UTF-8 text: invalid bytes
// still fall back to Windows-1252 rather than becoming U+FFFD, because a
// .cpg that says UTF-8 is sometimes copied next to a Latin-1 .dbf.
func UTF8TextDecoder() TextDecoder {
	return TextDecoder{name: "utf-8", cm: charmap.Windows1252, preferUTF8: true}
}

// LookupEncoding resolves an encoding name as users and .cpg files write it:
// "UTF-8", "utf8", "65001", "1252", "ANSI 1252", "CP1252", "windows-1252",
// "8859-1", "88591", "ISO-8859-1", "latin1", "ISO-8859-15", "850", "IBM850"…
// The decoder it returns is strict: the named code page is applied to every
// non-ASCII value, except UTF-8, which falls back to Windows-1252 on invalid bytes.
func LookupEncoding(name string) (TextDecoder, error) {
	orig := strings.TrimSpace(name)
	n := strings.ToLower(orig)
	n = strings.NewReplacer(" ", "", "-", "", "_", "", ".", "").Replace(n)
	switch n {
	case "":
		return TextDecoder{}, fmt.Errorf("empty encoding name")
	case "utf8", "65001", "unicode":
		return UTF8TextDecoder(), nil
	case "latin1", "l1", "88591", "iso88591", "28591":
		return TextDecoder{name: "iso-8859-1", cm: charmap.ISO8859_1}, nil
	case "latin9", "l9", "885915", "iso885915", "28605":
		return TextDecoder{name: "iso-8859-15", cm: charmap.ISO8859_15}, nil
	case "ansi":
		return TextDecoder{name: "windows-1252", cm: charmap.Windows1252}, nil
	case "oem":
		// "OEM" means the DOS code page of the machine; 850 in Western Europe.
		return TextDecoder{name: "ibm850", cm: charmap.CodePage850}, nil
	}
	for _, prefix := range []string{"ansi", "windows", "win", "cp", "ibm", "dos", "oem", "ms"} {
		if rest, ok := strings.CutPrefix(n, prefix); ok {
			if cp, err := strconv.Atoi(rest); err == nil {
				if d, ok := CodePageDecoder(cp); ok {
					return d, nil
				}
			}
		}
	}
	if cp, err := strconv.Atoi(n); err == nil {
		if d, ok := CodePageDecoder(cp); ok {
			return d, nil
		}
	}
	if rest, ok := strings.CutPrefix(n, "iso8859"); ok {
		if part, err := strconv.Atoi(rest); err == nil {
			if d, ok := isoDecoder(part); ok {
				return d, nil
			}
		}
	}
	if rest, ok := strings.CutPrefix(n, "8859"); ok {
		if part, err := strconv.Atoi(rest); err == nil {
			if d, ok := isoDecoder(part); ok {
				return d, nil
			}
		}
	}
	// Fall back to the WHATWG and IANA registries (they know "shift_jis", "koi8-r", ...).
	var enc encoding.Encoding
	if e, err := htmlindex.Get(orig); err == nil {
		enc = e
	} else if e, err := ianaindex.IANA.Encoding(orig); err == nil && e != nil {
		enc = e
	}
	if enc == nil {
		return TextDecoder{}, fmt.Errorf("unknown text encoding %q (try utf-8, windows-1252, iso-8859-1, iso-8859-15, cp850)", orig)
	}
	if cm, ok := enc.(*charmap.Charmap); ok {
		return TextDecoder{name: strings.ToLower(orig), cm: cm}, nil
	}
	return TextDecoder{name: strings.ToLower(orig), mb: enc}, nil
}

func isoDecoder(part int) (TextDecoder, bool) {
	cms := map[int]*charmap.Charmap{
		1: charmap.ISO8859_1, 2: charmap.ISO8859_2, 3: charmap.ISO8859_3, 4: charmap.ISO8859_4,
		5: charmap.ISO8859_5, 6: charmap.ISO8859_6, 7: charmap.ISO8859_7, 8: charmap.ISO8859_8,
		9: charmap.ISO8859_9, 10: charmap.ISO8859_10, 13: charmap.ISO8859_13, 14: charmap.ISO8859_14,
		15: charmap.ISO8859_15, 16: charmap.ISO8859_16,
	}
	cm, ok := cms[part]
	if !ok {
		return TextDecoder{}, false
	}
	return TextDecoder{name: fmt.Sprintf("iso-8859-%d", part), cm: cm}, true
}

// CodePageDecoder maps a Windows/DOS code page number to a decoder.
func CodePageDecoder(cp int) (TextDecoder, bool) {
	single := map[int]*charmap.Charmap{
		437: charmap.CodePage437, 850: charmap.CodePage850, 852: charmap.CodePage852,
		855: charmap.CodePage855, 858: charmap.CodePage858, 860: charmap.CodePage860,
		862: charmap.CodePage862, 863: charmap.CodePage863, 865: charmap.CodePage865,
		866: charmap.CodePage866, 874: charmap.Windows874,
		1250: charmap.Windows1250, 1251: charmap.Windows1251, 1252: charmap.Windows1252,
		1253: charmap.Windows1253, 1254: charmap.Windows1254, 1255: charmap.Windows1255,
		1256: charmap.Windows1256, 1257: charmap.Windows1257, 1258: charmap.Windows1258,
		10000: charmap.Macintosh,
		28591: charmap.ISO8859_1, 28592: charmap.ISO8859_2, 28605: charmap.ISO8859_15,
	}
	if cm, ok := single[cp]; ok {
		name := fmt.Sprintf("cp%d", cp)
		if cp >= 1250 && cp <= 1258 {
			name = fmt.Sprintf("windows-%d", cp)
		}
		return TextDecoder{name: name, cm: cm}, true
	}
	multi := map[int]encoding.Encoding{
		932: japanese.ShiftJIS, 936: simplifiedchinese.GBK, 949: korean.EUCKR, 950: traditionalchinese.Big5,
	}
	if enc, ok := multi[cp]; ok {
		return TextDecoder{name: fmt.Sprintf("cp%d", cp), mb: enc}, true
	}
	if cp == 65001 {
		return UTF8TextDecoder(), true
	}
	return TextDecoder{}, false
}

// ldidCodePages maps the dBase "language driver ID" (byte 29 of the header)
// to a code page, after the table in the ArcGIS/GDAL documentation of .dbf.
// 0 means the writer did not say.
func ldidCodePage(ldid byte) int {
	switch ldid {
	case 0x01, 0x09, 0x0B, 0x0D, 0x0F, 0x11, 0x15, 0x18, 0x19, 0x1B:
		return 437
	case 0x02, 0x0A, 0x0E, 0x10, 0x12, 0x14, 0x16, 0x1A, 0x1D, 0x25, 0x37:
		return 850
	case 0x03, 0x57, 0x58, 0x59:
		return 1252
	case 0x04:
		return 10000
	case 0x08, 0x17, 0x66:
		return 865
	case 0x13, 0x7B:
		return 932
	case 0x1C, 0x6C:
		return 863
	case 0x1F, 0x22, 0x23, 0x40, 0x64, 0x87:
		return 852
	case 0x24:
		return 860
	case 0x26, 0x65:
		return 866
	case 0x4D, 0x7A:
		return 936
	case 0x4E, 0x79:
		return 949
	case 0x4F, 0x78:
		return 950
	case 0x50, 0x7C:
		return 874
	case 0x7D:
		return 1255
	case 0x7E:
		return 1256
	case 0xC8:
		return 1250
	case 0xC9:
		return 1251
	case 0xCA:
		return 1254
	case 0xCB:
		return 1253
	case 0xCC:
		return 1257
	}
	return 0
}

// DBaseTextDecoder chooses the decoder of a .dbf: the user's --encoding, else
// the .cpg sidecar, else the language driver byte, else the default (UTF-8 if
// valid, Windows-1252 otherwise). An encoding guessed from the driver byte
// still lets valid UTF-8 win, because writers set that byte carelessly.
func DBaseTextDecoder(optEncoding, cpg string, ldid byte) (TextDecoder, error) {
	if optEncoding != "" {
		return LookupEncoding(optEncoding)
	}
	if c := strings.TrimSpace(cpg); c != "" {
		if d, err := LookupEncoding(c); err == nil {
			return d, nil
		}
		// An unreadable .cpg is no reason to refuse the file: fall through.
		slog.Warn("ignoring unknown encoding in .cpg file", "cpg", c)
	}
	if cp := ldidCodePage(ldid); cp != 0 {
		if d, ok := CodePageDecoder(cp); ok {
			d.preferUTF8 = true
			return d, nil
		}
	}
	return DefaultTextDecoder(), nil
}

// Name is the encoding's name, for messages.
func (d TextDecoder) Name() string { return d.name }
