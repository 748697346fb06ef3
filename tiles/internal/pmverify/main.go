// Command pmverify runs go-pmtiles' archive verifier (the code behind
// `go-pmtiles verify`) on files, for scripts on machines without the
// go-pmtiles CLI. Like the CLI it reports problems as "Invalid" lines.
package main

import (
	"fmt"
	"log"
	"os"

	"github.com/protomaps/go-pmtiles/pmtiles"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: pmverify FILE.pmtiles...")
		os.Exit(2)
	}
	logger := log.New(os.Stdout, "", log.Ldate|log.Ltime)
	status := 0
	for _, f := range os.Args[1:] {
		if err := pmtiles.Verify(logger, f); err != nil {
			fmt.Fprintf(os.Stdout, "Failed to verify archive %s: %v\n", f, err)
			status = 1
		}
	}
	os.Exit(status)
}
