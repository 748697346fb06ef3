package access

import (
	"context"

	"github.com/sit-gis/sit/layers"
)

// Source is the whole catalog (*layers.Catalog).
type Source interface {
	Layers() []layers.Layer
	Layer(name string) (layers.Layer, bool)
}

// Catalog is the one catalog every feature package reads: the layers the
// request's view (principal and comune, from its context) may see. A layer
// it may not see does not exist for it, so a handler answers 404 exactly
// as for a name that is nowhere (no existence leak).
type Catalog struct{ src Source }

// NewCatalog filters src for each request.
func NewCatalog(src Source) *Catalog { return &Catalog{src: src} }

// Layers returns the layers the context's view may see, ordered by name.
func (c *Catalog) Layers(ctx context.Context) []layers.Layer {
	v := ViewFrom(ctx)
	all := c.src.Layers()
	out := make([]layers.Layer, 0, len(all))
	for _, l := range all {
		if v.CanRead(l) {
			out = append(out, l)
		}
	}
	return out
}

// Layer returns the named layer if the context's view may see it.
func (c *Catalog) Layer(ctx context.Context, name string) (layers.Layer, bool) {
	l, ok := c.src.Layer(name)
	if !ok || !ViewFrom(ctx).CanRead(l) {
		return layers.Layer{}, false
	}
	return l, true
}

// Hidden reports whether name is a layer that exists but the context's
// view may not see: files that carry layers by name (PMTiles archives)
// are withheld for it.
func (c *Catalog) Hidden(ctx context.Context, name string) bool {
	l, ok := c.src.Layer(name)
	return ok && !ViewFrom(ctx).CanRead(l)
}
