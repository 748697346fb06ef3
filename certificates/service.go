package certificates

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/sit-gis/sit/access"
	"github.com/sit-gis/sit/internal/httpx"
	"github.com/sit-gis/sit/layers"
	"github.com/sit-gis/sit/reports"
)

// Reports computes the zoning report a certificate states
// (*reports.Service).
type Reports interface {
	Zoning(ctx context.Context, req reports.ZoningRequest) (reports.ZoningReport, error)
}

// Options tune the service.
type Options struct {
	// PublicURL is the server's public address: the verification page
	// printed on a certificate is under it (else under the request's).
	PublicURL string
	// Software names the program that issued (its version).
	Software string
	Log      *slog.Logger
	// Now is the clock of the issue dates (tests fix it).
	Now func() time.Time
	// MaxRegister bounds one page of the register.
	MaxRegister int
	// Audit, when set, hears each certificate issued over HTTP (the
	// server writes it to the audit log the console shows).
	Audit func(r *http.Request, e Entry)
}

// Service issues, verifies and lists certificates.
type Service struct {
	db      DB // nil: no register (no web role)
	reports Reports
	opt     Options
	log     *slog.Logger
}

// New makes the service; db nil serves 503 (the server has no web role).
func New(db DB, rep Reports, opt Options) *Service {
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Log == nil {
		opt.Log = slog.New(slog.DiscardHandler)
	}
	if opt.MaxRegister <= 0 {
		opt.MaxRegister = 1000
	}
	opt.PublicURL = strings.TrimRight(opt.PublicURL, "/")
	return &Service{db: db, reports: rep, opt: opt, log: opt.Log}
}

func (s *Service) ready() error {
	if s.db == nil {
		return httpx.Unavailable("the register of certificates needs the web role (--web-url)", 0)
	}
	return nil
}

// Issue computes the report the request asks for, numbers it in the
// register, renders its PDF and stores all with the versions read.
func (s *Service) Issue(ctx context.Context, req Request) (Entry, []byte, error) {
	if err := s.ready(); err != nil {
		return Entry{}, nil, err
	}
	now := s.opt.Now().UTC().Truncate(time.Second)
	if err := req.Check(now); err != nil {
		return Entry{}, nil, err
	}
	rep, err := s.reports.Zoning(ctx, reports.ZoningRequest{Parcels: req.Parcels, WithMap: true, At: req.At})
	if err != nil {
		return Entry{}, nil, err
	}
	code, err := newCode()
	if err != nil {
		return Entry{}, nil, err
	}
	e := Entry{Code: code, Protocol: strings.TrimSpace(req.Protocol), Comune: req.Comune, IssuedAt: now, At: rep.At,
		Requester: strings.TrimSpace(req.Requester), RequesterID: strings.TrimSpace(req.RequesterID), RequestDate: romeDay(req.RequestDate),
		Purpose: strings.TrimSpace(req.Purpose), StampID: strings.TrimSpace(req.StampID), StampExemption: strings.TrimSpace(req.StampExemption),
		Officer: strings.TrimSpace(req.Officer), OfficerTitle: strings.TrimSpace(req.OfficerTitle), IssuedBy: req.IssuedBy,
		LayerVersions: map[string]int64{}, NTAVersions: map[string]int{}, Software: s.opt.Software,
		VerifyURL: strings.TrimRight(req.BaseURL, "/") + "/verify/" + code}
	if req.StampAmount != 0 {
		e.StampAmount = &req.StampAmount
	}
	for _, src := range rep.Sources {
		e.LayerVersions[src.Layer] = src.Version
	}
	for p, v := range rep.NTAVersions {
		e.NTAVersions[p] = v
	}
	for _, pr := range rep.Parcels {
		e.Parcels = append(e.Parcels, pr.Ref)
	}
	content := certified(rep, now, rep.Comune)
	var pdf []byte
	e, err = insert(ctx, s.db, e, func(e *Entry) ([]byte, []byte, error) {
		body, sum, err := digest(content)
		if err != nil {
			return nil, nil, err
		}
		e.ContentSHA256 = sum
		if pdf, err = s.render(content, *e); err != nil {
			return nil, nil, err
		}
		e.PDFSHA256 = sha(pdf)
		return body, pdf, nil
	})
	if err != nil {
		return e, nil, err
	}
	s.log.Info("certificate issued", "number", e.Number, "protocol", e.Protocol, "code", e.Code, "parcels", len(e.Parcels), "by", e.IssuedBy)
	return e, pdf, nil
}

// certified is the report as a certificate states it: dated when issued,
// with the certificate's notice. Issue and Verify both apply it, so the
// same data give the same content.
func certified(rep reports.ZoningReport, issued time.Time, comune string) reports.ZoningReport {
	rep.GeneratedAt = issued
	rep.Comune = comune
	rep.Notice = reports.CertificateNotice
	rep.Title = "Certificato di destinazione urbanistica"
	// Each parcel as the register names it, whatever the spelling asked.
	rep.Parcels = append([]reports.ParcelReport(nil), rep.Parcels...)
	for i := range rep.Parcels {
		rep.Parcels[i].Query = rep.Parcels[i].Ref
	}
	return rep
}

