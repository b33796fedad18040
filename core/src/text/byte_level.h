// What the byte-level BPE tokenizers (CLIP, Qwen2) share: GPT-2's reversible byte <-> printable code
// point table of the ByteLevel pre-tokenizer and decoder, and the BPE merge loop of
// huggingface/tokenizers (models/bpe/word.rs merge_all).
#pragma once
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace coz::text::byte_level {

// GPT-2's bytes_to_unicode: printable bytes stand for themselves, the others for U+0100 onwards.
const std::array<char32_t, 256>& bytes_to_unicode();
// Its inverse: the byte a code point stands for, or -1 for a code point outside the table.
int unicode_to_byte(char32_t c);
// The ByteLevel pre-tokenizer: each byte of `bytes` as its table code point, in UTF-8.
std::string to_unicode(std::string_view bytes);

// Merges keyed by merge_key(left id, right id) -> (rank, merged id). Ids are below 2^31.
using Merges = std::unordered_map<uint64_t, std::pair<int64_t, int64_t>>;
inline uint64_t merge_key(int64_t left, int64_t right) { return (uint64_t(left) << 32) | uint64_t(right); }

// Merges adjacent symbols of `ids` in place: lowest rank first, leftmost on ties, until no pair of
// neighbours has a merge.
void merge_all(std::vector<int64_t>& ids, const Merges& merges);

}  // namespace coz::text::byte_level
