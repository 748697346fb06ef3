package crs

import (
	"fmt"
	"testing"
)

// The .prj texts below are as ArcGIS, QGIS/GDAL (OGC WKT 1, morphed to
// ESRI or not) and PROJ (WKT 2, GeoPackage definitions) write them.
func TestFromWKT(t *testing.T) {
	const (
		esriGCSMonteMario = `GEOGCS["GCS_Monte_Mario",DATUM["D_Monte_Mario",SPHEROID["International_1924",6378388.0,297.0]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]`
		esriGCSRDN2008    = `GEOGCS["GCS_RDN2008",DATUM["D_Rete_Dinamica_Nazionale_2008",SPHEROID["GRS_1980",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]`
		esriGCSETRS89     = `GEOGCS["GCS_ETRS_1989",DATUM["D_ETRS_1989",SPHEROID["GRS_1980",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]`
		esriGCSWGS84      = `GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]`
		esriGCSED50       = `GEOGCS["GCS_European_1950",DATUM["D_European_1950",SPHEROID["International_1924",6378388.0,297.0]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]`
		utmParams         = `PROJECTION["Transverse_Mercator"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",%s],PARAMETER["Scale_Factor",0.9996],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]`
	)
	utm := func(name, gcs, cm string) string {
		return `PROJCS["` + name + `",` + gcs + `,` + fmt.Sprintf(utmParams, cm)
	}
	cases := []struct {
		name string
		wkt  string
		want int // 0 = not recognised
	}{
		{"ESRI Gauss-Boaga Ovest", prjGaussBoagaOvest, 3003},
		{"ESRI Gauss-Boaga Est", `PROJCS["Monte_Mario_Italy_2",` + esriGCSMonteMario + `,PROJECTION["Transverse_Mercator"],PARAMETER["False_Easting",2520000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",15.0],PARAMETER["Scale_Factor",0.9996],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]`, 3004},
		{"OGC WKT with authority (GDAL)", `PROJCS["Monte Mario / Italy zone 1",GEOGCS["Monte Mario",DATUM["Monte_Mario",SPHEROID["International 1924",6378388,297,AUTHORITY["EPSG","7022"]],TOWGS84[-104.1,-49.1,-9.9,0.971,-2.917,0.714,-11.68],AUTHORITY["EPSG","6265"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AUTHORITY["EPSG","4265"]],PROJECTION["Transverse_Mercator"],PARAMETER["latitude_of_origin",0],PARAMETER["central_meridian",9],PARAMETER["scale_factor",0.9996],PARAMETER["false_easting",1500000],PARAMETER["false_northing",0],UNIT["metre",1,AUTHORITY["EPSG","9001"]],AXIS["Easting",EAST],AXIS["Northing",NORTH],AUTHORITY["EPSG","3003"]]`, 3003},
		{"OGC name without authority", `PROJCS["Monte Mario / Italy zone 2",GEOGCS["Monte Mario",DATUM["Monte_Mario",SPHEROID["International 1924",6378388,297]],PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["latitude_of_origin",0],PARAMETER["central_meridian",15],PARAMETER["scale_factor",0.9996],PARAMETER["false_easting",2520000],PARAMETER["false_northing",0],UNIT["metre",1]]`, 3004},
		{"Rome meridian Gauss-Boaga by name", `PROJCS["Monte_Mario_Rome_Italy_1",GEOGCS["GCS_Monte_Mario_Rome",DATUM["D_Monte_Mario",SPHEROID["International_1924",6378388.0,297.0]],PRIMEM["Rome",12.45233333333333],UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["False_Easting",1500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",-3.45233333333333],PARAMETER["Scale_Factor",0.9996],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]`, 3003},
		{"Rome meridian Gauss-Boaga by parameters", `PROJCS["Gauss Boaga Fuso Ovest (Roma40)",GEOGCS["Roma40",DATUM["D_Monte_Mario",SPHEROID["International_1924",6378388.0,297.0]],PRIMEM["Rome",12.45233333333333],UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["False_Easting",1500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",-3.45233333333333],PARAMETER["Scale_Factor",0.9996],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]`, 3003},
		{"ESRI RDN2008 UTM 32N is the east-north code", utm("RDN2008_UTM_Zone_32N", esriGCSRDN2008, "9.0"), 7791},
		{"ESRI RDN2008 UTM 33N", utm("RDN2008_UTM_Zone_33N", esriGCSRDN2008, "15.0"), 7792},
		{"OGC RDN2008 (N-E) name", `PROJCS["RDN2008 / UTM zone 32N (N-E)",GEOGCS["RDN2008",DATUM["Rete_Dinamica_Nazionale_2008",SPHEROID["GRS 1980",6378137,298.257222101]],PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["latitude_of_origin",0],PARAMETER["central_meridian",9],PARAMETER["scale_factor",0.9996],PARAMETER["false_easting",500000],PARAMETER["false_northing",0],UNIT["metre",1],AXIS["Northing",NORTH],AXIS["Easting",EAST]]`, 6707},
		{"OGC RDN2008 with EPSG 6707", `PROJCS["RDN2008 / UTM zone 32N (N-E)",GEOGCS["RDN2008",DATUM["Rete_Dinamica_Nazionale_2008",SPHEROID["GRS 1980",6378137,298.257222101,AUTHORITY["EPSG","7019"]],AUTHORITY["EPSG","1132"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AUTHORITY["EPSG","6706"]],PROJECTION["Transverse_Mercator"],PARAMETER["latitude_of_origin",0],PARAMETER["central_meridian",9],PARAMETER["scale_factor",0.9996],PARAMETER["false_easting",500000],PARAMETER["false_northing",0],UNIT["metre",1,AUTHORITY["EPSG","9001"]],AXIS["Northing",NORTH],AXIS["Easting",EAST],AUTHORITY["EPSG","6707"]]`, 6707},
		{"RDN2008 by parameters, northing-first axes", `PROJCS["unnamed",GEOGCS["RDN2008",DATUM["Rete_Dinamica_Nazionale_2008",SPHEROID["GRS 1980",6378137,298.257222101]],PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["latitude_of_origin",0],PARAMETER["central_meridian",9],PARAMETER["scale_factor",0.9996],PARAMETER["false_easting",500000],PARAMETER["false_northing",0],UNIT["metre",1],AXIS["Northing",NORTH],AXIS["Easting",EAST]]`, 6707},
		{"RDN2008 by parameters", utm("Trasverso_di_Mercatore", esriGCSRDN2008, "9.0"), 7791},
		{"WKT2 RDN2008 UTM 32N (PROJ)", `PROJCRS["RDN2008 / UTM zone 32N",BASEGEOGCRS["RDN2008",DATUM["Rete Dinamica Nazionale 2008",ELLIPSOID["GRS 1980",6378137,298.257222101,LENGTHUNIT["metre",1]]],PRIMEM["Greenwich",0,ANGLEUNIT["degree",0.0174532925199433]],ID["EPSG",6706]],CONVERSION["UTM zone 32N",METHOD["Transverse Mercator",ID["EPSG",9807]],PARAMETER["Latitude of natural origin",0,ANGLEUNIT["degree",0.0174532925199433],ID["EPSG",8801]],PARAMETER["Longitude of natural origin",9,ANGLEUNIT["degree",0.0174532925199433],ID["EPSG",8802]],PARAMETER["Scale factor at natural origin",0.9996,SCALEUNIT["unity",1],ID["EPSG",8805]],PARAMETER["False easting",500000,LENGTHUNIT["metre",1],ID["EPSG",8806]],PARAMETER["False northing",0,LENGTHUNIT["metre",1],ID["EPSG",8807]]],CS[Cartesian,2],AXIS["easting (E)",east,ORDER[1],LENGTHUNIT["metre",1]],AXIS["northing (N)",north,ORDER[2],LENGTHUNIT["metre",1]],USAGE[SCOPE["Engineering survey, topographic mapping."],AREA["Italy - onshore and offshore west of 12°E."],BBOX[36.53,5.93,47.04,12]],ID["EPSG",7791]]`, 7791},
		{"WKT2 without ID, by parameters", `PROJCRS["UTM 32 su RDN2008",BASEGEOGCRS["RDN2008",DATUM["Rete Dinamica Nazionale 2008",ELLIPSOID["GRS 1980",6378137,298.257222101,LENGTHUNIT["metre",1]]],PRIMEM["Greenwich",0,ANGLEUNIT["degree",0.0174532925199433]]],CONVERSION["UTM zone 32N",METHOD["Transverse Mercator"],PARAMETER["Latitude of natural origin",0,ANGLEUNIT["degree",0.0174532925199433]],PARAMETER["Longitude of natural origin",9,ANGLEUNIT["degree",0.0174532925199433]],PARAMETER["Scale factor at natural origin",0.9996,SCALEUNIT["unity",1]],PARAMETER["False easting",500000,LENGTHUNIT["metre",1]],PARAMETER["False northing",0,LENGTHUNIT["metre",1]]],CS[Cartesian,2],AXIS["easting (E)",east,ORDER[1]],AXIS["northing (N)",north,ORDER[2]]]`, 7791},
		{"ESRI ETRS89 UTM 32N", utm("ETRS_1989_UTM_Zone_32N", esriGCSETRS89, "9.0"), 25832},
		{"ESRI ETRS89 UTM 33N", utm("ETRS_1989_UTM_Zone_33N", esriGCSETRS89, "15.0"), 25833},
		{"ESRI WGS84 UTM 32N", utm("WGS_1984_UTM_Zone_32N", esriGCSWGS84, "9.0"), 32632},
		{"ESRI WGS84 UTM 33N", utm("WGS_1984_UTM_Zone_33N", esriGCSWGS84, "15.0"), 32633},
		{"ESRI ED50 UTM 32N", utm("ED_1950_UTM_Zone_32N", esriGCSED50, "9.0"), 23032},
		{"ETRS89 UTM 32N by parameters only", utm("Custom", esriGCSETRS89, "9.0"), 25832},
		{"WGS84 UTM 33N by parameters only", utm("Custom", esriGCSWGS84, "15.0"), 32633},
		{"ESRI Web Mercator", `PROJCS["WGS_1984_Web_Mercator_Auxiliary_Sphere",` + esriGCSWGS84 + `,PROJECTION["Mercator_Auxiliary_Sphere"],PARAMETER["False_Easting",0.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",0.0],PARAMETER["Standard_Parallel_1",0.0],PARAMETER["Auxiliary_Sphere_Type",0.0],UNIT["Meter",1.0]]`, 3857},
		{"Web Mercator as a Mercator on a sphere", `PROJCS["unnamed",GEOGCS["unnamed",DATUM["unknown",SPHEROID["unnamed",6378137,0]],PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]],PROJECTION["Mercator_1SP"],PARAMETER["central_meridian",0],PARAMETER["scale_factor",1],PARAMETER["false_easting",0],PARAMETER["false_northing",0],UNIT["metre",1]]`, 3857},
		{"ESRI geographic WGS84", esriGCSWGS84, 4326},
		{"ESRI geographic ETRS89", esriGCSETRS89, 4258},
		{"ESRI geographic RDN2008", esriGCSRDN2008, 6706},
		{"ESRI geographic Monte Mario", esriGCSMonteMario, 4265},
		{"geographic by datum only", `GEOGCS["sconosciuto",DATUM["D_ETRS_1989",SPHEROID["GRS_1980",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]`, 4258},
		{"WKT2 geographic with ID", `GEOGCRS["RDN2008",DATUM["Rete Dinamica Nazionale 2008",ELLIPSOID["GRS 1980",6378137,298.257222101,LENGTHUNIT["metre",1]]],PRIMEM["Greenwich",0,ANGLEUNIT["degree",0.0174532925199433]],CS[ellipsoidal,2],AXIS["geodetic latitude (Lat)",north,ORDER[1]],AXIS["geodetic longitude (Lon)",east,ORDER[2]],ID["EPSG",6706]]`, 6706},
		{"WKT2 WGS 84 datum ensemble", `GEOGCRS["WGS 84 (custom)",ENSEMBLE["World Geodetic System 1984 ensemble",MEMBER["World Geodetic System 1984 (Transit)"],ELLIPSOID["WGS 84",6378137,298.257223563,LENGTHUNIT["metre",1]],ENSEMBLEACCURACY[2.0]],PRIMEM["Greenwich",0,ANGLEUNIT["degree",0.0174532925199433]],CS[ellipsoidal,2],AXIS["geodetic latitude (Lat)",north],AXIS["geodetic longitude (Lon)",east]]`, 4326},
		{"compound CRS with height", `COMPD_CS["Monte Mario / Italy zone 1 + Genova height",PROJCS["Monte Mario / Italy zone 1",` + esriGCSMonteMario + `,PROJECTION["Transverse_Mercator"],PARAMETER["latitude_of_origin",0],PARAMETER["central_meridian",9],PARAMETER["scale_factor",0.9996],PARAMETER["false_easting",1500000],PARAMETER["false_northing",0],UNIT["metre",1]],VERT_CS["Genova height",VERT_DATUM["Genova",2005],UNIT["metre",1]]]`, 3003},
		{"ESRI authority code for Web Mercator", `PROJCS["WGS 84 / Pseudo Mercator (ESRI)",` + esriGCSWGS84 + `,PROJECTION["Mercator_Auxiliary_Sphere"],UNIT["Meter",1.0],AUTHORITY["ESRI","102100"]]`, 3857},
		{"ETRS89 LAEA", `PROJCS["ETRS89-extended / LAEA Europe",GEOGCS["ETRS89",DATUM["European_Terrestrial_Reference_System_1989",SPHEROID["GRS 1980",6378137,298.257222101]],PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]],PROJECTION["Lambert_Azimuthal_Equal_Area"],PARAMETER["latitude_of_center",52],PARAMETER["longitude_of_center",10],PARAMETER["false_easting",4321000],PARAMETER["false_northing",3210000],UNIT["metre",1]]`, 3035},
		{"plain code", "EPSG:3003\n", 3003},
		{"UTF-8 BOM and whitespace", "\ufeff  " + prjGaussBoagaOvest + "\r\n", 3003},
		{"unknown projection", `PROJCS["RGF93_Lambert_93",GEOGCS["GCS_RGF_1993",DATUM["D_RGF_1993",SPHEROID["GRS_1980",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Lambert_Conformal_Conic"],PARAMETER["False_Easting",700000.0],PARAMETER["False_Northing",6600000.0],PARAMETER["Central_Meridian",3.0],PARAMETER["Standard_Parallel_1",49.0],PARAMETER["Standard_Parallel_2",44.0],PARAMETER["Latitude_Of_Origin",46.5],UNIT["Meter",1.0]]`, 0},
		{"UTM zone of an unknown datum", utm("Custom", `GEOGCS["GCS_Tokyo",DATUM["D_Tokyo",SPHEROID["Bessel_1841",6377397.155,299.1528128]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]`, "9.0"), 0},
		{"empty", "", 0},
		{"garbage", "this is not WKT [[", 0},
		{"unbalanced brackets", `PROJCS["Monte_Mario_Italy_1",GEOGCS["GCS_Monte_Mario"`, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := FromWKT(tc.wkt)
			if ok != (tc.want != 0) || got != tc.want {
				t.Errorf("FromWKT = %d, %v; want %d", got, ok, tc.want)
			}
		})
	}
}

// prjGaussBoagaOvest is the .prj ArcGIS writes for EPSG:3003.
const prjGaussBoagaOvest = `PROJCS["Monte_Mario_Italy_1",GEOGCS["GCS_Monte_Mario",DATUM["D_Monte_Mario",SPHEROID["International_1924",6378388.0,297.0]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["False_Easting",1500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",9.0],PARAMETER["Scale_Factor",0.9996],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]`
