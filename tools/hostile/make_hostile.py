#!/usr/bin/env python3
"""Writes crafted hostile inputs for CoZ Studio's readers into OUTDIR, plus OUTDIR/manifest.json.

Each case names the file, the `coz` command that reads it, the exit code it must end with (3 for a
bad image, 4 for a bad model file, 0 for a strange but valid file) and a text the message must
contain. tests/core/test_hostile.cpp runs every case. Nothing here is a binary blob: every file is
built from its format's rules, so each case says exactly which check it attacks.

    python3 tools/hostile/make_hostile.py OUTDIR MARKER

MARKER is a path that the malicious pickles try to create: the test checks it never appears.
"""
import json
import os
import struct
import sys
import zipfile
import zlib

U64_MAX = 2**64 - 1


def safetensors(header, data=b""):
    h = header if isinstance(header, bytes) else json.dumps(header).encode()
    return struct.pack("<Q", len(h)) + h + data


# ---- pickle protocol 2 pieces (Lib/pickle.py opcodes) ----
PROTO2 = b"\x80\x02"
STOP = b"."
MARK = b"("
EMPTY_DICT, EMPTY_LIST, EMPTY_TUPLE = b"}", b"]", b")"
APPEND, SETITEM, TUPLE, REDUCE, BINPERSID = b"a", b"s", b"t", b"R", b"Q"


def unicode(s):
    b = s.encode()
    return b"X" + struct.pack("<I", len(b)) + b


def glob(module, name):
    return b"c" + module.encode() + b"\n" + name.encode() + b"\n"


def integer(i):
    if 0 <= i < 2**31:
        return b"J" + struct.pack("<i", i)
    b = i.to_bytes(8, "little", signed=True)
    return b"\x8a\x08" + b


def tup(*items):
    return MARK + b"".join(items) + TUPLE


def storage(key, numel, kind="FloatStorage"):
    """The persistent id torch.save writes for a storage, resolved with BINPERSID."""
    return tup(unicode("storage"), glob("torch", kind), unicode(key), unicode("cpu"), integer(numel)) + BINPERSID


def tensor(key, numel, offset, size, stride):
    args = tup(storage(key, numel), integer(offset), tup(*map(integer, size)), tup(*map(integer, stride)),
               b"\x89", glob("collections", "OrderedDict") + EMPTY_TUPLE + REDUCE)
    return glob("torch._utils", "_rebuild_tensor_v2") + args + REDUCE


def state_dict(entries):
    body = b"".join(unicode(k) + v + SETITEM for k, v in entries)
    return PROTO2 + EMPTY_DICT + body + STOP


