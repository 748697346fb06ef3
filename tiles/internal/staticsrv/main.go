// Command staticsrv is the benchmark's ceiling: a plain static file server
// (net/http's FileServer, from disk) sending tiles saved as gzip bytes.
//
//	staticsrv DIR ADDR
package main

import (
	"fmt"
	"net/http"
	"os"
)

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: staticsrv DIR ADDR")
		os.Exit(2)
	}
	fs := http.FileServer(http.Dir(os.Args[1]))
	err := http.ListenAndServe(os.Args[2], http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/vnd.mapbox-vector-tile")
		w.Header().Set("Content-Encoding", "gzip")
		fs.ServeHTTP(w, r)
	}))
	fmt.Fprintln(os.Stderr, "staticsrv:", err)
	os.Exit(1)
}
