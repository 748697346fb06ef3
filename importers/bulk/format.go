package bulk

import (
	"archive/zip"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/sit-gis/sit/domain"
	"github.com/sit-gis/sit/importers"
	"github.com/sit-gis/sit/importers/catasto"
	"github.com/sit-gis/sit/layers"
)

// Formats is the archive reader. inner opens the other files an archive
// holds (GeoJSON, GeoPackage, CSV, zipped shapefiles or CXF sheets): it is
// the registry without this format. It comes before the readers that take
// other zips (CXF, shapefile) and claims only the zips that are neither.
func Formats(inner *importers.Registry) []importers.Format {
	return []importers.Format{{
		Name: "archive", Exts: []string{".zip"}, Claims: claims,
		Open: func(p string, opt importers.Options) (*importers.Source, error) { return open(p, opt, inner) },
	}}
}

// claims takes a zip that holds, at its top level or in a zip right
// inside it, no shapefile and no CXF sheet (those are the CXF and
// shapefile readers'): the bulk download (zips of zips, GML) and zips of
// other files. Nested zips are looked into only when that costs little:
// stored ones in place, compressed ones of at most 64 MiB.
func claims(p string, _ []byte) bool {
	f, err := os.Open(p)
	if err != nil {
		return false
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return false
	}
	if checkWhole(f, st.Size()) != nil {
		return true // a damaged zip: the archive reader says what is wrong
	}
	zr, err := zip.NewReader(f, st.Size())
	if err != nil {
		return true
	}
	files := 0
	for _, zf := range zr.File {
		if zf.FileInfo().IsDir() || isJunk(zf.Name) {
			continue
		}
		files++
		if !strings.EqualFold(path.Ext(zf.Name), ".zip") {
			continue
		}
		a := &Archive{lim: Limits{MemberInMemory: 64 << 20, Memory: 64 << 20}}
		inner, _, release, err := a.nested(zf, f, zf.Name)
		if err != nil {
			continue // too large to look into, or damaged: the import will say
		}
		leaf := leafZip(inner)
		release()
		if leaf {
			return false
		}
	}
	return files > 0 && !leafZip(zr)
}

// gmlFields are the attributes of the AdE GML besides the canonical
// columns, declared text: their type must not change with the comuni a
// release reloads (a LABEL of digits only is still text).
var gmlFields = []layers.Field{
	{Name: "INSPIREID_LOCALID", Type: layers.TypeText}, {Name: "INSPIREID_NAMESPACE", Type: layers.TypeText},
	{Name: "LABEL", Type: layers.TypeText}, {Name: "LEVEL", Type: layers.TypeText}, {Name: "LEVELNAME", Type: layers.TypeText},
}

func open(p string, opt importers.Options, inner *importers.Registry) (*importers.Source, error) {
	sel := Selection{Comuni: opt.Comuni, Provinces: opt.Provinces}
	a, err := Open(p, DefaultLimits(), sel.descend)
	if err != nil {
		return nil, err
	}
	src := importers.NewSource(p, "archive")
	src.OnClose(a)
	if err := build(src, a, sel, opt, inner); err != nil {
		src.Close()
		return nil, err
	}
	return src, nil
}

// build makes the datasets of an opened archive: the parcels and the
// sheets of the bulk download, then the datasets of any other file.
func build(src *importers.Source, a *Archive, sel Selection, opt importers.Options, inner *importers.Registry) error {
	var all, picked []cadMember
	var others []*Member
	for _, m := range a.Members {
		c, ok := classify(m)
		if !ok {
			others = append(others, m)
			continue
		}
		all = append(all, c)
		if sel.wants(c) {
			picked = append(picked, c)
		}
	}
	name := filepath.Base(a.Path)
	if err := sel.check(name, all, a.Skipped); err != nil {
		return err
	}
	for _, ds := range []string{DatasetParcels, DatasetSheets} {
		d, err := dataset(src, ds, picked, opt)
		if err != nil {
			return err
		}
		if d != nil {
			src.Datasets = append(src.Datasets, *d)
		}
	}
	if len(others) > 0 && sel.empty() {
		if err := openOthers(src, others, opt, inner); err != nil {
			return err
		}
	}
	if len(src.Datasets) == 0 {
		return fmt.Errorf("%s: nothing to import: the archive holds %s", name, describe(a))
	}
	src.Together = true
	src.Released = released(a.Path, picked)
	return nil
}

