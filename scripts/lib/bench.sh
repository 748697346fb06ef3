# Helpers of the benchmark scripts (scripts/bench.sh, scripts/bench-bulk.sh),
# sourced after they set $dir (where logs go).

load() { cut -d' ' -f1 /proc/loadavg; }
mb() { awk -v k="$1" 'BEGIN { printf "%.0f MB", k / 1024 }'; }
fmt() { sed ':a;s/\B[0-9]\{3\}\>/ &/;ta' <<<"$1"; } # 1 000 000

# timed LABEL CMD…: runs CMD under /usr/bin/time -v, its output and the
# report of time in $dir/time-LABEL.log; sets wall and cpu (user + system,
# s), rss (peak, kB) and ld (the 1-minute load before it).
timed() {
  local log="$dir/time-$1.log"; shift
  ld=$(load)
  /usr/bin/time -v "$@" >"$log" 2>&1 || { tail -20 "$log" >&2; return 1; }
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; print s }' "$log")
  rss=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$log")
  cpu=$(awk -F': ' '/User time|System time/ { s += $2 } END { printf "%.1f", s }' "$log")
}

# write_section MARKER FILE: puts $section in FILE between the lines
# <!-- bench:MARKER --> and <!-- /bench:MARKER --> (a rerun replaces its
# own section), or at its end.
write_section() {
  [ -f "$2" ] || : >"$2"
  sec="$section" awk -v n="$1" '
    $0 == "<!-- bench:" n " -->" { skip = 1; print ENVIRON["sec"]; done = 1; next }
    skip && $0 == "<!-- /bench:" n " -->" { skip = 0; next }
    !skip { print }
    END { if (!done) print "\n" ENVIRON["sec"] }' "$2" >"$2.tmp" && mv "$2.tmp" "$2"
}
