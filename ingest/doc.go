// Package ingest is the import core: it turns a request (a file and what
// the user said about it) into a checked plan, and runs the plan into the
// catalog. The command line (`sit import`, `sit demo`) and an HTTP upload
// build the same Request from their flags or form fields and report
// through the same Reporter (the CLI's progress bar; Job for a background
// import that clients poll); nothing here knows about either.
//
// The walk of one import:
//
//	Prepare(formats, Request)   flags checked, file opened by its reader (importers),
//	                            its datasets named and given a kind and a mode
//	Plan.Run(ctx, store, rep)   per dataset: geometry join resolved, profile and
//	                            filters applied to the feature stream, CRS checked,
//	                            layers.Store.Import (COPY → staging → build → swap),
//	                            result, extent and rejects reported
package ingest
