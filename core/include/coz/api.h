// COZ_API marks what libcoz exports. The library is built with hidden default visibility, so only
// declarations in include/coz/ that carry this macro are part of its ABI.
#pragma once

#if defined(__GNUC__) || defined(__clang__)
#define COZ_API __attribute__((visibility("default")))
#else
#define COZ_API
#endif
