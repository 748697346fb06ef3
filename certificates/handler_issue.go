package certificates

import (
	"net/http"

	"github.com/sit-gis/sit/internal/httpx"
)

// issueBody is the body of POST /certificates.
type issueBody struct {
	Parcels        []string `json:"parcels"`
	At             string   `json:"at"`
	Protocol       string   `json:"protocol"`
	Requester      string   `json:"requester"`
	RequesterID    string   `json:"requester_id"`
	RequestDate    string   `json:"request_date"`
	Purpose        string   `json:"purpose"`
	StampID        string   `json:"stamp_id"`
	StampAmount    float64  `json:"stamp_amount"`
	StampExemption string   `json:"stamp_exemption"`
	Officer        string   `json:"officer"`
	OfficerTitle   string   `json:"officer_title"`
}

// issued is the answer of POST /certificates.
type issued struct {
	Entry
	Verify string `json:"verify"`
	PDF    string `json:"pdf"`
}

// HandleIssue serves POST /certificates (the office): issues a
// certificate and answers 201 with its register entry and links to its
// verification page and PDF.
func (s *Service) HandleIssue(w http.ResponseWriter, r *http.Request) {
	if _, err := (httpx.Params{}).Parse(r); err != nil {
		httpx.WriteError(w, r, s.log, err)
		return
	}
	req, err := s.readIssue(r)
	if err != nil {
		httpx.WriteError(w, r, s.log, err)
		return
	}
	e, _, err := s.Issue(r.Context(), req)
	if err != nil {
		httpx.WriteError(w, r, s.log, err)
		return
	}
	if s.opt.Audit != nil {
		s.opt.Audit(r, e)
	}
	out := issued{Entry: e, Verify: e.VerifyURL, PDF: e.VerifyURL + "/pdf"}
	w.Header().Set("Location", out.Verify)
	if err := httpx.JSON(w, r, http.StatusCreated, "application/json", out); err != nil {
		httpx.WriteError(w, r, s.log, err)
	}
}

func (s *Service) readIssue(r *http.Request) (Request, error) {
	p, comune, err := office(r)
	if err != nil {
		return Request{}, err
	}
	var b issueBody
	if err := httpx.ReadJSON(r, &b); err != nil {
		return Request{}, err
	}
	at, err := ParseAt(b.At, s.opt.Now())
	if err != nil {
		return Request{}, err
	}
	day, err := ParseDay("request_date", b.RequestDate)
	if err != nil {
		return Request{}, err
	}
	return Request{Parcels: b.Parcels, At: at, Protocol: b.Protocol, Requester: b.Requester, RequesterID: b.RequesterID,
		RequestDate: day, Purpose: b.Purpose, StampID: b.StampID, StampAmount: b.StampAmount, StampExemption: b.StampExemption,
		Officer: b.Officer, OfficerTitle: b.OfficerTitle, Comune: comune, IssuedBy: p.Actor(),
		BaseURL: httpx.BaseURL(r, s.opt.PublicURL)}, nil
}
