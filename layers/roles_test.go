package layers

import (
	"errors"
	"strings"
	"testing"
)

func TestLayerFor(t *testing.T) {
	cad := Layer{Name: "a_parcels", Kind: KindCadastral}
	cad2 := Layer{Name: "b_parcels", Kind: KindCadastral}
	cadRole := Layer{Name: "z_parcels", Kind: KindCadastral, Roles: []string{RoleCadastre}}
	cov := Layer{Name: "cov", Kind: KindBroadband}
	agcom := Layer{Name: "agcom", Kind: KindBroadband, Roles: []string{RoleAGCOM}}
	// Published relations without a key: no parcel URL, no report.
	keyless := Layer{Name: "m_parcels", Kind: KindCadastral, Roles: []string{RoleCadastre}, Source: Source{Origin: OriginTable}}
	keylessKind := Layer{Name: "n_parcels", Kind: KindCadastral, Source: Source{Origin: OriginTable}}
	tests := []struct {
		name      string
		ls        []Layer
		role      string
		want      string
		wantCands int
	}{
		{"role wins over kind", []Layer{cad, cadRole}, RoleCadastre, "z_parcels", 0},
		{"single layer of the kind", []Layer{cad}, RoleCadastre, "a_parcels", 0},
		{"a layer with another role is no fallback", []Layer{cov, agcom}, RoleCoverage, "cov", 0},
		{"two of the kind and no role", []Layer{cad, cad2}, RoleCadastre, "", 2},
		{"none", []Layer{cov}, RoleCadastre, "", 0},
		{"a keyless relation does not play the cadastre", []Layer{keyless, cadRole}, RoleCadastre, "z_parcels", 0},
		{"nor stands in for it by kind", []Layer{keylessKind, cad}, RoleCadastre, "a_parcels", 0},
		{"alone, no cadastre", []Layer{keyless}, RoleCadastre, "", 0},
		{"a keyless relation plays the zoning", []Layer{{Name: "z", Kind: KindZoning, Roles: []string{RoleZoning}, Source: Source{Origin: OriginTable}}}, RoleZoning, "z", 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			l, err := LayerFor(tc.ls, tc.role)
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

// The vocabulary's value types are storage types of the catalog.
func TestCanonicalFieldTypes(t *testing.T) {
	known := map[FieldType]bool{TypeText: true, TypeInteger: true, TypeDouble: true, TypeBoolean: true, TypeDate: true, TypeTimestamp: true, TypeJSON: true}
	for _, k := range []Kind{KindCadastral, KindZoning, KindConstraint, KindBroadband} {
		fs := CanonicalFields(k)
		if len(fs) == 0 {
			t.Errorf("kind %s has no canonical fields", k)
		}
		for _, f := range fs {
			if !known[f.Type] {
				t.Errorf("kind %s: column %s has type %q, which the catalog does not store", k, f.Name, f.Type)
			}
		}
	}
}

func TestRoleNotes(t *testing.T) {
	keyless := Layer{Name: "m", Kind: KindCadastral, Roles: []string{RoleCadastre}, Source: Source{Origin: OriginTable}}
	if n := keyless.RoleNotes(); len(n) != 1 || !strings.Contains(n[0], "cadastre without a key") {
		t.Errorf("notes %q", n)
	}
	keyed := keyless
	keyed.Source.Key = "gid"
	if n := keyed.RoleNotes(); len(n) != 0 {
		t.Errorf("a keyed relation: notes %q", n)
	}
}
