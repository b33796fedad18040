#include "weights/weight_store.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>

#include "checked.h"
#include "coz/error.h"
#include "json_file.h"
#include "weights/mapped_file.h"
#include "weights/torch_pickle.h"

namespace coz::weights {
namespace fs = std::filesystem;
using json = nlohmann::json;

std::string shape_str(const std::vector<int64_t>& s) {
  std::ostringstream o;
  o << "[";
  for (size_t i = 0; i < s.size(); ++i) o << (i ? "," : "") << s[i];
  o << "]";
  return o.str();
}

namespace {

torch::Dtype st_dtype(const std::string& d, size_t& item, const std::string& where) {
  if (d == "F32") { item = 4; return torch::kFloat32; }
  if (d == "F16") { item = 2; return torch::kHalf; }
  if (d == "BF16") { item = 2; return torch::kBFloat16; }
  if (d == "F64") { item = 8; return torch::kFloat64; }
  if (d == "I64") { item = 8; return torch::kInt64; }
  if (d == "I32") { item = 4; return torch::kInt32; }
  if (d == "I16") { item = 2; return torch::kInt16; }
  if (d == "I8") { item = 1; return torch::kInt8; }
  if (d == "U8") { item = 1; return torch::kUInt8; }
  if (d == "BOOL") { item = 1; return torch::kBool; }
  throw ModelLoadError(where + ": unsupported safetensors dtype " + d);
}

}  // namespace

WeightStore WeightStore::open_safetensors(const fs::path& file) {
  return from_safetensors(std::make_shared<MappedFile>(file));
}

// Layout: u64 little-endian header length N, N bytes of JSON {name: {dtype, shape, data_offsets:
// [begin, end]}, "__metadata__": {...}}, then the data; offsets are relative to the data start.
WeightStore WeightStore::from_safetensors(std::shared_ptr<MappedFile> mf) {
  WeightStore w;
  const std::string& p = mf->path();
  w.source_ = p;
  const auto bad = [&](const std::string& why) {
    return ModelLoadError(p + ": " + why + "; the file is damaged or not a safetensors file — download it again");
  };
  if (mf->size() < 8) throw bad("corrupt safetensors header (only " + std::to_string(mf->size()) + " bytes)");
  uint64_t n = 0;
  for (int k = 7; k >= 0; --k) n = (n << 8) | mf->data()[k];
  if (n < 2 || n > mf->size() - 8 || n > (uint64_t{16} << 20))
    throw bad("corrupt safetensors header (the header declares " + std::to_string(n) + " bytes in a " +
              std::to_string(mf->size()) + "-byte file)");
  const json h = parse_json_text(std::string(reinterpret_cast<const char*>(mf->data()) + 8, n), p);
  if (!h.is_object()) throw bad(std::string("the header is a JSON ") + h.type_name() + ", not an object");
  const uint64_t data_size = mf->size() - 8 - n;
  for (auto it = h.begin(); it != h.end(); ++it) {
    if (it.key() == "__metadata__") continue;
    const std::string where = "tensor " + it.key();
    const json& v = it.value();
    if (!v.is_object()) throw bad(where + " is a JSON " + v.type_name() + ", not an object");
    for (const char* key : {"dtype", "shape", "data_offsets"})
      if (!v.contains(key)) throw bad(where + " has no " + key);
    if (!v["dtype"].is_string()) throw bad(where + ": dtype is not a string");
    const json& shape = v["shape"];
    const json& offs = v["data_offsets"];
    if (!shape.is_array() || shape.size() > 16) throw bad(where + ": shape is not a list of at most 16 sizes");
    if (!offs.is_array() || offs.size() != 2) throw bad(where + ": data_offsets is not a [begin, end] pair");
    TensorEntry e;
    e.file = p;
    size_t item = 0;
    e.dtype = st_dtype(v["dtype"].get<std::string>(), item, p + ": " + where);
    for (const json& d : shape) {
      if (!d.is_number_unsigned()) throw bad(where + ": shape " + shape.dump() + " holds " + d.dump() + ", not a size");
      if (d.get<uint64_t>() > static_cast<uint64_t>(INT64_MAX)) throw bad(where + ": shape " + shape.dump() + " is too large");
      e.shape.push_back(static_cast<int64_t>(d.get<uint64_t>()));
    }
    for (const json& o : offs)
      if (!o.is_number_unsigned()) throw bad(where + ": data_offsets " + offs.dump() + " are not byte offsets");
    const uint64_t begin = offs[0].get<uint64_t>(), end = offs[1].get<uint64_t>();
    int64_t numel = 0, nbytes = 0;
    if (!checked_numel(e.shape, numel) || !checked_mul(numel, static_cast<int64_t>(item), nbytes))
      throw bad(where + ": shape " + shape_str(e.shape) + " is too large");
    if (end < begin || end - begin != static_cast<uint64_t>(nbytes))
      throw bad(where + " " + shape_str(e.shape) + " has data offsets [" + std::to_string(begin) + ", " +
                std::to_string(end) + "] that do not hold its " + std::to_string(nbytes) + " bytes");
    if (end > data_size)
      throw ModelLoadError(p + ": " + where + " " + shape_str(e.shape) + " lies past the end of the file (" +
                           std::to_string(mf->size()) + " bytes); the file is truncated — download it again");
    e.offset = static_cast<size_t>(8 + n + begin);
    e.nbytes = static_cast<size_t>(nbytes);
    w.entries_[it.key()] = e;
  }
  w.by_file_[p] = mf;
  w.files_.push_back(mf);
  return w;
}

std::vector<std::pair<std::string, std::string>> parse_shard_index(const json& j, const fs::path& index_json) {
  const std::string p = index_json.string();
  if (!j.is_object() || !j.contains("weight_map") || !j["weight_map"].is_object())
    throw ModelLoadError(p + ": no weight_map object in the shard index; download the model again");
  std::vector<std::pair<std::string, std::string>> out;
  for (auto it = j["weight_map"].begin(); it != j["weight_map"].end(); ++it) {
    if (!it.value().is_string())
      throw ModelLoadError(p + ": the shard of tensor " + it.key() + " is " + it.value().dump() + ", not a file name");
    const std::string shard = it.value().get<std::string>();
    // Shards are files beside the index: refuse names that leave the folder.
    const fs::path sp(shard);
    bool escapes = shard.empty() || sp.is_absolute() || shard.find('\0') != std::string::npos;
    for (const auto& part : sp) escapes |= part == "..";
    if (escapes)
      throw ModelLoadError(p + ": tensor " + it.key() + " names the shard '" + shard +
                           "', which is not a file in the model folder");
    out.emplace_back(it.key(), shard);
  }
  return out;
}

WeightStore WeightStore::open_index(const fs::path& index_json) {
  const auto map = parse_shard_index(read_json_file(index_json, "the shard index"), index_json);
  WeightStore w;
  w.source_ = index_json.string();
  std::map<std::string, WeightStore> shards;
  for (const auto& [tensor, shard] : map) {
    if (!shards.count(shard)) {
      const fs::path sp = index_json.parent_path() / shard;
      std::error_code ec;
      if (!fs::exists(sp, ec))
        throw ModelLoadError(index_json.string() + " names shard " + shard + " (for tensor " + tensor +
                             "), which is missing: " + sp.string() + "; download the model again");
      shards.emplace(shard, open_safetensors(sp));
    }
    const WeightStore& s = shards.at(shard);
    if (!s.has(tensor))
      throw ModelLoadError(index_json.parent_path().string() + "/" + shard + " lacks tensor " + tensor + " listed in " +
                           index_json.filename().string());
    w.entries_[tensor] = s.entry(tensor);
  }
  for (auto& [name, s] : shards)
    for (auto& [file, mf] : s.by_file_) {
      w.by_file_[file] = mf;
      w.files_.push_back(mf);
    }
  return w;
}

WeightStore WeightStore::open_pickle(const fs::path& file) {
  WeightStore w;
  w.source_ = file.string();
  std::error_code ec;
  if (!fs::exists(file, ec)) throw ModelLoadError(file.string() + ": no such file");
  const TorchCheckpoint ck = read_torch_checkpoint(file.string());
  auto add = [&](const std::string& name, const torch::Tensor& t) {
    TensorEntry e;
    e.file = w.source_;
    e.shape = t.sizes().vec();
    e.dtype = t.scalar_type();
    e.tensor = t;
    w.entries_[name] = e;
  };
  if (ck.is_list) {
    w.list_ = ck.list;
    for (size_t i = 0; i < ck.list.size(); ++i) add(std::to_string(i), ck.list[i]);
  } else {
    for (const auto& [k, t] : ck.entries) add(k, t);
  }
  return w;
}

WeightStore WeightStore::open(const fs::path& path) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    for (const char* n : {"model.safetensors", "diffusion_pytorch_model.safetensors"})
      if (fs::exists(path / n)) return open_safetensors(path / n);
    for (const char* n : {"model.safetensors.index.json", "diffusion_pytorch_model.safetensors.index.json"})
      if (fs::exists(path / n)) return open_index(path / n);
    throw ModelLoadError(path.string() + ": no model.safetensors, diffusion_pytorch_model.safetensors or shard index in this folder");
  }
  if (!fs::exists(path, ec)) throw ModelLoadError(path.string() + ": no such file");
  const std::string s = path.string();
  if (s.size() > 11 && s.substr(s.size() - 11) == ".index.json") return open_index(path);
  if (s.size() > 12 && s.substr(s.size() - 12) == ".safetensors") return open_safetensors(path);
  return open_pickle(path);
}

