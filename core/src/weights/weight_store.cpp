#include "weights/weight_store.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>

#include "coz/error.h"
#include "json_file.h"
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

class MappedFile {
 public:
  explicit MappedFile(const fs::path& p) : path_(p.string()) {
    fd_ = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_ < 0) throw ModelLoadError(path_ + ": cannot open (" + std::strerror(errno) + ")");
    struct stat st {};
    if (::fstat(fd_, &st) != 0) throw ModelLoadError(path_ + ": cannot stat");
    size_ = static_cast<size_t>(st.st_size);
    if (size_ > 0) {
      data_ = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE, fd_, 0);
      if (data_ == MAP_FAILED) throw ModelLoadError(path_ + ": cannot map (" + std::strerror(errno) + ")");
    }
  }
  ~MappedFile() {
    if (data_ && data_ != MAP_FAILED) ::munmap(data_, size_);
    if (fd_ >= 0) ::close(fd_);
  }
  const uint8_t* data() const { return static_cast<const uint8_t*>(data_); }
  size_t size() const { return size_; }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  int fd_ = -1;
  void* data_ = nullptr;
  size_t size_ = 0;
};

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
  WeightStore w;
  w.source_ = file.string();
  auto mf = std::make_shared<MappedFile>(file);
  const std::string& p = mf->path();
  if (mf->size() < 8) throw ModelLoadError(p + ": not a safetensors file (only " + std::to_string(mf->size()) + " bytes)");
  uint64_t n = 0;
  std::memcpy(&n, mf->data(), 8);
  if (n == 0 || n > mf->size() - 8 || n > (uint64_t{100} << 20))
    throw ModelLoadError(p + ": corrupt safetensors header (declared " + std::to_string(n) + " header bytes in a " +
                         std::to_string(mf->size()) + "-byte file); the file is truncated or not safetensors");
  json h;
  try {
    h = json::parse(reinterpret_cast<const char*>(mf->data()) + 8, reinterpret_cast<const char*>(mf->data()) + 8 + n);
  } catch (const std::exception& e) {
    throw ModelLoadError(p + ": corrupt safetensors header (" + e.what() + ")");
  }
  const size_t base = 8 + n;
  for (auto it = h.begin(); it != h.end(); ++it) {
    if (it.key() == "__metadata__") continue;
    const json& v = it.value();
    TensorEntry e;
    e.file = p;
    size_t item = 0;
    e.dtype = st_dtype(v.at("dtype").get<std::string>(), item, p + ": tensor " + it.key());
    e.shape = v.at("shape").get<std::vector<int64_t>>();
    const auto off = v.at("data_offsets").get<std::vector<size_t>>();
    int64_t numel = 1;
    for (auto d : e.shape) numel *= d;
    if (off.size() != 2 || off[1] < off[0] || off[1] - off[0] != static_cast<size_t>(numel) * item)
      throw ModelLoadError(p + ": tensor " + it.key() + " " + shape_str(e.shape) + " has inconsistent data offsets");
    if (base + off[1] > mf->size())
      throw ModelLoadError(p + ": tensor " + it.key() + " " + shape_str(e.shape) + " lies past the end of the file (" +
                           std::to_string(mf->size()) + " bytes); the file is truncated — download it again");
    e.offset = base + off[0];
    e.nbytes = off[1] - off[0];
    w.entries_[it.key()] = e;
  }
  w.by_file_[p] = mf;
  w.files_.push_back(mf);
  return w;
}

WeightStore WeightStore::open_index(const fs::path& index_json) {
  const json j = read_json_file(index_json, "the shard index");
  if (!j.contains("weight_map")) throw ModelLoadError(index_json.string() + ": no weight_map in the shard index");
  WeightStore w;
  w.source_ = index_json.string();
  std::map<std::string, WeightStore> shards;
  for (auto it = j["weight_map"].begin(); it != j["weight_map"].end(); ++it) {
    const std::string shard = it.value().get<std::string>();
    if (!shards.count(shard)) {
      const fs::path sp = index_json.parent_path() / shard;
      if (!fs::exists(sp))
        throw ModelLoadError(index_json.string() + " names shard " + shard + " (for tensor " + it.key() +
                             "), which is missing: " + sp.string());
      shards.emplace(shard, open_safetensors(sp));
    }
    const WeightStore& s = shards.at(shard);
    if (!s.has(it.key()))
      throw ModelLoadError(index_json.parent_path().string() + "/" + shard + " lacks tensor " + it.key() + " listed in " +
                           index_json.filename().string());
    w.entries_[it.key()] = s.entry(it.key());
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
  // The mapping outlives the tensor only if the caller copies; keep it alive through the deleter.
  auto keep = new std::shared_ptr<MappedFile>(mf);
  return torch::from_blob(const_cast<uint8_t*>(mf->data() + e.offset), e.shape,
                          [keep](void*) { delete keep; }, torch::TensorOptions().dtype(e.dtype));
}

std::vector<std::string> WeightStore::names() const {
  std::vector<std::string> n;
  for (const auto& [k, v] : entries_) n.push_back(k);
  return n;
}

std::string LoadReport::describe(size_t max_items) const {
  std::ostringstream o;
  auto list = [&](const char* what, const std::vector<std::string>& v) {
    if (v.empty()) return;
    o << "\n  " << v.size() << " " << what << ":";
    for (size_t i = 0; i < v.size() && i < max_items; ++i) o << " " << v[i];
    if (v.size() > max_items) o << " …";
  };
  o << source;
  for (size_t i = 0; i < mismatched.size() && i < max_items; ++i)
    o << "\n  tensor " << mismatched[i].name << " has shape " << shape_str(mismatched[i].got) << ", expected "
      << shape_str(mismatched[i].expected);
  list("missing tensors", missing);
  list("unexpected tensors (ignored)", unexpected);
  return o.str();
}

LoadReport load_module(torch::nn::Module& module, const WeightStore& store, const std::string& prefix,
                       const std::function<std::string(const std::string&)>& rename,
                       const std::vector<std::string>& optional) {
  LoadReport r;
  r.source = store.source();
  std::set<std::string> used;
  torch::NoGradGuard ng;
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
    target.copy_(store.get(key).to(target.scalar_type()));
  };
  for (auto& p : module.named_parameters(true)) one(p.key(), p.value(), false);
  for (auto& b : module.named_buffers(true)) one(b.key(), b.value(), true);
  for (const auto& n : store.names())
    if (n.rfind(prefix, 0) == 0 && !used.count(n)) r.unexpected.push_back(n);
  if (!r.ok()) throw ModelLoadError("cannot load " + r.describe());
  return r;
}

}  // namespace coz::weights
