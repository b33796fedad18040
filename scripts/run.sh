#!/usr/bin/env bash
# One command: install + build (scripts/setup.sh), then
#   scripts/run.sh                 open CoZ Studio (with a sample photo) where there is a display,
#                                  else zoom into the sample photo with the coz CLI;
#   scripts/run.sh IMAGE [opts]    zoom into IMAGE with the coz CLI (opts: any `coz zoom` options);
#   scripts/run.sh --studio [IMAGE]  open IMAGE in CoZ Studio.
# The CLI prints where the results are.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
"$root/scripts/setup.sh"
sample="${XDG_CACHE_HOME:-$HOME/.cache}/coz/samples/chelsea.png"
studio=0
if [ "${1:-}" = "--studio" ]; then studio=1; shift
elif [ $# -eq 0 ] && { [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; }; then studio=1; fi
if [ $studio = 1 ]; then
  exec "$root/build/app/coz-studio" "${1:-$sample}"
fi
img="${1:-$sample}"
[ $# -gt 0 ] && shift
name=$(basename "${img%.*}")
out="$root/out/$name-$(date +%Y%m%d-%H%M%S)"
"$root/build/app/coz" zoom "$img" -o "$out" --steps 3 "$@"
echo "Results: $out (step_0.png .. step_3.png, strip.png, steps.json)"
