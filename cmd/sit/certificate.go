package main

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/sit-gis/sit/access"
	"github.com/sit-gis/sit/certificates"
	"github.com/sit-gis/sit/internal/config"
	"github.com/sit-gis/sit/layers"
	"github.com/sit-gis/sit/planning"
	"github.com/sit-gis/sit/reports"
)

func newCertificateCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "certificate",
		Short: "Zoning certificates (CDU, DPR 380/2001 art. 30): issue, register, verify",
	}
	cmd.AddCommand(newCertificateIssueCmd(a), newCertificateListCmd(a), newCertificateVerifyCmd(a))
	return cmd
}

// withCertificates runs f with the register over the owner's pool (the
// command line is the office's operator) and closes it after.
func (a *app) withCertificates(cmd *cobra.Command, f func(ctx context.Context, svc *certificates.Service) error) error {
	return a.withCatalog(cmd, func(ctx context.Context, store *layers.Store, cat *access.Catalog) error {
		s := a.cfg.Server
		rep := reports.New(store.Pool(), cat, reports.Options{Comune: s.Comune, SliverMinAreaM2: s.SliverMinAreaM2, SliverMinPct: s.SliverMinPct,
			MaxParcels: 100, Log: a.log, Planning: planning.NewStore(store.Pool())})
		return f(ctx, certificates.New(store.Pool(), rep, certificates.Options{PublicURL: s.PublicURL, Software: "sit " + readBuildInfo().String(), Log: a.log}))
	})
}