// digest is the content's JSON and its SHA-256.
func digest(rep reports.ZoningReport) ([]byte, string, error) {
	b, err := json.Marshal(rep)
	if err != nil {
		return nil, "", fmt.Errorf("certificate content: %w", err)
	}
	return b, sha(b), nil
}

func sha(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

func (s *Service) render(rep reports.ZoningReport, e Entry) ([]byte, error) {
	var buf bytes.Buffer
	if err := reports.WriteCertificatePDF(&buf, rep, e.head()); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Verification is what /verify/{code} shows: the certificate as issued
// and the checks that it is what the register and the data say.
type Verification struct {
	Entry Entry `json:"certificate"`
	// Content is what the certificate said: recomputed (with its map)
	// when that gives the recorded digest, else as the register keeps it
	// (without the map, which is drawn, not stored).
	Content reports.ZoningReport `json:"content"`
	// PDFIntact: the stored PDF has the digest recorded at issue.
	PDFIntact bool `json:"pdf_intact"`
	// Recomputed: the report computed again now from the recorded layer
	// and rules versions has the content digest recorded at issue;
	// PDFRebuilt: rendered again, it is the same PDF byte for byte. Why
	// says why not (a version dropped, the plans or rules edited since).
	Recomputed bool   `json:"recomputed"`
	PDFRebuilt bool   `json:"pdf_rebuilt"`
	Why        string `json:"why,omitempty"`
}

// Verify reads a certificate by its code and checks it: the stored PDF
// against its digest, and the content and the PDF recomputed from the
// recorded versions against theirs.
func (s *Service) Verify(ctx context.Context, code string) (Verification, []byte, error) {
	r, err := s.find(ctx, code)
	if err != nil {
		return Verification{}, nil, err
	}
	v := Verification{Entry: r.Entry, PDFIntact: sha(r.pdf) == r.PDFSHA256}
	if err := json.Unmarshal(r.content, &v.Content); err != nil {
		return v, nil, fmt.Errorf("certificate %s: content: %w", r.Code, err)
	}
	rep, err := s.recompute(ctx, r.Entry, v.Content.Comune)
	if err != nil {
		v.Why = err.Error()
		return v, r.pdf, nil
	}
	if _, sum, err := digest(rep); err != nil || sum != r.ContentSHA256 {
		v.Why = "the recorded versions give a different content now (the register of plans or the rules were edited since)"
		return v, r.pdf, nil
	}
	v.Recomputed, v.Content = true, rep
	if pdf, err := s.render(rep, r.Entry); err == nil && sha(pdf) == r.PDFSHA256 {
		v.PDFRebuilt = true
	} else {
		v.Why = "the content is the same but renders to another PDF (another version of SIT drew it)"
	}
	return v, r.pdf, nil
}

// recompute computes the certificate's content again from the recorded
// versions, as the command line sees the data (every layer, every comune:
// the code is the proof of a right to see what was issued).
func (s *Service) recompute(ctx context.Context, e Entry, comune string) (reports.ZoningReport, error) {
	ctx = access.WithView(ctx, access.View{Principal: access.Operator("verify"), Comune: access.AllComuni})
	rep, err := s.reports.Zoning(ctx, reports.ZoningRequest{Parcels: e.Parcels, WithMap: true, At: e.At,
		Versions: e.LayerVersions, NTAVersions: e.NTAVersions})
	if err != nil {
		var p *httpx.Problem
		if errors.As(err, &p) {
			return rep, errors.New("the recorded versions cannot be read again: " + p.Detail)
		}
		s.log.Warn("certificate: recompute", "code", e.Code, "err", err)
		return rep, errors.New("the recorded versions could not be read again")
	}
	return certified(rep, e.IssuedAt, comune), nil
}

// find reads a certificate by its code as people type it.
func (s *Service) find(ctx context.Context, code string) (record, error) {
	if err := s.ready(); err != nil {
		return record{}, err
	}
	norm, ok := NormalizeCode(code)
	if !ok {
		return record{}, httpx.BadParameter("code", "a verification code is 16 letters and digits: XXXX-XXXX-XXXX-XXXX")
	}
	r, err := byCode(ctx, s.db, norm)
	if errors.Is(err, ErrNotFound) {
		return r, httpx.NotFoundParameter("code", "no certificate has the code "+norm)
	}
	return r, err
}

// PDF is the document a certificate was handed over as, as stored.
func (s *Service) PDF(ctx context.Context, code string) (Entry, []byte, error) {
	r, err := s.find(ctx, code)
	return r.Entry, r.pdf, err
}

// List reads the register.
func (s *Service) List(ctx context.Context, q Query) ([]Entry, error) {
	if err := s.ready(); err != nil {
		return nil, err
	}
	if q.Limit <= 0 || q.Limit > s.opt.MaxRegister {
		q.Limit = s.opt.MaxRegister
	}
	return list(ctx, s.db, q)
}

func errProtocolTaken(p string) error {
	pr := httpx.New(http.StatusConflict, "protocol "+p+" is already in the register: each certificate has its own protocol number")
	pr.Parameter = "protocol"
	return pr
}

// romeDay is the Italian calendar day of t, at its midnight (nil: nil),
// as the register reads it back.
func romeDay(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	y, m, d := t.In(layers.Rome()).Date()
	day := time.Date(y, m, d, 0, 0, 0, 0, layers.Rome())
	return &day
}
