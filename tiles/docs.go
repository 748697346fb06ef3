package tiles

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
)

// Link is an OGC API link.
type Link struct {
	Href      string `json:"href"`
	Rel       string `json:"rel"`
	Type      string `json:"type,omitempty"`
	Title     string `json:"title,omitempty"`
	Templated bool   `json:"templated,omitempty"`
}

// versionTag is a short digest of the layers' versions, put in tile URL
// templates (?v=) so that an HTTP cache downstream never mixes versions
// once a client has re-read the TileJSON or style.
func versionTag(ls []planned) string {
	h := sha256.New()
	for _, p := range ls {
		fmt.Fprintf(h, "%s@%d;", p.layer.Name, p.layer.Version)
	}
	return hex.EncodeToString(h.Sum(nil)[:6])
}
