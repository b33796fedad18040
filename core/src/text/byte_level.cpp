#include "text/byte_level.h"

#include <functional>
#include <queue>
#include <tuple>

#include "text/unicode.h"

namespace coz::text::byte_level {

const std::array<char32_t, 256>& bytes_to_unicode() {
  static const std::array<char32_t, 256> table = [] {
    std::array<char32_t, 256> t{};
    char32_t n = 0;
    for (int b = 0; b < 256; ++b) {
      const bool direct = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
      t[b] = direct ? char32_t(b) : 256 + n++;
    }
    return t;
  }();
  return table;
}

int unicode_to_byte(char32_t c) {
  // The table maps bytes onto U+0021..U+0143: one lookup array covers the inverse.
  static const std::array<int16_t, 0x144> inverse = [] {
    std::array<int16_t, 0x144> inv{};
    inv.fill(-1);
    const auto& t = bytes_to_unicode();
    for (int b = 0; b < 256; ++b) inv[t[b]] = static_cast<int16_t>(b);
    return inv;
  }();
  return c < inverse.size() ? inverse[c] : -1;
}

std::string to_unicode(std::string_view bytes) {
  const auto& t = bytes_to_unicode();
  std::string out;
  out.reserve(bytes.size() * 2);
  for (char b : bytes) append_utf8(out, t[static_cast<unsigned char>(b)]);
  return out;
}

// Stale heap entries (a symbol since merged away, or a pair that changed) are skipped.
void merge_all(std::vector<int64_t>& ids, const Merges& merges) {
  if (ids.size() < 2) return;
  struct Symbol {
    int64_t id;
    long prev, next;
    bool alive;
  };
  std::vector<Symbol> sym(ids.size());
  for (size_t i = 0; i < ids.size(); ++i) sym[i] = {ids[i], long(i) - 1, i + 1 == ids.size() ? -1 : long(i) + 1, true};
  using Entry = std::tuple<int64_t, long, int64_t>;  // rank, position, merged id
  std::priority_queue<Entry, std::vector<Entry>, std::greater<Entry>> heap;
  auto push = [&](long pos) {
    if (pos < 0 || sym[pos].next < 0) return;
    auto it = merges.find(merge_key(sym[pos].id, sym[sym[pos].next].id));
    if (it != merges.end()) heap.emplace(it->second.first, pos, it->second.second);
  };
  for (long i = 0; i + 1 < long(sym.size()); ++i) push(i);
  while (!heap.empty()) {
    const auto [rank, pos, merged] = heap.top();
    heap.pop();
    Symbol& s = sym[pos];
    if (!s.alive || s.next < 0) continue;
    auto it = merges.find(merge_key(s.id, sym[s.next].id));
    if (it == merges.end() || it->second.second != merged) continue;
    Symbol& right = sym[s.next];
    right.alive = false;
    s.id = merged;
    s.next = right.next;
    if (s.next >= 0) sym[s.next].prev = pos;
    push(s.prev);
    push(pos);
  }
  ids.clear();
  for (const Symbol& s : sym)
    if (s.alive) ids.push_back(s.id);
}

}  // namespace coz::text::byte_level
