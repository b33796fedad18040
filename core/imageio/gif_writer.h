// An animated GIF encoder (GIF89a): one 256-colour palette a frame (median cut), LZW, looping.
// The video fallback for systems without a video encoder; small and dependency-free.
#pragma once
#include <cstddef>
#include <cstdint>
#include <fstream>
#include <string>
#include <vector>

namespace coz::io {

// A frame reduced to at most 256 colours: palette (RGB triples) and one index a pixel.
struct IndexedFrame {
  std::vector<uint8_t> palette;  // 3 * colours bytes
  std::vector<uint8_t> index;    // width * height
};

// Median cut over a 5-bit-per-channel histogram; each pixel takes the nearest palette colour of
// its histogram cell. `out` is reused between frames.
void quantize_frame(const uint8_t* rgb, int width, int height, std::ptrdiff_t stride, IndexedFrame& out);

class GifWriter {
 public:
  // Creates `path` (throws InvalidInput when it cannot) and writes the header for width x height.
  GifWriter(const std::string& path, int width, int height);
  // Appends a frame (height rows of width*3 RGB bytes, `stride` bytes apart) shown for delay_cs
  // hundredths of a second.
  void add_frame(const uint8_t* rgb, std::ptrdiff_t stride, int delay_cs);
  // Writes the trailer and closes the file; throws InvalidInput on a write error.
  void finish();

 private:
  void put(const void* p, size_t n);
  void put16(int v);
  std::string path_;
  std::ofstream f_;
  int width_, height_;
  IndexedFrame frame_;
  std::vector<int32_t> keys_;   // LZW string table: (prefix << 8 | byte) -> code, open addressing
  std::vector<uint16_t> codes_;
  std::string packed_;
};

}  // namespace coz::io
