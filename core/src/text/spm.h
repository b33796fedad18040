// SentencePiece through an isolating shim. Debian's libsentencepiece carries its own copy of
// protobuf-lite, which clashes with the protobuf LibTorch links (the processes crash at start), so
// the library is never linked into the engine: a tiny shim module (spm_shim.cpp, C interface) links
// it and is loaded on first use with RTLD_LOCAL | RTLD_DEEPBIND, keeping both protobufs apart.
#pragma once
#include <memory>
#include <string>
#include <vector>

namespace coz::text {

class SentencePiece {
 public:
  // True when the shim was built (SentencePiece present at build time) and can be loaded.
  static bool available();
  // Throws ModelLoadError naming the file (or saying the build has no SentencePiece).
  static std::unique_ptr<SentencePiece> load(const std::string& model_path);
  ~SentencePiece();

  std::vector<int> encode(const std::string& text) const;        // ids, no EOS
  std::vector<std::string> encode_pieces(const std::string& text) const;
  int piece_size() const;
  int piece_to_id(const std::string& piece) const;                // unk id when absent
  std::string id_to_piece(int id) const;
  int unk_id() const;

 private:
  SentencePiece() = default;
  void* handle_ = nullptr;
};

}  // namespace coz::text