func newCertificateIssueCmd(a *app) *cobra.Command {
	var o struct {
		req                  certificates.Request
		at, requestDate, out string
		comune               string
	}
	cmd := &cobra.Command{
		Use:   "issue PARCEL... --protocol N --requester NAME --purpose TEXT --officer NAME (--stamp-id ID --stamp-amount EUR | --stamp-exemption NORM)",
		Short: "Issue a zoning certificate: numbered in the register, its PDF written with -o",
		Long: `Issue a certificato di destinazione urbanistica for one or more parcels: the
zoning report (plans in force and adopted, zones, constraints, the articles
of their rules) at --at (default now), with the register's number, the
comune's protocol number, the request, the stamp duty and the signing
officer. The register keeps the content, the layer and rules versions it
was computed from and the PDF; the PDF carries a verification code and a QR
code to /verify/CODE under --public-url.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			names := map[string]string{"parcel": "PARCEL", "parcels": "PARCEL", "protocol": "--protocol", "requester": "--requester",
				"requester_id": "--requester-id", "purpose": "--purpose", "stamp_id": "--stamp-id", "stamp_amount": "--stamp-amount",
				"stamp_exemption": "--stamp-exemption", "officer": "--officer", "officer_title": "--officer-title", "at": "--at",
				"request_date": "--request-date"}
			if a.cfg.Server.PublicURL == "" {
				return fmt.Errorf("--public-url: required, the verification address printed on the certificate (https://sit.comune.example)")
			}
			var err error
			if o.req.At, err = certificates.ParseAt(o.at, time.Now()); err != nil {
				return problemError(err, names)
			}
			if o.req.RequestDate, err = certificates.ParseDay("request_date", o.requestDate); err != nil {
				return problemError(err, names)
			}
			return a.withCertificates(cmd, func(ctx context.Context, svc *certificates.Service) error {
				o.req.Parcels, o.req.Comune, o.req.IssuedBy, o.req.BaseURL = args, o.comune, "cli:"+osUserName(), a.cfg.Server.PublicURL
				e, pdf, err := svc.Issue(ctx, o.req)
				if err != nil {
					return problemError(err, names)
				}
				if err := writeOut(cmd.OutOrStdout(), o.out, pdf); err != nil {
					return err
				}
				fmt.Fprintf(cmd.ErrOrStderr(), "certificate n. %s, protocol %s, code %s: %s\n", e.Number, e.Protocol, e.Code, e.VerifyURL)
				return nil
			})
		},
	}
	f := cmd.Flags()
	r := &o.req
	f.StringVar(&r.Protocol, "protocol", "", "the comune's protocol number of the certificate")
	f.StringVar(&r.Requester, "requester", "", "who asked for it (name, or company)")
	f.StringVar(&r.RequesterID, "requester-id", "", "the requester's codice fiscale or partita IVA")
	f.StringVar(&o.requestDate, "request-date", "", "the date of the request (YYYY-MM-DD)")
	f.StringVar(&r.Purpose, "purpose", "", "the use it is asked for (compravendita, successione…)")
	f.StringVar(&r.StampID, "stamp-id", "", "serial number of the marca da bollo")
	f.Float64Var(&r.StampAmount, "stamp-amount", 0, "value of the marca da bollo in euro (16)")
	f.StringVar(&r.StampExemption, "stamp-exemption", "", "the norm that exempts it from stamp duty, instead of a stamp")
	f.StringVar(&r.Officer, "officer", "", "the signing officer")
	f.StringVar(&r.OfficerTitle, "officer-title", "", "the officer's title (Il Responsabile del Servizio Urbanistica)")
	f.StringVar(&o.at, "at", "", "the date it certifies (YYYY-MM-DD, default now)")
	f.StringVar(&o.comune, "comune-slug", "", "the comune issuing, by its slug, for the register (default the instance's)")
	f.StringVarP(&o.out, "output", "o", "", "write the PDF to this file (default standard output)")
	config.AddFlags(f, "server.public_url", "report.comune")
	return cmd
}

func newCertificateListCmd(a *app) *cobra.Command {
	var o struct {
		q, format, out, comune string
		year, limit            int
	}
	cmd := &cobra.Command{
		Use:   "list",
		Short: "The register of issued certificates, newest first (JSON or CSV)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if o.format != "json" && o.format != "csv" {
				return fmt.Errorf("--format %q: want json or csv", o.format)
			}
			return a.withCertificates(cmd, func(ctx context.Context, svc *certificates.Service) error {
				entries, err := svc.List(ctx, certificates.Query{Comune: o.comune, Text: o.q, Year: o.year, Limit: o.limit})
				if err != nil {
					return err
				}
				return writeRendered(cmd.OutOrStdout(), o.out, func(b *bytes.Buffer) error {
					if o.format == "csv" {
						_, err := b.Write(certificates.RegisterCSV(entries))
						return err
					}
					return writeJSONOut(b, entries)
				})
			})
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.q, "q", "", "match the protocol, the number, the requester or a parcel")
	f.IntVar(&o.year, "year", 0, "certificates of this year only")
	f.IntVar(&o.limit, "limit", 0, "at most this many (default 1000)")
	f.StringVar(&o.comune, "comune-slug", "", "one comune's certificates, by its slug (default every one)")
	f.StringVar(&o.format, "format", "json", "json or csv")
	f.StringVarP(&o.out, "output", "o", "", "write to this file (default standard output)")
	return cmd
}

func newCertificateVerifyCmd(a *app) *cobra.Command {
	cmd := storeCmd("verify CODE", "Verify an issued certificate: its PDF intact, rebuilt from the register, recomputed from the recorded data versions", cobra.ExactArgs(1), a.withCertificates,
		func(ctx context.Context, cmd *cobra.Command, args []string, svc *certificates.Service) error {
			v, _, err := svc.Verify(ctx, args[0])
			if err != nil {
				return problemError(err, map[string]string{"code": "CODE"})
			}
			w := cmd.OutOrStdout()
			fmt.Fprintf(w, "certificate n. %s, protocol %s, issued %s, parcels %s\n", v.Entry.Number, v.Entry.Protocol,
				v.Entry.IssuedAt.Format(time.RFC3339), strings.Join(v.Entry.Parcels, " "))
			fmt.Fprintf(w, "pdf intact: %t\npdf rebuilt from the register: %t\nrecomputed from the recorded versions: %t %s\n",
				v.PDFIntact, v.PDFRebuilt, v.Recomputed, v.Why)
			if !v.PDFIntact || !v.PDFRebuilt || !v.Recomputed {
				return fmt.Errorf("certificate %s does not verify", v.Entry.Code)
			}
			return nil
		})
	return cmd
}
