package reports

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"

	"github.com/sit-gis/sit/domain"
)

// csvBands and csvClasses are the CSV column groups, unknown last.
func csvBands() []string   { return append(domain.SpeedBands(), Unknown) }
func csvClasses() []string { return append(domain.AreaClasses(), Unknown) }

// bandKey names a band in CSV columns ("lt30"), unknown as it is.
func bandKey(b string) string {
	if b == Unknown {
		return Unknown
	}
	return domain.SpeedBandKey(b)
}

func itoa(v int64) string { return strconv.FormatInt(v, 10) }
func ftoa(v float64) string {
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// WriteBroadbandCSV writes one row per zone, then the addresses outside
// every zone and the total: counts and shares by speed band and by area
// class; with a comparison, the earlier snapshot's counts, the changes and
// the status. Numbers use a dot as decimal separator (RFC 4180, comma).
func WriteBroadbandCSV(w io.Writer, rep BroadbandReport) error {
	cw := csv.NewWriter(w)
	head := []string{"zone_fid", "zone_name", "zone_code", "snapshot", "addresses", "households"}
	group := func(prefix string, keys []string) {
		for _, k := range keys {
			n := prefix + "_" + k
			if prefix == "band" {
				n = prefix + "_" + bandKey(k)
			}
			head = append(head, "addresses_"+n, "addresses_"+n+"_pct", "households_"+n, "households_"+n+"_pct")
		}
	}
	group("band", csvBands())
	group("class", csvClasses())
	compare := rep.Compare != ""
	if compare {
		head = append(head, "compare_snapshot", "compare_addresses", "compare_households")
		for _, k := range csvBands() {
			head = append(head, "compare_addresses_band_"+bandKey(k))
		}
		for _, k := range csvClasses() {
			head = append(head, "compare_addresses_class_"+k)
		}
		head = append(head, "change_addresses", "change_households", "change_fast_pct_points", "change_white_pct_points", "status")
	}
	if err := cw.Write(head); err != nil {
		return fmt.Errorf("broadband CSV: %w", err)
	}
	row := func(zs ZoneStats) []string {
		c := zs.Current
		r := []string{fmt.Sprint(orEmpty(zs.FID)), zs.Name, zs.Code, c.Snapshot, itoa(c.Addresses), itoa(c.Households)}
		for _, k := range csvBands() {
			v := c.ByBand[k]
			r = append(r, itoa(v.Addresses), ftoa(v.AddressesPct), itoa(v.Households), ftoa(v.HouseholdsPct))
		}
		for _, k := range csvClasses() {
			v := c.ByClass[k]
			r = append(r, itoa(v.Addresses), ftoa(v.AddressesPct), itoa(v.Households), ftoa(v.HouseholdsPct))
		}
		if compare && zs.Previous != nil && zs.Change != nil {
			p := zs.Previous
			r = append(r, p.Snapshot, itoa(p.Addresses), itoa(p.Households))
			for _, k := range csvBands() {
				r = append(r, itoa(p.ByBand[k].Addresses))
			}
			for _, k := range csvClasses() {
				r = append(r, itoa(p.ByClass[k].Addresses))
			}
			ch := zs.Change
			r = append(r, itoa(ch.Addresses), itoa(ch.Households), ftoa(ch.FastPctPoints), ftoa(ch.WhitePctPoints), ch.Status)
		}
		return r
	}
	for _, zs := range rep.Rows {
		if err := cw.Write(row(zs)); err != nil {
			return fmt.Errorf("broadband CSV: %w", err)
		}
	}
	for _, zs := range []ZoneStats{rep.Outside, rep.Total} {
		if err := cw.Write(row(zs)); err != nil {
			return fmt.Errorf("broadband CSV: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("broadband CSV: %w", err)
	}
	return nil
}

func orEmpty(v any) any {
	if v == nil {
		return ""
	}
	return v
}
