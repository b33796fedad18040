// Unicode tables and transforms shared by the tokenizers (see unicode.h). The tables are generated
// data at the end of this file; the comment there says where each comes from.
#include "text/unicode.h"

#include <algorithm>
#include <cstdint>
#include <unordered_map>
#include <utility>
#include <vector>

namespace coz::text {
namespace {

struct PackedTables {
  const char* letters;          // \p{L} ranges
  const char* numbers;          // \p{N} ranges
  const char* lower;            // single-code-point lowercase mappings
  const char* combining_class;  // canonical combining classes
  const char* decompositions;   // canonical decompositions
};
PackedTables packed_tables();   // generated data, at the end of this file

// Unsigned numbers in base 32, most significant digit first; digits 32..63 mean "more follow".
std::vector<uint32_t> unpack(const char* s) {
  std::vector<uint32_t> out;
  uint32_t v = 0;
  for (; *s; ++s) {
    const char c = *s;
    const int d = c >= '0' && c <= '9' ? c - '0'
                  : c >= 'A' && c <= 'Z' ? c - 'A' + 10
                  : c >= 'a' && c <= 'z' ? c - 'a' + 36
                  : c == '+' ? 62 : 63;
    v = v * 32 + static_cast<uint32_t>(d & 31);
    if (d < 32) {
      out.push_back(v);
      v = 0;
    }
  }
  return out;
}

int64_t unzigzag(uint32_t n) { return (n & 1) ? -static_cast<int64_t>((n + 1) / 2) : static_cast<int64_t>(n / 2); }

struct UnicodeData {
  std::vector<std::pair<char32_t, char32_t>> letters, numbers;  // sorted, inclusive
  std::unordered_map<char32_t, char32_t> lower;
  std::unordered_map<char32_t, uint8_t> ccc;
  std::unordered_map<char32_t, std::pair<char32_t, char32_t>> decomp;  // second = 0 for singletons
  std::unordered_map<uint64_t, char32_t> compose;                     // primary composites

  UnicodeData() {
    const PackedTables t = packed_tables();
    auto ranges = [](const char* s) {
      std::vector<std::pair<char32_t, char32_t>> r;
      const auto v = unpack(s);
      char32_t prev = 0;
      for (size_t i = 0; i + 1 < v.size(); i += 2) {
        const char32_t a = prev + v[i], b = a + v[i + 1];
        r.emplace_back(a, b);
        prev = b;
      }
      return r;
    };
    letters = ranges(t.letters);
    numbers = ranges(t.numbers);
    auto v = unpack(t.lower);
    char32_t prev = 0;
    for (size_t i = 0; i + 3 < v.size(); i += 4) {
      const char32_t start = prev + v[i];
      for (uint32_t k = 0; k < v[i + 1]; ++k)
        lower[start + k * v[i + 3]] = static_cast<char32_t>(start + k * v[i + 3] + unzigzag(v[i + 2]));
      prev = start;
    }
    v = unpack(t.combining_class);
    prev = 0;
    for (size_t i = 0; i + 2 < v.size(); i += 3) {
      const char32_t a = prev + v[i], b = a + v[i + 1];
      for (char32_t c = a; c <= b; ++c) ccc[c] = static_cast<uint8_t>(v[i + 2]);
      prev = b;
    }
    v = unpack(t.decompositions);
    prev = 0;
    for (size_t i = 0; i + 2 < v.size(); i += 3) {
      const char32_t c = prev + v[i];
      const char32_t first = static_cast<char32_t>(c + unzigzag(v[i + 1]));
      const char32_t second = v[i + 2] == 1 ? 0 : (v[i + 2] - 2) >> 1;
      decomp[c] = {first, second};
      if (v[i + 2] != 1 && !((v[i + 2] - 2) & 1)) compose[(uint64_t(first) << 32) | second] = c;
      prev = c;
    }
  }
};

const UnicodeData& unicode() {
  static const UnicodeData data;
  return data;
}

bool in_ranges(const std::vector<std::pair<char32_t, char32_t>>& r, char32_t c) {
  auto it = std::upper_bound(r.begin(), r.end(), c, [](char32_t x, const auto& p) { return x < p.first; });
  return it != r.begin() && c <= std::prev(it)->second;
}

uint8_t combining_class(char32_t c) {
  if (c < 0x300) return 0;
  const auto& m = unicode().ccc;
  auto it = m.find(c);
  return it == m.end() ? 0 : it->second;
}

// Hangul syllables decompose and compose arithmetically (Unicode §3.12).
constexpr char32_t kSBase = 0xAC00, kLBase = 0x1100, kVBase = 0x1161, kTBase = 0x11A7;
constexpr char32_t kLCount = 19, kVCount = 21, kTCount = 28, kSCount = kLCount * kVCount * kTCount;

void decompose(char32_t c, std::u32string& out) {
  if (c >= kSBase && c < kSBase + kSCount) {
    const char32_t s = c - kSBase;
    out.push_back(kLBase + s / (kVCount * kTCount));
    out.push_back(kVBase + (s % (kVCount * kTCount)) / kTCount);
    if (s % kTCount) out.push_back(kTBase + s % kTCount);
    return;
  }
  const auto& m = unicode().decomp;
  auto it = m.find(c);
  if (it == m.end()) {
    out.push_back(c);
    return;
  }
  decompose(it->second.first, out);
  if (it->second.second) decompose(it->second.second, out);
}

char32_t compose(char32_t a, char32_t b) {
  if (a >= kLBase && a < kLBase + kLCount && b >= kVBase && b < kVBase + kVCount)
    return kSBase + ((a - kLBase) * kVCount + (b - kVBase)) * kTCount;
  if (a >= kSBase && a < kSBase + kSCount && (a - kSBase) % kTCount == 0 && b > kTBase && b < kTBase + kTCount)
    return a + (b - kTBase);
  const auto& m = unicode().compose;
  auto it = m.find((uint64_t(a) << 32) | b);
  return it == m.end() ? 0 : it->second;
}

}  // namespace

bool is_letter(char32_t c) {
  if (c < 0x80) return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
  return in_ranges(unicode().letters, c);
}
bool is_number(char32_t c) {
  if (c < 0x80) return c >= '0' && c <= '9';
  return in_ranges(unicode().numbers, c);
}
bool is_space(char32_t c) {
  return (c >= 0x09 && c <= 0x0D) || c == 0x20 || c == 0x85 || c == 0xA0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200A) ||
         c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000;
}

