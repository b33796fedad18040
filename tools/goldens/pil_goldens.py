#!/usr/bin/python3
"""Reference images from Pillow for the C++ resampling, zoom-plan and image-reading tests.

Usage: /usr/bin/python3 tools/goldens/pil_goldens.py PHOTO.png OUT_DIR
PHOTO is any RGB photograph (we use scikit-image's chelsea.png, 451x300, from Debian's
python3-skimage). Writes small PNG/JPEG files plus manifest.json into OUT_DIR.
"""
import io
import json
import os
import sys

import numpy as np
from PIL import Image

photo_path, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)
photo = Image.open(photo_path).convert("RGB")
photo.info.pop("icc_profile", None)  # keep libpng quiet when the tests read these files
manifest = {"pillow": Image.__version__ if hasattr(Image, "__version__") else "", "resize": [], "zoom": []}
import PIL
manifest["pillow"] = PIL.__version__

# 1. Resampling: a 37x23 crop of the photo, resized up and down with every filter.
src = photo.crop((200, 100, 237, 123))
src.save(os.path.join(out, "resize_src.png"))
filters = {"nearest": Image.NEAREST, "bicubic": Image.BICUBIC, "lanczos": Image.LANCZOS}
sizes = [(148, 92), (19, 12), (50, 17), (37, 60), (7, 5), (128, 128)]
for fname, f in filters.items():
    for (w, h) in sizes:
        name = f"resize_{fname}_{w}x{h}.png"
        src.resize((w, h), f).save(os.path.join(out, name))
        manifest["resize"].append({"file": name, "filter": fname, "w": w, "h": h})


# 2. CoZ's resize_and_center_crop (inference_coz.py) and the bicubic/nearest rec types.
def resize_and_center_crop(img, size):
    w, h = img.size
    scale = size / min(w, h)
    new_w, new_h = int(w * scale), int(h * scale)
    img = img.resize((new_w, new_h), Image.LANCZOS)
    left = (new_w - size) // 2
    top = (new_h - size) // 2
    return img.crop((left, top, left + size, top + size))


def zoom_case(name, img, size, rec, steps):
    first = resize_and_center_crop(img, size)
    first.save(os.path.join(out, f"{name}_0.png"))
    for rec_i in range(steps):
        n = size // 4 ** (rec_i + 1)
        w, h = first.size
        box = ((w - n) // 2, (h - n) // 2, (w + n) // 2, (h + n) // 2)
        f = Image.NEAREST if rec == "nearest" else Image.BICUBIC
        first.crop(box).resize((size, size), f).save(os.path.join(out, f"{name}_{rec_i + 1}.png"))
    manifest["zoom"].append({"name": name, "size": size, "rec": rec, "steps": steps,
                             "input": f"{name}_src.png", "w": img.size[0], "h": img.size[1]})
    img.save(os.path.join(out, f"{name}_src.png"))


small = photo.resize((113, 75), Image.BICUBIC)
zoom_case("zoom_bicubic", small, 64, "bicubic", 3)
zoom_case("zoom_nearest", small, 64, "nearest", 3)
# A short side (98 px) whose scaled size truncates to 63: the crop pokes out by one black row.
assert int(98 * (64 / 98)) == 63
zoom_case("zoom_quirk", photo.resize((131, 98), Image.BICUBIC), 64, "bicubic", 1)

# 3. Files for the image reader: palette PNG, grey PNG, grey+alpha PNG, RGBA PNG, EXIF-rotated JPEG.
tiny = photo.crop((150, 80, 162, 88))  # 12x8
tiny.quantize(16).save(os.path.join(out, "read_palette.png"))
tiny.convert("L").save(os.path.join(out, "read_gray.png"))
la = tiny.convert("LA"); la.putalpha(Image.fromarray((np.arange(96).reshape(8, 12) * 2).astype(np.uint8)))
la.save(os.path.join(out, "read_gray_alpha.png"))
rgba = tiny.copy(); rgba.putalpha(Image.fromarray((255 - np.arange(96).reshape(8, 12)).astype(np.uint8)))
rgba.save(os.path.join(out, "read_rgba.png"))
np.save  # (keep numpy imported for the arrays above)
for o in (3, 6, 8):
    exif = Image.Exif(); exif[0x0112] = o
    tiny.save(os.path.join(out, f"read_exif{o}.jpg"), quality=100, subsampling=0, exif=exif.tobytes())
    # What a viewer shows (orientation applied), to compare against.
    from PIL import ImageOps
    ImageOps.exif_transpose(Image.open(os.path.join(out, f"read_exif{o}.jpg"))).convert("RGB").save(
        os.path.join(out, f"read_exif{o}_upright.png"))
tiny.save(os.path.join(out, "read_plain.jpg"), quality=100, subsampling=0)
Image.open(os.path.join(out, "read_plain.jpg")).convert("RGB").save(os.path.join(out, "read_plain_decoded.png"))

with open(os.path.join(out, "manifest.json"), "w") as f:
    json.dump(manifest, f, indent=1)
print("wrote", len(os.listdir(out)), "files to", out)
