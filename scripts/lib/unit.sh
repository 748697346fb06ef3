# Runs the commands of a systemd unit file the way systemd would, on a
# machine where systemd is not PID 1 (a container, CI): as the unit's User
# and Group, with its Environment, EnvironmentFile, WorkingDirectory and
# UMask, inside a mount namespace that applies its ProtectSystem=strict,
# ProtectHome=yes, PrivateTmp=yes, ReadWritePaths, ReadOnlyPaths and
# StateDirectory, under NoNewPrivileges and an empty CapabilityBoundingSet.
# The other hardening directives are left to systemd (and to
# `systemd-analyze verify` / `security`). Needs root and util-linux.
#
#   unit_exec UNIT CMD...      CMD in UNIT's sandbox, as its user
#   unit_cmd UNIT KEY          the command line of ExecStart, ExecStop… (unescaped)
#   unit_run UNIT KEY          runs that command line in the sandbox

# unit_get UNIT KEY: the values of KEY= in the [Service] section, one per line.
unit_get() {
  awk -v k="$2" '/^\[/ { s = ($0 == "[Service]") } s && index($0, k "=") == 1 { print substr($0, length(k) + 2) }' "$1"
}

# unit_cmd UNIT KEY: KEY's command line with systemd's escapes undone
# ($$ → $, %% → %) and its prefixes (-, @, +, !) removed.
unit_cmd() {
  unit_get "$1" "$2" | head -1 | sed -e 's/^[-@+!]*//' -e 's/\$\$/$/g' -e 's/%%/%/g'
}

# unit_env UNIT: the unit's environment as KEY=VALUE lines: Environment=,
# then the EnvironmentFile= files (a leading - makes a missing file fine).
unit_env() {
  unit_get "$1" Environment
  local f
  while read -r f; do
    [ -n "$f" ] || continue
    if [ "${f#-}" != "$f" ]; then f=${f#-}; [ -f "$f" ] || continue; fi
    grep -Ev '^[[:space:]]*(#|$)' "$f"
  done < <(unit_get "$1" EnvironmentFile)
}

# unit_exec UNIT CMD...: CMD as the unit's user, in its sandbox.
unit_exec() {
  local unit=$1; shift
  local user group
  user=$(unit_get "$unit" User); group=$(unit_get "$unit" Group)
  [ -n "$user" ] || { echo "unit_exec: $unit has no User=" >&2; return 1; }
  UNIT_USER=$user UNIT_GROUP=${group:-$user} \
  UNIT_HOME=$(getent passwd "$user" | cut -d: -f6) \
  UNIT_WD=$(unit_get "$unit" WorkingDirectory | head -1) \
  UNIT_UMASK=$(unit_get "$unit" UMask | head -1) \
  UNIT_STATE=$(unit_get "$unit" StateDirectory | tr '\n' ' ') \
  UNIT_STATE_MODE=$(unit_get "$unit" StateDirectoryMode | head -1) \
  UNIT_RW=$(unit_get "$unit" ReadWritePaths | tr '\n' ' ') \
  UNIT_RO=$(unit_get "$unit" ReadOnlyPaths | tr '\n' ' ') \
  UNIT_PROTECT_SYSTEM=$(unit_get "$unit" ProtectSystem | tail -1) \
  UNIT_PROTECT_HOME=$(unit_get "$unit" ProtectHome | tail -1) \
  UNIT_PRIVATE_TMP=$(unit_get "$unit" PrivateTmp | tail -1) \
  UNIT_NNP=$(unit_get "$unit" NoNewPrivileges | tail -1) \
  UNIT_CAPS=$(unit_get "$unit" CapabilityBoundingSet | tail -1) \
  UNIT_ENV=$(unit_env "$unit") \
    _unit_unshare "$@"
}

# _unit_unshare CMD...: a process that becomes CMD (a subshell that execs:
# its pid is CMD's, for a caller that signals it).
_unit_unshare() {
  (exec unshare --mount --propagation private -- bash -c "$(declare -f _unit_sandbox); _unit_sandbox \"\$@\"" _unit_sandbox "$@")
}

# _unit_sandbox CMD...: runs inside the new mount namespace, as root.
_unit_sandbox() {
  set -euo pipefail
  local d p
  for d in $UNIT_STATE; do
    install -d -m "${UNIT_STATE_MODE:-0755}" -o "$UNIT_USER" -g "$UNIT_GROUP" "/var/lib/$d"
    UNIT_RW="$UNIT_RW /var/lib/$d"
  done
  for p in $UNIT_RW $UNIT_RO; do mount --bind "$p" "$p"; done
  if [ "$UNIT_PROTECT_SYSTEM" = strict ]; then
    # Every writable mount read-only, but the API file systems and the
    # ReadWritePaths (their own mounts, made above).
    local rw=" ${UNIT_RW} " mp opts
    while read -r _ _ _ _ mp opts _; do
      case "$mp" in /proc|/proc/*|/sys|/sys/*|/dev|/dev/*) continue ;; esac
      case "$rw" in *" $mp "*) continue ;; esac
      case ",$opts," in *,ro,*) continue ;; esac
      mount -o remount,bind,ro "$mp"
    done < /proc/self/mountinfo
  fi
  for p in $UNIT_RO; do mount -o remount,bind,ro "$p"; done
  if [ "$UNIT_PRIVATE_TMP" = yes ]; then
    mount -t tmpfs -o mode=1777,nosuid,nodev tmpfs /tmp
    mount -t tmpfs -o mode=1777,nosuid,nodev tmpfs /var/tmp
  fi
  if [ "$UNIT_PROTECT_HOME" = yes ]; then
    for d in /home /root /run/user; do
      [ -d "$d" ] && mount -t tmpfs -o ro,mode=0755 tmpfs "$d"
    done
  fi
  cd "${UNIT_WD:-/}"
  [ -z "$UNIT_UMASK" ] || umask "$UNIT_UMASK"
  local priv=(--reuid="$UNIT_USER" --regid="$UNIT_GROUP" --init-groups)
  [ "$UNIT_NNP" != yes ] || priv+=(--no-new-privs)
  [ -n "$UNIT_CAPS" ] || priv+=(--bounding-set=-all --inh-caps=-all)
  local envs=(PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8
    HOME="$UNIT_HOME" USER="$UNIT_USER" LOGNAME="$UNIT_USER")
  while IFS= read -r p; do [ -z "$p" ] || envs+=("$p"); done <<<"$UNIT_ENV"
  exec setpriv "${priv[@]}" -- env -i "${envs[@]}" "$@"
}

# unit_run UNIT KEY: runs the unit's KEY command line (ExecStart…) in its
# sandbox, split into words as systemd splits it (quotes, no shell).
unit_run() {
  local line
  line=$(unit_cmd "$1" "$2")
  [ -n "$line" ] || { echo "unit_run: $1 has no $2=" >&2; return 1; }
  local -a words
  eval "words=($line)"
  unit_exec "$1" "${words[@]}"
}
