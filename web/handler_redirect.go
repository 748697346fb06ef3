package web

import "net/http"

// HandleRedirect sends /map to /map/, where the page's relative URLs
// resolve; the query (the application's state) goes along.
func (h *Handler) HandleRedirect(w http.ResponseWriter, r *http.Request) {
	to := h.prefix + "/"
	if r.URL.RawQuery != "" {
		to += "?" + r.URL.RawQuery
	}
	http.Redirect(w, r, to, http.StatusMovedPermanently)
}
