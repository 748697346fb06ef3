package admin

import (
	"net/http"
	"time"

	"github.com/sit-gis/sit/access"
	"github.com/sit-gis/sit/auth"
	"github.com/sit-gis/sit/internal/httpx"
)

// tokenBody is the body of POST /admin/tokens.
type tokenBody struct {
	Name       string      `json:"name"`
	Role       access.Role `json:"role"`
	Comune     *string     `json:"comune"`
	Layers     []string    `json:"layers"`
	TTLSeconds int64       `json:"ttlSeconds"`
}

// tokenCreated is the answer: the token and, this once, its secret.
type tokenCreated struct {
	auth.Token
	Secret string `json:"secret"`
}

// HandleTokenCreate serves POST /admin/tokens (administrators): 201 with
// the secret, shown only in this answer.
func (s *Service) HandleTokenCreate(w http.ResponseWriter, r *http.Request) error {
	t, err := s.createToken(r)
	if err := s.audit(r, "token.create", t.Name, err, map[string]any{"role": t.Role, "comune": t.Comune}); err != nil {
		return err
	}
	return s.write(w, r, http.StatusCreated, t)
}

func (s *Service) createToken(r *http.Request) (tokenCreated, error) {
	if _, err := noParams.Parse(r); err != nil {
		return tokenCreated{}, err
	}
	sc := scopeFrom(r.Context())
	if err := requireAdmin(sc); err != nil {
		return tokenCreated{}, err
	}
	var b tokenBody
	if err := readJSON(r, &b); err != nil {
		return tokenCreated{}, err
	}
	comune := sc.newLayerComune()
	if b.Comune != nil {
		comune = *b.Comune
	}
	if !sc.mayManage(comune) {
		return tokenCreated{Token: auth.Token{Name: b.Name}}, forbidden("you manage the tokens of your comune only")
	}
	if b.TTLSeconds < 0 {
		return tokenCreated{}, httpx.BadParameter("ttlSeconds", "must not be negative")
	}
	secret, t, err := s.opt.Auth.CreateToken(r.Context(), auth.NewToken{Name: b.Name, Role: b.Role, Comune: comune, Layers: b.Layers,
		CreatedBy: sc.p.Actor(), TTL: time.Duration(b.TTLSeconds) * time.Second})
	if err != nil && !isKnown(err) {
		return tokenCreated{Token: auth.Token{Name: b.Name}}, httpx.BadParameter("body", err.Error())
	}
	return tokenCreated{Token: t, Secret: secret}, err
}
