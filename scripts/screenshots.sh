#!/usr/bin/env bash
# Runs the real studio under xvfb-run and saves screenshots into docs/screenshots/:
#   plan.png     a photo loaded, the zoom plan drawn over it
#   zoom.png     after a 2-step (16x) esrgan-thick zoom into the fur between the ears
#   compare.png  a 1-step (4x) zoom into the eye, compared with its bicubic input (split view)
#   de.png       the same window in German
#   flight-x1.png, flight-x6.png, flight-x40.png
#                the zoom flight through a 3-step chain at three magnifications
#   rerun.png    the same chain re-run from step 2 with its zoom point moved: both versions in the strip
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
app="$root/build/app/coz-studio"
photo="${1:-${XDG_CACHE_HOME:-$HOME/.cache}/coz/samples/chelsea.png}"
center="${2:-170,112}"  # the cat's left eye
out="$root/docs/screenshots"
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
shoot() {  # name, extra args...
  local name=$1; shift
  xvfb-run -a -s "-screen 0 1440x900x24" "$app" --settings "$tmp/$name.ini" "$photo" --center "$center" --screenshot "$out/$name.png" "$@" \
    2>&1 | grep -v XDG_RUNTIME_DIR || true
  [ -s "$out/$name.png" ] || { echo "no screenshot for $name" >&2; exit 1; }
  echo "$out/$name.png"
}
shoot plan --steps 3
shoot zoom --steps 2 --model esrgan-thick --autorun --center 232,40
shoot compare --steps 1 --model esrgan-thick --autorun --compare
xvfb-run -a -s "-screen 0 1440x900x24" "$app" --settings "$tmp/flight.ini" "$photo" --center 232,40 --steps 3 \
  --model esrgan-thick --process-size 256 --autorun --flight 1,6,40 --screenshot "$out/flight.png" 2>&1 | grep -v XDG_RUNTIME_DIR || true
for m in 1 6 40; do [ -s "$out/flight-x$m.png" ] || { echo "no screenshot flight-x$m" >&2; exit 1; }; echo "$out/flight-x$m.png"; done
shoot rerun --steps 3 --model esrgan-thick --process-size 256 --autorun --center 232,40 --rerun 2=0.2,0.7
printf '[ui]\nlanguage=de\n' > "$tmp/de.ini"
xvfb-run -a -s "-screen 0 1440x900x24" "$app" --settings "$tmp/de.ini" "$photo" --center "$center" --steps 3 --screenshot "$out/de.png" 2>&1 | grep -v XDG_RUNTIME_DIR || true
echo "$out/de.png"
