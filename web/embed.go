// Package web is SIT's map viewer: a MapLibre GL JS application built from
// the sources in web/src by `npm ci && npm run build` into web/dist, embedded
// in the sit binary and served under /map/.
//
// web/dist is not committed (it changes with every build); only
// dist/README.txt is, so that `go build` and `go test` work on a fresh clone.
// Until the viewer is built, /map/ serves the page in fallback/ saying how to
// build it.
package web

import (
	"embed"
	"io/fs"
)

//go:embed all:dist
var dist embed.FS

//go:embed fallback/index.html
var fallbackPage []byte

// Dist returns the embedded build output (index.html and assets/), or an
// almost empty tree when the viewer was not built before `go build`.
func Dist() fs.FS {
	sub, err := fs.Sub(dist, "dist")
	if err != nil {
		// fs.Sub fails only on an invalid name; "dist" is valid.
		panic(err)
	}
	return sub
}
