// Package web is SIT's map viewer: a MapLibre GL JS application built from
// the sources in web/src by `npm ci && npm run build` into web/dist, embedded
// in the sit binary and served under /map/, and the map script of the OGC
// API HTML pages (/map/page-map.js).
//
// web/dist is committed: `go build` and `go install …/cmd/sit@VERSION`
// need no Node.js and give a binary with the viewer. The build is
// reproducible (web/build.mjs --check, run by scripts/test.sh, rebuilds and
// compares byte for byte) and records the sources it was built from
// (TestBundleCurrent fails when web/src changed without a rebuild). A tree
// whose dist/ was removed serves the page in fallback/ saying how to build it.
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
