package main

import (
	"context"
	"fmt"
	"log/slog"

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
			Visibility: layers.Visibility(p.Visibility), Kind: layers.Kind(p.Kind), Roles: p.Roles, NoTrack: p.NoTrack}.Normal()
		if err != nil {
			return nil, usageError{fmt.Errorf("%s[%d] (%s): %w", config.PublishSection, i+1, p.Source, err)}
		}
		out = append(out, spec)
	}
	return out, nil
}

// publishFromConfig applies the file's [[publish]] tables (added or
// updated; what the database publishes beyond them is reported, not
// removed: the command line and the admin API publish too).
func publishFromConfig(cmd *cobra.Command, a *app, store *layers.Store) error {
	ctx := cmd.Context()
	if len(a.cfg.Publish) == 0 {
		return usageError{fmt.Errorf("the configuration (%s) has no [[%s]] table: give --config FILE", fileOr(a.cfg.File), config.PublishSection)}
	}
	specs, err := configSpecs(a.cfg.Publish)
	if err != nil {
		return err
	}
	for _, spec := range specs {
		rep, err := store.Publish(ctx, spec)
		if err != nil {
			return fmt.Errorf("%s: %w", spec.Source(), err)
		}
		printPublishReport(cmd, spec.Source(), false, rep)
	}
	have, err := layers.PublishedSpecs(ctx, store.Pool())
	if err != nil {
		return err
	}
	for _, d := range layers.PublishDrift(specs, have) {
		fmt.Fprintln(cmd.OutOrStdout(), d)
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
	return nil
}
