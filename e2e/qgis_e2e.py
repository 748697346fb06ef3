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
"""
import json
import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from qgis.core import (  # noqa: E402  (QT_QPA_PLATFORM must be set first)
    QgsApplication,
    QgsFeatureRequest,
    QgsNetworkAccessManager,
    QgsRectangle,
    QgsVectorLayer,
)


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
