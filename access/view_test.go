package access

import (
	"context"
	"testing"

	"github.com/sit-gis/sit/layers"
)

// TestCanRead is the rule of who sees what, on every combination of
// principal, comune in view, layer comune and visibility.
func TestCanRead(t *testing.T) {
	acc := func(r Role, comune string) Principal {
		return Principal{Kind: KindAccount, Name: "x", Role: r, Comune: comune}
	}
	layer := func(comune string, v layers.Visibility) layers.Layer {
		return layers.Layer{Name: "l", Comune: comune, Visibility: v}
	}
	tests := []struct {
		name string
		p    Principal
		view string
		l    layers.Layer
		want bool
	}{
		{"public layer, anyone", Principal{}, "lucca", layer("lucca", layers.Public), true},
		{"shared public layer in another comune's view", Principal{}, "capannori", layer("", layers.Public), true},
		{"another comune's public layer is not in this view", Principal{}, "capannori", layer("lucca", layers.Public), false},
		{"professional layer, public", Principal{}, "lucca", layer("lucca", layers.Professional), false},
		{"professional layer, professional", acc(Professional, "lucca"), "lucca", layer("lucca", layers.Professional), true},
		{"professional layer, professional of another comune", acc(Professional, "capannori"), "lucca", layer("lucca", layers.Professional), false},
		{"internal layer, professional", acc(Professional, "lucca"), "lucca", layer("lucca", layers.Internal), false},
		{"internal layer, editor", acc(Editor, "lucca"), "lucca", layer("lucca", layers.Internal), true},
		{"internal layer, admin of another comune", acc(Admin, "capannori"), "lucca", layer("lucca", layers.Internal), false},
		{"internal layer, admin of the instance", acc(Admin, ""), "lucca", layer("lucca", layers.Internal), true},
		{"shared professional layer, professional of any comune", acc(Professional, "capannori"), "capannori", layer("", layers.Professional), true},
		{"no view: only shared layers", acc(Admin, ""), "", layer("lucca", layers.Public), false},
		{"the command line sees everything", Operator("root"), AllComuni, layer("lucca", layers.Internal), true},
		{"an unknown visibility is nobody's", acc(Admin, ""), "lucca", layer("lucca", "secret"), false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := (View{Principal: tc.p, Comune: tc.view}).CanRead(tc.l); got != tc.want {
				t.Fatalf("CanRead = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestPrincipalPermissions(t *testing.T) {
	editor := Principal{Kind: KindToken, Name: "e", Role: Editor, Comune: "lucca", Layers: []string{"zone"}}
	adminLU := Principal{Kind: KindAccount, Name: "a", Role: Admin, Comune: "lucca"}
	root := Principal{Kind: KindAccount, Name: "r", Role: Admin}
	pro := Principal{Kind: KindAccount, Name: "p", Role: Professional, Comune: "lucca"}
	for _, tc := range []struct {
		name string
		got  bool
		want bool
	}{
		{"editor imports a layer given", editor.MayImport("zone", "lucca", true), true},
		{"editor imports a layer not given", editor.MayImport("vincoli", "lucca", true), false},
		{"editor creates a layer", editor.MayImport("zone", "lucca", false), false},
		{"admin creates in its comune", adminLU.MayImport("nuovo", "lucca", false), true},
		{"admin imports into another comune", adminLU.MayImport("x", "capannori", true), false},
		{"admin of a comune administers the instance", adminLU.Administers(""), false},
		{"root administers any comune", root.Administers("capannori"), true},
		{"professional administers", pro.Administers("lucca"), false},
		{"anonymous is in no comune", Principal{}.In("lucca"), false},
		{"token actor", editor.Actor() == "token:e", true},
	} {
		if tc.got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, tc.got, tc.want)
		}
	}
}

// TestCatalogFilters: the one catalog shows a request the layers its view
// may read, and a hidden layer is "not found" like a missing one.
func TestCatalogFilters(t *testing.T) {
	src := memSource{{Name: "a", Visibility: layers.Public}, {Name: "b", Visibility: layers.Internal, Comune: "lucca"}}
	c := NewCatalog(src)
	anon := WithView(context.Background(), View{Comune: "lucca"})
	staff := WithView(context.Background(), View{Comune: "lucca", Principal: Principal{Kind: KindAccount, Role: Editor, Comune: "lucca"}})
	if n := len(c.Layers(anon)); n != 1 {
		t.Errorf("public sees %d layers", n)
	}
	if n := len(c.Layers(staff)); n != 2 {
		t.Errorf("staff sees %d layers", n)
	}
	if _, ok := c.Layer(anon, "b"); ok || !c.Hidden(anon, "b") || c.Hidden(anon, "zzz") {
		t.Error("a hidden layer must be not found, and known as hidden")
	}
	if _, ok := c.Layer(context.Background(), "b"); ok {
		t.Error("a context without a view sees a restricted layer")
	}
}

type memSource []layers.Layer

func (m memSource) Layers() []layers.Layer { return m }
func (m memSource) Layer(n string) (layers.Layer, bool) {
	for _, l := range m {
		if l.Name == n {
			return l, true
		}
	}
	return layers.Layer{}, false
}
