package admin

import (
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"

	"github.com/sit-gis/sit/ingest"
	"github.com/sit-gis/sit/internal/httpx"
	"github.com/sit-gis/sit/layers"
)

// HandleUpload serves POST /admin/uploads: the file (multipart part
// "file", or a raw body with ?filename=) is streamed to disk within the
// size limit, checked by the import core (fields, format, layers), and
// imported in the background: 202 with the job and its Location. The
// import is the CLI's: one transaction, the previous version serving
// until it commits.
func (s *Service) HandleUpload(w http.ResponseWriter, r *http.Request) error {
	doc, err := s.upload(w, r)
	if err := s.audit(r, "upload", doc.Source, err, map[string]any{"job": doc.ID, "size": doc.Size}); err != nil {
		return err
	}
	w.Header().Set("Location", httpx.BaseURL(r, "")+"/admin/jobs/"+doc.ID)
	return s.write(w, r, http.StatusAccepted, doc)
}

func (s *Service) upload(w http.ResponseWriter, r *http.Request) (jobDoc, error) {
	sc := scopeFrom(r.Context())
	if err := s.writesData(); err != nil {
		return jobDoc{}, err
	}
	id := newJobID()
	dir := filepath.Join(s.opt.UploadDir, id)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return jobDoc{}, fmt.Errorf("upload directory: %w", err)
	}
	started := false
	defer func() {
		if !started {
			os.RemoveAll(dir)
		}
	}()
	path, source, size, fields, err := s.spool(w, r, dir)
	if err != nil {
		return jobDoc{Source: source}, err
	}
	req, err := request(path, source, fields, sc.newLayerComune())
	if err != nil {
		return jobDoc{Source: source}, err
	}
	plan, err := ingest.Prepare(req)
	if err != nil {
		var fe *ingest.FieldError
		if errors.As(err, &fe) {
			return jobDoc{Source: source}, httpx.BadParameter(fe.Field, fe.Err.Error())
		}
		return jobDoc{Source: source}, httpx.BadParameter("file", err.Error())
	}
	if len(req.Comuni) > 0 && !plan.Archive() {
		plan.Close()
		return jobDoc{Source: source}, httpx.BadParameter("comune", "selects comuni in an archive of comuni (the cadastre's bulk download); "+
			source+" is not one, and the comune a new layer belongs to is the one of the URL (/c/{comune}/admin/…)")
	}
	guard := s.guard(sc)
	for _, t := range plan.Targets() {
		var ex *layers.Layer
		if l, ok := s.opt.Catalog.Layer(t.Layer); ok {
			ex = &l
		}
		if err := guard(t.Layer, ex); err != nil {
			plan.Close()
			return jobDoc{Source: source}, err
		}
	}
	plan.Guard(guard)
	jb := &job{id: id, dir: dir, plan: plan, who: sc.p, comune: sc.newLayerComune()}
	doc, err := s.jobs.start(r.Context(), jb, source, size)
	if err != nil {
		plan.Close()
		return jobDoc{Source: source}, err
	}
	started = true
	return doc, nil
}

// guard is the upload's write permission, checked before the job starts
// and again under the import's lock: a new layer needs an administrator of
// the comune it will belong to; an existing one, an administrator of its
// comune or an editor given it. A name another comune holds is "taken",
// without saying whose.
func (s *Service) guard(sc scope) func(string, *layers.Layer) error {
	return func(name string, ex *layers.Layer) error {
		if ex == nil {
			if !sc.p.Administers(sc.newLayerComune()) {
				return forbidden(fmt.Sprintf("layer %s does not exist, and only an administrator creates layers", name))
			}
			return nil
		}
		if !sc.sees(*ex) {
			p := httpx.New(http.StatusConflict, fmt.Sprintf("the layer name %s is taken: choose another (field layer)", name))
			p.Parameter = "layer"
			return p
		}
		if !sc.mayEdit(*ex) {
			return forbidden(fmt.Sprintf("you may not import into layer %s", name))
		}
		return nil
	}
}