const TensorEntry& WeightStore::entry(const std::string& name) const {
  auto it = entries_.find(name);
  if (it == entries_.end()) throw ModelLoadError(source_ + ": no tensor named " + name);
  return it->second;
}

torch::Tensor WeightStore::get(const std::string& name) const {
  const TensorEntry& e = entry(name);
  if (e.tensor.defined()) return e.tensor;
  const auto& mf = by_file_.at(e.file);
  const auto opts = torch::TensorOptions().dtype(e.dtype);
  const uint8_t* p = mf->data() + e.offset;
  // Files written by the safetensors library align every tensor; a crafted one may not, and
  // vector kernels may assume element alignment: copy those.
  if (e.nbytes == 0 || reinterpret_cast<uintptr_t>(p) % c10::elementSize(e.dtype) != 0) {
    auto t = torch::empty(e.shape, opts);
    if (e.nbytes) std::memcpy(t.data_ptr(), p, e.nbytes);
    return t;
  }
  // The mapping outlives the tensor only if the caller copies; keep it alive through the deleter.
  auto keep = new std::shared_ptr<MappedFile>(mf);
  return torch::from_blob(const_cast<uint8_t*>(p), e.shape, [keep](void*) { delete keep; }, opts);
}

std::vector<std::string> WeightStore::names() const {
  std::vector<std::string> n;
  for (const auto& [k, v] : entries_) n.push_back(k);
  return n;
}

