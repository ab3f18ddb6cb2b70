#!/usr/bin/env bash
# Build the self-contained Cluster Explorer bundle (a folder with its own Python and Qt) and its archive.
#   bash resources/bundle/build.sh [OUT]      # default OUT: dist/ in the checkout
# Needs PyInstaller, the `bundle` extra:  .venv/bin/pip install -e '.[bundle]'
# Prints the archive's path; unpack it anywhere and run cluster-explorer/cluster-explorer.
# PYTHON picks the Python that builds (default: the checkout's .venv, else python3).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
out="${1:-$root/dist}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
python="${PYTHON:-}"
if [ -z "$python" ]; then
  python="$root/.venv/bin/python"
  [ -x "$python" ] || python="python3"
fi
# The work folder is kept: a rebuild after a small change reuses PyInstaller's analysis cache.
"$python" -m PyInstaller --noconfirm --log-level WARN --distpath "$out" --workpath "$out/work" \
  "$root/resources/bundle/cluster-explorer.spec" >&2
platform="$("$python" -c 'import platform; print(f"{platform.system().lower()}-{platform.machine().lower()}")')"
version="$("$out/cluster-explorer/cluster-explorer" --version 2>/dev/null | awk '{print $NF}' || true)"
archive="$out/cluster-explorer-${version:-unknown}-$platform.tar.gz"
tar -C "$out" -czf "$archive.part" cluster-explorer
mv "$archive.part" "$archive"
echo "$archive"
