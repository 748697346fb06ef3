package admin

import "net/http"

// HandleCachePurge serves POST /admin/cache/purge (administrators): this
// server's tile cache is emptied. Tiles are keyed by layer version and
// visibility, so a purge is never needed for correctness; it frees memory
// and forces a rebuild after, say, a style change in SQL.
func (s *Service) HandleCachePurge(w http.ResponseWriter, r *http.Request) error {
	n, err := s.purge(r)
	if err := s.audit(r, "cache.purge", "tiles", err, map[string]any{"tiles": n}); err != nil {
		return err
	}
	return s.write(w, r, http.StatusOK, map[string]any{"purged": n})
}

func (s *Service) purge(r *http.Request) (int, error) {
	if _, err := noParams.Parse(r); err != nil {
		return 0, err
	}
	if err := requireAdmin(scopeFrom(r.Context())); err != nil {
		return 0, err
	}
	if s.opt.PurgeTiles == nil {
		return 0, nil
	}
	return s.opt.PurgeTiles(), nil
}
