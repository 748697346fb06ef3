package reports

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/sit-gis/sit/internal/httpx"
	"github.com/sit-gis/sit/planning"
)

// UsesRequest asks whether a use may be located on a parcel.
type UsesRequest struct {
	Parcel string
	Use    string
	At     time.Time
}

// UsesAnswer is the SUAP's answer for one parcel and one use: yes, no or
// conditional, with the zones, the rows of their tables and the articles.
type UsesAnswer struct {
	Parcel   string    `json:"parcel"`
	Ref      string    `json:"ref"`
	Label    string    `json:"label"`
	Use      string    `json:"use"`
	UseLabel string    `json:"use_label"`
	At       time.Time `json:"at"`
	planning.Decision
	Zones  []planning.ZoneUse `json:"zones"`
	Notice string             `json:"notice"`
}

// usesNotice is printed on every answer: it informs, it does not permit.
const usesNotice = "Risposta informativa tratta dalle norme del piano: non sostituisce i titoli abilitativi né le verifiche dello sportello. / " +
	"Informative answer from the plan's rules; it is not a permit."

// Uses answers whether a use is admitted on a parcel at a date: the zones
// of the instruments that apply (in force and adopted) and what their
// tables of uses say (planning.Decide).
func (s *Service) Uses(ctx context.Context, req UsesRequest) (UsesAnswer, error) {
	pl := s.opt.Planning
	if pl == nil {
		return UsesAnswer{}, httpx.NotFound("no planning register: register the plans and import their tables of uses (sit plan, sit uses import)")
	}
	if strings.TrimSpace(req.Use) == "" {
		return UsesAnswer{}, httpx.BadParameter("use", "required: the use to ask about (e.g. commerciale.vicinato)")
	}
	use, err := pl.ResolveUse(ctx, req.Use)
	if errors.Is(err, planning.ErrNotFound) {
		return UsesAnswer{}, s.unknownUse(ctx, req.Use)
	}
	if err != nil {
		return UsesAnswer{}, err
	}
	if strings.TrimSpace(req.Parcel) == "" {
		return UsesAnswer{}, httpx.BadParameter("parcel", "required: one cadastral reference")
	}
	rep, err := s.Zoning(ctx, ZoningRequest{Parcels: []string{req.Parcel}, At: req.At})
	if err != nil {
		return UsesAnswer{}, err
	}
	pr := rep.Parcels[0]
	ans := UsesAnswer{Parcel: req.Parcel, Ref: pr.Ref, Label: pr.Label, Use: use, At: rep.At, Zones: []planning.ZoneUse{}, Notice: usesNotice}
	byCode := map[string]planning.Instrument{}
	for _, in := range rep.Instruments {
		byCode[in.Code] = in
	}
	for _, pc := range append(append([]Piece(nil), pr.Zoning...), pr.Adopted...) {
		in, ok := byCode[pc.Instrument]
		if !ok {
			continue
		}
		if has, err := pl.HasUses(ctx, in.Code); err != nil || !has {
			if err != nil {
				return ans, err
			}
			continue
		}
		u, listed, err := pl.UseIn(ctx, in.Code, pc.ZoneCode, use)
		if err != nil {
			return ans, err
		}
		if u.Label != "" {
			ans.UseLabel = u.Label
		}
		ans.Zones = append(ans.Zones, planning.ZoneUse{Plan: in.Code, PlanName: in.Name, PlanStatus: in.Status, ZoneCode: pc.ZoneCode,
			AreaM2: pc.AreaM2, Pct: pc.Pct, Listed: listed, Use: u})
	}
	if len(ans.Zones) == 0 {
		return ans, &httpx.Problem{Status: http.StatusNotFound, Title: "Not Found", Parameter: "parcel",
			Detail: fmt.Sprintf("%s lies in no zone of a registered plan with a table of uses (sit plan attach, sit uses import)", pr.Label)}
	}
	if ans.UseLabel == "" {
		kinds, err := pl.UseKinds(ctx)
		if err != nil {
			return ans, err
		}
		ans.UseLabel = kinds[use]
	}
	ans.Decision = planning.Decide(ans.Zones)
	return ans, nil
}

// unknownUse is the 400 for a use no table knows, listing some that are.
func (s *Service) unknownUse(ctx context.Context, q string) error {
	kinds, err := s.opt.Planning.UseKinds(ctx)
	if err != nil {
		return err
	}
	var codes []string
	for c := range kinds {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	if len(codes) > 30 {
		codes = append(codes[:30], "…")
	}
	return httpx.BadParameter("use", fmt.Sprintf("%q is no use of the tables; known uses: %s", httpx.Clip(q), strings.Join(codes, ", ")))
}