namespace {

// "N <what>: a b c …" with the first `max_items` names.
std::string counted_names(const std::vector<std::string>& v, const char* what, size_t max_items) {
  std::string s = std::to_string(v.size()) + " " + what + ":";
  for (size_t i = 0; i < v.size() && i < max_items; ++i) s += " " + v[i];
  if (v.size() > max_items) s += " …";
  return s;
}

}  // namespace

std::string LoadReport::describe(size_t max_items) const {
  std::ostringstream o;
  o << source;
  for (size_t i = 0; i < mismatched.size() && i < max_items; ++i)
    o << "\n  tensor " << mismatched[i].name << " has shape " << shape_str(mismatched[i].got) << ", expected "
      << shape_str(mismatched[i].expected);
  if (mismatched.size() > max_items) o << "\n  … " << mismatched.size() - max_items << " more wrong shapes";
  if (!missing.empty()) o << "\n  " << counted_names(missing, "missing tensors", max_items);
  if (!unexpected.empty()) o << "\n  " << counted_names(unexpected, "unexpected tensors", max_items);
  return o.str();
}

void check_load(const LoadReport& r, Unexpected unexpected, const LoadLog& log) {
  if (!r.ok() || (unexpected == Unexpected::Error && !r.unexpected.empty()))
    throw ModelLoadError("cannot load " + r.describe());
  if (r.unexpected.empty()) return;
  const std::string line = r.source + ": " + counted_names(r.unexpected, "unexpected tensors ignored", 5);
  if (log) log(line);
  else std::fprintf(stderr, "%s\n", line.c_str());
}

