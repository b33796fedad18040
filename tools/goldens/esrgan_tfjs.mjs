// Golden (reference) outputs of the pretrained UpscalerJS ESRGAN models, computed by TensorFlow.js itself
// on its pure-JavaScript CPU backend (float32), for testing the C++ re-implementation against.
//
// Usage:  node esrgan_tfjs.mjs MODELS_ROOT FIXTURE_PNG OUT_DIR
//
//   MODELS_ROOT  folder holding one sub-folder per model size: thick/ medium/ slim/.  For each size and scale s
//                the model folder (model.json + group1-shard*.bin) is looked for, first match wins, at
//                  MODELS_ROOT/<size>/package/models/x<s>   (layout of unpacked npm tarballs, e.g. MODELS_ROOT=/tmp/npm
//                                                           with /tmp/npm/thick/package/models/x4/model.json)
//                  MODELS_ROOT/<size>/models/x<s>
//                  MODELS_ROOT/<size>/x<s>
//   FIXTURE_PNG  a real photo, at least 60x66 px (UpscalerJS's assets/fixture.png, 128x128 RGBA; alpha is dropped).
//   OUT_DIR      written: <case>.in.f32, <case>.out.f32 (raw little-endian float32, NHWC [1,H,W,3]) and manifest.json.
//
// Install once with `npm install` in this folder (tools/goldens); the script resolves its packages from here.
//
// Cases (name = <size>_x<scale>):
//   thick/medium/slim x2,x3,x4,x8 : 12 (H) x 10 (W) crop of FIXTURE_PNG at row 40, col 50 (rows 40..51, cols 50..59)
//   slim_x4_big                   : 40 (H) x 36 (W) crop at row 20, col 30
//   thick_x4_rand                 : 9 (H) x 11 (W) x 3 pseudo-random values in [0,1) from the LCG below
// Value range: "thick" models take/return [0,1] (input = uint8/255); "medium" and "slim" take/return [0,255]
// (input = uint8 as float).  Outputs are the model's raw predict() result, NOT clipped or rounded.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { registerUpscalerLayers } from './upscalerjs_layers.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, 'package.json'));
const tf = require('@tensorflow/tfjs');
const { PNG } = require('pngjs');

registerUpscalerLayers(tf);

// ---- helpers ------------------------------------------------------------------------------------------------------
function findModelDir(root, size, scale) {
  const cands = [path.join(root, size, 'package', 'models', `x${scale}`),
                 path.join(root, size, 'models', `x${scale}`),
                 path.join(root, size, `x${scale}`)];
  for (const c of cands) if (fs.existsSync(path.join(c, 'model.json'))) return c;
  throw new Error(`no model.json for ${size} x${scale} under ${root} (tried ${cands.join(', ')})`);
}

async function loadModel(dir) {
  const handler = {
    load: async () => {
      const j = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8'));
      const specs = [], bufs = [];
      for (const g of j.weightsManifest) {
        specs.push(...g.weights);
        for (const p of g.paths) bufs.push(fs.readFileSync(path.join(dir, p)));
      }
      const all = Buffer.concat(bufs);
      return { modelTopology: j.modelTopology, weightSpecs: specs,
               weightData: all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength) };
    },
  };
  return tf.loadLayersModel(handler);
}

// Crop h x w RGB (alpha dropped) at (row, col) from a decoded PNG (pngjs always gives RGBA), scaled by `mul`.
function crop(png, row, col, h, w, mul) {
  if (row + h > png.height || col + w > png.width) throw new Error(`crop ${h}x${w}@${row},${col} outside ${png.height}x${png.width}`);
  const a = new Float32Array(h * w * 3);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++)
      for (let c = 0; c < 3; c++)
        a[(y * w + x) * 3 + c] = png.data[((row + y) * png.width + (col + x)) * 4 + c] * mul;
  return a;
}

// Deterministic pseudo-random input: 32-bit LCG (Numerical Recipes constants)
//   state_{k+1} = (1664525 * state_k + 1013904223) mod 2^32,  state_0 = seed = 20240601
//   value_k     = (state_{k+1} >>> 8) / 2^24        -> in [0, 1), exactly representable in float32
// Values fill the NHWC tensor in memory order (channel fastest).
function lcgValues(n, seed = 20240601) {
  let s = seed >>> 0;
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (Math.imul(1664525, s) + 1013904223) >>> 0;
    a[i] = (s >>> 8) / 16777216;
  }
  return a;
}

