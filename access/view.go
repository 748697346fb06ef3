package access

import (
	"context"

	"github.com/sit-gis/sit/layers"
)

// AllComuni is the view of every comune at once: the command line's, never
// a request's.
const AllComuni = "*"

// View is what a request is about and who makes it: the principal and the
// comune of the URL (/c/{comune}/…, or the instance's default comune).
type View struct {
	Principal Principal
	// Comune is the comune the request reads; "" when the instance has
	// none (then only province-wide layers are in view), AllComuni for
	// the command line.
	Comune string
	// Prefixed says the comune came from the URL (/c/{comune}/…), not
	// from the instance's default.
	Prefixed bool
}

type viewKey struct{}

// WithView carries a view in a context.
func WithView(ctx context.Context, v View) context.Context {
	return context.WithValue(ctx, viewKey{}, v)
}

// ViewFrom is the context's view; without one, the public's view of the
// province-wide layers: a code path that forgot to set it shows less, never
// more.
func ViewFrom(ctx context.Context) View {
	v, _ := ctx.Value(viewKey{}).(View)
	return v
}

// PrincipalFrom is the context's principal (anonymous without one).
func PrincipalFrom(ctx context.Context) Principal { return ViewFrom(ctx).Principal }

// CanRead is THE rule of what a request sees: the layers of its comune and
// the province-wide ones, each if the principal's role there reads the
// layer's visibility.
func (v View) CanRead(l layers.Layer) bool {
	if v.Comune != AllComuni && l.Comune != "" && l.Comune != v.Comune {
		return false
	}
	return v.Principal.RoleIn(l.Comune).Reads(l.Visibility)
}

// Restricted reports whether anything the view may read is not public: a
// response built from it must not be stored by shared caches.
func (v View) Restricted(ls []layers.Layer) bool {
	for _, l := range ls {
		if l.Visibility != layers.Public && l.Visibility != "" {
			return true
		}
	}
	return false
}
