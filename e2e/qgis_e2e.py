"""QGIS (Debian 12: 3.22) against a live sit server, headless.

Run by scripts/e2e-qgis.sh with Debian's python3 (python3-qgis) and
QT_QPA_PLATFORM=offscreen. Every HTTP request QGIS sends is seen through
QgsNetworkAccessManager.setRequestPreprocessor and counted. Prints one JSON
document with what QGIS did; the script compares it with PostGIS.

  qgis_e2e.py oapif BASE LAYER MINX MINY MAXX MAXY FIELD VALUE
      An OGC API Features layer as the QGIS dialog makes it with "Only request
      features overlapping the view extent" ticked (restrictToRequestBBOX='1'):
      the features of a small view, then of the view under a filter on FIELD
      (QGIS 3.22 evaluates subset strings itself), with the requests sent.

  qgis_e2e.py tiles STYLE_URL TILE_URL ZMIN ZMAX OUT.png SAMPLES.json
      A vector tile layer with the server's MapLibre style (the URI QGIS's
      "Vector Tiles" connection makes), rendered to OUT.png over a white map;
      SAMPLES.json lists {"name", "lon", "lat"} points whose pixel colours are
      reported, with the style converter's warnings.
"""
import json
import math
import os
import sys
import urllib.parse
import urllib.request

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from qgis.core import (  # noqa: E402  (QT_QPA_PLATFORM must be set first)
    QgsApplication,
    QgsCoordinateReferenceSystem,
    QgsFeatureRequest,
    QgsMapBoxGlStyleConversionContext,
    QgsMapBoxGlStyleConverter,
    QgsMapRendererParallelJob,
    QgsMapSettings,
    QgsNetworkAccessManager,
    QgsPointXY,
    QgsRectangle,
    QgsVectorLayer,
    QgsVectorTileLayer,
)
from qgis.PyQt.QtCore import QEventLoop, QSize  # noqa: E402
from qgis.PyQt.QtGui import QColor  # noqa: E402

HALF = 20037508.342789244


def mercator(lon, lat):
    return lon * HALF / 180, math.log(math.tan((90 + lat) * math.pi / 360)) * 6378137


def oapif(base, layer, minx, miny, maxx, maxy, field, value, sent):
    uri = "url='%s' typename='%s' restrictToRequestBBOX='1'" % (base, layer)
    lyr = QgsVectorLayer(uri, layer, "OAPIF")
    if not lyr.isValid():
        raise SystemExit("QGIS cannot open %s as an OAPIF layer" % uri)
    count = lyr.featureCount()  # from numberMatched; with a subset string QGIS would page to count
    opened = list(sent)
    view = QgsFeatureRequest().setFilterRect(QgsRectangle(minx, miny, maxx, maxy))
    del sent[:]
    n = sum(1 for _ in lyr.getFeatures(view))
    in_view = list(sent)
    if not lyr.setSubsetString("\"%s\" = '%s'" % (field, value.replace("'", "''"))):
        raise SystemExit("QGIS refuses the subset string on %s" % field)
    del sent[:]
    m = sum(1 for _ in lyr.getFeatures(view))
    return {"uri": uri, "featureCount": count, "openRequests": opened,
            "view": {"features": n, "requests": in_view},
            "filtered": {"features": m, "requests": list(sent)}}


def render(layer, extent, width, height):
    ms = QgsMapSettings()
    ms.setLayers([layer])
    ms.setDestinationCrs(QgsCoordinateReferenceSystem("EPSG:3857"))
    ms.setExtent(extent)
    ms.setOutputSize(QSize(width, height))
    ms.setBackgroundColor(QColor("#ffffff"))
    job = QgsMapRendererParallelJob(ms)
    loop = QEventLoop()
    job.finished.connect(loop.quit)
    job.start()
    loop.exec_()
    return job.renderedImage(), ms


def tiles(style_url, tile_url, zmin, zmax, out, samples_path, sent):
    with open(samples_path) as f:
        samples = json.load(f)
    # The converter on its own, for its warnings (fonts, unsupported parts).
    conv = QgsMapBoxGlStyleConverter()
    with urllib.request.urlopen(style_url) as r:
        conv.convert(json.load(r), QgsMapBoxGlStyleConversionContext())
    uri = "type=xyz&url=%s&zmin=%d&zmax=%d&styleUrl=%s" % (
        urllib.parse.quote(tile_url, safe=":/{}"), zmin, zmax, urllib.parse.quote(style_url, safe=":/"))
    lyr = QgsVectorTileLayer(uri, "sit")
    if not lyr.isValid():
        raise SystemExit("QGIS cannot open %s as a vector tile layer" % uri)
    err, ok = lyr.loadDefaultStyle()
    if not ok:
        raise SystemExit("QGIS cannot load the style %s: %s" % (style_url, err))
    # One view around the samples at tile zoom 11 (a continuous zoom of
    # 11.9: QGIS 3.22 takes the tiles a zoom below): the zoning is drawn, the
    # layers that start at z12 and later (points, parcels) are not.
    xs, ys = zip(*(mercator(s["lon"], s["lat"]) for s in samples))
    res = 2 * HALF / 256 / 2 ** 11.9  # metres per pixel
    pad = 40 * res
    extent = QgsRectangle(min(xs) - pad, min(ys) - pad, max(xs) + pad, max(ys) + pad)
    width, height = int(extent.width() / res), int(extent.height() / res)
    del sent[:]
    img, ms = render(lyr, extent, width, height)
    img.save(out)
    m2p = ms.mapToPixel()
    colors = {}
    for s in samples:
        x, y = mercator(s["lon"], s["lat"])
        p = m2p.transform(QgsPointXY(x, y))
        c = img.pixelColor(int(round(p.x())), int(round(p.y())))
        colors[s["name"]] = c.name()
    zooms = sorted({int(u.split("/tiles/WebMercatorQuad/")[1].split("/")[0]) for u in sent if "/tiles/WebMercatorQuad/" in u})
    return {"uri": uri, "warnings": conv.warnings(), "colors": colors, "tileZooms": zooms,
            "tileRequests": sum(1 for u in sent if "/tiles/" in u), "size": [width, height]}


def main(argv):
    app = QgsApplication([], False)
    app.setPrefixPath("/usr", True)
    app.initQgis()
    sent = []
    QgsNetworkAccessManager.setRequestPreprocessor(lambda req: sent.append(req.url().toString()))
    try:
        if argv[1:2] == ["oapif"] and len(argv) == 10:
            base, layer, minx, miny, maxx, maxy, field, value = argv[2:10]
            out = oapif(base, layer, float(minx), float(miny), float(maxx), float(maxy), field, value, sent)
        elif argv[1:2] == ["tiles"] and len(argv) == 8:
            style_url, tile_url, zmin, zmax, png, samples = argv[2:8]
            out = tiles(style_url, tile_url, int(zmin), int(zmax), png, samples, sent)
        else:
            raise SystemExit(__doc__)
        print(json.dumps(out, indent=1))
        code = 0
    except SystemExit as e:
        print("qgis_e2e.py: %s" % e, file=sys.stderr)
        code = 1
    sys.stdout.flush()
    sys.stderr.flush()
    # QGIS 3.22 may crash while tearing down after a headless run: leave at once.
    os._exit(code)


if __name__ == "__main__":
    main(sys.argv)
