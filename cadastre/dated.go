package cadastre

import (
	"context"
	"strings"
	"time"

	"github.com/sit-gis/sit/internal/httpx"
	"github.com/sit-gis/sit/layers"
)

// dated is the service as of a request's at= (the service itself without
// one): the cadastre and the addresses as they were then, each layer's
// version valid at that date (layers.CatalogAt). A date before the
// cadastre's history, or whose version was dropped, is a 404 naming at;
// on an error the service returned is s, for the handler to answer with.
func (s *Service) dated(ctx context.Context, text string) (*Service, error) {
	if strings.TrimSpace(text) == "" {
		return s, nil
	}
	at, err := layers.ParseAsOf(text, time.Now())
	if err != nil {
		return s, httpx.BadParameter("at", err.Error())
	}
	now := s.cat.Layers(ctx)
	fixed, err := layers.CatalogAt(ctx, s.db, now, at)
	if err != nil {
		return s, err
	}
	if l, err := layers.LayerFor(now, layers.RoleCadastre); err == nil {
		if why := fixed.Why(l.Name); why != "" {
			return s, httpx.NotFoundParameter("at", "no cadastre at that date: "+why)
		}
	}
	past := *s
	past.cat = fixed
	return &past, nil
}
