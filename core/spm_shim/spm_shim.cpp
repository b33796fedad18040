// The only code that links libsentencepiece (see core/src/text/spm.h for why): a C interface over
// SentencePieceProcessor, loaded with dlopen(RTLD_LOCAL | RTLD_DEEPBIND).
#include <sentencepiece_processor.h>

#include <cstring>
#include <string>
#include <vector>

extern "C" {

__attribute__((visibility("default"))) void* coz_spm_load(const char* path, char* err, int errlen) {
  auto* p = new sentencepiece::SentencePieceProcessor();
  const auto st = p->Load(path);
  if (!st.ok()) {
    if (err && errlen > 0) std::snprintf(err, static_cast<size_t>(errlen), "%s", st.ToString().c_str());
    delete p;
    return nullptr;
  }
  return p;
}

__attribute__((visibility("default"))) void coz_spm_free(void* h) { delete static_cast<sentencepiece::SentencePieceProcessor*>(h); }

// Returns the number of ids (write at most cap), or -1 on error.
__attribute__((visibility("default"))) int coz_spm_encode_ids(void* h, const char* text, int len, int* ids, int cap) {
  std::vector<int> out;
  if (!static_cast<sentencepiece::SentencePieceProcessor*>(h)->Encode(std::string(text, static_cast<size_t>(len)), &out).ok()) return -1;
  for (int i = 0; i < cap && i < static_cast<int>(out.size()); ++i) ids[i] = out[i];
  return static_cast<int>(out.size());
}

// Pieces separated by NUL bytes; returns the bytes needed (write at most cap), or -1 on error.
__attribute__((visibility("default"))) int coz_spm_encode_pieces(void* h, const char* text, int len, char* buf, int cap) {
  std::vector<std::string> out;
  if (!static_cast<sentencepiece::SentencePieceProcessor*>(h)->Encode(std::string(text, static_cast<size_t>(len)), &out).ok()) return -1;
  std::string joined;
  for (const auto& p : out) {
    joined += p;
    joined.push_back('\0');
  }
  std::memcpy(buf, joined.data(), std::min(joined.size(), static_cast<size_t>(cap)));
  return static_cast<int>(joined.size());
}

__attribute__((visibility("default"))) int coz_spm_piece_size(void* h) {
  return static_cast<sentencepiece::SentencePieceProcessor*>(h)->GetPieceSize();
}

__attribute__((visibility("default"))) int coz_spm_piece_to_id(void* h, const char* piece) {
  return static_cast<sentencepiece::SentencePieceProcessor*>(h)->PieceToId(piece);
}

__attribute__((visibility("default"))) int coz_spm_id_to_piece(void* h, int id, char* buf, int cap) {
  auto* p = static_cast<sentencepiece::SentencePieceProcessor*>(h);
  if (id < 0 || id >= p->GetPieceSize()) return -1;
  const std::string s = p->IdToPiece(id);
  std::memcpy(buf, s.data(), std::min(s.size(), static_cast<size_t>(cap)));
  return static_cast<int>(s.size());
}

__attribute__((visibility("default"))) int coz_spm_unk_id(void* h) {
  return static_cast<sentencepiece::SentencePieceProcessor*>(h)->unk_id();
}

}  // extern "C"
