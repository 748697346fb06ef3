#!/usr/bin/env bash
# The README's "Running in production" chapter, followed step by step on this
# machine: the binary in /usr/local/bin, the sit system user, /etc/sit/sit.toml,
# the systemd units of deploy/systemd (checked by systemd-analyze, then run as
# systemd would by scripts/lib/unit.sh: as sit, with their sandbox), data
# imported, nginx and then Caddy in front with TLS, links and client
# addresses through them, logs, exit codes, a backup by the backup unit and a
# restore into a fresh data directory, and a stop of everything.
#
# It needs root. It runs in network and mount namespaces of its own: its
# ports (80, 443, 8080), /usr/local/bin, /etc/sit, /var/lib/sit, /run and the
# proxies' configuration are private to it, so it touches nothing of the
# machine but the sit system user (which the README creates too).
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
. scripts/lib/unit.sh

note() { echo "e2e-production: $*" >&2; }
fail() { echo "e2e-production: FAIL: $*" >&2; exit 1; }

if [ "$(id -u)" != 0 ]; then
  [ "${CI:-}" = true ] && fail "needs root"
  note "skipped: needs root (a system user, namespaces)"; exit 0
fi
if [ -z "${E2E_PRODUCTION_NS:-}" ] && ! unshare --net --mount --propagation private -- true 2>/dev/null; then
  # A container without CAP_SYS_ADMIN cannot make the namespaces that keep
  # this script's nginx, Caddy and system user off the host's network.
  note "SKIP: this machine does not allow network and mount namespaces (unshare); the production chapter is not exercised"
  exit 0
fi
if [ -z "${E2E_PRODUCTION_NS:-}" ]; then
  # Built out here: the namespace has no network (modules to download).
  bindir=$(mktemp -d /tmp/sit-production-bin.XXXXXX)
  # The one scripts/e2e.sh built for every script, else built here.
  if [ -n "${SIT_E2E_SIT:-}" ]; then cp "$SIT_E2E_SIT" "$bindir/sit"; else ./scripts/build.sh "$bindir/sit"; fi
  # Directories mounted over must exist; made here when missing, removed
  # at the end when still empty.
  made=()
  for d in /etc/sit /var/lib/sit /var/backups/sit /etc/caddy /etc/nginx/sites-enabled; do
    [ -d "$d" ] || { mkdir -p "$d"; made+=("$d"); }
  done
  status=0
  E2E_PRODUCTION_NS=1 E2E_PRODUCTION_BIN=$bindir/sit unshare --net --mount --propagation private -- "$0" "$@" || status=$?
  for d in "${made[@]}"; do rmdir "$d" 2>/dev/null || true; done
  rm -rf "$bindir"
  exit $status
fi

ip link set lo up
ip addr add 10.99.0.2/32 dev lo # a client that is not the proxy
work=$(mktemp -d /tmp/sit-production.XXXXXX)
chmod 755 "$work"
for d in /usr/local/bin /etc/sit /var/lib/sit /var/backups/sit /run /etc/caddy /etc/nginx/sites-enabled /var/log/nginx; do
  mkdir -p "$d"
  mount -t tmpfs -o mode=0755 tmpfs "$d"