std::u32string decode_utf8(std::string_view s, Utf8Errors errors) {
  std::u32string out;
  out.reserve(s.size());
  size_t i = 0;
  while (i < s.size()) {
    const auto b = static_cast<unsigned char>(s[i]);
    if (b < 0x80) {
      out.push_back(b);
      ++i;
      continue;
    }
    // The well-formed sequences of Unicode table 3-7: the lead byte fixes the length and the range
    // of the second byte (which excludes overlong forms, surrogates and code points past U+10FFFF).
    const int n = b >= 0xC2 && b <= 0xDF ? 1 : b >= 0xE0 && b <= 0xEF ? 2 : b >= 0xF0 && b <= 0xF4 ? 3 : 0;
    const unsigned lo = b == 0xE0 ? 0xA0 : b == 0xF0 ? 0x90 : 0x80;
    const unsigned hi = b == 0xED ? 0x9F : b == 0xF4 ? 0x8F : 0xBF;
    char32_t c = n == 1 ? (b & 0x1F) : n == 2 ? (b & 0x0F) : (b & 0x07);
    int valid = 0;  // continuation bytes that fit
    while (valid < n && i + 1 + valid < s.size()) {
      const auto cb = static_cast<unsigned char>(s[i + 1 + valid]);
      if (valid == 0 ? (cb < lo || cb > hi) : (cb >> 6) != 2) break;
      c = (c << 6) | (cb & 0x3F);
      ++valid;
    }
    if (n > 0 && valid == n) {
      out.push_back(c);
      i += n + 1;
      continue;
    }
    out.push_back(0xFFFD);
    i += errors == Utf8Errors::MaximalSubpart ? 1 + valid : 1;
  }
  return out;
}

void append_utf8(std::string& out, char32_t c) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
}

std::string encode_utf8(std::u32string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char32_t c : s) append_utf8(out, c);
  return out;
}

std::string replace_invalid_utf8(std::string_view bytes) {
  return encode_utf8(decode_utf8(bytes, Utf8Errors::MaximalSubpart));
}

std::u32string nfc(const std::u32string& s) {
  if (std::all_of(s.begin(), s.end(), [](char32_t c) { return c < 0x300; })) return s;  // nothing below U+0300 changes
  std::u32string d;
  for (char32_t c : s) decompose(c, d);
  for (size_t i = 1; i < d.size(); ++i) {  // stable sort of each run of non-starters by class
    const uint8_t ci = combining_class(d[i]);
    for (size_t j = i; ci && j > 0 && combining_class(d[j - 1]) > ci; --j) std::swap(d[j - 1], d[j]);
  }
  std::u32string out;
  long starter = -1;
  uint8_t last_cc = 0;
  for (char32_t c : d) {
    const uint8_t cc = combining_class(c);
    if (starter >= 0 && (out.size() == size_t(starter) + 1 || (last_cc != 0 && last_cc < cc))) {
      if (char32_t comp = compose(out[starter], c)) {
        out[starter] = comp;
        continue;
      }
    }
    if (cc == 0) starter = static_cast<long>(out.size());
    last_cc = cc;
    out.push_back(c);
  }
  return out;
}

std::u32string lowercase(const std::u32string& s) {
  std::u32string out;
  out.reserve(s.size());
  const auto& m = unicode().lower;
  for (char32_t c : s) {
    if (c < 0x80) {
      out.push_back(c >= 'A' && c <= 'Z' ? c + 32 : c);
    } else if (c == 0x130) {
      out += U"i\u0307";
    } else {
      auto it = m.find(c);
      out.push_back(it == m.end() ? c : it->second);
    }
  }
  return out;
}