// dataset is the parcels or the sheets of the picked members, nil if none.
func dataset(src *importers.Source, ds string, picked []cadMember, opt importers.Options) (*importers.Dataset, error) {
	var ms []cadMember
	seen := map[string]string{}
	for _, c := range picked {
		if c.Dataset != ds {
			continue
		}
		if prev, dup := seen[c.Belfiore]; dup {
			return nil, fmt.Errorf("%s and %s: two files of comune %s in one archive: import them apart", prev, c.Path, c.Belfiore)
		}
		seen[c.Belfiore] = c.Path
		ms = append(ms, c)
	}
	if len(ms) == 0 {
		return nil, nil
	}
	fileSRID, err := headSRID(ms[0].Member)
	if err != nil {
		return nil, err
	}
	srid := fileSRID
	if opt.SRID != 0 {
		srid = opt.SRID
	}
	local, role := "CadastralParcel", domain.RoleCadastre
	if ds == DatasetSheets {
		local, role = "CadastralZoning", domain.RoleSheets
	}
	parted := &importers.Parted{Column: "comune"}
	var size int64
	for _, c := range ms {
		m := c.Member
		parted.Parts = append(parted.Parts, importers.Part{Key: c.Belfiore, Label: c.Belfiore + " " + c.Name, Path: c.Path,
			Size: c.Size, CRC32: c.CRC32, Modified: c.Modified, Sum: func() (string, error) { return sumMember(m) }})
		size += c.Size
	}
	parted.Open = func(keys []string) (importers.PartReader, error) {
		var specs []memberSpec
		for _, c := range ms {
			if keys == nil || contains(keys, c.Belfiore) {
				specs = append(specs, memberSpec{m: c, local: local, srid: srid, forced: opt.SRID != 0})
			}
		}
		return newPartReader(specs, src.Meter), nil
	}
	info := importers.Info{Name: ds, SRID: srid, FileSRID: fileSRID, Fields: gmlFields, GeometryType: "MultiPolygon",
		Count: -1, Size: size, Kind: layers.KindCadastral, Roles: []string{role}}
	return &importers.Dataset{Info: info, Parted: parted, Open: func() (layers.FeatureReader, error) { return parted.Open(nil) }}, nil
}

func contains(keys []string, k string) bool {
	for _, x := range keys {
		if x == k {
			return true
		}
	}
	return false
}

// headSRID reads the CRS the first member declares.
func headSRID(m *Member) (int, error) {
	rc, err := m.Open()
	if err != nil {
		return 0, err
	}
	defer rc.Close()
	head := make([]byte, 64<<10)
	n, err := io.ReadFull(rc, head)
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return 0, fmt.Errorf("%s: damaged member (%v): the archive is corrupt or truncated", m.Path, err)
	}
	return catasto.GMLSRID(head[:n]), nil
}

// released is when the picked members were published: the release of a
// manifest.json beside the archive (or one folder up, as sit gen writes
// it), else the newest date the zips give the members.
func released(archive string, picked []cadMember) time.Time {
	for _, dir := range []string{filepath.Dir(archive), filepath.Dir(filepath.Dir(archive))} {
		b, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
		if err != nil {
			continue
		}
		var m struct {
			Release string `json:"release"`
		}
		if json.Unmarshal(b, &m) == nil {
			if t, err := time.Parse(time.DateOnly, m.Release); err == nil {
				return t
			}
		}
	}
	var newest time.Time
	for _, c := range picked {
		if c.Modified.After(newest) {
			newest = c.Modified
		}
	}
	if newest.IsZero() {
		return newest
	}
	y, mo, d := newest.Date()
	return time.Date(y, mo, d, 0, 0, 0, 0, time.UTC)
}

// describe lists what an archive holds, for a refusal.
func describe(a *Archive) string {
	var names []string
	for _, m := range a.Members {
		names = append(names, m.Path)
	}
	for _, s := range a.Skipped {
		names = append(names, s+" (not selected)")
	}
	if len(names) == 0 {
		return "no files"
	}
	return listSome(names)
}
