// Peer benchmark: one upscale of a PNG with a UpscalerJS ESRGAN model in TensorFlow.js (wasm backend), timed as a
// whole process, for a side-by-side comparison with CoZ Studio's C++ implementation.
//
// Usage:  node tools/bench/peer_tfjs.mjs MODEL_DIR IN.png [OUT.png]
//   MODEL_DIR  folder with model.json + group1-shard*.bin, e.g. /tmp/npm/thick/package/models/x4.
//              A path containing "thick" is fed input/255 and its output is taken as [0,1]; otherwise (medium, slim)
//              input and output are in [0,255].
//   OUT.png    optional: writes the clipped, rounded result (after all timings are taken).
// Packages are resolved from tools/goldens (run `npm install` there once).
// No warm-up run: the single predict() includes wasm kernel/first-call costs, as a one-shot CLI would see them.
// Prints one JSON line on stdout:
//   load_s      = wasm backend init + model load from files (JSON parse, weight read, graph build, weight upload)
//   inference_s = predict() + download of the result (y.data())
//   total_s     = from the first statement of this script (before requiring tfjs) to after the inference,
//                 including PNG decode; process_uptime_s additionally includes Node's own start-up.
//   simd / multithread / threads = what the wasm backend used (TF.js 4.x disables wasm threads in Node).
const tStart = performance.now();
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { registerUpscalerLayers } from '../goldens/upscalerjs_layers.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, '..', 'goldens', 'package.json'));
const tf = require('@tensorflow/tfjs');
const wasmBackend = require('@tensorflow/tfjs-backend-wasm');
const { PNG } = require('pngjs');

const [modelDir, inPng, outPng] = process.argv.slice(2);
if (!inPng) {
  console.error('usage: node peer_tfjs.mjs MODEL_DIR IN.png [OUT.png]');
  process.exit(2);
}
const thick = /thick/.test(path.resolve(modelDir));

registerUpscalerLayers(tf);

const handler = {
  load: async () => {
    const j = JSON.parse(fs.readFileSync(path.join(modelDir, 'model.json'), 'utf8'));
    const specs = [], bufs = [];
    for (const g of j.weightsManifest) {
      specs.push(...g.weights);
      for (const p of g.paths) bufs.push(fs.readFileSync(path.join(modelDir, p)));
    }
    const all = Buffer.concat(bufs);
    return { modelTopology: j.modelTopology, weightSpecs: specs,
             weightData: all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength) };
  },
};

const tLoad0 = performance.now();
if (!(await tf.setBackend('wasm'))) throw new Error('wasm backend failed to initialise');
await tf.ready();
const model = await tf.loadLayersModel(handler);
const tLoad1 = performance.now();

const png = PNG.sync.read(fs.readFileSync(inPng));
const { width: w, height: h } = png;
const mul = thick ? 1 / 255 : 1;
const rgb = new Float32Array(w * h * 3);
for (let i = 0; i < w * h; i++) for (let c = 0; c < 3; c++) rgb[i * 3 + c] = png.data[i * 4 + c] * mul;
const x = tf.tensor4d(rgb, [1, h, w, 3]);

const tInf0 = performance.now();
const y = model.predict(x);
const out = await y.data();
const tInf1 = performance.now();

const [, oh, ow] = y.shape;
const result = {
  backend: tf.getBackend(), load_s: (tLoad1 - tLoad0) / 1000, inference_s: (tInf1 - tInf0) / 1000,
  total_s: (tInf1 - tStart) / 1000, process_uptime_s: process.uptime(), width: w, height: h,
  out_width: ow, out_height: oh, model_dir: modelDir, tfjs: tf.version.tfjs,
  simd: await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'),
  multithread: await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT'),
  threads: wasmBackend.getThreadsCount(),
};
console.log(JSON.stringify(result));

if (outPng) {
  const o = new PNG({ width: ow, height: oh });
  const k = thick ? 255 : 1;
  for (let i = 0; i < ow * oh; i++) {
    for (let c = 0; c < 3; c++) o.data[i * 4 + c] = Math.min(255, Math.max(0, Math.round(out[i * 3 + c] * k)));
    o.data[i * 4 + 3] = 255;
  }
  fs.writeFileSync(outPng, PNG.sync.write(o, { colorType: 2 }));
}
