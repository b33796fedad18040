// GIF89a as the W3C specification (https://www.w3.org/Graphics/GIF/spec-gif89a.txt) lays it out:
// logical screen, NETSCAPE2.0 loop extension, per frame a graphic control extension, an image
// descriptor with a local colour table and variable-length-code LZW data in 255-byte sub-blocks.
#include "gif_writer.h"

#include <algorithm>
#include <array>
#include <limits>

#include "coz/error.h"

namespace coz::io {
namespace {

constexpr int kCells = 1 << 15;  // 5 bits per channel
inline int cell_of(const uint8_t* p) { return ((p[0] >> 3) << 10) | ((p[1] >> 3) << 5) | (p[2] >> 3); }

struct CutBox {
  std::array<int, 3> lo, hi;  // inclusive cell ranges
  uint64_t count = 0;
};

// Shrinks b to the cells that hold pixels and counts them.
void fit(CutBox& b, const std::vector<uint32_t>& counts) {
  std::array<int, 3> lo = {31, 31, 31}, hi = {0, 0, 0};
  b.count = 0;
  for (int r = b.lo[0]; r <= b.hi[0]; ++r)
    for (int g = b.lo[1]; g <= b.hi[1]; ++g)
      for (int bl = b.lo[2]; bl <= b.hi[2]; ++bl) {
        const uint32_t n = counts[(r << 10) | (g << 5) | bl];
        if (!n) continue;
        b.count += n;
        lo = {std::min(lo[0], r), std::min(lo[1], g), std::min(lo[2], bl)};
        hi = {std::max(hi[0], r), std::max(hi[1], g), std::max(hi[2], bl)};
      }
  if (b.count) {
    b.lo = lo;
    b.hi = hi;
  }
}

}  // namespace

void quantize_frame(const uint8_t* rgb, int width, int height, std::ptrdiff_t stride, IndexedFrame& out) {
  std::vector<uint32_t> counts(kCells, 0);
  std::vector<std::array<uint32_t, 3>> sums(kCells, {0, 0, 0});
  for (int y = 0; y < height; ++y) {
    const uint8_t* p = rgb + y * stride;
    for (int x = 0; x < width; ++x, p += 3) {
      const int c = cell_of(p);
      ++counts[c];
      sums[c][0] += p[0];
      sums[c][1] += p[1];
      sums[c][2] += p[2];
    }
  }
  // Median cut: split the box with the most pixels times its longest side at the median.
  std::vector<CutBox> boxes(1);
  boxes[0].lo = {0, 0, 0};
  boxes[0].hi = {31, 31, 31};
  fit(boxes[0], counts);
  while (boxes.size() < 256) {
    int best = -1, axis = 0;
    uint64_t best_score = 0;
    for (size_t i = 0; i < boxes.size(); ++i) {
      const CutBox& b = boxes[i];
      for (int a = 0; a < 3; ++a) {
        const uint64_t score = b.count * static_cast<uint64_t>(b.hi[a] - b.lo[a]);
        if (score > best_score) {
          best_score = score;
          best = static_cast<int>(i);
          axis = a;
        }
      }
    }
    if (best < 0) break;  // every box is a single cell
    CutBox& b = boxes[best];
    std::array<uint64_t, 32> plane{};
    for (int r = b.lo[0]; r <= b.hi[0]; ++r)
      for (int g = b.lo[1]; g <= b.hi[1]; ++g)
        for (int bl = b.lo[2]; bl <= b.hi[2]; ++bl) plane[axis == 0 ? r : axis == 1 ? g : bl] += counts[(r << 10) | (g << 5) | bl];
    uint64_t acc = 0;
    int cut = b.lo[axis];
    for (int v = b.lo[axis]; v < b.hi[axis]; ++v) {
      acc += plane[v];
      cut = v;
      if (2 * acc >= b.count) break;
    }
    CutBox upper = b;
    b.hi[axis] = cut;
    upper.lo[axis] = cut + 1;
    fit(b, counts);
    fit(upper, counts);
    boxes.push_back(upper);
  }
  // Each box's mean colour; each used cell maps to the nearest of them.
  out.palette.assign(boxes.size() * 3, 0);
  for (size_t i = 0; i < boxes.size(); ++i) {
    const CutBox& b = boxes[i];
    uint64_t s[3] = {0, 0, 0};
    for (int r = b.lo[0]; r <= b.hi[0]; ++r)
      for (int g = b.lo[1]; g <= b.hi[1]; ++g)
        for (int bl = b.lo[2]; bl <= b.hi[2]; ++bl)
          for (int c = 0; c < 3; ++c) s[c] += sums[(r << 10) | (g << 5) | bl][c];
    for (int c = 0; c < 3; ++c) out.palette[i * 3 + c] = static_cast<uint8_t>(b.count ? (s[c] + b.count / 2) / b.count : 0);
  }
  std::vector<uint8_t> map(kCells, 0);
  const int colours = static_cast<int>(boxes.size());
  for (int cell = 0; cell < kCells; ++cell) {
    if (!counts[cell]) continue;
    int mean[3];
    for (int c = 0; c < 3; ++c) mean[c] = static_cast<int>((sums[cell][c] + counts[cell] / 2) / counts[cell]);
    int best = 0, best_d = std::numeric_limits<int>::max();
    for (int i = 0; i < colours; ++i) {
      const int dr = mean[0] - out.palette[i * 3], dg = mean[1] - out.palette[i * 3 + 1], db = mean[2] - out.palette[i * 3 + 2];
      const int d = 2 * dr * dr + 4 * dg * dg + db * db;  // green counts most, blue least
      if (d < best_d) {
        best_d = d;
        best = i;
      }
    }
    map[cell] = static_cast<uint8_t>(best);
  }
  out.index.resize(static_cast<size_t>(width) * height);
  for (int y = 0; y < height; ++y) {
    const uint8_t* p = rgb + y * stride;
    uint8_t* o = out.index.data() + static_cast<size_t>(y) * width;
    for (int x = 0; x < width; ++x, p += 3) o[x] = map[cell_of(p)];
  }
}

GifWriter::GifWriter(const std::string& path, int width, int height)
    : path_(path), f_(path, std::ios::binary | std::ios::trunc), width_(width), height_(height), keys_(8192), codes_(8192) {
  if (!f_) throw InvalidInput("cannot write " + path + ": cannot create the file");
  put("GIF89a", 6);
  put16(width);
  put16(height);
  const uint8_t screen[3] = {0x70, 0, 0};  // no global colour table, 8-bit colour resolution
  put(screen, 3);
  const uint8_t loop[19] = {0x21, 0xFF, 11, 'N', 'E', 'T', 'S', 'C', 'A', 'P', 'E', '2', '.', '0', 3, 1, 0, 0, 0};
  put(loop, sizeof loop);  // loop forever
}

void GifWriter::put(const void* p, size_t n) { f_.write(static_cast<const char*>(p), static_cast<std::streamsize>(n)); }
void GifWriter::put16(int v) {
  const uint8_t b[2] = {static_cast<uint8_t>(v & 255), static_cast<uint8_t>((v >> 8) & 255)};
  put(b, 2);
}

void GifWriter::add_frame(const uint8_t* rgb, std::ptrdiff_t stride, int delay_cs) {
  quantize_frame(rgb, width_, height_, stride, frame_);
  const uint8_t gce[8] = {0x21, 0xF9, 4, 0x04, static_cast<uint8_t>(delay_cs & 255), static_cast<uint8_t>((delay_cs >> 8) & 255),
                          0, 0};  // disposal: keep; no transparency
  put(gce, sizeof gce);
  const uint8_t sep = 0x2C;
  put(&sep, 1);
  put16(0);
  put16(0);
  put16(width_);
  put16(height_);
  const uint8_t local = 0x87;  // local colour table of 2^(7+1) entries
  put(&local, 1);
  frame_.palette.resize(768, 0);
  put(frame_.palette.data(), 768);

  // LZW with 8-bit minimum code size; the code width grows when a new code needs it, and the
  // table is cleared when it is full (code 4095).
  constexpr int kClear = 256, kEnd = 257;
  packed_.clear();
  packed_.push_back(8);
  std::string block;
  uint32_t acc = 0;
  int bits = 0, width = 9, next = kEnd + 1;
  const auto emit = [&](int code) {
    acc |= static_cast<uint32_t>(code) << bits;
    bits += width;
    while (bits >= 8) {
      block.push_back(static_cast<char>(acc & 255));
      acc >>= 8;
      bits -= 8;
      if (block.size() == 255) {
        packed_.push_back(static_cast<char>(255));
        packed_ += block;
        block.clear();
      }
    }
  };
  const auto reset = [&] {
    std::fill(keys_.begin(), keys_.end(), -1);
    width = 9;
    next = kEnd + 1;
  };
  reset();
  emit(kClear);
  const uint8_t* idx = frame_.index.data();
  const size_t n = frame_.index.size();
  int cur = idx[0];
  for (size_t i = 1; i < n; ++i) {
    const int32_t key = (cur << 8) | idx[i];
    uint32_t h = (static_cast<uint32_t>(key) * 2654435761u) >> 19;  // 13 bits
    while (keys_[h] != -1 && keys_[h] != key) h = (h + 1) & 8191;
    if (keys_[h] == key) {
      cur = codes_[h];
      continue;
    }
    emit(cur);
    const int code = next++;
    keys_[h] = key;
    codes_[h] = static_cast<uint16_t>(code);
    if (code >= (1 << width)) ++width;
    if (code == 4095) {
      emit(kClear);
      reset();
    }
    cur = idx[i];
  }
  emit(cur);
  emit(kEnd);
  if (bits > 0) block.push_back(static_cast<char>(acc & 255));
  for (size_t o = 0; o < block.size(); o += 255) {
    const size_t len = std::min<size_t>(255, block.size() - o);
    packed_.push_back(static_cast<char>(len));
    packed_.append(block, o, len);
  }
  packed_.push_back(0);
  put(packed_.data(), packed_.size());
  if (!f_) throw InvalidInput("cannot write " + path_ + ": the disk is full or the file became unwritable");
}

void GifWriter::finish() {
  const uint8_t trailer = 0x3B;
  put(&trailer, 1);
  f_.flush();
  f_.close();
  if (f_.fail()) throw InvalidInput("cannot write " + path_ + ": the disk is full or the file became unwritable");
}

}  // namespace coz::io
