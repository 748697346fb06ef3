#!/usr/bin/env bash
# End-to-end check of issue 17 (the zoning certificate) on a cluster of its
# own with small data made here, through the real binary and a live
# `sit serve`: each "Done when" item of the issue is one numbered check.
#   1. zoning v1 (B1 30 % of 37/125, valid from 2024-01-01), then v2 (B1
#      60 %, from 2025-01-01): at=2024-06-30 shows v1, now shows v2; both
#      the same after a third import (B1 90 %, from 2025-06-01).
#   2. parcel 37/126 under an adopted variant: both instruments, their acts
#      and zones.
#   3. the report quotes the articles' text.
#   4. /reports/uses: admitted, excluded, conditional, citing the article.
#   5. a certificate issued (CLI and HTTP with an editor's token) verifies
#      to the same content after the layers changed; the register lists it
#      with its protocol; the PDF says what the office prints.
# Needs PostgreSQL with PostGIS (sit db up), curl, python3, pdftotext: locally a missing
# tool skips the script, under CI=true it fails it.
set -euo pipefail
. "$(dirname "$0")/lib/e2e.sh"
e2e_init cdu
e2e_need curl python3 pdftotext pdfinfo

e2e_sit_binary "$work/sit"
sit() { "$work/sit" --data-dir "$work/pg" --log-level warn "$@"; }
sit db up >/dev/null
e2e_on_exit "\"$work/sit\" --data-dir \"$work/pg\" --log-level warn db down >/dev/null 2>&1"

# The data: two parcels of foglio 37 near Lucca; the plan's zones (the
# B1/E1 boundary crosses 37/125 at 30, 60, 90 % of its width in v1, v2,
# v3); a variant adopted over 37/126 (zone B2v).
python3 - "$work" <<'PY'
import json, sys
d = sys.argv[1]
x0, y0, w = 10.5, 43.84, 0.0005
def rect(a, b, c, e):
    return {"type": "Polygon", "coordinates": [[[a, b], [c, b], [c, e], [a, e], [a, b]]]}
def fc(feats):
    return {"type": "FeatureCollection", "features": feats}
def f(props, geom):
    return {"type": "Feature", "properties": props, "geometry": geom}
parcels = [f({"comune": "E715", "foglio": "37", "particella": p, "allegato": "0", "sviluppo": "0", "ref": "E715_003700." + p},
             rect(x0 + i * 0.0006, y0, x0 + i * 0.0006 + w, y0 + w)) for i, p in enumerate(["125", "126"])]
json.dump(fc(parcels), open(d + "/catasto.geojson", "w"))
for v, split in [(1, 0.3), (2, 0.6), (3, 0.9)]:
    x = x0 + split * w
    json.dump(fc([
        f({"zone_code": "B1", "zone_class": "B", "description": "Zona B1 di completamento", "norm_ref": "Art. 12 NTA", "plan": "Piano Operativo"},
          rect(x0 - 0.001, y0 - 0.001, x, y0 + w + 0.001)),
        f({"zone_code": "E1", "zone_class": "E", "description": "Zona E1 agricola", "norm_ref": "Art. 26 NTA", "plan": "Piano Operativo"},
          rect(x, y0 - 0.001, x0 + 0.003, y0 + w + 0.001)),
    ]), open(d + "/po_v%d.geojson" % v, "w"))
json.dump(fc([f({"zone_code": "B2v", "zone_class": "B", "description": "Zona B2 di variante", "norm_ref": "Art. 3 NTA variante", "plan": "Variante 1"},
                rect(x0 + 0.0006 - 0.0001, y0 - 0.0001, x0 + 0.0006 + w + 0.0001, y0 + w + 0.0001))]), open(d + "/var_zone.geojson", "w"))
open(d + "/nta.md", "w").write("# NTA\n\n## Art. 12 – Zona B1 di completamento\nZone: B1\nNella zona B1 sono ammessi interventi di completamento edilizio.\n\n"
                                "## Art. 26 – Zona E1 agricola\nZone: E1\nLa zona E1 è destinata all'attività agricola.\n")
