// Overflow-checked arithmetic for sizes, offsets and products read from files: a crafted header
// must fail a check, never wrap around into a small number that passes one.
#pragma once
#include <cstdint>
#include <vector>

namespace coz {

template <class T>
bool checked_add(T a, T b, T& out) { return !__builtin_add_overflow(a, b, &out); }
template <class T>
bool checked_mul(T a, T b, T& out) { return !__builtin_mul_overflow(a, b, &out); }

// The number of elements of a shape: false if a dimension is negative, or the product overflows
// int64 (or exceeds `limit`). Zero-size shapes count their other dimensions too, so that strides
// computed for [0, 2^40, 2^40, 2^40] cannot overflow either.
inline bool checked_numel(const std::vector<int64_t>& shape, int64_t& numel, int64_t limit = INT64_MAX) {
  int64_t n = 1, span = 1;
  for (int64_t d : shape) {
    if (d < 0 || !checked_mul(n, d, n) || !checked_mul(span, d > 0 ? d : int64_t{1}, span)) return false;
  }
  if (n > limit) return false;
  numel = n;
  return true;
}

}  // namespace coz