namespace {

// Copies mapped file data into CUDA tensors through two pinned staging buffers, so that reading one
// chunk from the page cache overlaps the DMA of the one before: a pageable copy ran at ~3.6 GB/s on
// the H200 machine (T5's 9.5 GB took 2.6 s). Tensors whose dtype differs from the file's arrive in
// the file's dtype and are converted on the device. CPU targets copy directly.
class DeviceUploader {
 public:
  ~DeviceUploader() {
    try {
      finish();
    } catch (...) {  // a failed sync here already failed a copy, which reported it
    }
  }
  void copy(torch::Tensor& target, const torch::Tensor& file) {
    if (!target.is_cuda()) {
      target.copy_(file);
      return;
    }
    const torch::Tensor src = file.contiguous();
    const bool direct = target.scalar_type() == src.scalar_type() && target.is_contiguous();
    torch::Tensor dst = direct ? target : torch::empty(src.sizes(), target.options().dtype(src.scalar_type()));
    const int64_t nbytes = src.numel() * static_cast<int64_t>(src.element_size());
    if (nbytes == 0) return;
    if (!pinned_[0].defined()) {
      device_ = target.device();
      for (auto& b : pinned_) b = torch::empty({kChunk}, torch::TensorOptions().dtype(torch::kByte).pinned_memory(true));
    }
    const auto* from = static_cast<const char*>(src.data_ptr());
    auto to = torch::from_blob(dst.data_ptr(), {nbytes}, torch::TensorOptions().dtype(torch::kByte).device(dst.device()));
    for (int64_t off = 0; off < nbytes; off += kChunk) {
      const int64_t n = std::min(kChunk, nbytes - off);
      torch::Tensor& buf = pinned_[next_];
      next_ ^= 1;
      std::memcpy(buf.data_ptr(), from + off, static_cast<size_t>(n));  // overlaps the previous DMA
      torch::cuda::synchronize(device_.index());  // that DMA is done, and this buffer's before it
      to.narrow(0, off, n).copy_(buf.narrow(0, 0, n), /*non_blocking=*/true);
      busy_ = true;
    }
    if (!direct) target.copy_(dst);  // converted on the device, in stream order
  }
  void finish() {
    if (busy_) torch::cuda::synchronize(device_.index());
    busy_ = false;
  }

 private:
  static constexpr int64_t kChunk = int64_t{32} << 20;
  torch::Tensor pinned_[2];
  int next_ = 0;
  bool busy_ = false;
  torch::Device device_{torch::kCPU};
};

}  // namespace

LoadReport read_module(torch::nn::Module& module, const WeightStore& store, const std::string& prefix,
                       const std::function<std::string(const std::string&)>& rename,
                       const std::vector<std::string>& optional) {
  LoadReport r;
  r.source = store.source();
  std::set<std::string> used;
  torch::NoGradGuard ng;
  DeviceUploader upload;
  auto one = [&](const std::string& name, torch::Tensor& target, bool is_buffer) {
    std::string key = rename ? rename(name) : name;
    if (key.empty()) return;
    key = prefix + key;
    if (!store.has(key)) {
      const bool opt = is_buffer && std::find(optional.begin(), optional.end(), name) != optional.end();
      if (!opt) r.missing.push_back(key);
      return;
    }
    used.insert(key);
    const TensorEntry& e = store.entry(key);
    if (e.shape != target.sizes().vec()) {
      r.mismatched.push_back({key, target.sizes().vec(), e.shape});
      return;
    }
    // Converted where the target lives: a CUDA target gets the file's (half-size) bytes and
    // converts on the GPU, instead of a full-size converted copy made on the CPU first.
    upload.copy(target, store.get(key));
  };
  for (auto& p : module.named_parameters(true)) one(p.key(), p.value(), false);
  for (auto& b : module.named_buffers(true)) one(b.key(), b.value(), true);
  upload.finish();
  for (const auto& n : store.names())
    if (n.rfind(prefix, 0) == 0 && !used.count(n)) r.unexpected.push_back(n);
  return r;
}

LoadReport load_module(torch::nn::Module& module, const WeightStore& store, Unexpected unexpected,
                       const std::string& prefix, const std::function<std::string(const std::string&)>& rename,
                       const std::vector<std::string>& optional, const LoadLog& log) {
  LoadReport r = read_module(module, store, prefix, rename, optional);
  check_load(r, unexpected, log);
  return r;
}

}  // namespace coz::weights
