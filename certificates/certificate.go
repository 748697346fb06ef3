// Package certificates issues the certificato di destinazione urbanistica
// (DPR 380/2001 art. 30) as the office does: the zoning report at a date,
// with the register's number, the comune's protocol number, the request,
// the stamp duty and the signing officer, and a verification code. The
// register (sit_auth.certificates) keeps what each certificate said, the
// layer and rules versions it was computed from and the PDF handed over;
// /verify/{code} shows it and recomputes it from those versions, so a
// later import changes nothing it proves. It knows nothing of HTTP in its
// core (Service); the handlers beside it are thin.
package certificates

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/sit-gis/sit/internal/httpx"
	"github.com/sit-gis/sit/reports"
)

// Request is what the office fills in to issue a certificate.
type Request struct {
	Parcels     []string   `json:"parcels"`
	At          time.Time  `json:"at,omitzero"` // zero: now
	Protocol    string     `json:"protocol"`
	Requester   string     `json:"requester"`
	RequesterID string     `json:"requester_id,omitempty"`
	RequestDate *time.Time `json:"request_date,omitempty"`
	Purpose     string     `json:"purpose"`
	// StampID and StampAmount are the marca da bollo's serial number and
	// value (euro); StampExemption the norm that exempts it instead.
	StampID        string  `json:"stamp_id,omitempty"`
	StampAmount    float64 `json:"stamp_amount,omitempty"`
	StampExemption string  `json:"stamp_exemption,omitempty"`
	Officer        string  `json:"officer"`
	OfficerTitle   string  `json:"officer_title,omitempty"`
	// Comune is the comune issuing ("" the instance's); IssuedBy who
	// issued it (an account, cli:NAME), for the register.
	Comune   string `json:"-"`
	IssuedBy string `json:"-"`
	// BaseURL is the server's address the certificate prints its
	// verification page under (https://sit.comune.example).
	BaseURL string `json:"-"`
}

// maxField bounds each text field of a request.
const maxField = 500

// Check refuses an incomplete or malformed request, naming the field.
func (r *Request) Check(now time.Time) error {
	for _, f := range []struct{ name, v string }{{"protocol", r.Protocol}, {"requester", r.Requester}, {"purpose", r.Purpose}, {"officer", r.Officer}} {
		if strings.TrimSpace(f.v) == "" {
			return httpx.BadParameter(f.name, "required")
		}
	}
	for _, f := range []struct{ name, v string }{{"protocol", r.Protocol}, {"requester", r.Requester}, {"requester_id", r.RequesterID},
		{"purpose", r.Purpose}, {"stamp_id", r.StampID}, {"stamp_exemption", r.StampExemption}, {"officer", r.Officer}, {"officer_title", r.OfficerTitle}} {
		if utf8.RuneCountInString(f.v) > maxField || !utf8.ValidString(f.v) || strings.ContainsAny(f.v, "\x00\r\n") {
			return httpx.BadParameter(f.name, fmt.Sprintf("one line of at most %d characters", maxField))
		}
	}
	paid := strings.TrimSpace(r.StampID) != "" || r.StampAmount != 0
	exempt := strings.TrimSpace(r.StampExemption) != ""
	switch {
	case paid && exempt:
		return httpx.BadParameter("stamp_exemption", "a certificate is either stamped (stamp_id, stamp_amount) or exempt, not both")
	case !paid && !exempt:
		return httpx.BadParameter("stamp_id", "the stamp duty: stamp_id and stamp_amount of the marca da bollo, or stamp_exemption naming the norm")
	case paid && strings.TrimSpace(r.StampID) == "":
		return httpx.BadParameter("stamp_id", "required with stamp_amount")
	case paid && (r.StampAmount <= 0 || r.StampAmount > 10000):
		return httpx.BadParameter("stamp_amount", "the stamp's value in euro (16.00)")
	}
	if len(r.Parcels) == 0 {
		return httpx.BadParameter("parcels", "required: one or more cadastral references")
	}
	if r.At.After(now) {
		return httpx.BadParameter("at", "in the future")
	}
	if r.RequestDate != nil && r.RequestDate.After(now) {
		return httpx.BadParameter("request_date", "in the future")
	}
	return nil
}

// Stamp describes the stamp duty as the certificate prints it.
func (r Request) Stamp() string {
	if strings.TrimSpace(r.StampExemption) != "" {
		return "esente (" + strings.TrimSpace(r.StampExemption) + ")"
	}
	return fmt.Sprintf("marca da bollo n. %s da € %s", strings.TrimSpace(r.StampID), strings.Replace(fmt.Sprintf("%.2f", r.StampAmount), ".", ",", 1))
}

// Entry is one certificate in the register.
type Entry struct {
	Code           string     `json:"code"`
	Number         string     `json:"number"` // "12/2026"
	Protocol       string     `json:"protocol"`
	Comune         string     `json:"comune,omitempty"`
	IssuedAt       time.Time  `json:"issued_at"`
	At             time.Time  `json:"at"`
	Parcels        []string   `json:"parcels"`
	Requester      string     `json:"requester"`
	RequesterID    string     `json:"requester_id,omitempty"`
	RequestDate    *time.Time `json:"request_date,omitempty"`
	Purpose        string     `json:"purpose"`
	StampID        string     `json:"stamp_id,omitempty"`
	StampAmount    *float64   `json:"stamp_amount,omitempty"`
	StampExemption string     `json:"stamp_exemption,omitempty"`
	Officer        string     `json:"officer"`
	OfficerTitle   string     `json:"officer_title,omitempty"`
	IssuedBy       string     `json:"issued_by,omitempty"`
	// What it was computed from, and the digests of what it said.
	LayerVersions map[string]int64 `json:"layer_versions"`
	NTAVersions   map[string]int   `json:"nta_versions"`
	ContentSHA256 string           `json:"content_sha256"`
	PDFSHA256     string           `json:"pdf_sha256"`
	Software      string           `json:"software,omitempty"`
	// VerifyURL is the verification page's address printed on it.
	VerifyURL string `json:"verify_url"`
}

// request is the entry's request again (for the PDF's head).
func (e Entry) request() Request {
	r := Request{Protocol: e.Protocol, Requester: e.Requester, RequesterID: e.RequesterID, RequestDate: e.RequestDate,
		Purpose: e.Purpose, StampID: e.StampID, StampExemption: e.StampExemption, Officer: e.Officer, OfficerTitle: e.OfficerTitle}
	if e.StampAmount != nil {
		r.StampAmount = *e.StampAmount
	}
	return r
}

// head is what the PDF prints besides the report.
func (e Entry) head() reports.CertificateHead {
	r := e.request()
	return reports.CertificateHead{Number: e.Number, Protocol: e.Protocol, IssuedAt: e.IssuedAt, Requester: e.Requester,
		RequesterID: e.RequesterID, RequestDate: e.RequestDate, Purpose: e.Purpose, Stamp: r.Stamp(), Officer: e.Officer,
		OfficerTitle: e.OfficerTitle, Code: e.Code, VerifyURL: e.VerifyURL}
}
