package admin

import (
	_ "embed"
	"net/http"

	"github.com/sit-gis/sit/internal/httpx"
)

// openAPI is the administration API's OpenAPI 3 document (also /auth/…).
//
//go:embed openapi.json
var openAPI []byte

// HandleOpenAPI serves GET /api/admin.json, public: it describes the API,
// it opens nothing.
func (s *Service) HandleOpenAPI(w http.ResponseWriter, r *http.Request) error {
	if _, err := noParams.Parse(r); err != nil {
		return err
	}
	httpx.Send(w, r, http.StatusOK, "application/vnd.oai.openapi+json;version=3.0", openAPI)
	return nil
}
