package tiles

import (
	"embed"
	"fmt"
	"io/fs"
	"net/http"
	"strconv"
	"strings"

	"google.golang.org/protobuf/encoding/protowire"

	"github.com/sit-gis/sit/internal/httpx"
)

// FontName is the font the styles' labels use; its glyphs are embedded.
const FontName = "Open Sans Regular"

//go:embed fonts
var fontFiles embed.FS

// Glyphs returns the glyph range of a font stack (MapLibre's
// /{fontstack}/{range}.pbf): the first font of the comma-separated stack
// that SIT has. A range SIT has no glyphs for is a valid empty range, so
// that a label with an unusual character does not fail the whole style.
func Glyphs(fontstack, rng string) (*Response, error) {
	lo, hi, err := parseRange(rng)
	if err != nil {
		return nil, err
	}
	var name string
	for _, f := range strings.Split(fontstack, ",") {
		f = strings.TrimSpace(f)
		if _, err := fs.Stat(fontFiles, "fonts/"+f); err == nil && f != "" && !strings.ContainsAny(f, "/\\") {
			name = f
			break
		}
	}
	if name == "" {
		p := httpx.NotFound(fmt.Sprintf("no font of the stack %q (SIT has %q)", fontstack, FontName))
		p.Parameter = "fontstack"
		return nil, p
	}
	body, err := fontFiles.ReadFile(fmt.Sprintf("fonts/%s/%d-%d.pbf", name, lo, hi))
	if err != nil {
		body = emptyGlyphs(name, lo, hi)
	}
	h := http.Header{}
	h.Set("Content-Type", "application/x-protobuf")
	h.Set("Cache-Control", "public, max-age=86400")
	h.Set("Access-Control-Allow-Origin", "*")
	return &Response{Status: http.StatusOK, Header: h, Body: body}, nil
}

// parseRange reads "0-255.pbf": a 256-codepoint range starting at a
// multiple of 256.
func parseRange(s string) (int, int, error) {
	bad := httpx.BadParameter("range", fmt.Sprintf("want START-END.pbf with START a multiple of 256 and END = START+255, got %q", s))
	s, ok := strings.CutSuffix(s, ".pbf")
	if !ok {
		return 0, 0, bad
	}
	a, b, ok := strings.Cut(s, "-")
	lo, err1 := strconv.Atoi(a)
	hi, err2 := strconv.Atoi(b)
	if !ok || err1 != nil || err2 != nil || lo < 0 || lo%256 != 0 || hi != lo+255 || hi > 65535 {
		return 0, 0, bad
	}
	return lo, hi, nil
}

// emptyGlyphs is glyphs{stacks{name, range}} with no glyph.
func emptyGlyphs(name string, lo, hi int) []byte {
	var stack []byte
	stack = protowire.AppendTag(stack, 1, protowire.BytesType)
	stack = protowire.AppendString(stack, name)
	stack = protowire.AppendTag(stack, 2, protowire.BytesType)
	stack = protowire.AppendString(stack, fmt.Sprintf("%d-%d", lo, hi))
	var msg []byte
	msg = protowire.AppendTag(msg, 1, protowire.BytesType)
	return protowire.AppendBytes(msg, stack)
}
