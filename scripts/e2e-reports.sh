#!/usr/bin/env bash
# End-to-end checks of the parcel lookup, the zoning report and the
# broadband analytics against a live `sit serve` on the demo data:
# every reference spelling finds foglio 37 particella 125; the PDF report
# renders with pdftoppm into a page that has ink in the map box and the
# table text (pdftotext); the AGCOM figures for Lucca equal the published
# CSVs; problems are problem+json naming the parameter.
# Runs against the shared fixture of scripts/lib/e2e.sh (the demo data, whose
# 50 000 parcels include foglio 37 particella 125, and one `sit serve`), by
# scripts/e2e.sh or alone (it then builds the fixture). A missing tool skips
# the script locally and fails it when CI=true.
set -euo pipefail
. "$(dirname "$0")/lib/e2e.sh"
e2e_init reports
e2e_need pdftoppm pdftotext pdfinfo
e2e_fixture

# 1. Every spelling of the reference finds the same parcel.
for q in "foglio 37 particella 125" "F.37 p.125" "fg 37 part 125" "37/125" "37-125" "E715_003700.125"; do
  id=$(curl -sG "$base/parcels/search" --data-urlencode "q=$q" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(",".join(f["id"] for f in d.get("features", [])) or d.get("detail", ""))')
  [ "$id" = "E715_003700.125" ] || fail "search '$q' found '$id'"
done
ok "six spellings of foglio 37 particella 125 find E715_003700.125"

# 2. A point inside the parcel finds it; a point between parcels (a road) is a 404 problem.
read -r lon lat < <(curl -sf "$base/parcels/E715_003700.125" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(*d["properties"]["centroid"])')
id=$(curl -sf "$base/parcels/at?lon=$lon&lat=$lat" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
[ "$id" = "E715_003700.125" ] || fail "/parcels/at found $id"
read -r rlon rlat < <(curl -sf "$base/parcels/E715_003700.125" | python3 -c 'import json,sys; b=json.load(sys.stdin)["bbox"]; print(b[0]-0.00003, (b[1]+b[3])/2)')
status=$(curl -s -o "$work/road.json" -w '%{http_code} %{content_type}' "$base/parcels/at?lon=$rlon&lat=$rlat")
[ "$status" = "404 application/problem+json" ] || fail "a point on the road west of the parcel: $status $(cat "$work/road.json")"
ok "point in the parcel finds it, a point on the road is a 404 problem"

# 3. The PDF report: a page for each of two parcels, the table text, ink in the map.
curl -sf -o "$work/report.pdf" "$base/reports/zoning?parcel=E715_003700.125&parcel=37/131&f=pdf"
pages=$(pdfinfo "$work/report.pdf" | sed -n 's/^Pages: *//p')
# Each parcel starts its own page (the rules of the plans in force may add
# pages after it).
[ "${pages:-0}" -ge 2 ] || fail "the PDF has $pages pages, want at least 2 (one per parcel)"
pdftotext -layout -f 1 -l 1 "$work/report.pdf" "$work/page1.txt"
grep -q "Foglio 37 particella 125" "$work/page1.txt" || fail "page 1 is not parcel 125's"
second=""
for i in $(seq 2 "$pages"); do
  pdftotext -layout -f "$i" -l "$i" "$work/report.pdf" "$work/page$i.txt"
  if grep -q "Foglio 37 particella 131" "$work/page$i.txt"; then second=$i; break; fi
done
[ -n "$second" ] || fail "no page of the PDF is parcel 131's"
pdftotext -layout "$work/report.pdf" "$work/report.txt"
for want in "Comune di Lucca" "Foglio 37 particella 125" "Zone urbanistiche" "Vincoli" "Legenda" "Fonti dei dati" "certificato di destinazione urbanistica"; do
  grep -q "$want" "$work/report.txt" || fail "the PDF text lacks '$want'"
done
pdftoppm -png -r 60 -f 1 -l 1 "$work/report.pdf" "$work/page"
pdftoppm -gray -r 60 -f 1 -l 1 "$work/report.pdf" "$work/gray"
python3 - "$work"/gray-1.pgm <<'PY' || { mkdir -p artifacts/e2e-reports; cp "$work/report.pdf" "$work/page-1.png" artifacts/e2e-reports/; fail "the map box of the PDF page is blank (artifacts/e2e-reports/)"; }
import sys
data = open(sys.argv[1], "rb").read()
# binary PGM: P5\n<w> <h>\n<max>\n<pixels>
parts = data.split(b"\n", 3)
w, h = map(int, parts[1].split())
px = parts[3]
# The map sits at 14 mm from the left, about 33 mm from the top, 82 mm wide (A4: 210 × 297 mm).
x0, y0, side = int(w * 16 / 210), int(h * 36 / 297), int(w * 78 / 210)
ink = sum(1 for y in range(y0, y0 + side) for x in range(x0, x0 + side) if px[y * w + x] < 235)
share = ink / (side * side)
print(f"map box ink: {share:.0%}", file=sys.stderr)
sys.exit(0 if share > 0.3 else 1)
PY
ok "PDF report: $pages pages, parcel 125 on page 1 and 131 from page $second, table text, a drawn map (pdftoppm)"

# 4. AGCOM: Lucca's figures equal the published CSVs, both snapshots.
curl -sf "$base/analytics/agcom?snapshot=2025-06-30&compare=2025-03-31" | python3 -c '
import json, sys
d = json.load(sys.stdin)
p = next(f["properties"] for f in d["features"] if f["id"] == 46017)
want = {"indirizzi": 461446, "indirizzi_ftth": 86636, "famiglie": 39213, "famiglie_ftth": 20904, "indirizzi_ftth_compare": 80194}
bad = {k: (p.get(k), v) for k, v in want.items() if p.get(k) != v}
sys.exit("Lucca: " + repr(bad) if bad else 0)' || fail "AGCOM figures of Lucca"
ok "AGCOM: Lucca FTTH addresses 80194 → 86636, households 39213 / 20904"

# 5. Broadband by zone as CSV, and problems naming the parameter.
curl -sf "$base/analytics/broadband?zones=lucca_aree&compare=2025-03-31&f=csv" >"$work/bb.csv"
[ "$(wc -l <"$work/bb.csv")" -ge 4 ] || fail "broadband CSV too short"
for probe in "analytics/broadband?zones=nope zones" "analytics/broadband?zones=lucca_aree&snapshot=2025-13-01 snapshot" \
  "reports/zoning?parcel=hello parcel" "parcels/at?lon=x&lat=1 lon"; do
  set -- $probe
  got=$(curl -s "$base/$1" | python3 -c 'import json,sys; print(json.load(sys.stdin).get("parameter",""))')
  [ "$got" = "$2" ] || fail "/$1 names '$got', want '$2'"
done
ok "broadband CSV; problems name their parameter"