function writeF32(file, arr) {
  const buf = Buffer.alloc(arr.length * 4);
  for (let i = 0; i < arr.length; i++) buf.writeFloatLE(arr[i], i * 4);
  fs.writeFileSync(file, buf);
}

// ---- main ---------------------------------------------------------------------------------------------------------
const [modelsRoot, fixturePng, outDir] = process.argv.slice(2);
if (!outDir) {
  console.error('usage: node esrgan_tfjs.mjs MODELS_ROOT FIXTURE_PNG OUT_DIR');
  process.exit(2);
}
await tf.setBackend('cpu');
await tf.ready();
console.error(`tfjs ${tf.version.tfjs}, backend ${tf.getBackend()}`);
fs.mkdirSync(outDir, { recursive: true });
const png = PNG.sync.read(fs.readFileSync(fixturePng));

const cases = [];
for (const size of ['thick', 'medium', 'slim'])
  for (const scale of [2, 3, 4, 8]) cases.push({ size, scale, name: `${size}_x${scale}`, crop: [40, 50, 12, 10] });
cases.push({ size: 'slim', scale: 4, name: 'slim_x4_big', crop: [20, 30, 40, 36] });
cases.push({ size: 'thick', scale: 4, name: 'thick_x4_rand', rand: [9, 11] });

const manifest = { generator: `tools/goldens/esrgan_tfjs.mjs, @tensorflow/tfjs ${tf.version.tfjs}, backend cpu (float32)`,
                   layout: 'raw little-endian float32, NHWC', cases: [] };
const models = new Map();
for (const c of cases) {
  const range = c.size === 'thick' ? 1 : 255;
  const key = `${c.size}_x${c.scale}`;
  if (!models.has(key)) models.set(key, await loadModel(findModelDir(modelsRoot, c.size, c.scale)));
  const model = models.get(key);
  let H, W, data, source;
  if (c.rand) {
    [H, W] = c.rand;
    data = lcgValues(H * W * 3);
    if (range !== 1) data = data.map(v => v * range);
    source = `LCG seed 20240601, ${H}x${W}x3 in [0,1)`;
  } else {
    const [row, col, h, w] = c.crop;
    H = h; W = w;
    data = crop(png, row, col, h, w, range === 1 ? 1 / 255 : 1);
    source = `${path.basename(fixturePng)} crop rows ${row}..${row + h - 1}, cols ${col}..${col + w - 1}, RGB`;
  }
  const x = tf.tensor4d(data, [1, H, W, 3], 'float32');
  const t0 = Date.now();
  const y = model.predict(x);
  const out = await y.data();
  const shape = y.shape;
  const expect = [1, H * c.scale, W * c.scale, 3];
  if (shape.join() !== expect.join()) throw new Error(`${c.name}: output shape ${shape} != ${expect}`);
  let mn = Infinity, mx = -Infinity, nonFinite = 0;
  for (const v of out) { if (!Number.isFinite(v)) nonFinite++; if (v < mn) mn = v; if (v > mx) mx = v; }
  if (nonFinite) throw new Error(`${c.name}: ${nonFinite} non-finite outputs`);
  // sanity: mean |output - nearest-upsampled input| in units of the model's range (a plausible SR output is close)
  let mad = 0;
  for (let yy = 0; yy < expect[1]; yy++)
    for (let xx = 0; xx < expect[2]; xx++)
      for (let ch = 0; ch < 3; ch++)
        mad += Math.abs(out[(yy * expect[2] + xx) * 3 + ch] - data[((yy / c.scale | 0) * W + (xx / c.scale | 0)) * 3 + ch]);
  mad /= out.length * range;
  writeF32(path.join(outDir, `${c.name}.in.f32`), data);
  writeF32(path.join(outDir, `${c.name}.out.f32`), out);
  manifest.cases.push({ name: c.name, model: `esrgan-${c.size}`, scale: c.scale, input_shape: [1, H, W, 3],
                        output_shape: shape, range, out_min: mn, out_max: mx,
                        input_file: `${c.name}.in.f32`, output_file: `${c.name}.out.f32`, source });
  console.error(`${c.name}: in [1,${H},${W},3] -> out [${shape}] min ${mn} max ${mx} ` +
                `mean|out-nearest(in)|/range ${mad.toFixed(4)}  ${(Date.now() - t0) / 1000}s`);
  x.dispose(); y.dispose();
}
fs.writeFileSync(path.join(outDir, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
console.error(`wrote ${manifest.cases.length} cases to ${outDir}`);
