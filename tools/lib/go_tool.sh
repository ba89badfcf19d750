# Sourced by tools/<tool>/build.sh: what every Go tool built from the module proxy shares —
# the --force flag, a log prefix, the version pinned in the tool's go.mod, a cache directory
# outside the repo per version, and a lock so concurrent callers build once.
#
#   go_tool_start <tool> <module> "$@"   parses --force, checks go, cds to the caller's folder;
#                                        sets force, version, cache_root, out (cache_root/tool-version)
#   go_tool_lock                         takes the per-version build lock (held until exit)
#   log <text>                           progress on stderr

go_tool_start() {
  local tool="$1" module="$2"
  shift 2
  force=0
  case "${1:-}" in
    --force) force=1 ;;
    "") ;;
    *) echo "usage: tools/$tool/build.sh [--force]" >&2; exit 2 ;;
  esac
  _go_tool="$tool"
  command -v go >/dev/null || { log "go is not on PATH"; exit 1; }
  cd "$(dirname "${BASH_SOURCE[1]}")"
  # The pin lives in go.mod only. `go mod edit` parses it without the network or module cache,
  # so a cached build is found offline.
  local path_re="${module//\//\\/}"
  version="$(go mod edit -json | awk -v re="\"Path\": \"$path_re\"" '
    /^\t"Require": \[/ { in_require = 1; next }
    in_require && /^\t\]/ { exit }
    in_require && $0 ~ re { found = 1; next }
    found && /"Version":/ { gsub(/[",]/, "", $2); print $2; exit }')"
  [[ "$version" == v* ]] || { log "cannot read the $module pin from go.mod (got '$version')"; exit 1; }
  cache_root="${TICKLER_TOOLS_CACHE:-$HOME/.cache/tickler-tools}"
  out="$cache_root/$tool-$version"
}

go_tool_lock() {
  mkdir -p "$cache_root"
  # Test scripts may call the build concurrently; one builds, the others wait and reuse.
  exec 9>"$cache_root/.$_go_tool-$version.lock"
  flock 9
}

log() { echo "tools/${_go_tool:-?}: $*" >&2; }
