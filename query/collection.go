package query

import (
	"time"

	"github.com/sit-gis/sit/layers"
)

// CollectionDoc describes one collection (one catalog layer).
type CollectionDoc struct {
	ID          string   `json:"id"`
	Title       string   `json:"title"`
	Description string   `json:"description,omitempty"`
	Attribution string   `json:"attribution,omitempty"`
	ItemType    string   `json:"itemType"`
	Kind        string   `json:"kind,omitempty"`
	Extent      *Extent  `json:"extent,omitempty"`
	CRS         []string `json:"crs"`
	StorageCRS  string   `json:"storageCrs,omitempty"`
	Links       []Link   `json:"links"`
}

// Extent is the spatial and temporal extent of a collection.
type Extent struct {
	Spatial  *SpatialExtent  `json:"spatial,omitempty"`
	Temporal *TemporalExtent `json:"temporal,omitempty"`
}

// SpatialExtent is a CRS84 bounding box.
type SpatialExtent struct {
	BBox [][4]float64 `json:"bbox"`
	CRS  string       `json:"crs"`
}

// TemporalExtent is an interval (nil ends are open).
type TemporalExtent struct {
	Interval [][2]*string `json:"interval"`
	TRS      string       `json:"trs"`
}

func (s *Service) collectionDoc(base string, l layers.Layer, f format) CollectionDoc {
	path := base + "/collections/" + escapePath(l.Name)
	self, alt := Link{Href: path + "?f=json", Rel: "self", Type: mtJSON, Title: "this collection"},
		Link{Href: path + "?f=html", Rel: "alternate", Type: mtHTML, Title: "this collection as HTML"}
	if f == formatHTML {
		self.Rel, alt.Rel = "alternate", "self"
	}
	doc := CollectionDoc{
		ID: l.Name, Title: l.Title, Description: l.Description, Attribution: l.Attribution,
		ItemType: "feature", Kind: string(l.Kind), CRS: CRSURIs(), StorageCRS: storageCRS(l.SRID()),
		Links: []Link{self, alt,
			{Href: path + "/items?f=json", Rel: "items", Type: mtGeoJSON, Title: "the features of " + l.Title},
			{Href: path + "/items?f=html", Rel: "items", Type: mtHTML, Title: "the features of " + l.Title + " as HTML"},
			{Href: path + "/queryables", Rel: "http://www.opengis.net/def/rel/ogc/1.0/queryables", Type: mtSchema, Title: "the properties to filter on"},
		},
	}
	if doc.Title == "" {
		doc.Title = l.Name
	}
	if s.opt.CollectionLinks != nil {
		for _, lk := range s.opt.CollectionLinks(base, l) {
			doc.Links = append(doc.Links, lk)
		}
	}
	ext := &Extent{}
	if l.Extent != nil {
		ext.Spatial = &SpatialExtent{BBox: [][4]float64{*l.Extent}, CRS: CRS84.URI}
	}
	if l.TemporalExtent != nil {
		a := l.TemporalExtent[0].UTC().Format(time.RFC3339)
		b := l.TemporalExtent[1].UTC().Format(time.RFC3339)
		ext.Temporal = &TemporalExtent{Interval: [][2]*string{{&a, &b}}, TRS: "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian"}
	}
	if ext.Spatial != nil || ext.Temporal != nil {
		doc.Extent = ext
	}
	return doc
}

// collectionPage is what the collection's HTML page shows.
type collectionPage struct {
	Doc        CollectionDoc
	Queryables Queryables
	Synthetic  bool
	Features   int64
	// Extent and Time are the extents written for people; MapHref the
	// viewer framed on the collection.
	Extent, Time string
	MapHref      string
}
