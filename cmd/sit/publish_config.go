package main

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/sit-gis/sit/internal/config"
	"github.com/sit-gis/sit/layers"
)

// configSpecs are the configuration file's [[publish]] tables as the
// store's specs, each checked (layers.PublishSpec.Normal).
func configSpecs(ps []config.Publish) ([]layers.PublishSpec, error) {
	out := make([]layers.PublishSpec, 0, len(ps))
	for i, p := range ps {
		spec, err := layers.PublishSpec{Schema: p.Schema(), Relation: p.Relation(), Key: p.Key, Geometry: p.Geometry,
			Visibility: layers.Visibility(p.Visibility), Kind: layers.Kind(p.Kind), Roles: p.Roles, NoTrack: p.NoTrack,
			Mercator: p.Mercator, NoTileCopy: p.NoTileCopy, By: layers.ByConfig}.Normal()
		if err != nil {
			return nil, usageError{fmt.Errorf("%s[%d] (%s): %w", config.PublishSection, i+1, p.Source, err)}
		}
		out = append(out, spec)
	}
	return out, nil
}

// publishFromConfig applies the file's [[publish]] tables: it unpublishes
// the sources it published before that the file no longer names, then
// publishes (adds or updates) the file's; sources published by hand or
// through the admin API are reported and kept. Each step is printed
// first; with dryRun nothing else happens.
func publishFromConfig(cmd *cobra.Command, a *app, store *layers.Store, dryRun bool) error {
	ctx, out := cmd.Context(), cmd.OutOrStdout()
	if len(a.cfg.Publish) == 0 {
		return usageError{fmt.Errorf("the configuration (%s) has no [[%s]] table: give --config FILE (sit publish --remove unpublishes the last ones)",
			fileOr(a.cfg.File), config.PublishSection)}
	}
	specs, err := configSpecs(a.cfg.Publish)
	if err != nil {
		return err
	}
	have, err := layers.PublishedSpecs(ctx, store.Pool())
	if err != nil {
		return err
	}
	plan := layers.PlanConfig(specs, have)
	would := ""
	if dryRun {
		would = "would "
		fmt.Fprintln(out, "dry run: nothing is changed")
	}
	for _, h := range plan.Unpublish {
		fmt.Fprintf(out, "%sunpublish %s: published from the configuration, no longer in it\n", would, h.Source())
		if dryRun {
			continue
		}
		rep, err := store.Unpublish(ctx, h.Schema, h.Relation)
		if err != nil {
			return fmt.Errorf("%s: %w", h.Source(), err)
		}
		printPublishReport(cmd, h.Source(), true, rep)
	}
	for _, spec := range plan.Publish {
		verb := "publish (unchanged)"
		if plan.Changed[spec.Source()] {
			verb = "publish"
		}
		fmt.Fprintf(out, "%s%s %s\n", would, verb, spec.Source())
		if dryRun {
			continue
		}
		rep, err := store.Publish(ctx, spec)
		if err != nil {
			return fmt.Errorf("%s: %w", spec.Source(), err)
		}
		printPublishReport(cmd, spec.Source(), false, rep)
	}
	for _, h := range plan.Keep {
		fmt.Fprintf(out, "keep %s: %s, not in the configuration (sit publish --remove %s unpublishes it)\n", h.Source(), h.By.Describe(), h.Source())
	}
	return nil
}

func fileOr(f string) string {
	if f == "" {
		return "no file"
	}
	return f
}

// warnPublishDrift logs where the database's published sources differ
// from the file's [[publish]] tables: sit serve holds the reader's
// credentials and changes nothing; sit publish --from-config applies them.
func warnPublishDrift(ctx context.Context, q layers.Querier, ps []config.Publish, log *slog.Logger) error {
	if len(ps) == 0 {
		return nil
	}
	specs, err := configSpecs(ps)
	if err != nil {
		return err
	}
	have, err := layers.PublishedSpecs(ctx, q)
	if err != nil {
		return err
	}
	for _, d := range layers.PublishDrift(specs, have) {
		log.Warn("published sources differ from the configuration", "source", d)
	}
	ls, _, err := layers.ListPublished(ctx, q, time.Now())
	if err != nil {
		return err
	}
	for _, l := range mercatorMissing(specs, ls) {
		log.Warn("mercator = true, but the table has no indexed Web Mercator copy: its tiles transform every row; "+
			"sit publish --from-config as its owner adds it, or the owner runs the statements",
			"source", l.Source.Schema+"."+l.Source.Relation, "statements", strings.Join(l.Source.MercatorDDL, " "))
	}
	return nil
}

// mercatorMissing are the published tables whose [[publish]] table asks
// for a Web Mercator copy (mercator = true) that they do not have: the
// owner role could not add it, or the table was recreated since.
func mercatorMissing(specs []layers.PublishSpec, ls []layers.Layer) []layers.Layer {
	var out []layers.Layer
	for _, l := range ls {
		if len(l.Source.MercatorDDL) == 0 {
			continue
		}
		for _, s := range specs {
			if s.Mercator && s.Schema == l.Source.Schema && (s.Relation == "" || s.Relation == l.Source.Relation) {
				out = append(out, l)
				break
			}
		}
	}
	return out
}
