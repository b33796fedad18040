#include "weights/zip_archive.h"

#include <cstring>

#include "checked.h"
#include "coz/error.h"

namespace coz::weights {
namespace {

constexpr uint32_t kLocalSig = 0x04034b50, kCentralSig = 0x02014b50, kEndSig = 0x06054b50;
constexpr uint32_t kEnd64Sig = 0x06064b50, kLocator64Sig = 0x07064b50;

// Little-endian reads that never leave [0, n): callers check the range first with `fits`.
struct Bytes {
  const uint8_t* p;
  size_t n;
  bool fits(size_t off, size_t len) const { return off <= n && len <= n - off; }
  uint16_t u16(size_t o) const { return static_cast<uint16_t>(p[o] | (p[o + 1] << 8)); }
  uint32_t u32(size_t o) const { return u16(o) | (static_cast<uint32_t>(u16(o + 2)) << 16); }
  uint64_t u64(size_t o) const { return u32(o) | (static_cast<uint64_t>(u32(o + 4)) << 32); }
};

}  // namespace

ZipArchive::ZipArchive(const uint8_t* data, size_t size, std::string what)
    : data_(data), size_(size), what_(std::move(what)) {
  const Bytes b{data, size};
  auto corrupt = [&](const std::string& why) -> ModelLoadError {
    return ModelLoadError(what_ + ": not a valid PyTorch zip checkpoint (" + why +
                          "); the file is corrupt or truncated — download it again");
  };
  if (size < 22) throw corrupt("only " + std::to_string(size) + " bytes");
  // The end-of-central-directory record sits in the last 22 + 65535 (comment) bytes.
  size_t end = SIZE_MAX;
  const size_t lowest = size - 22 > 65535 ? size - 22 - 65535 : 0;
  for (size_t o = size - 22 + 1; o-- > lowest;)
    if (b.u32(o) == kEndSig) { end = o; break; }
  if (end == SIZE_MAX) throw corrupt("no end-of-central-directory record");
  uint64_t count = b.u16(end + 10), cd_size = b.u32(end + 12), cd_offset = b.u32(end + 16);
  if (count == 0xFFFF || cd_size == 0xFFFFFFFF || cd_offset == 0xFFFFFFFF) {
    if (end < 20 || b.u32(end - 20) != kLocator64Sig) throw corrupt("ZIP64 sizes without a ZIP64 locator");
    const uint64_t e64 = b.u64(end - 20 + 8);
    if (!b.fits(e64, 56) || b.u32(e64) != kEnd64Sig) throw corrupt("the ZIP64 end record is missing");
    count = b.u64(e64 + 32);
    cd_size = b.u64(e64 + 40);
    cd_offset = b.u64(e64 + 48);
  }
  if (!b.fits(cd_offset, cd_size)) throw corrupt("the central directory lies outside the file");
  size_t o = cd_offset;
  const size_t cd_end = cd_offset + cd_size;
  for (uint64_t i = 0; i < count; ++i) {
    if (cd_end - o < 46 || b.u32(o) != kCentralSig) throw corrupt("central directory entry " + std::to_string(i) + " is damaged");
    const uint16_t flags = b.u16(o + 8), method = b.u16(o + 10);
    uint64_t comp = b.u32(o + 20), uncomp = b.u32(o + 24), local = b.u32(o + 42);
    const size_t name_len = b.u16(o + 28), extra_len = b.u16(o + 30), comment_len = b.u16(o + 32);
    const size_t entry_len = 46 + name_len + extra_len + comment_len;
    if (cd_end - o < entry_len) throw corrupt("central directory entry " + std::to_string(i) + " runs past its end");
    std::string name(reinterpret_cast<const char*>(data + o + 46), name_len);
    // ZIP64 extended information: the fields that were saturated, in this order.
    for (size_t x = o + 46 + name_len, xe = x + extra_len; xe - x >= 4;) {
      const uint16_t id = b.u16(x), len = b.u16(x + 2);
      if (xe - x - 4 < len) throw corrupt("record " + name + " has a damaged extra field");
      if (id == 0x0001) {
        size_t f = x + 4;
        auto take = [&](uint64_t& v) {
          if (f + 8 > x + 4 + len) throw corrupt("record " + name + " has a short ZIP64 field");
          v = b.u64(f);
          f += 8;
        };
        if (uncomp == 0xFFFFFFFF) take(uncomp);
        if (comp == 0xFFFFFFFF) take(comp);
        if (local == 0xFFFFFFFF) take(local);
      }
      x += 4 + len;
    }
    o += entry_len;
    if (flags & 1) throw corrupt("record " + name + " is encrypted");
    if (method != 0 || comp != uncomp)
      throw ModelLoadError(what_ + ": record " + name + " is compressed; only uncompressed archives (as torch.save "
                           "writes them) are supported — load and save it again with torch.save");
    if (!b.fits(local, 30) || b.u32(local) != kLocalSig) throw corrupt("record " + name + " has no local header");
    uint64_t start = 0;
    if (!checked_add(uint64_t{local}, uint64_t{30} + b.u16(local + 26) + b.u16(local + 28), start) ||
        !b.fits(start, uncomp))
      throw corrupt("record " + name + " (" + std::to_string(uncomp) + " bytes) lies outside the file");
    if (!records_.emplace(name, Record{static_cast<size_t>(start), static_cast<size_t>(uncomp)}).second)
      throw corrupt("record " + name + " appears twice");
  }
}

const uint8_t* ZipArchive::data(const std::string& name, size_t* size) const {
  auto it = records_.find(name);
  if (it == records_.end())
    throw ModelLoadError(what_ + ": record " + name + " is missing; the file is corrupt or truncated — download it again");
  *size = it->second.size;
  return data_ + it->second.offset;
}

}  // namespace coz::weights