done
pids=()
cleanup() {
  local s=$?
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  [ -x /usr/local/bin/sit ] && runuser -u sit -- env SIT_CONFIG=/etc/sit/sit.toml /usr/local/bin/sit db down >/dev/null 2>&1 || true
  if [ $s != 0 ]; then
    for f in "$work"/*.log; do echo "--- $f" >&2; tail -30 "$f" >&2; done
  fi
  rm -rf "$work"
}
trap cleanup EXIT

note "install (README: Install as a service)"
# --- README: Install as a service ------------------------------------------
install -m 0755 "$E2E_PRODUCTION_BIN" /usr/local/bin/sit
id sit >/dev/null 2>&1 || useradd --system --home-dir /var/lib/sit --shell /usr/sbin/nologin sit
install -d -m 0750 -o root -g sit /etc/sit
install -m 0640 -o root -g sit deploy/sit.toml /etc/sit/sit.toml
install -d -m 0750 -o sit -g sit /var/backups/sit
# ---------------------------------------------------------------------------
sed -i 's|^public_url = .*|public_url = "https://sit.example.test"|' /etc/sit/sit.toml
sitctl() { (cd / && runuser -u sit -- env SIT_CONFIG=/etc/sit/sit.toml /usr/local/bin/sit "$@"); }
sitctl config print >"$work/config.txt"
grep -q 'public_url = "https://sit.example.test"  # file /etc/sit/sit.toml' "$work/config.txt" || fail "config print: $(cat "$work/config.txt")"

note "units: systemd-analyze verify and security"
systemd-analyze verify deploy/systemd/sit-db.service deploy/systemd/sit.service deploy/systemd/sit-backup.service deploy/systemd/sit-backup.timer
for u in sit-db sit sit-backup; do
  systemd-analyze security --offline=yes --threshold=25 "deploy/systemd/$u.service" >"$work/security-$u.txt" ||
    fail "$u.service: exposure above 2.5: $(tail -1 "$work/security-$u.txt")"
  note "$u.service $(tail -1 "$work/security-$u.txt" | sed 's/→ //')"
done

note "sit-db.service: ExecStart as sit, in its sandbox (Type=forking)"
unit_run deploy/systemd/sit-db.service ExecStart >"$work/sit-db.log" 2>&1 || fail "sit-db ExecStart"
pidfile=$(unit_get deploy/systemd/sit-db.service PIDFile)
pg_pid=$(head -1 "$pidfile") || fail "no PIDFile $pidfile"
[ "$(ps -o user= -p "$pg_pid")" = sit ] || fail "PostgreSQL (pid $pg_pid) does not run as sit"
[ "$(stat -c %U /var/lib/sit/pg/cluster.json)" = sit ] && [ "$(stat -c %a /var/lib/sit/pg/cluster.json)" = 600 ] || fail "cluster.json owner or mode"

note "sandbox: what each unit may write"
unit_exec deploy/systemd/sit-db.service touch /var/lib/sit/pg/.probe || fail "sit-db cannot write its data directory"
for path in /etc/sit/probe /usr/local/bin/probe /var/backups/sit/probe; do
  ! unit_exec deploy/systemd/sit-db.service touch "$path" 2>/dev/null || fail "sit-db wrote $path"
done
for path in /var/lib/sit/pg/.probe2 /etc/sit/probe /usr/local/bin/probe; do
  ! unit_exec deploy/systemd/sit.service touch "$path" 2>/dev/null || fail "sit.service wrote $path"
done
unit_exec deploy/systemd/sit.service touch /tmp/probe || fail "sit.service has no private /tmp"
! unit_exec deploy/systemd/sit.service ls /root >/dev/null 2>&1 || [ -z "$(unit_exec deploy/systemd/sit.service ls -A /root)" ] || fail "sit.service sees /root"
unit_exec deploy/systemd/sit-backup.service touch /var/backups/sit/.probe || fail "sit-backup cannot write /var/backups/sit"
rm -f /var/lib/sit/pg/.probe /var/backups/sit/.probe

note "data: imported as sit (README: Importing in production)"
cp -r data/admin "$work/data" && chmod -R a+rX "$work/data"
sitctl import "$work/data/openpolis_limits_P_46_municipalities.geojson" --layer comuni --kind boundary --role zones >"$work/import.log" 2>&1 ||
  fail "import: $(cat "$work/import.log")"
sitctl layers >"$work/layers-before.txt"

# start_serve: sit.service's ExecStart in the background; serve_pid is the
# process of sit serve (the sandbox execs into it), serve_job its job.
start_serve() {
  unit_run deploy/systemd/sit.service ExecStart >>"$work/sit.log" 2>&1 &
  serve_job=$!
  pids+=("$serve_job")
  for _ in $(seq 1 600); do
    if curl -sf -o /dev/null http://127.0.0.1:8080/readyz; then
      serve_pid=$(pgrep -P "$serve_job" | head -1)
      pids+=("$serve_pid")
      return 0
    fi
    kill -0 "$serve_job" 2>/dev/null || fail "sit serve exited: $(tail -5 "$work/sit.log")"
    sleep 0.2
  done
  fail "sit serve did not answer"
}
stop_serve() {
  kill -TERM "$serve_pid"
  local code=0
  wait "$serve_job" || code=$?
  [ $code = 0 ] || fail "sit serve exited $code after SIGTERM"
}

note "sit.service: ExecStart as sit (Type=exec)"
start_serve
[ "$(ps -o user= -p "$serve_pid")" = sit ] || fail "sit serve does not run as sit"
grep -q '^NoNewPrivs:[[:space:]]*1' "/proc/$serve_pid/status" || fail "sit serve can gain privileges"
grep -q '^CapBnd:[[:space:]]*0000000000000000' "/proc/$serve_pid/status" || fail "sit serve has a capability bounding set"

# get URL [CURL ARGS]: the body, from the client address 10.99.0.2.
get() { local u=$1; shift; curl -sS --fail --interface 10.99.0.2 "$@" "$u"; }

check_proxy() { # check_proxy NAME CACERT
  local name=$1 ca=$2 body
  local tls=(--cacert "$ca" --resolve sit.example.test:443:127.0.0.1 --resolve sit.example.test:80:127.0.0.1)
  body=$(get "https://sit.example.test/?f=json" "${tls[@]}")
  grep -q '"href":"https://sit.example.test/collections"' <<<"$body" || fail "$name: landing links are not https://sit.example.test/: ${body:0:300}"
  body=$(get "https://sit.example.test/collections/comuni/items?limit=2" "${tls[@]}")
  grep -q '"href":"https://sit.example.test/collections/comuni/items?[^"]*after=' <<<"$body" || fail "$name: no https next link: ${body:0:300}"
  # A forged Host and X-Forwarded-* from the client change no link...
  body=$(get "https://sit.example.test/?f=json" "${tls[@]}" -H 'X-Forwarded-Host: evil.example' -H 'X-Forwarded-Proto: http' -H 'X-Forwarded-For: 6.6.6.6')
  ! grep -q 'evil.example\|"href":"http:' <<<"$body" || fail "$name: a client's header reached a link"
  # ...and the access log names the client, not the forged address.
  local before
  before=$(wc -l <"$work/sit.log")
  # (a 400: no route takes a token parameter; it is logged all the same)
  curl -sS -o /dev/null --interface 10.99.0.2 "${tls[@]}" -H 'X-Forwarded-For: 6.6.6.6' "https://sit.example.test/collections?f=json&token=s3cr3t-token"
  local line
  for _ in $(seq 1 50); do
    line=$(tail -n +"$((before + 1))" "$work/sit.log" | grep 'msg=request method=GET path=/collections ' || true)
    [ -n "$line" ] && break
    sleep 0.1
  done
  grep -q 'client=10.99.0.2' <<<"$line" || fail "$name: access log client: $line"
  ! grep -q 's3cr3t-token' "$work/sit.log" || fail "$name: a token reached the log"
  # Plain HTTP is sent to HTTPS.
  local loc
  loc=$(curl -sS -o /dev/null -w '%{http_code} %{redirect_url}' --resolve sit.example.test:80:127.0.0.1 http://sit.example.test/map/)
  [[ $loc == "30"[18]" https://sit.example.test/map/" ]] || fail "$name: http → $loc"
  note "$name: https links, client address from X-Forwarded-For, forged headers ignored, http redirected"
}

note "nginx in front (README: TLS behind a reverse proxy)"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=sit.example.test -addext subjectAltName=DNS:sit.example.test \
  -keyout "$work/key.pem" -out "$work/cert.pem" >/dev/null 2>&1
sed -e 's/sit\.example\.org/sit.example.test/g' -e "s|/etc/letsencrypt/live/sit.example.test/fullchain.pem|$work/cert.pem|" \
  -e "s|/etc/letsencrypt/live/sit.example.test/privkey.pem|$work/key.pem|" deploy/nginx/sit.conf >/etc/nginx/sites-enabled/sit
nginx -t >"$work/nginx.log" 2>&1 || fail "nginx -t: $(cat "$work/nginx.log")"
nginx
check_proxy nginx "$work/cert.pem"
nginx -s quit
for _ in $(seq 1 50); do [ -e /run/nginx.pid ] || break; sleep 0.1; done

note "Caddy in front"
{
  echo '{'
  echo '	skip_install_trust'
  echo '	admin off'
  echo '}'
  sed -e 's/sit\.example\.org/sit.example.test/' -e 's/^\treverse_proxy/\ttls internal\n\treverse_proxy/' deploy/caddy/Caddyfile
} >/etc/caddy/Caddyfile
HOME=$work/caddy XDG_DATA_HOME=$work/caddy/data caddy run --config /etc/caddy/Caddyfile --adapter caddyfile >"$work/caddy.log" 2>&1 &
caddy_pid=$!
pids+=("$caddy_pid")
ca=$work/caddy/data/caddy/pki/authorities/local/root.crt
for _ in $(seq 1 100); do [ -s "$ca" ] && curl -s -o /dev/null --cacert "$ca" --resolve sit.example.test:443:127.0.0.1 https://sit.example.test/healthz && break; sleep 0.2; done
check_proxy caddy "$ca"
kill "$caddy_pid"; wait "$caddy_pid" 2>/dev/null || true

note "logs: text, then JSON through /etc/sit/sit.env (EnvironmentFile)"
grep -v '^time=[^ ]* level=[A-Z]* msg=' "$work/sit.log" && fail "a log line that is not key=value"
stop_serve
grep -q 'msg="shutting down"' "$work/sit.log" || fail "no shutdown line"
echo SIT_LOG_FORMAT=json >/etc/sit/sit.env && chmod 600 /etc/sit/sit.env
: >"$work/sit.log"
start_serve
curl -sf -o /dev/null http://127.0.0.1:8080/collections
python3 -c '
import json, sys
lines = open(sys.argv[1]).read().splitlines()
recs = [json.loads(l) for l in lines]
assert any(r.get("msg") == "serving" for r in recs), "no serving record"
assert any(r.get("msg") == "request" and r.get("path") == "/collections" for r in recs), "no access record"
' "$work/sit.log" || fail "JSON log: $(head -3 "$work/sit.log")"
for pw in $(python3 -c 'import json,sys; c=json.load(open(sys.argv[1])); print(c["owner_password"], c["reader_password"], c.get("admin_password",""))' /var/lib/sit/pg/cluster.json); do
  ! grep -q "$pw" "$work"/*.log || fail "a database password is in a log"
done

note "exit codes"
code=0; sitctl serve --max-limit 0 >/dev/null 2>&1 || code=$?
[ $code = 2 ] || fail "an invalid setting exited $code, not 2"
code=0; sitctl db status >/dev/null || code=$?
[ $code = 0 ] || fail "db status of a running cluster exited $code"

note "backup by sit-backup.service, restore into a fresh data directory (README: Backup and restore)"
unit_run deploy/systemd/sit-backup.service ExecStart >"$work/backup.log" 2>&1 || fail "backup: $(cat "$work/backup.log")"
unit_run deploy/systemd/sit-backup.service ExecStartPost >>"$work/backup.log" 2>&1 || fail "backup cleanup"
backup=$(ls /var/backups/sit/sit-*.sitbackup)
[ "$(stat -c %U:%a "$backup")" = sit:600 ] || fail "backup file owner/mode $(stat -c %U:%a "$backup")"
# --- README: Restore -------------------------------------------------------
stop_serve                                     # systemctl stop sit
unit_run deploy/systemd/sit-db.service ExecStop >>"$work/sit-db.log" 2>&1 # systemctl stop sit-db
mv /var/lib/sit/pg /var/lib/sit/pg.old
sitctl db restore "$backup" >"$work/restore.log" 2>&1 || fail "restore: $(cat "$work/restore.log")"
sitctl db down >/dev/null
unit_run deploy/systemd/sit-db.service ExecStart >>"$work/sit-db.log" 2>&1 # systemctl start sit-db sit
start_serve
# ---------------------------------------------------------------------------
sitctl layers >"$work/layers-after.txt"
diff "$work/layers-before.txt" "$work/layers-after.txt" || fail "layers differ after the restore"
n=$(curl -sf 'http://127.0.0.1:8080/collections/comuni/items?limit=1' | python3 -c 'import json,sys; print(json.load(sys.stdin)["numberMatched"])')
[ "$n" = 33 ] || fail "restored layer serves $n features, not 33"

note "stop: SIGTERM to sit serve (exit 0), sit db down (ExecStop)"
stop_serve
unit_run deploy/systemd/sit-db.service ExecStop >>"$work/sit-db.log" 2>&1 || fail "sit-db ExecStop"
! kill -0 "$(head -1 "$pidfile" 2>/dev/null || echo 999999)" 2>/dev/null || fail "PostgreSQL still runs"
code=0; sitctl db status >/dev/null || code=$?
[ $code = 3 ] || fail "db status of a stopped cluster exited $code, not 3"
note "ok"
