#!/usr/bin/env bash
# Runs every libFuzzer target (tests/fuzz) for SECONDS each (default 30), starting from a seed
# corpus drawn from tests/data, under ASan + UBSan (the build-san/ tree of scripts/sanitize.sh).
#   scripts/fuzz.sh [SECONDS] [TARGET...]
#   COZ_FUZZ_RUNS=1000000 scripts/fuzz.sh 1800 TARGET   # stop after 1M executions (or SECONDS)
# A crash, a sanitizer report or an exception other than the engine's own error types stops the
# run; libFuzzer writes the input to build-san/fuzz/crash-*. Corpora grow in build-san/fuzz/corpus.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bdir="${COZ_SAN_BUILD:-$root/build-san}"
secs="${1:-30}"
shift || true
"$root/scripts/sanitize.sh" --build-only
work="$bdir/fuzz"
mkdir -p "$work"
data="$root/tests/data/goldens"
sep=$'\n#--8<--\n'

seed() {  # seed TARGET FILE...: copies files into the target's seed folder
  local t=$1; shift
  mkdir -p "$work/seeds/$t"
  for f in "$@"; do cp "$f" "$work/seeds/$t/$(echo "$f" | md5sum | cut -c1-12)-$(basename "$f")"; done
}
rm -rf "$work/seeds"
seed fuzz_image_header "$data"/pil/*.png "$data"/pil/*.jpg
# Files with a recipe in every container (and two without, for embedding into).
seed fuzz_recipe "$root"/tests/data/metadata/* "$data"/pil/read_rgba.png "$data"/pil/read_exif6.jpg
seed fuzz_safetensors "$data"/sd3/pipeline/text_encoder/model.safetensors "$data"/sd3/pipeline/text_encoder_3/model-0000[2-5]-of-00015.safetensors
seed fuzz_shard_index "$data"/sd3/pipeline/text_encoder_3/model.safetensors.index.json
seed fuzz_torch_zip "$data"/sd3/lora/model_tiny.pkl
mkdir -p "$work/seeds/fuzz_torch_pickle"
for f in "$data"/sd3/lora/*.p*; do  # data.pkl out of each checkpoint
  python3 -c 'import sys,zipfile; z=zipfile.ZipFile(sys.argv[1]); n=[x for x in z.namelist() if x.endswith("/data.pkl")][0]; sys.stdout.buffer.write(z.read(n))' "$f" \
    > "$work/seeds/fuzz_torch_pickle/$(basename "$f").pkl"
done
mkdir -p "$work/seeds/fuzz_tfjs_model"
{ cat "$data/tfjs/tiny/model.json"; printf '%s' "$sep"; cat "$data"/tfjs/tiny/group1-shard1of1.bin; } > "$work/seeds/fuzz_tfjs_model/tiny"
# The same model with a uint8-quantized kernel and a float16 bias (the quantized-weight decoders).
python3 -c 'import json, sys
m = json.load(open(sys.argv[1] + "/model.json")); w = m["weightsManifest"][0]["weights"]
w[0]["quantization"] = {"dtype": "uint8", "min": -0.5, "scale": 1 / 255}; w[1]["quantization"] = {"dtype": "float16"}
sys.stdout.buffer.write(json.dumps(m).encode() + sys.argv[2].encode() + bytes(i % 256 for i in range(324)) + b"\x00\x3c" * 12)' \
  "$data/tfjs/tiny" "$sep" > "$work/seeds/fuzz_tfjs_model/tiny_quantized"
mkdir -p "$work/seeds/fuzz_clip_tokenizer"
for t in tokenizer tokenizer_2; do
  d="$data/sd3/pipeline/$t"
  { cat "$d/vocab.json"; printf '%s' "$sep"; cat "$d/special_tokens_map.json"; printf '%s' "$sep"; cat "$d/merges.txt"; } \
    > "$work/seeds/fuzz_clip_tokenizer/$t"
done
seed fuzz_qwen_tokenizer "$data/qwen/tokenizer.json"
mkdir -p "$work/seeds/fuzz_configs"
i=0
for f in text_encoder/config.json text_encoder_3/config.json transformer/config.json vae/config.json; do
  { printf "\\x$(printf %02x $i)"; cat "$data/sd3/pipeline/$f"; } > "$work/seeds/fuzz_configs/$i-$(dirname "$f")"
  i=$((i + 1))
done

seed fuzz_model_catalog "$root/core/hub/models.json"
mkdir -p "$work/seeds/fuzz_npm_tarball"
(cd "$work/seeds" && mkdir -p tgz/package/models/x4 && printf '{"format": "layers-model"}' > tgz/package/models/x4/model.json &&
  printf 'MIT' > tgz/package/LICENSE && tar czf fuzz_npm_tarball/tiny.tgz -C tgz package && rm -rf tgz)

targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(fuzz_image_header fuzz_safetensors fuzz_shard_index fuzz_torch_zip fuzz_torch_pickle
                                     fuzz_tfjs_model fuzz_clip_tokenizer fuzz_qwen_tokenizer fuzz_configs fuzz_recipe)
# The downloader's readers, where this build has the downloader.
if [ $# -eq 0 ] && [ -x "$bdir/tests/fuzz/fuzz_model_catalog" ]; then targets+=(fuzz_model_catalog fuzz_npm_tarball); fi
export ASAN_OPTIONS="detect_leaks=0:abort_on_error=1:allocator_may_return_null=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
for t in "${targets[@]}"; do
  mkdir -p "$work/corpus/$t"
  echo "== $t: ${secs}s" >&2
  # -rss_limit_mb: a parser must refuse a crafted size before allocating it.
  runs=()
  [ -n "${COZ_FUZZ_RUNS:-}" ] && runs=(-runs="$COZ_FUZZ_RUNS")
  if ! (cd "$work" && "$bdir/tests/fuzz/$t" "$work/corpus/$t" "$work/seeds/$t" -max_total_time="$secs" "${runs[@]}" \
          -max_len=65536 -rss_limit_mb=3072 -timeout=20 -print_final_stats=1 >"$work/$t.log" 2>&1); then
    tail -n 60 "$work/$t.log" >&2
    echo "fuzz: $t found a problem (log $work/$t.log, input in $work)" >&2
    exit 1
  fi
  grep -E "^(#[0-9]+ +DONE|stat::number_of_executed_units|stat::peak_rss_mb)" "$work/$t.log" >&2 || tail -n 5 "$work/$t.log" >&2
done
echo "fuzz: ${#targets[@]} targets ran ${secs}s each with no finding" >&2