namespace {
// ------------------------------------------------------------------------------- generated data
// Each table is a list of unsigned numbers packed by
//   def pack(nums):  # base 32, most significant digit first; digit values 32..63 mean "more follow"
//       A = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz+/"; out = ""
//       for n in nums:
//           d = [n & 31]; n >>= 5
//           while n: d.append(n & 31); n >>= 5
//           out += "".join(A[x + 32] for x in reversed(d[1:])) + A[d[0]]
//       return out
// with zz(n) = 2n for n >= 0, -2n-1 below. Contents and sources, chosen to be what the reference
// (tokenizers 0.23.2) uses; they were checked against it code point by code point:
//   letters, numbers  [first - previous last, last - first] per range, from CR_L / CR_N of Oniguruma
//                     6.9.10 src/unicode_property_data.c (Unicode 16.0; tokenizers' regex engine);
//   lower             [start - previous start, count, zz(lower - upper), stride] runs of the one-code-
//                     point lowercase mappings of Unicode 17.0 (Rust's char::to_lowercase);
//   combining_class   [first - previous last, last - first, class] runs, Python 3.11 unicodedata
//                     (Unicode 14.0);
//   decompositions    [cp - previous cp, zz(first - cp), 1 for singletons else 2*second + 2 + x]
//                     for every canonical decomposition of Python 3.11 unicodedata, x = 1 where the
//                     pair does not recompose (composition exclusions); U+11938 is left out, as in the
//                     older Unicode data of the reference's NFC (unicode-normalization-alignments).
PackedTables packed_tables() {
  static const char letters[] =
      "Y1P7PXG0B0506M2U2k95BF48020a242133207022202J2YI2aA9b52X5307X8Y8Q53XEXAX412Z220G181B230H02TUYOC0P"
      "X0A1506L50A040OO8A6N25IX9XRXL40J089GF57313L26204340H0E122F1B095513L26212121X0320K2H8222L26212440"
      "J0G1O0C7313L26212440V122G0I025422341202141424BN0XL7222M2F40R23031V057222M292440X0121G1I8222X830H"
      "06292P56H4N282036XRXF21D6XR120242N202921A03420M3X10Y072X3S4ZKXAL0H5534041825CD0IX520603XA2gC2336"
      "20233X8233X0233620233E2XO233Y2X6FHYL354pB3G2P6YA778HEIFHFC22GXJX4050Y4YO843X1206Y5BUXIT34CXB5PXN"
      "MAXKYJ0YUXEI7XNTE1BXBRX3XA2BX33A6XA32XA32521406bVY1eL353X535372020202U3XK2620422643355C6226ZL0E0"
      "HCZ6050392044702020232A336450XL1YpSd47341DX520603XN80HMA626262626262626YH0kM1XB4615YL722YP236XA2"
      "YTIVXHFm1cjVY1rqCY4XD3eC4FB1LXEHU3Y5XI83Z63Y2312027MF22232MUXJFXHXV54021CRBMQS8XET0H429B42X8O227"
      "LM404XH2041343020P23A82D53535A6262XA2D7ZIUgz3DM5XGee5hD3Z9X76D460292C242021212ZBX2hAJXV3XLX9BZL4"
      "2a6X5P7PCYO45353532X4B2P2I212E3DX3ZQi6S4XGXGVEJ277X5BT3X357XHaTJX35X35X79XJDA2E26212A2E26214XJDf"
      "MALB7P52X928Y65302XB21403MBMAUY2I21BLBPY7XN71Y10G3222SXBS4SX472RSXLBLBIEHZFY8XOXIEXIEX3X7RAMdRX9"
      "71H2XSSB09LXBHXFKSMDXKXQ130EXCX1ORX3U0309X240DXFF3M020X4H2OK1Y0620232E298XEX77313L26212440J0D4V9"
      "20302X520Q020XDXKJ3L2VXFL120bPXEXA3X5XFL0XSXAE0Y8QX66bQXBZLXVX073037212NG020YV73X6H020T0BX780M0C"
      "XDK0JY8c8X0X082X4I0XITZH6212X5M0Q5212VF0g8IG02C2X1ZT0YGyPd7c3YoDZ0GXXFI5QZyQ6o6crQTXt3nO8UIYEITJ"
      "XFH3X0K6IjHXCcKXVa1YA60Y3CY1120Tb/N9XcLXA9et8326212f2G0U230F39iBYe5ZA6C4889bx7YK2Y6213031332B202"
      "62Y02337262R232420462gJ3O2O2U2O2U2O2U2O2U2O27XvLU75e6XTaJXCB6H0g2TJXBl5Rd5T30lG623212E2c4XSY380X"
      "bL32Q2120302923202070502020222120302020202021203326232320292G62242Gag5XfsVX1aXP7cT3bq1FdfGGpDYj3"
      "mTXl3awA6aYV";
  static const char numbers[] =
      "XG9ZP16032Xj29a79c79iT9ZN955ZD9ZN9ZN935ZFCZK996Z89Z968IZE9Z19ZN9Y7JeD9Y79sGJxI2dG979N9fD9a1Ab697"
      "9bN9YN9a7979XWN04579c7XI34sNXRYFLpNTXhA0uA0Q8F2gO3aB9V72EX19X8Eyx19bT9g15aR9X79c79N9YN9iN9quN9lE"
      "XCDXOI1gMQX53U090a74cB9zF7Q6X88YC4N5b113F3XDY18XL1V2YC4Z97P7XA6gB5XH979eNUaV9XB3ZH6a7Ta19XT9aH98"
      "JdS9gN9ZN9hN9Z797JYDBj5IYU9qN9YNSd49Y79j79Z7KXXCZElc29Yf79YN9a7926mF9e7MtoQ9Xk7JDJZDOXYMXHYg19j7"
      "9lN9dO9sD8a19uOXQ2223YDXC2E+3CYt49";
  static const char lower[] =
      "Y1QY01ZVNY01O7Y01X8O22XI3227822HN22XE1dH1132281j41122241iS1112122iQ1212131aU111iK111iM1112121iQ1"
      "11iU121j6111j21112141j6111jA121jC1132261jK1112121jK1312121jK1112122jI1222241jM111214121814111212"
      "141112121411922J922J141122241c1111ZF11K22X81e312922O1rYM1112121g5111rYG1312121i5111aA111aE11522f"
      "A222612191d8171YC123YA141a0122ZU13HY01I9Y01XC1G19C22S1ZN1312121D1112133e313Gb01GX0Y01YGH22XAR22X"
      "M1U11722FXG22Z1X6Z01YxFX6kc01X71kc0161kc01sJYGYhz01YG6G1YaP1217XBbxV1XD3bxV1g3YB22aU1kxT12XG22Z8"
      "8F1G6F1G8F1G8F1G6F1H4F2F8F1X08F1G8F1G8F1G2F122aJ121H1C4bB141H1C2F122c71E2F122cV121D1C2dV122dR121"
      "H1fA1krP141mhT111maB171XO1XEGX01X3121vJQXK1XwAXGZ01Z012121q/D111dkB111q+D1332261rXN111q/P111rXT1"
      "11rXR12121312192rZT12XI22ZB2227121+gEN22Y0E22b2722GV22Y722241YbW711522D12121YooF132226A22K1Yoq71"
      "11YoqT111YoqL111Yoq1111Yoq7121Yon3111YooJ111Yon9111Xw011822G1YV111Yoq5111YbZF1122241YosD11822G1Y"
      "pa11P121rvCQY01XcVX8YG1bGX4YG1c0BYE1CFYE1G7YE182YE1XtCXJa01cGMY01YwGX0Y01rj0X0Y01Z0PXM1+p0X2Y41";
  static const char combining_class[] =
      "u0Kd610d813cS10d810cO14cS11cA13cS11cA1AcS14113cS17d610dG10d612cS12d611cS22d613cS10d610d811cS10d6"
      "10d911dA10d911dA10d91Cd6eK4d6eA0cS13d610cS12d610cU10cS15d615cS11d610cS11d610cU10d410d610A10B10C1"
      "0D10E10F10G10H10I11J10K10L10M20N20O10P20d610cS20IY97d610U10V10X0XH0R10S10T10U10V10X010X110X211d6"
      "11cS14d610cS11d610cSH0X3Z66d633d610cS10d631d620cS11d610cSX40X4V0d610cS11d610cS11d612cS10d611cS10"
      "d610cS12d610cS10d610cS10d610cS10d610cS11d6b16d610cS10d6A0cSP3d628d622d624d6XC2cSXT0d612cS13d6XB4"
      "d614cS1Dd620cS11d610cS11d610cS12d612cS10R10S10T12d610cS11d611cS14d6XT07H0940d610cS11d6Z807H09XH0"
      "d6XU07H09ZF07H09ZF07H09a009ZF07H0980YK10YRZ607H09ZE19H09ZT09ZE1Z7109E3ZBZD1ZM109E3ZQYD1cSS0cS20c"
      "S20cOXO0a110a220a463a230a221d610921d6XV0cSZH07219YJ0cSsG2d6zL19V09aU09B0d6cC0d4aG0cU10d610cScS0d"
      "610cSY809L7d630cSXH4d615cS11d610cS21cS11d611cS14d610cS13d6Z607G09X70d610cS16d6XN19XR07C19Y407aP2"
      "d620114cS11d613cS10d626150cS70d641d6c71d610cS16d610cS11d610dA10cM10cS10cA1X4d610d811d410cS10cQ10"
      "d610d910cS10d610cSsH1d611113d612111d650d641110d610cS10d611113cS10d6Y/V2d6aE09Z1Vd6nB0cQ10d410d81"
      "0cU11d0ZA18zkL0d659d6X11d6YH1d6eL09X609aO09SHd6XQ2cSX609Z007D09dG0d621d610cS31d661d620d6XL09dN09"
      "pvH0Qu26d616cS11d6+E0cSd30cSaM4d6XqJ0cS20d6X90d610110cS509b60d610cSnU3d6i41d6aQ1cS12d610cS10d613"
      "cSXI0d610cS10d610cSc109XA09F09XQ09107Y62d6XH19XV07YD09A07ZB09107bJ07109YH17H09P6d644d6cE09407O0d"
      "6Z409107dS09107ZV09ZN09107ZK09eE09107e319507aT09YK09J09YI09j609e307219YI09pgP41XS6d6XbQ16pbD01bc"
      "71cO12140d214cO97cS34d611cSV3d6aL2d6ZjS6d62Gd636d621d624d6e66d6hO0d6XU3d6Xl16cSZE5d6107";
  static const char decompositions[] =
      "c0dTXm21dVXm41e1Xm61e3Xm81e5XmI1e7XmM2e7XoG1e5Xm21e7Xm41e9Xm61eBXmI1e5Xm21e7Xm41e9Xm61eBXmI2e5Xm"
      "81e5Xm21e7Xm41e9Xm61eBXm81eDXmI3e7Xm21e9Xm41eBXm61eDXmI1e7Xm43dTXm21dVXm41e1Xm61e3Xm81e5XmI1e7Xm"
      "M2e7XoG1e5Xm21e7Xm41e9Xm61eBXmI1e5Xm21e7Xm41e9Xm61eBXmI2e5Xm81e5Xm21e7Xm41e9Xm61eBXm81eDXmI3e7Xm"
      "21e9Xm41eBXm61eDXmI1e7Xm42eBXmI1hTXmA1fVXmA1i1XmE1g3XmE1i5XoI1g7XoI1i5Xm41g7Xm41i9Xm61gBXm61iDXm"
      "G1gFXmG1iHXmQ1gJXmQ1iJXmQ1gLXmQ3iPXmA1gRXmA1iTXmE1gVXmE1j1XmG1h3XmG1j5XoI1h7XoI1j9XmQ1hBXmQ1j9Xm"
      "61hBXm61jDXmE1hFXmE1jHXmG1hJXmG1jLXoG1hNXoG1jNXm61hPXm63jTXm81hVXm81k1XmA1i3XmA1k5XmE1i7XmE1k9Xo"
      "I1iBXoI1kDXmG4kJXm61iLXm61kLXoG1iNXoG2kPXm41iRXm41kTXoG1iVXoG1l1XmQ1j3XmQ5l9Xm41jBXm41lDXoG1jFXo"
      "G1lHXmQ1jJXmQ4lPXmA1jRXmA1lTXmE1jVXmE1m1XmO1k3XmO3m3Xm41k5Xm41m7XoG1k9XoG1mBXmQ1kDXmQ1mDXm41kFXm"
      "41mHXm61kJXm61mLXoG1kNXoG1mPXmQ1kRXmQ1mRXoG1kTXoG1mVXmQ1l1XmQ3n5Xm81l7Xm81n9XmA1lBXmA1nDXmE1lFXm"
      "E1nHXmM1lJXmM1nLXmO1lNXmO1nPXoI1lRXoI1nPXm61lRXm61nPXm61lRXm61nTXmI1nTXm41lVXm41o1XmG1m3XmG1o5Xm"
      "Q1m7XmQX2r1XnO1p3XnOErJXnO1pLXnOTuNXmQ1sPXmQ1uBXmQ1sDXmQ1u3XmQ1s5XmQ1tRXmQ1rTXmQ1lHXmA1jJXmA1lLX"
      "m41jNXm41lPXmQ1jRXmQ1lTXm21jVXm22nJXmA1lLXmA1aCXmA1aCXmA1nNXmA1lPXmA3vTXmQ1tVXmQ1vPXmQ1tRXmQ1vLX"
      "oI1tNXoI13XmA13XmA1ZDXmQ1g6XmQ1uBXmQ4wPXm41uRXm43wJXm21uLXm21p9Xm41nBXm41pBXm41nDXm41oBXm41mDXm4"
      "1xTXn01vVXn01y1Xn41w3Xn41xTXn01vVXn01y1Xn41w3Xn41xTXn01vVXn01y1Xn41w3Xn41xPXn01vRXn01xTXn41vVXn4"
      "1xRXn01vTXn01xVXn41w1Xn41xTXn01vVXn01y1Xn41w3Xn41y9XoE1wBXoE1yBXoE1wDXoE3zBXmQ1xDXmQ7+9XmG1yBXmG"
      "1+5XoG1y7XoG1r7XmA1p9XmA1rDXmA1pFXmA1zTXmG1xVXmG13XmA13XmA1zHXmA1xJXmAeDZV11ZV12YV11ZNXm5XGhL1AX"
      "q517XjPXm41MXm41XiV11QXm41SXm41UXm42X6Xm42XEXm41XKXm41ZKXm4QX1XmI1BXmI1AXm41GXm41IXm41KXm41XMXm4"
      "QX1XmI1BXmI1PXm41FXm419Xm451Xm413XmIXCXAXm21X8XmI2X0Xm441XmI5SXm41MXm21XAXmEB1XmEX01XmENXLXm21XN"
      "XmI2XVXm441XmI5Y3Xm41Y9Xm21XLXmEO3Xn013Xn0YAgLXmE1eNXmEEhVXmE1g1XmE1i3XmI1g5XmI3i1XmE1g3XmE33XmI"
      "13XmI1iBXmI1gDXmI1iDXmI1gFXmI3iJXmA1gLXmA1iNXmI1gPXmI1iFXmI1gHXmI33XmI13XmI1hTXmI1fVXmI1iLXmA1gN"
      "XmA1iPXmI1gRXmI1iTXmO1gVXmO1iPXmI1gRXmI3iPXmI1gRXmIf9AZb818ZbA1Y8ZbA14ZbC1Y8ZbAaQXAZbA21ZbAH1ZbA"
      "oM1apQ81apQ31apQX4a5apR1a5apR1a5apR1ZTapR1ZLapR1ZLapR1Z5apR1YVapRZC7axU19azGGZLaxR1ZLaxR2YVaxRYK"
      "1bZR34bZRX3a5bZR1a5bZR1ZTbZR3Z5bZRdA1brE37bpU19brGGZLbpR1ZLbpRXN3bzGXM7bxU17bxU1BbzGZS3cbEZO1cjC"
      "71cjC13cjE27ci611cjCZV7cpU17cpU1BcrGaE1cyM25cz011cyM19c+0h51dxHA1dxH51dxH51dxH51dxHDYHdxDA3dt727"
      "dtB1ZOdu32ZMdu39Vdu3I1dxHA1dxH51dxH51dxH51dxHDYHdxDZD1eYUYt01jpC21jpC21jpC21jpC21jpC41jpCX91jpC2"
      "1jpC33jpC13jpC21jpCrTkxTXoC1kvVXoC1kxVXmG1kw1XmG1ky3Xo81kw5Xo81ky7Xp41kw9Xp41kq1Xm41ko3Xm41kyBXm"
      "G1kwDXmG1kyFXo81kwHXo81kyJXp41kwLXp41kyNXoG1kwPXoG1kyRXoS1kwTXoS1km3Xm21km3Xm21km7Xm41km7Xm41kz5"
      "XoS1kx7XoS1kz9Xp21kxBXp21j/7XmE1j/7XmE1kzFXmG1kxHXmG1kzHXmA1kxJXmA1kzJXmG1kxLXmG1kzNXo81kxPXo81k"
      "zRXmI1kxTXmI1kzVXoG1ky1XoG1k+3XoU1ky5XoU1k+5Xp21ky7Xp21krTXm41kpVXm41k+9Xm41kyBXm41k+DXo81kyFXo8"
      "1k+HXp41kyJXp41k+JXo81kyLXo813XmA13XmA1k+RXp41kyTXp41k+VXoS1kz1XoS1k/1Xm41kz3Xm41k/5XmG1kz7XmG1k"
      "/9Xo81kzBXo81k/BXmG1kzDXmG1k/FXo81kzHXo81k/JXp41kzLXp41k/NXoS1kzPXoS1ktDXm41krFXm41ktHXmI1krJXmI"
      "1km7Xm21km7Xm21kmBXm41kmBXm41lW7Xm41k+9Xm41lWBXmG1k+DXmG1lWBXmG1k+DXmG1lWFXo81k+HXo813XmA13XmA1l"
      "WNXp41k+PXp41lWPXmG1k+RXmG1lWTXo81k+VXo81kmJXmG1kmJXmG1kmBXmG1kmBXmG1BXmG1BXmG1lXBXmG1k/DXmG1lXF"
      "Xo81k/HXo81lXJXp41k/LXp41lXNXoS1k/PXoS1lXPXoA1k/RXoA1lXTXp21k/VXp21lY1XoS1lW3XoS1kmVXm41kmVXm41k"
      "mVXmI1kmVXmI1lYBXm81lWDXm81lYFXo81lWHXo81lYHXm21lWJXm21lYLXm41lWNXm41lYPXmI1lWRXmI1lYTXmG1lWVXmG"
      "1lZ1Xo81lX3Xo81lZ3XmG1lX5XmG1lZ7XmI1lX9XmI1lZ9XmG1lXBXmG1lZBXm61lXDXm61lZFXo81lXHXo81lZJXp41lXLX"
      "p41lYRXp41lY5XmI1lY1XmM1lXVXmM2knNXmG5lbTXo81lZVXo81lc1XmK1la3XmK1k+3Xm41ky5Xm41k+7Xm21ky9Xm21k+"
      "BXmK1kyDXmK1k+FXm81kyHXm81NXm61NXm61kwNXm41kwNXm41kwRXm21kwRXm21kwVXmK1kwVXmK1kx3Xm81kx3Xm81XBXm"
      "E1XBXmE1ld5Xo81lb7Xo81ld9XmK1lbBXmK1ldDXm81lbFXm81k/7Xm41kz9Xm41k/BXm21kzDXm21k/FXmK1kzHXmK1k/JX"
      "m81kzLXm81RXm61RXm61ldTXmK1lbVXmK1le1Xo81lc3Xo81ldPXo81lbRXo81ldTXmK1lbVXmK1k/NXm41kzPXm41k/RXm2"
      "1kzTXm21k/VXmK1k+1XmK1lW3Xm81k+5Xm81NXm61NXm61kpJXm41kpJXm41kpNXm21kpNXm21kpRXmK1kpRXmK1kpVXm81k"
      "pVXm81kq3Xo81kq3Xo81leTXo81lcVXo81lf1XmK1ld3XmK1kpHXm41kpHXm41kpLXm21kpLXm21kpPXmK1kpPXmK1kpTXm8"
      "1kpTXm81kq1Xo81kq1Xo81lfHXm21ldJXm21lfLXo81ldNXo81lfPXmK1ldRXmK1lfTXm81ldVXm87jqTXn81jqVXnA13Xm2"
      "13Xm217Xm417Xm41BXq61BXq61jtDXn81jtFXnA13Xm213Xm217Xm417Xm41BXq61BXq61jrLXn81jrNXnA13Xm213Xm217X"
      "m417Xm43ju5Xn81ju7XnA13Xm213Xm217Xm417Xm43jsHXn81jsJXnA13Xm213Xm217Xm417Xm41BXq61BXq61jv1Xn81jv3"
      "XnA13Xm213Xm217Xm417Xm41BXq61BXq61jtDXn81jtFXnA13Xm213Xm217Xm417Xm41BXq61BXq61jvTXn81jvVXnA13Xm2"
      "13Xm217Xm417Xm41BXq61BXq61ju1Xn81ju3XnA13Xm213Xm217Xm417Xm43jwHXn81jwJXnA13Xm213Xm217Xm417Xm43ju"
      "LXn81juNXnA13Xm213Xm217Xm417Xm41BXq61BXq62jx7XnA23Xm227Xm42BXq61jvDXn81jvFXnA13Xm213Xm217Xm417Xm"
      "41BXq61BXq61jxTXn81jxVXnA13Xm213Xm217Xm417Xm41BXq61BXq61jxTXm21jy911jxPXm21jyB11jxPXm21jyD11jxPX"
      "m21jyF11jxHXm21jwP11jx9Xm21jwR11jx5Xm21jwT13dVXqC1dVXqC1dVXqC1dVXqC1dVXqC1dVXqC1dVXqC1dVXqC1dVXq"
      "C1dVXqC1dVXqC1dVXqC1dVXqC1dVXqC1dVXqC1dVXqC1cVXqC1cVXqC1cVXqC1cVXqC1cVXqC1cVXqC1cVXqC1cVXqC1cVXq"
      "C1cVXqC1cVXqC1cVXqC1cVXqC1cVXqC1cVXqC1cVXqC1ZVXqC1ZVXqC1ZVXqC1ZVXqC1ZVXqC1ZVXqC1ZVXqC1ZVXqC1ZVXq"
      "C1ZVXqC1ZVXqC1ZVXqC1ZVXqC1ZVXqC1ZVXqC1ZVXqC1j/TXmE1j/VXmA1a3XqC1kW3XqC1kWFXqC2kW9Xq611XqC1kYDXmE"
      "1kYFXmA1kYHXm21kZ911kYLXqC2kW913lnHXq61aRXqC1kWNXqC1kXBXqC2kWTXq611XqC1kZ5Xm21ka111kZ5Xm21ka311k"
      "Z9XqC1RXm21TXm41VXq61kXDXmE1kXFXmA1kWFXm21ka513kXPXq61kWPXq61kZTXmE1kZVXmA1ka1Xm21kb112Y2Xm21Y0X"
      "m41XUXq61kXLXmE1kXNXmA1kXDXm21kZ511kY5Xn81kY7XnA1kY1Xq61kXNXq61ka5XmE1ka7XmA1ka9Xm21kbP11kaLXnA1"
      "lq9Xm21kcH11luT13dBXqC1kYJXqC1kYBXqC2kYPXq611XqC1kbHXm21kcP11kb1Xm21kcN11kb5XqC1lqH1341141f5ktP1"
      "4mjT11mcB1ZFJXpI1HXpIJXJXpIV6XpI1CXpI16XpIXL1XpI51XpI31XpIO1XpI21XpIR9XpI31XpI33XpI21XpINnY5XpI2"
      "1XpIBXVXpI1nZ3XpI1nZ1XpI1NXpI1NXpI33XpI13XpI33XpI13XpI7BXpI1BXpI33XpI13XpI33XpI13XpIX3JXpI19XpI1"
      "9XpI17XpIXHc7XpI1c7XpI1b1XpI1b1XpI7ZFXpI1ZFXpI1ZFXpI1ZFXpIXScjU11cjU1XzI2XpJXhG1ufK21ufK21ufK21u"
      "fK21ufK21ufK21ufK21ufK21ufK21ufK21ufK21ufK31ufK21ufK21ufK71ufK13ufM21ufK13ufM21ufK13ufM21ufK13uf"
      "M21ufK13ufMNaRufKA1ufKE1ufK21ufK21ufK21ufK21ufK21ufK21ufK21ufK21ufK21ufK21ufK21ufK31ufK21ufK21uf"
      "K71ufK13ufM21ufK13ufM21ufK13ufM21ufK13ufM21ufK13ufMNaRufK3FufK1FufK1FufK1FufK41ufKXoW2XshF11YfWP"
      "11XrZF11XsZL11YbZ511Yrj511Yoo111XisL11XisN11YlxF11XppH11Ynu711Yly711YhnD11YXg911XyuJ11Xvj111XurD"
      "11XuXJ11Xqe711Ydn311Yb/J11YaZP11YYpH11XwjL11XpwT11XloH11YrfH11YowD11YdXH11YZm511Xvl311Xjm311Yjz1"
      "11YapD11XvrB11XtxV11YhbN11XxqR11XumF11YjbR11YfX311YbxV11YZYT11XqbR11YqwD11YptD11Ypb111YgcN11YdbR"
      "11YZo311YXaN11Xyp511XvoT11XvjJ11XrqF11XnWB11XkyJ11XjpV11YWgT11X/xP11XzvP11Xwt911XpZL11Xji111XtcL"
      "11Ymc511YjZT11X+k711XyiD11YZk711YWdP11XseB11Xnb311Ymd311YkkH11YdpH11Ybt511YbZT11X+XV11XznH11XnmB"
      "11YpdV11XyiF11YptF11YpuH11X/pJ11XzvH11XwsD11Xnk711XszJ11YheN11YdrJ11XtbT11Yro911YktF11YiqR11YYzJ"
      "11YX/311YpaN11YWcH11YqwB11YixP11YrrJ11YcfN11Yf/111X+aF11YowF11YmmR11YXcN11Xwo911Xti911YcxB11Xqy1"
      "11YckJ11Yhd911XxeT11Ygz911YYX111YriH11YqWT11YpwV11YelH11X+f711XxmP11XtgL11XpwT11YpeJ11YopR11YmWR"
      "11YjfB11YfxR11YauB11YWbL11XnzH11XlnP11Xjl111XjhL11YpkT11Yfi911YdX911XrYL11YjnJ11Yh/T11YhuV11YglD"
      "11YbcT11YaaJ11YYmL11X/yL11Xzw311XyoF11Xrd311XwgL11XqtD11Xpb111Ypu911YplJ11Yok111YajD11XujR11XtlD"
      "11YjjH11YiwR11YhYH11Yc/D11X+sF11YZZ311Yri711YngV11Yky511Yj/111YiuV11YY/L11YYq911XzX911XysJ11XptP"
      "11XnhN11XncL11XmvN11YrYJ11YWWF11XqW511XnlV11YijF11Yrp711Yqk111YkyR11YktR11YgY911YdxP11YZ/311YXtT"
      "11XwiB11XqqD11XjZD11YfpP11XnvF11YppR11YfaP11YezB11YceH11YboT11YYy511YYd711YWs511X+hT11Xmt311Yqc7"
      "11Yhw711XnrL11YqwH11YkhN11Yb+N11XrgP11YjaP11Yif911Yey511YZb711XnrB11Ypx711YoyT11YktJ11YfyP11Yff5"
      "11YepJ11YclR11YYzR11YYW511XzcP11XunF11XumD11XqXP11XnmF11YpgN11Ybp311YoyV11YaXR11YYrD11Xv/B11XnqR"
      "11XkvL11Xjr711YfbP11YcYJ11XyWR11X/oN11X/jF11X+sD11YZpJ11Yas311Xtg711YrpP11XxiF11Ypy911Yp/H11YjrL"
      "11YhoT11X+oP11YldT11YckD11Yfr311XriN11XuxN11XnxN11XudT11YjpF11YqiN11YoaP13YmxB12YfvR13YqZD11YZkN"
      "11YXqP11YWjN11YWhL11YWh911YWeN11XniB11X+rT11Xzc112XwWR12XtoJ13Xq+P11XqoH14XmpL11XmoT11Xmm711XkdH"
      "11XqqV11XntF11Yre311YqqJ11Yqk911YpsJ11YpqV11Ypk711YofH11YoZ111YnyV11Ym/H11Ymv311YkzD11YkyR11YiwH"
      "11YijB11Yih111YiaR11Ygl311YgbV11Yfx311YexT11YciR11YcYN11Ybo911YajJ11YaXR11YZYF11YWxJ11YWmR11YWm7"
      "11YWmB11YWlT11YWlJ11YWl711YWi911YWi911YWX711X/z711X/fB11X+c511X+aT11X+XF11XzkF11XzbB11XycT11Xx+7"
      "11Xx+911XxWF11XuqV11XuiL11Xts111XtoJ11Xsv111XsrP11XrgV11XrYT11Xnu911XncJ11XnYT11Yi/B11bae411Xyb9"
      "13YsaJ11YqhN11YqmJ11Yrl511YqoT11Yql911YpwT11YptP11YojL11Yoo711Yok111YofH11YnY311YmyJ11YmpJ11YmoL"
      "11YmXR11YlrH11YjwV11YjwJ11YjnL11YjjF11YiwR11YipH11YitV11YilL11YioJ11YifH11YibF11YhiH11Yhd311YhZP"
      "11YgpJ11YgXP11YftL11YftF11YfpR11YdnN11YdjN11YcrB11YbxP11YbyR11YbtF11YbdP11YaoR11YXlB11YacH11YZ+V"
      "11YZtB11YZYV11YYvN11YYsF11YYeD11YYeB11YXzN11YXyN11YXx711YXrT11YXsJ11YWzT11X//L11X/kP11X/Z511X+r7"
      "11X+hN11Xzt511XzgP11Xxs111Xxi911XvpN11Xut911Xup111Xuo311Xt/J11Xty311Xt+V11XtxL11XtxT11Xtz111XtuB"
      "11XtpB11XsxH11XruJ11Xrb111XqoL11XqaT11XoaJ11Xn+711Xnt311XnkR11XniL11XnhV11Xnf111XlxL11Xjp311astM"
      "11ast811aym811Y/p911YzhL11YzfL11bht811bm/K11cX/O11Xjv911XjqL1Y4Zwq7YxB2ZwoPYxHBZwq1Yy51Zwq3Yy71X"
      "QYy51XOYy71ZwrRYxH1ZwrTYxJ1ZwrVYxR1ZwrVYxR1ZwrVYxR1ZwrVYxR1ZwrVYxR1ZwrVYxR1ZwrVYxR2ZwrVYxR1ZwrVY"
      "xR1ZwrVYxR1ZwrVYxR1ZwrVYxR2ZwrVYxR2ZwrVYxR1ZwrVYxR2ZwrVYxR1ZwrVYxR2ZwrVYxR1ZwrVYxR1ZwrVYxR1ZwrVY"
      "xR1ZwrVYxR1ZwtBYxL1ZwtLYy11Zwt3Yy11ZwsJYy1bgC1aehM21aehMFBaehMa36aeoG16aeoGmS7afpU19afrGhF3aghM1"
      "5agh229aghSdS3agx013agx0Xkz3DdesD1DdesD11desV13det115det317det519det7YN3desD13desD13desV13desV17"
      "det117det1Yfo0gqy511gqyH11gqy111Zxk111gqg711gqbD11gqaL11gqW911gpuR11gpsV11gpo511gppN11hXsR11Zuz5"
      "11gpi111gphL11gpgN11gpfJ11ZvlB11hXrJ11gpgP11gpeF11ZviL11gpdV11gpd711gqqP11gpcR11gpcB11XpZP11gpYF"
      "11gpXL11hXpV11go+911gozL11gowV11gowN11hXmT11gorR11gorP11goq511gooR11goo711goo711gon711gok511gojN"
      "11goj711gohN11goh511goh311goh511goh711ZtWF11gZy911gocN11gobF11Zsj911goaR11goaH11goZ911gnvR11goW9"
      "11gn/B11gnzD11gnvR11gnqL11gnp311gnkV11gnk111gni111gni311gngR11gnfP11gnfB11gneF11gmp911gnaB11gmpB"
      "11gm/P11gmzL11gpaH11gls511gme711gmbT11gmaD11gmiJ11gmY711gmYB11glwN11Znt911glsF11gls711glrB11glq5"
      "11glpN11gllP11ZmxF11ZmtD11gldB11glaF11glZP11gleP11gk/V11hWtH11hWsN11gks111gkoN11gkoP11Zlg711gkgJ"
      "11gkfB11gkeF11gkdP11ZkrH11gkd511gkcP11gio111gkb511hWl911gkXD11gkWJ11gjxH11gj+P11ZjfD11gjpH11ZjfD"
      "11gjmV11gjn711gjm711gjfV11gjfV11hWb711gjeD11gjbP11gjaH11gjXR11hWYB11ZhmB11hWWR11gizL11gizH11gizD"
      "11giy711XglP11giv311ZgrV11Zgs111fxf311git311git511g/yT11ZYzT11YhhR11gipD11gioT11g/xF11gim311giiV"
      "11giiD11gigB11giXT11g/sD11g/uB11giWT11ZeyV11ghzR11ghrR11ghrL11ghrJ11ghrP11ghoV11ghnP11ghlJ11ghmH"
      "11ghlT11ghj111ghhR11ghhL11ghg311ghfF11ghbD11ghW711gg+311ggsD11ZcwN11ggtN11ggxR11ggr511ggpH11ggjH"
      "11ZciP11ggfP11gglL11ggnF11g/f711ggbJ11ggaB11ggYF11ggaT11g/bL11gftH11gfrP11ZahV11gfkF11gez711gfe7"
      "11g+x911gfZR11g+yF11g++P11gppV11gppR11gez711gfZH11fyYH11gwlR11gey111gexR11gexH11getP11geuH11ZYnJ"
      "11g+v911gek911gerL11geeT11gebP11ZYdB11gebB11geiB11gdz311g+qJ11gdwB11gdqB11gdlV11gda511ZXaH11gdX3"
      "11g+jB11gcyR11ZWaH11gcvP11g+g711gcu111gcr911gcpL11gcpL11Y/cJ11Zj+P11Y+/T11gcgN11Y+ZT11gcZP11gcYV"
      "11gcfD11gb+H11gby311gbuJ11gby111gbvJ11gbuN11gbtV11Yz+F11gbz511gbjH11gbfL11gzzD11gbZV11gba911YzZN"
      "11gbn911gaw111Yyx311Yyu511gaqN11gajJ11galB11galJ11gztV11gaiP11gafL11gag311gacP11Zv/B11gZzD11YxhJ"
      "11gZu311Ywt711gZlF11gZkN11gZj311YvnL11gZg711gZeV11Yu/111Yun511gYwR11gYvR11gzdR11gYuB11gzd711gzd9"
      "11gYkD11gYj511gYhT11gYgN11gYcF11gzXF11gYWV11YslT11gX/F11Ysg911gXyF11ZhvJ11gXoJ11YqvJ11Yqu711YqlH"
      "11gyq311gypD11gXaN11YqaR11YqaV11YqYJ11YqX111gXYD11gXYD11gXYF11gW/R11gymV11gWxT11gym911gyhB11YooV"
      "11gWlV11gWi511gWe711gycR11YnoN11f//P11YnhJ11YneV11f/yD11f/sN11gyYH11f/nH11f/mV11f/mN11YlzV11YlhB"
      "11YlhD11f/d111gxrR11YkxB11f+vN11f+vJ11gxpP11Ykk911f+f711gxiD11f+dV11f+eB11f+cJ11Yi+911f+WH11gxcN"
      "11fzwD11fzsP11fzoL11gxZP11YhqJ11YhoN11gxXL11YhfN11fy/N11YhZH11fy+511fytT11fyt911Ygg111YgbH11fynP"
      "11YfzB11fymT11ZZY111gwwN11fyiV11fydV11gwtH11fyaD11glj111YezV11Yez511ZY/B11ZY+R11fxuJ11fxuF11fq+T"
      "11gwo511fxlR11fxm911fxl711gpjT11fxk311fxk111fxjF11fxgV11YdbL11fxh511fxdN11fxZD11fw+R11fxdH11fwzV"
      "11fwxD11fwqF11fxaP11fwzD11fwzB11fwyD11YcsR11YcZJ11Ycj111gwdN11fwhD11fwhB11fwf711YY+111fwaF11Ybe1"
      "11gwb111gwaR11Ya/T11YajT11gwaD11fvs511fvrF11fvqR11fvqP11fvmR11fvoV11fvgL11fvjF11fva311fvf711fvb3"
      "11fvZF11gv+F11fuzT11fuxV11gvyH11fus511fus111YXrR11fukT11fukH11gvv511fuiT11hYmT11YWnP11YWcB11gvmT"
      "11gvmD11ftoT11ftk511ftaD11fstP11X+oL11fsoH11fsn711fshL11fsbV11XzgH11Zuz911fsWT11fsXT11fr+N11ZulT"
      "11frmJ11frgD11XwWR11Xv/711fqqR11fql311fqj511XvhD11fqiL11fpwT11fpn111fpn111fpsR11fo/311fozD11Xs/5"
      "11foc511gubJ11foZH11XsdJ11guWN11fnoV11gka311fnj311Xqh111XpzP11gtuJ11gtu511fnXJ11Xo/111gtqJ11XosD"
      "11fm/511fm/711fmzD11XoaL11fmnV11gtiV11fmjL11fmbR11fma711fmWH11gtZJ11XljH11fllF11fkyL11fkmT11gspT"
      "11gso111fkgF11Xiq311gsnH11XimP11XiW911Xhu511fjrJ11gshV11fjnR11fjnJ11fjn711fjmL11fjm911fjk111XgXP"
      "1";
  return {letters, numbers, lower, combining_class, decompositions};
}

}  // namespace
}  // namespace coz::text
