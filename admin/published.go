package admin

import (
	"errors"
	"strings"

	"github.com/sit-gis/sit/internal/httpx"
	"github.com/sit-gis/sit/layers"
)

// requireInstanceAdmin answers 403 unless the principal administers the
// instance: the database's own relations belong to no comune, and their
// list shows the database's schemas.
func requireInstanceAdmin(sc scope) error {
	if !sc.p.Instance() {
		return forbidden("only an administrator of the instance publishes the database's own relations (they belong to no comune)")
	}
	return nil
}

// publishProblem turns the store's refusals into a 400 naming the field
// (a missing relation is the request's source being wrong, not a 404 of
// the URL).
func publishProblem(err error) error {
	var se *layers.SpecError
	switch {
	case errors.As(err, &se):
		return httpx.BadParameter(se.Field, se.Error())
	case errors.Is(err, layers.ErrNotFound):
		return httpx.BadParameter("source", err.Error())
	}
	return err
}

// splitSource splits SCHEMA[.RELATION] at its first dot.
func splitSource(src string) (schema, relation string) {
	schema, relation, _ = strings.Cut(src, ".")
	return schema, relation
}

// publishReportDoc is the answer of a publish or unpublish.
type publishReportDoc struct {
	Source    string   `json:"source"`
	Relations []string `json:"relations"`
	Tracked   []string `json:"tracked"`
	// Pending are the statements the owner role may not run: the
	// relations' owner (or a DBA) runs them.
	Pending []string `json:"pending"`
	// Advice are the statements that would give the tables a Web
	// Mercator copy (faster tiles), when mercator was not asked.
	Advice []string `json:"advice"`
	// TileCopies are the sources whose tiles read SIT's tile copy.
	TileCopies []string `json:"tileCopies"`
}

func toReportDoc(source string, r layers.PublishReport) publishReportDoc {
	nonNil := func(s []string) []string {
		if s == nil {
			return []string{}
		}
		return s
	}
	return publishReportDoc{Source: source, Relations: nonNil(r.Relations), Tracked: nonNil(r.Tracked), Pending: nonNil(r.Pending), Advice: nonNil(r.Advice),
		TileCopies: nonNil(r.Copied)}
}
