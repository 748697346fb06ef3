package cadastre

import (
	"errors"
	"testing"

	"github.com/sit-gis/sit/layers"
)

func TestLayerFor(t *testing.T) {
	cad := layers.Layer{Name: "a_parcels", Kind: layers.KindCadastral}
	cad2 := layers.Layer{Name: "b_parcels", Kind: layers.KindCadastral}
	cadRole := layers.Layer{Name: "z_parcels", Kind: layers.KindCadastral, Roles: []string{layers.RoleCadastre}}
	cov := layers.Layer{Name: "cov", Kind: layers.KindBroadband}
	agcom := layers.Layer{Name: "agcom", Kind: layers.KindBroadband, Roles: []string{layers.RoleAGCOM}}
	tests := []struct {
		name      string
		ls        []layers.Layer
		role      string
		kind      layers.Kind
		want      string
		wantCands int
	}{
		{"role wins over kind", []layers.Layer{cad, cadRole}, layers.RoleCadastre, layers.KindCadastral, "z_parcels", 0},
		{"single layer of the kind", []layers.Layer{cad}, layers.RoleCadastre, layers.KindCadastral, "a_parcels", 0},
		{"a layer with another role is no fallback", []layers.Layer{cov, agcom}, layers.RoleCoverage, layers.KindBroadband, "cov", 0},
		{"two of the kind and no role", []layers.Layer{cad, cad2}, layers.RoleCadastre, layers.KindCadastral, "", 2},
		{"none", []layers.Layer{cov}, layers.RoleCadastre, layers.KindCadastral, "", 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			l, err := LayerFor(tc.ls, tc.role, tc.kind)
			if tc.want != "" {
				if err != nil || l.Name != tc.want {
					t.Fatalf("got %q, %v; want %q", l.Name, err, tc.want)
				}
				return
			}
			var ne *NoLayerError
			if !errors.As(err, &ne) || len(ne.Candidates) != tc.wantCands {
				t.Fatalf("got %q, %v; want a NoLayerError with %d candidates", l.Name, err, tc.wantCands)
			}
		})
	}
}
