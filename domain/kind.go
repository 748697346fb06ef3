package domain

import (
	"fmt"
	"strings"
)

// Kind tells what a layer holds; it decides the canonical columns, the
// default tile zooms and the default style.
type Kind string

const (
	KindCadastral  Kind = "cadastral"
	KindZoning     Kind = "zoning"
	KindConstraint Kind = "constraint"
	KindBroadband  Kind = "broadband"
	KindBoundary   Kind = "boundary"
	KindAddress    Kind = "address"
	KindGeneric    Kind = "generic"
)

// Kinds lists every kind in the order people read them: the CLI's help,
// the viewer's layer panel and its click-info.
func Kinds() []Kind {
	return []Kind{KindCadastral, KindZoning, KindConstraint, KindBroadband, KindBoundary, KindAddress, KindGeneric}
}

// DrawOrder lists the kinds bottom to top as a map draws them: areas
// first, then outlines, then points, so nothing hides what is above it.
func DrawOrder() []Kind {
	return []Kind{KindZoning, KindGeneric, KindConstraint, KindBoundary, KindCadastral, KindBroadband, KindAddress}
}

// DrawRank is the position of k in DrawOrder; an unknown kind goes last.
func DrawRank(k Kind) int {
	for i, x := range DrawOrder() {
		if x == k {
			return i
		}
	}
	return len(DrawOrder())
}

// ParseKind validates a kind name; "" is generic.
func ParseKind(s string) (Kind, error) {
	if s == "" {
		return KindGeneric, nil
	}
	var names []string
	for _, k := range Kinds() {
		if string(k) == s {
			return k, nil
		}
		names = append(names, string(k))
	}
	return "", fmt.Errorf("unknown kind %q (want one of %s)", s, strings.Join(names, ", "))
}
