package crs

import (
	"fmt"
	"strconv"
	"strings"
)

// Source is the CRS a user gives for a source's coordinates: an EPSG code,
// or a PROJ string for local systems without one (the Cassini-Soldner
// systems of cadastral sheets). The zero value means "not given".
type Source struct {
	EPSG int
	PROJ string
}

// IsZero reports whether no CRS was given.
func (s Source) IsZero() bool { return s.EPSG == 0 && s.PROJ == "" }

// String writes the CRS as a user would type it.
func (s Source) String() string {
	switch {
	case s.PROJ != "":
		return s.PROJ
	case s.EPSG != 0:
		return "EPSG:" + strconv.Itoa(s.EPSG)
	}
	return ""
}

// ParseSource reads a user's CRS: 3003, EPSG:3003, an OGC URI or URN, or a
// PROJ string (+proj=...). The empty string is the zero Source.
func ParseSource(s string) (Source, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Source{}, nil
	}
	if strings.HasPrefix(s, "+") || strings.Contains(s, "+proj=") {
		return Source{PROJ: s}, nil
	}
	if n, err := strconv.Atoi(s); err == nil && n > 0 {
		return Source{EPSG: n}, nil
	}
	if n, ok := ParseName(s); ok {
		return Source{EPSG: n}, nil
	}
	return Source{}, fmt.Errorf("%q: want an EPSG code (3003, EPSG:3003) or a PROJ string (+proj=...)", s)
}