open(d + "/nta_var.md", "w").write("## Art. 3 – Zona B2 di variante\nZone: B2v\nNella zona B2v si applicano le misure di salvaguardia della variante.\n")
open(d + "/uses.csv", "w").write("zone_code,use,status,label,condition,article\n"
    "B1,residenziale,admitted,Residenza,,Art. 12\n"
    "B1,industriale,excluded,Industria,,Art. 12\n"
    "B1,commerciale.vicinato,conditional,Esercizi di vicinato,superficie di vendita fino a 250 m²,Art. 12 c. 3\n"
    "E1,residenziale,admitted,Residenza agricola,,Art. 26\n"
    "E1,industriale,excluded,Industria,,Art. 26\n"
    "E1,commerciale.vicinato,conditional,Esercizi di vicinato,solo vendita dei prodotti dell'azienda agricola,Art. 26 c. 2\n")
PY

sit import "$work/catasto.geojson" --layer catasto --kind cadastral --role cadastre --valid-from 2020-01-01 >/dev/null
sit import "$work/po_v1.geojson" --layer po_zone --kind zoning --valid-from 2024-01-01 >/dev/null
sit import "$work/var_zone.geojson" --layer var_zone --kind zoning --valid-from 2025-02-01 >/dev/null
sit plan add po --name "Piano Operativo" --kind PO >/dev/null
sit plan act po adoption --date 2019-03-10 --number 12 >/dev/null
sit plan act po approval --date 2019-11-20 --number 40 --publication "BURT n. 50 parte II" >/dev/null
sit plan attach po po_zone >/dev/null
sit plan add var1 --name "Variante 1 al Piano Operativo" --kind variant --parent po >/dev/null
sit plan act var1 adoption --date 2025-02-01 --number 7 >/dev/null
sit plan attach var1 var_zone >/dev/null
sit nta import po "$work/nta.md" >/dev/null
sit nta import var1 "$work/nta_var.md" >/dev/null
sit uses import po "$work/uses.csv" >/dev/null
sit import "$work/po_v2.geojson" --layer po_zone --kind zoning --replace --valid-from 2025-01-01 >/dev/null
sit token create --name e2e-office --role editor >"$work/token.txt"
token=$(grep -Eo '[A-Za-z0-9_.-]{30,}' "$work/token.txt" | head -1)
[ -n "$token" ] || fail "no token in: $(cat "$work/token.txt")"

# The background child opens the log itself: make it before polling it.
: >"$work/serve.log"
"$work/sit" --data-dir "$work/pg" --log-level info serve --addr 127.0.0.1:0 >"$work/serve.log" 2>&1 &
spid=$!
e2e_on_exit "kill $spid"
base=""
for _ in $(seq 1 600); do
  base=$(sed -n 's/.*msg=serving url=\(http:[^ ]*\)\/ .*/\1/p' "$work/serve.log" | head -1)
  [ -n "$base" ] && break
  kill -0 "$spid" 2>/dev/null || break
  sleep 0.1
done
[ -n "$base" ] || fail "the server did not start: $(cat "$work/serve.log")"

# b1 AT: "pct version" of zone B1 on 37/125 in the report at AT ("" now).
b1() {
  curl -sfG "$base/reports/zoning" --data-urlencode parcel=37/125 ${1:+--data-urlencode "at=$1"} |
    python3 -c 'import json,sys; r=json.load(sys.stdin); print(*[("%.0f" % p["pct"], p["plan_version"]) for p in r["parcels"][0]["zoning"] if p["zone_code"] == "B1"][0])'
}
check_dates() {
  [ "$(b1 2024-06-30)" = "30 1" ] || fail "$1: at=2024-06-30 B1 is $(b1 2024-06-30), want 30 % of v1"
  [ "$(b1 2025-03-01)" = "60 2" ] || fail "$1: at=2025-03-01 B1 is $(b1 2025-03-01), want 60 % of v2"
}
check_dates "after v2"
[ "$(b1 "")" = "60 2" ] || fail "now: B1 is $(b1 ""), want 60 % of v2"
ok "1a. at=2024-06-30 shows v1 (B1 30 %), now and at=2025-03-01 show v2 (B1 60 %)"

