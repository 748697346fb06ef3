// Package crs holds what SIT knows about coordinate reference systems: how
// CRSs are named (EPSG codes, OGC URIs and URNs, CRS84), how to recognise
// the CRSs used in Italy in WKT (.prj files, GeoPackage definitions), how a
// user names a source CRS (an EPSG code or a PROJ string), and where Italy
// is. It does no transformation: PostGIS does that.
package crs
