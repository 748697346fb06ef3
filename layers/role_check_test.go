package layers

import (
	"strings"
	"testing"
)

func TestCheckRoles(t *testing.T) {
	tests := []struct {
		kind  Kind
		roles []string
		want  string // "" = accepted
	}{
		{KindCadastral, []string{"cadastre"}, ""},
		{KindBoundary, []string{"zones"}, ""},
		{KindGeneric, []string{"zones"}, ""},
		{KindBroadband, []string{"coverage"}, ""},
		{KindBroadband, []string{"agcom"}, ""},
		{KindGeneric, nil, ""},
		{KindZoning, []string{"zonning"}, `unknown role "zonning"`},
		{KindZoning, []string{"zonning"}, "did you mean zoning?"},
		{KindZoning, []string{"pianificazione"}, "roles: cadastre, zoning"},
		{KindGeneric, []string{"cadastre"}, "kind generic cannot have the role cadastre, which needs a layer of kind cadastral"},
		{KindZoning, []string{"zoning", "constraints"}, "role constraints"},
	}
	for _, tc := range tests {
		err := CheckRoles(tc.kind, tc.roles)
		if tc.want == "" {
			if err != nil {
				t.Errorf("CheckRoles(%s, %v) = %v", tc.kind, tc.roles, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("CheckRoles(%s, %v) = %v; want %q", tc.kind, tc.roles, err, tc.want)
		}
		if strings.Contains(tc.want, "pianificazione") && strings.Contains(err.Error(), "did you mean") {
			t.Errorf("suggested something for a word far from every role: %v", err)
		}
	}
}