# 5 (issue): a certificate from the command line and one over HTTP, now (v2).
sit certificate issue 37/125 --public-url "$base" --protocol 2026/000123 --requester "Mario Rossi" --requester-id RSSMRA70A01E715X \
  --request-date 2026-01-10 --purpose "compravendita" --stamp-id 01201234567890 --stamp-amount 16 \
  --officer "Arch. Anna Bianchi" --officer-title "Il Responsabile del Servizio Urbanistica" -o "$work/cdu.pdf" 2>"$work/issue.txt"
code=$(grep -Eo '[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}' "$work/issue.txt" | head -1)
[ -n "$code" ] || fail "sit certificate issue: $(cat "$work/issue.txt")"
status=$(curl -s -o "$work/issued.json" -w '%{http_code}' -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
  -d '{"parcels": ["foglio 37 particella 126"], "protocol": "2026/000124", "requester": "Studio Verdi", "purpose": "successione",
       "stamp_exemption": "DPR 642/1972 all. B art. 5", "officer": "Arch. Anna Bianchi"}' "$base/certificates")
[ "$status" = 201 ] || fail "POST /certificates: $status $(cat "$work/issued.json")"
code2=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["code"])' "$work/issued.json")
status=$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' -d '{}' "$base/certificates")
[ "$status" = 401 ] || fail "POST /certificates without a token: $status"

# The third import: v3 (B1 90 %).
sit import "$work/po_v3.geojson" --layer po_zone --kind zoning --replace --valid-from 2025-06-01 >/dev/null
for _ in $(seq 1 300); do [ "$(b1 "")" = "90 3" ] && break; sleep 0.1; done
[ "$(b1 "")" = "90 3" ] || fail "after v3, now: B1 is $(b1 "")"
check_dates "after v3"
ok "1b. after a third import (B1 90 %) the same dates give the same answers"

# 2. The variant over 37/126: both instruments, their acts, the variant's zone.
curl -sfG "$base/reports/zoning" --data-urlencode parcel=37/126 -o "$work/r126.json"
python3 - "$work/r126.json" <<'PY' || fail "2. the report of 37/126: $(head -c 600 "$work/r126.json")"
import json, sys
r = json.load(open(sys.argv[1]))
ins = {i["code"]: i for i in r["instruments"]}
assert ins["po"]["status"] == "in_force" and ins["var1"]["status"] == "adopted", ins
assert any(a["kind"] == "approval" and a["number"] == "40" for a in ins["po"]["acts"]), ins["po"]["acts"]
assert any(a["kind"] == "adoption" and a["number"] == "7" for a in ins["var1"]["acts"]), ins["var1"]["acts"]
p = r["parcels"][0]
assert [z["zone_code"] for z in p["zoning"]] == ["E1"], p["zoning"]
assert [z["zone_code"] for z in p["adopted"]] == ["B2v"] and p["adopted"][0]["instrument"] == "var1", p["adopted"]
PY
ok "2. 37/126 shows the PO in force (E1) and the adopted variant (B2v), with their acts"

# 3. The articles' text, in JSON and in the HTML page.
python3 - "$work/r126.json" <<'PY' || fail "3. articles of 37/126"
import json, sys
r = json.load(open(sys.argv[1]))
bodies = " ".join(a["body"] for z in r["parcels"][0]["articles"] for a in z["articles"])
assert "attività agricola" in bodies and "misure di salvaguardia della variante" in bodies, bodies
PY
curl -sfG "$base/reports/zoning" --data-urlencode parcel=37/125 --data-urlencode f=html -o "$work/r125.html"
grep -q "interventi di completamento edilizio" "$work/r125.html" ||
  fail "3. the HTML report of 37/125 does not quote Art. 12"
ok "3. the report quotes Art. 26 and the variant's Art. 3 (JSON) and Art. 12 (HTML)"

