#!/usr/bin/env python3
"""Writes tests/data/goldens/tfjs/tiny: the smallest TF.js layers-model in the UpscalerJS layout
(InputLayer -> Conv2D 3x3 'same' 3->12 -> PixelShuffle2x), used as the fuzzers' seed and by the
hostile-input suite as a valid model. Weights are a fixed ramp, no randomness."""
import json
import os
import struct
import sys

out = sys.argv[1] if len(sys.argv) > 1 else "tests/data/goldens/tfjs/tiny"
os.makedirs(out, exist_ok=True)
kernel = [((i * 37) % 101) / 101.0 - 0.5 for i in range(3 * 3 * 3 * 12)]  # HWIO
bias = [i / 100.0 for i in range(12)]
with open(os.path.join(out, "group1-shard1of1.bin"), "wb") as f:
    f.write(struct.pack("<%df" % len(kernel), *kernel) + struct.pack("<%df" % len(bias), *bias))
model = {
    "format": "layers-model", "generatedBy": "tools/goldens/tfjs_tiny.py", "convertedBy": None,
    "modelTopology": {"class_name": "Functional", "config": {
        "name": "tiny", "layers": [
            {"class_name": "InputLayer", "config": {"batch_input_shape": [None, None, None, 3], "dtype": "float32",
                                                   "name": "input_1"}, "name": "input_1", "inbound_nodes": []},
            {"class_name": "Conv2D", "config": {"name": "conv2d", "filters": 12, "kernel_size": [3, 3], "strides": [1, 1],
                                                "padding": "same", "data_format": "channels_last", "dilation_rate": [1, 1],
                                                "groups": 1, "activation": "linear", "use_bias": True},
             "name": "conv2d", "inbound_nodes": [[["input_1", 0, 0, {}]]]},
            {"class_name": "PixelShuffle2x", "config": {"name": "pixel_shuffle", "scale": 2}, "name": "pixel_shuffle",
             "inbound_nodes": [[["conv2d", 0, 0, {}]]]}],
        "input_layers": [["input_1", 0, 0]], "output_layers": [["pixel_shuffle", 0, 0]]}},
    "weightsManifest": [{"paths": ["group1-shard1of1.bin"], "weights": [
        {"name": "conv2d/kernel", "shape": [3, 3, 3, 12], "dtype": "float32"},
        {"name": "conv2d/bias", "shape": [12], "dtype": "float32"}]}],
}
with open(os.path.join(out, "model.json"), "w") as f:
    json.dump(model, f, indent=1)
