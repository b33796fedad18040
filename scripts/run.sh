#!/usr/bin/env bash
# One command: install + build (scripts/setup.sh), then zoom into IMAGE (default: a sample photo)
# with the coz CLI and print where the results are.  scripts/run.sh [IMAGE] [coz zoom options...]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
"$root/scripts/setup.sh"
img="${1:-${XDG_CACHE_HOME:-$HOME/.cache}/coz/samples/coffee.png}"
[ $# -gt 0 ] && shift
name=$(basename "${img%.*}")
out="$root/out/$name-$(date +%Y%m%d-%H%M%S)"
"$root/build/app/coz" zoom "$img" -o "$out" --steps 3 --model esrgan-thick "$@"
echo "Results: $out (step_0.png .. step_3.png, strip.png, steps.json)"
