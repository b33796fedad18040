// The two custom Keras layers of the UpscalerJS ESRGAN models, registered with a given TF.js instance:
// MultiplyBeta (x * 0.2) and PixelShuffle{2,3,4,8}x (tf.depthToSpace, NHWC). Shared by the golden generator
// and the peer benchmark.
export function registerUpscalerLayers(tf) {
  class MultiplyBeta extends tf.layers.Layer {
    constructor(config) { super(config || {}); }
    call(x) { return tf.tidy(() => tf.mul(Array.isArray(x) ? x[0] : x, 0.2)); }
    static get className() { return 'MultiplyBeta'; }
  }
  tf.serialization.registerClass(MultiplyBeta);
  for (const s of [2, 3, 4, 8]) {
    const PixelShuffle = class extends tf.layers.Layer {
      constructor(config) { super(config || {}); }
      computeOutputShape(i) { return [i[0], i[1], i[2], 3]; }
      call(x) { return tf.tidy(() => tf.depthToSpace(Array.isArray(x) ? x[0] : x, s, 'NHWC')); }
      static get className() { return `PixelShuffle${s}x`; }
    };
    tf.serialization.registerClass(PixelShuffle);
  }
}