# 4. The SUAP's question on 37/125 (B1 and E1 now): the parcel's answer and B1's row.
use() {
  curl -sfG "$base/reports/uses" --data-urlencode parcel=37/125 --data-urlencode "use=$1" |
    python3 -c 'import json,sys; r=json.load(sys.stdin); z=[z for z in r["zones"] if z["zone_code"]=="B1"][0]; print(r["answer"], z["status"], z["article"])'
}
a=$(use residenziale); [ "$a" = "yes admitted Art. 12" ] || fail "4. residenziale: $a"
b=$(use industriale); [ "$b" = "no excluded Art. 12" ] || fail "4. industriale: $b"
c=$(use commerciale.vicinato); [ "$c" = "conditional conditional Art. 12 c. 3" ] || fail "4. commerciale.vicinato: $c"
ok "4. /reports/uses on 37/125: residenziale '$a', industriale '$b', commerciale.vicinato '$c' (answer, B1's status and article)"

# 5 (verify): both certificates, after v3, verify to the content they were issued with.
for c in "$code" "$code2"; do
  curl -sf "$base/verify/$c?f=json" -o "$work/v.json"
  python3 - "$work/v.json" <<'PY' || fail "5. /verify/$c: $(head -c 800 "$work/v.json")"
import json, sys
v = json.load(open(sys.argv[1]))
assert v["pdf_intact"] and v["recomputed"] and v["pdf_rebuilt"], v.get("why")
PY
done
curl -sf "$base/verify/$code?f=json" | python3 -c 'import json,sys; v=json.load(sys.stdin); z=[p for p in v["content"]["parcels"][0]["zoning"] if p["zone_code"]=="B1"][0]; assert round(z["pct"]) == 60 and z["plan_version"] == 2, z' ||
  fail "5. the certificate issued on v2 no longer says B1 60 %"
curl -sf "$base/verify/$code" -o "$work/verify.html"
grep -q "identico byte per byte" "$work/verify.html" || fail "5. the verification page"
curl -sf "$base/verify/$code/pdf" -o "$work/served.pdf"
cmp -s "$work/served.pdf" "$work/cdu.pdf" || fail "5. /verify/$code/pdf is not the PDF handed over"
pdftotext -layout "$work/cdu.pdf" "$work/cdu.txt"
for want in "CERTIFICATO DI DESTINAZIONE URBANISTICA" "Prot. n. 2026/000123" "Mario Rossi" "Il Responsabile del Servizio Urbanistica" \
  "Arch. Anna Bianchi" "01201234567890" "$code" "interventi di completamento edilizio" "Piano Operativo"; do
  grep -q "$want" "$work/cdu.txt" || fail "5. the PDF lacks '$want'"
done
curl -sf -H "Authorization: Bearer $token" "$base/certificates?f=csv" -o "$work/register.csv"
grep -q "2026/000123" "$work/register.csv" && grep -q "2026/000124" "$work/register.csv" || fail "5. the register: $(cat "$work/register.csv")"
status=$(curl -s -o /dev/null -w '%{http_code}' "$base/certificates")
[ "$status" = 401 ] || fail "5. the register without a token: $status"
sit certificate verify "$code" >/dev/null || fail "5. sit certificate verify $code"
sit token create --name e2e-admin --role admin >"$work/admin-token.txt"
admin_token=$(grep -Eo '[A-Za-z0-9_.-]{30,}' "$work/admin-token.txt" | head -1)
curl -sf -H "Authorization: Bearer $admin_token" "$base/admin/audit" -o "$work/audit.json"
python3 - "$work/audit.json" "$code2" <<'PY' || fail "5. the audit log: $(head -c 600 "$work/audit.json")"
import json, sys
doc = json.load(open(sys.argv[1]))
entries = doc["entries"] if isinstance(doc, dict) else doc
assert any(e["action"] == "certificate.issue" and e["actor"] == "token:e2e-office" and e["detail"].get("code") == sys.argv[2] for e in entries), entries
PY
hist=$(sit layers history po_zone | grep -c PINNED || true)
[ "$hist" -ge 1 ] || fail "5. sit layers history po_zone shows no pinned version"
ok "5. two certificates (CLI, HTTP) verify after v3 (content, PDF intact and rebuilt); the register lists both protocols, the audit log the one issued over HTTP; the PDF has protocol, requester, officer, stamp, code, articles"