def torch_zip(path, pkl, storages):
    """torch.save's layout: <archive>/data.pkl, <archive>/data/<key>, <archive>/version, stored."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as z:
        z.writestr("archive/data.pkl", pkl)
        for key, data in storages.items():
            z.writestr("archive/data/" + key, data)
        z.writestr("archive/version", "3\n")


def zip64_archive(path, files):
    """A stored archive that uses ZIP64 for every size and offset (as torch.save does past 4 GiB),
    small enough for a test: PKWARE APPNOTE 4.3.7, 4.3.12, 4.3.14-16, 4.5.3."""
    body, central = b"", b""
    for name, data in files.items():
        n, crc, off = name.encode(), zlib.crc32(data), len(body)
        body += struct.pack("<IHHHHHIIIHH", 0x04034b50, 45, 0, 0, 0, 0x21, crc, 0xFFFFFFFF, 0xFFFFFFFF, len(n), 20)
        body += n + struct.pack("<HHQQ", 1, 16, len(data), len(data)) + data
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014b50, 45, 45, 0, 0, 0, 0x21, crc, 0xFFFFFFFF, 0xFFFFFFFF,
                               len(n), 28, 0, 0, 0, 0, 0xFFFFFFFF)
        central += n + struct.pack("<HHQQQ", 1, 24, len(data), len(data), off)
    e64 = len(body) + len(central)
    end64 = struct.pack("<IQHHIIQQQQ", 0x06064b50, 44, 45, 45, 0, 0, len(files), len(files), len(central), len(body))
    locator = struct.pack("<IIQI", 0x07064b50, 0, e64, 1)
    end = struct.pack("<IHHHHIIH", 0x06054b50, 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0)
    with open(path, "wb") as f:
        f.write(body + central + end64 + locator + end)


def png_header(w, h):
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    ihdr = struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 16)) + chunk(b"IEND", b"")


def tiff_header(w, h):
    entries = [(256, 4, 1, w), (257, 4, 1, h), (258, 3, 1, 8), (262, 3, 1, 2), (273, 4, 1, 8), (277, 3, 1, 3)]
    ifd = struct.pack("<H", len(entries)) + b"".join(struct.pack("<HHII", *e) for e in entries) + b"\0\0\0\0"
    return b"II*\0" + struct.pack("<I", 8) + ifd


def bmp_header(w, h):
    info = struct.pack("<IiiHHIIiiII", 40, w, h, 1, 24, 0, 0, 2835, 2835, 0, 0)
    return b"BM" + struct.pack("<IHHI", 14 + len(info), 0, 0, 14 + len(info)) + info


def main():
    out, marker = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    cases = []

    def case(name, data, cmd, code, needle, what):
        p = os.path.join(out, name)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "wb") as f:
            f.write(data)
        cases.append({"file": name, "command": cmd, "exit": code, "message": needle, "what": what})

    def model(name, data, needle, what, code=4):
        case(name, data, "inspect", code, needle, what)

    def image(name, data, needle, what):
        case(name, data, "upscale", 3, needle, what)

    f32x2 = struct.pack("<2f", 1.0, 2.0)
    # --- safetensors ---
    model("st_wrapped_offsets.safetensors",
          safetensors({"t": {"dtype": "F32", "shape": [2], "data_offsets": [U64_MAX - 15, U64_MAX - 7]}}, f32x2),
          "past the end of the file", "data offsets that wrap around in 64-bit arithmetic")
    model("st_header_len_wraps.safetensors", struct.pack("<Q", U64_MAX - 3) + b"{}", "the header declares",
          "a header length that wraps when 8 is added")
    model("st_header_array.safetensors", safetensors([1, 2, 3]), "header is a JSON array", "a header that is an array")
    model("st_shape_string.safetensors", safetensors({"t": {"dtype": "F32", "shape": "big", "data_offsets": [0, 8]}}, f32x2),
          "shape is not a list", "a shape that is a string")
    model("st_shape_negative.safetensors", safetensors({"t": {"dtype": "F32", "shape": [-2], "data_offsets": [0, 8]}}, f32x2),
          "not a size", "a negative dimension")
    model("st_shape_overflow.safetensors",
          safetensors({"t": {"dtype": "F32", "shape": [2**40, 2**40, 2**40], "data_offsets": [0, 8]}}, f32x2),
          "is too large", "a shape whose product overflows int64")
    for key in ("dtype", "shape", "data_offsets"):
        entry = {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}
        del entry[key]
        model("st_missing_%s.safetensors" % key, safetensors({"t": entry}, f32x2), "has no " + key, "no " + key)
    model("st_offsets_object.safetensors", safetensors({"t": {"dtype": "F32", "shape": [2], "data_offsets": {"a": 1}}}, f32x2),
          "data_offsets is not", "data_offsets of the wrong type")
    model("st_bad_dtype.safetensors", safetensors({"t": {"dtype": 7, "shape": [2], "data_offsets": [0, 8]}}, f32x2),
          "dtype is not a string", "a dtype that is a number")
    model("st_entry_number.safetensors", safetensors({"t": 5}), "not an object", "a tensor entry that is a number")
    model("st_truncated.safetensors", safetensors({"t": {"dtype": "F32", "shape": [4], "data_offsets": [0, 16]}}, f32x2),
          "truncated", "data cut short")
    model("st_misaligned_ok.safetensors", safetensors(b'{"t":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}', f32x2),
          "1 tensors", "a valid file whose data is not 4-byte aligned", code=0)
    # --- shard index ---
    model("idx_escape/model.safetensors.index.json",
          json.dumps({"weight_map": {"t": "../../../../etc/passwd"}}).encode(), "not a file in the model folder",
          "a shard name that climbs out of the model folder")
    model("idx_array/model.safetensors.index.json", b"[1]", "no weight_map", "an index that is an array")
    model("idx_number/model.safetensors.index.json", json.dumps({"weight_map": {"t": 3}}).encode(), "not a file name",
          "a shard name that is a number")
    # --- torch.save zip + pickle ---
    deep = 200_000
    p = os.path.join(out, "pk_deep_nesting.pt")
    torch_zip(p, PROTO2 + EMPTY_LIST * deep + APPEND * (deep - 1) + STOP, {})
    cases.append({"file": "pk_deep_nesting.pt", "command": "inspect", "exit": 4, "message": "nested deeper",
                  "what": "lists nested 200,000 deep"})
    torch_zip(os.path.join(out, "pk_huge_offset.pt"),
              state_dict([("w", tensor("0", 4, 2**62, [4], [1]))]), {"0": b"\0" * 16})
    cases.append({"file": "pk_huge_offset.pt", "command": "inspect", "exit": 4, "message": "reaches past its storage",
                  "what": "a storage offset near 2^62"})
    torch_zip(os.path.join(out, "pk_huge_stride.pt"),
              state_dict([("w", tensor("0", 4, 0, [2, 2], [2**63 - 1, 1]))]), {"0": b"\0" * 16})
    cases.append({"file": "pk_huge_stride.pt", "command": "inspect", "exit": 4, "message": "strides overflow",
                  "what": "strides whose span overflows"})
    torch_zip(os.path.join(out, "pk_huge_numel.pt"),
              state_dict([("w", tensor("0", 2**62, 0, [4], [1]))]), {"0": b"\0" * 16})
    cases.append({"file": "pk_huge_numel.pt", "command": "inspect", "exit": 4, "message": "declares",
                  "what": "a storage of 2^62 floats (bytes overflow)"})
    torch_zip(os.path.join(out, "pk_rebuild_parameter_noargs.pt"),
              state_dict([("w", glob("torch._utils", "_rebuild_parameter") + EMPTY_TUPLE + REDUCE)]), {})
    cases.append({"file": "pk_rebuild_parameter_noargs.pt", "command": "inspect", "exit": 4,
                  "message": "a parameter without a tensor", "what": "_rebuild_parameter with no arguments"})
    torch_zip(os.path.join(out, "pk_empty_storage_bad.pt"),
              state_dict([("w", tensor("0", 0, 0, [4], [1]))]), {"0": b""})
    cases.append({"file": "pk_empty_storage_bad.pt", "command": "inspect", "exit": 4, "message": "reaches past its storage",
                  "what": "an empty storage read as 4 values"})
    torch_zip(os.path.join(out, "pk_empty_storage_ok.pt"),
              state_dict([("w", tensor("0", 0, 0, [0], [1]))]), {"0": b""})
    cases.append({"file": "pk_empty_storage_ok.pt", "command": "inspect", "exit": 0, "message": "1 tensors",
                  "what": "a valid empty tensor over an empty storage"})
    torch_zip(os.path.join(out, "pk_missing_storage.pt"),
              state_dict([("w", tensor("7", 4, 0, [4], [1]))]), {})
    cases.append({"file": "pk_missing_storage.pt", "command": "inspect", "exit": 4, "message": "archive/data/7 is missing",
                  "what": "a storage record that is not in the archive"})
    for name, mod, fn in (("os_system", "os", "system"), ("posix_system", "posix", "system"),
                          ("eval", "builtins", "eval"), ("popen", "subprocess", "Popen")):
        arg = "open(%r, 'w')" % marker if fn == "eval" else "touch " + marker
        pkl = PROTO2 + glob(mod, fn) + tup(unicode(arg)) + REDUCE + STOP
        torch_zip(os.path.join(out, "pk_%s.pt" % name), pkl, {})
        cases.append({"file": "pk_%s.pt" % name, "command": "inspect", "exit": 4, "message": "refusing the object",
                      "what": "a pickle that calls %s.%s" % (mod, fn)})
    zip64_archive(os.path.join(out, "pk_zip64_ok.pt"),
                  {"archive/data.pkl": state_dict([("w", tensor("0", 2, 0, [2], [1]))]), "archive/data/0": f32x2,
                   "archive/version": b"3\n"})
    cases.append({"file": "pk_zip64_ok.pt", "command": "inspect", "exit": 0, "message": "torch zip, 1 tensors",
                  "what": "a valid checkpoint whose sizes and offsets are all in ZIP64 fields"})
    # --- ZIP structure ---
    good = os.path.join(out, "zip_wrapped_cd.pt")
    torch_zip(good, state_dict([("w", tensor("0", 2, 0, [2], [1]))]), {"0": f32x2})
    with open(good, "rb") as f:
        z = bytearray(f.read())
    eocd = z.rfind(b"PK\x05\x06")
    struct.pack_into("<II", z, eocd + 12, 0xFFFFFFF0, 0x20)  # central directory size/offset that overflow
    with open(good, "wb") as f:
        f.write(z)
    cases.append({"file": "zip_wrapped_cd.pt", "command": "inspect", "exit": 4, "message": "central directory",
                  "what": "a central directory that lies outside the file"})
    model("zip_garbage.pt", b"PK\x03\x04" + b"\xff" * 64, "not a valid PyTorch zip checkpoint", "not a zip at all")
    # --- TF.js layers model ---
    topo = lambda layers: {"modelTopology": {"model_config": {"class_name": "Model", "config": {
        "layers": layers, "input_layers": [["in", 0, 0]], "output_layers": [["out", 0, 0]]}}},
        "weightsManifest": []}
    model("tfjs_layers_string/model.json", json.dumps(topo("conv")).encode(), "Keras layer list",
          "a layer list that is a string")
    bad_conv = [{"name": "in", "class_name": "InputLayer", "config": {}, "inbound_nodes": []},
                {"name": "out", "class_name": "Conv2D", "config": {"kernel_size": "3"}, "inbound_nodes": [[["in", 0, 0, {}]]]}]
    model("tfjs_kernel_string/model.json", json.dumps(topo(bad_conv)).encode(), "kernel_size",
          "a kernel_size that is a string")
    no_name = [{"class_name": "InputLayer", "config": {}, "inbound_nodes": []}]
    model("tfjs_missing_name/model.json", json.dumps(topo(no_name)).encode(), "model.json",
          "a layer without a name")
    manifest = topo([])
    manifest["weightsManifest"] = [{"paths": ["../../../../etc/passwd"], "weights": []}]
    model("tfjs_shard_escape/model.json", json.dumps(manifest).encode(), "not a file in the model folder",
          "a weight shard that climbs out of the model folder")
    # Quantized weights (tfjs-converter --quantize_uint8/uint16/float16): 1 or 2 bytes per value.
    conv1x1 = [{"name": "in", "class_name": "InputLayer", "config": {}, "inbound_nodes": []},
               {"name": "out", "class_name": "Conv2D", "config": {"kernel_size": [1, 1], "padding": "same"},
                "inbound_nodes": [[["in", 0, 0, {}]]]}]

    def tfjs_quantized(name, quant, shard, needle, what, code=4):
        m = topo(conv1x1)
        m["weightsManifest"] = [{"paths": ["group1-shard1of1.bin"], "weights": [
            {"name": "out/kernel", "shape": [1, 1, 3, 3], "dtype": "float32", "quantization": quant},
            {"name": "out/bias", "shape": [3], "dtype": "float32", "quantization": quant}]}]
        model(name + "/model.json", json.dumps(m).encode(), needle, what, code)
        with open(os.path.join(out, name, "group1-shard1of1.bin"), "wb") as f:
            f.write(shard)
    u8 = {"dtype": "uint8", "min": -1.0, "scale": 2.0 / 255, "original_dtype": "float32"}
    tfjs_quantized("tfjs_uint8_ok", u8, bytes(range(0, 240, 20)), "tfjs layers-model, 2 tensors, 12 values",
                   "a valid uint8-quantized model", code=0)
    tfjs_quantized("tfjs_float16_ok", {"dtype": "float16"}, b"\x00\x3c" * 12, "tfjs layers-model, 2 tensors, 12 values",
                   "a valid float16-quantized model", code=0)
    tfjs_quantized("tfjs_uint16_truncated", dict(u8, dtype="uint16"), b"\0" * 23, "ends early at tensor out/bias",
                   "a uint16-quantized shard one byte short (24 bytes needed, 12 as uint8)")
    tfjs_quantized("tfjs_quant_dtype_int4", dict(u8, dtype="int4"), b"\0" * 12, "unknown quantization dtype int4",
                   "a quantization dtype TF.js does not have")
    tfjs_quantized("tfjs_quant_no_scale", {"dtype": "uint8", "min": 0.0}, b"\0" * 12, "without a numeric scale",
                   "uint8 quantization without a scale")
    tfjs_quantized("tfjs_quant_scale_string", dict(u8, scale="0.1"), b"\0" * 12, "without a numeric scale",
                   "a quantization scale that is a string")
    tfjs_quantized("tfjs_quant_huge_scale", dict(u8, dtype="uint16", scale=1e35), b"\0" * 24, "not finite float32",
                   "a quantization scale whose values overflow float32")
    # --- images: declared sizes far beyond the pixel limit, and sizes whose product overflows ---
    image("img_huge_png.png", png_header(0x7FFFFFFF, 0x7FFFFFFF), "declares 2147483647x2147483647",
          "a PNG declaring 2^31-1 squared pixels")
    image("img_huge_tiff.tif", tiff_header(0xFFFFFFFF, 0xFFFFFFFF), "declares 4294967295x4294967295",
          "a TIFF whose width*height overflows int64")
    image("img_huge_bmp.bmp", bmp_header(0x7FFFFFFF, -2**31), "declares 2147483647x2147483648",
          "a top-down BMP of INT32_MIN rows")
    image("img_zero_png.png", png_header(0, 10), "declares an empty image", "a PNG of width 0")
    image("img_empty.png", b"", "is empty", "an empty file")
    image("img_garbage.jpg", b"\xff\xd8\xff" + b"\x00" * 40, "truncated or corrupt", "a JPEG with no image data")

    with open(os.path.join(out, "manifest.json"), "w") as f:
        json.dump(cases, f, indent=1)


if __name__ == "__main__":
    main()
