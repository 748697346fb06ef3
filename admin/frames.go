package admin

import (
	"context"
	"net/http"
)

// removed answers a DELETE: remove does the work and names what it
// removed; the outcome is audited as action, then 204 or the problem.
func (s *Service) removed(w http.ResponseWriter, r *http.Request, action string, remove func(*http.Request) (string, error)) error {
	name, err := remove(r)
	if err := s.audit(r, action, name, err, nil); err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// listForAdmin answers an administrators' GET of a list of the scope:
// list gives the items of a comune ("" for all), sent as the JSON member
// key (an empty list, never null).
func listForAdmin[T any](s *Service, w http.ResponseWriter, r *http.Request, key string, list func(ctx context.Context, comune string) ([]T, error)) error {
	if _, err := noParams.Parse(r); err != nil {
		return err
	}
	sc := scopeFrom(r.Context())
	if err := requireAdmin(sc); err != nil {
		return err
	}
	items, err := list(r.Context(), sc.listComune())
	if err != nil {
		return err
	}
	if items == nil {
		items = []T{}
	}
	return s.write(w, r, http.StatusOK, map[string]any{key: items})
}
