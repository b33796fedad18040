// Follows Python's pickle opcodes (Lib/pickle.py) and torch/serialization.py's zip layout:
// <archive>/data.pkl plus one record <archive>/data/<key> per storage, persistent ids
// ('storage', <torch.XStorage>, key, location, numel).
#include "weights/torch_pickle.h"

#include <caffe2/serialize/inline_container.h>

#include <cstring>
#include <map>
#include <memory>

#include "coz/error.h"

namespace coz::weights {
namespace {

struct Value;
using ValuePtr = std::shared_ptr<Value>;

struct Value {
  enum class Kind { None, Bool, Int, Float, Str, Tuple, List, Dict, Tensor, Global, Storage, Mark } kind = Kind::None;
  int64_t i = 0;
  double f = 0;
  std::string s;                                 // Str, Global ("module.name")
  std::vector<ValuePtr> items;                   // Tuple, List
  std::vector<std::pair<ValuePtr, ValuePtr>> kv; // Dict
  torch::Tensor tensor;                          // Tensor, Storage (1-D, its dtype)
};

ValuePtr make(Value::Kind k) {
  auto v = std::make_shared<Value>();
  v->kind = k;
  return v;
}

torch::Dtype storage_dtype(const std::string& global, const std::string& where) {
  static const std::map<std::string, torch::Dtype> m = {
      {"torch.FloatStorage", torch::kFloat32},   {"torch.HalfStorage", torch::kHalf},
      {"torch.BFloat16Storage", torch::kBFloat16}, {"torch.DoubleStorage", torch::kFloat64},
      {"torch.LongStorage", torch::kInt64},      {"torch.IntStorage", torch::kInt32},
      {"torch.ShortStorage", torch::kInt16},     {"torch.CharStorage", torch::kInt8},
      {"torch.ByteStorage", torch::kUInt8},      {"torch.BoolStorage", torch::kBool}};
  auto it = m.find(global);
  if (it == m.end()) throw ModelLoadError(where + ": unsupported storage type " + global);
  return it->second;
}

class Machine {
 public:
  Machine(caffe2::serialize::PyTorchStreamReader& zip, std::string path, const char* data, size_t n)
      : zip_(zip), path_(std::move(path)), p_(data), end_(data + n) {}

  ValuePtr run() {
    while (true) {
      const uint8_t op = u8();
      switch (op) {
        case 0x80: u8(); break;                          // PROTO
        case 0x95: take(8); break;                       // FRAME
        case '.': return pop();                          // STOP
        case '(': push(make(Value::Kind::Mark)); break;  // MARK
        case '}': push(make(Value::Kind::Dict)); break;
        case ']': push(make(Value::Kind::List)); break;
        case ')': push(make(Value::Kind::Tuple)); break;
        case 'N': push(make(Value::Kind::None)); break;
        case 0x88: case 0x89: { auto v = make(Value::Kind::Bool); v->i = op == 0x88; push(v); break; }
        case 'K': push_int(u8()); break;
        case 'M': { uint16_t x; std::memcpy(&x, take(2), 2); push_int(x); break; }
        case 'J': { int32_t x; std::memcpy(&x, take(4), 4); push_int(x); break; }
        case 0x8a: {                                     // LONG1
          const uint8_t n = u8();
          const unsigned char* b = reinterpret_cast<const unsigned char*>(take(n));
          int64_t x = 0;
          for (int k = 0; k < n && k < 8; ++k) x |= static_cast<int64_t>(b[k]) << (8 * k);
          if (n > 0 && n < 8 && (b[n - 1] & 0x80)) x -= int64_t{1} << (8 * n);
          push_int(x);
          break;
        }
        case 'G': {                                      // BINFLOAT, big-endian
          const unsigned char* b = reinterpret_cast<const unsigned char*>(take(8));
          uint64_t bits = 0;
          for (int k = 0; k < 8; ++k) bits = (bits << 8) | b[k];
          auto v = make(Value::Kind::Float);
          std::memcpy(&v->f, &bits, 8);
          push(v);
          break;
        }
        case 'X': case 'B': { uint32_t n; std::memcpy(&n, take(4), 4); push_str(take(n), n); break; }
        case 0x8c: case 'C': { const uint8_t n = u8(); push_str(take(n), n); break; }
        case 0x8d: case 0x8e: { uint64_t n; std::memcpy(&n, take(8), 8); push_str(take(n), n); break; }
        case 'c': {                                      // GLOBAL module\nname\n
          const std::string mod = line(), name = line();
          auto v = make(Value::Kind::Global);
          v->s = mod + "." + name;
          push(v);
          break;
        }
        case 0x93: {                                     // STACK_GLOBAL
          auto name = pop(), mod = pop();
          auto v = make(Value::Kind::Global);
          v->s = mod->s + "." + name->s;
          push(v);
          break;
        }
        case 'q': memo_[u8()] = top(); break;            // BINPUT
        case 'r': { uint32_t k; std::memcpy(&k, take(4), 4); memo_[k] = top(); break; }
        case 0x94: memo_[memo_.size()] = top(); break;   // MEMOIZE
        case 'h': push(memo(u8())); break;               // BINGET
        case 'j': { uint32_t k; std::memcpy(&k, take(4), 4); push(memo(k)); break; }
        case 't': { auto t = make(Value::Kind::Tuple); t->items = pop_to_mark(); push(t); break; }
        case 0x85: case 0x86: case 0x87: {
          const int n = op - 0x84;
          auto t = make(Value::Kind::Tuple);
          t->items.resize(n);
          for (int k = n - 1; k >= 0; --k) t->items[k] = pop();
          push(t);
          break;
        }
        case 'a': { auto v = pop(); top()->items.push_back(v); break; }
        case 'e': { auto vs = pop_to_mark(); auto l = top(); l->items.insert(l->items.end(), vs.begin(), vs.end()); break; }
        case 's': { auto v = pop(); auto k = pop(); top()->kv.emplace_back(k, v); break; }
        case 'u': {
          auto vs = pop_to_mark();
          auto d = top();
          for (size_t k = 0; k + 1 < vs.size(); k += 2) d->kv.emplace_back(vs[k], vs[k + 1]);
          break;
        }
        case 'b': pop(); break;                          // BUILD: OrderedDict._metadata etc. — not needed
        case 'Q': push(persistent(pop())); break;        // BINPERSID
        case 'R': { auto args = pop(); auto fn = pop(); push(reduce(fn, args)); break; }
        default: {
          char hex[8];
          std::snprintf(hex, sizeof hex, "0x%02x", op);
          throw ModelLoadError(path_ + ": unsupported pickle opcode " + hex + " in data.pkl");
        }
      }
    }
  }

 private:
  const char* take(size_t n) {
    if (static_cast<size_t>(end_ - p_) < n) throw ModelLoadError(path_ + ": data.pkl ends early; the file is truncated");
    const char* r = p_;
    p_ += n;
    return r;
  }
  uint8_t u8() { return static_cast<uint8_t>(*take(1)); }
  std::string line() {
    const char* s = p_;
    while (p_ < end_ && *p_ != '\n') ++p_;
    if (p_ >= end_) throw ModelLoadError(path_ + ": data.pkl ends early");
    return std::string(s, p_++);
  }
  void push(ValuePtr v) { stack_.push_back(std::move(v)); }
  void push_int(int64_t x) { auto v = make(Value::Kind::Int); v->i = x; push(v); }
  void push_str(const char* s, size_t n) { auto v = make(Value::Kind::Str); v->s.assign(s, n); push(v); }
  ValuePtr pop() {
    if (stack_.empty()) throw ModelLoadError(path_ + ": corrupt data.pkl (stack underflow)");
    auto v = stack_.back();
    stack_.pop_back();
    return v;
  }
  ValuePtr top() {
    if (stack_.empty()) throw ModelLoadError(path_ + ": corrupt data.pkl (empty stack)");
    return stack_.back();
  }
  ValuePtr memo(size_t k) {
    auto it = memo_.find(k);
    if (it == memo_.end()) throw ModelLoadError(path_ + ": corrupt data.pkl (unknown memo entry)");
    return it->second;
  }
  std::vector<ValuePtr> pop_to_mark() {
    std::vector<ValuePtr> out;
    while (true) {
      auto v = pop();
      if (v->kind == Value::Kind::Mark) break;
      out.push_back(v);
    }
    return {out.rbegin(), out.rend()};
  }

  ValuePtr persistent(const ValuePtr& pid) {
    if (pid->kind != Value::Kind::Tuple || pid->items.size() < 5 || pid->items[0]->s != "storage")
      throw ModelLoadError(path_ + ": unsupported persistent id in data.pkl");
    const std::string key = pid->items[2]->s;
    auto it = storages_.find(key);
    if (it != storages_.end()) return it->second;
    const torch::Dtype dt = storage_dtype(pid->items[1]->s, path_);
    const int64_t numel = pid->items[4]->i;
    const std::string rec = "data/" + key;
    if (!zip_.hasRecord(rec)) throw ModelLoadError(path_ + ": storage record " + rec + " is missing; the file is truncated");
    auto [ptr, size] = zip_.getRecord(rec);
    const size_t need = static_cast<size_t>(numel) * c10::elementSize(dt);
    if (size < need) throw ModelLoadError(path_ + ": storage " + key + " holds " + std::to_string(size) + " bytes, expected " + std::to_string(need));
    auto v = make(Value::Kind::Storage);
    v->tensor = torch::empty({numel}, torch::TensorOptions().dtype(dt));
    std::memcpy(v->tensor.data_ptr(), ptr.get(), need);
    storages_[key] = v;
    return v;
  }

  ValuePtr reduce(const ValuePtr& fn, const ValuePtr& args) {
    const std::string& f = fn->s;
    const auto& a = args->items;
    if (f == "torch._utils._rebuild_tensor_v2" || f == "torch._utils._rebuild_tensor") {
      if (a.size() < 4 || a[0]->kind != Value::Kind::Storage) throw ModelLoadError(path_ + ": malformed tensor in data.pkl");
      std::vector<int64_t> size, stride;
      for (auto& x : a[2]->items) size.push_back(x->i);
      for (auto& x : a[3]->items) stride.push_back(x->i);
      auto v = make(Value::Kind::Tensor);
      v->tensor = a[0]->tensor.as_strided(size, stride, a[1]->i).clone();
      return v;
    }
    if (f == "torch._utils._rebuild_parameter" || f == "torch._utils._rebuild_parameter_with_state") return a.at(0);
    if (f == "collections.OrderedDict" || f == "builtins.dict") return make(Value::Kind::Dict);
    throw ModelLoadError(path_ + ": unsupported object " + f + " in the checkpoint (expected tensors only)");
  }

  caffe2::serialize::PyTorchStreamReader& zip_;
  std::string path_;
  const char* p_;
  const char* end_;
  std::vector<ValuePtr> stack_;
  std::map<size_t, ValuePtr> memo_;
  std::map<std::string, ValuePtr> storages_;
};

}  // namespace

TorchCheckpoint read_torch_checkpoint(const std::string& path) {
  std::unique_ptr<caffe2::serialize::PyTorchStreamReader> zip;
  try {
    zip = std::make_unique<caffe2::serialize::PyTorchStreamReader>(path);
  } catch (const c10::Error& e) {
    throw ModelLoadError(path + ": not a PyTorch zip checkpoint (torch.save); the file is corrupt or truncated");
  }
  if (!zip->hasRecord("data.pkl")) throw ModelLoadError(path + ": no data.pkl in the checkpoint");
  auto [ptr, size] = zip->getRecord("data.pkl");
  Machine m(*zip, path, static_cast<const char*>(ptr.get()), size);
  ValuePtr root;
  try {
    root = m.run();
  } catch (const c10::Error& e) {
    const std::string w = e.what();
    throw ModelLoadError(path + ": cannot read the checkpoint (" + w.substr(0, w.find('\n')) + ")");
  }
  TorchCheckpoint out;
  if (root->kind == Value::Kind::List || root->kind == Value::Kind::Tuple) {
    out.is_list = true;
    for (size_t i = 0; i < root->items.size(); ++i) {
      if (root->items[i]->kind != Value::Kind::Tensor)
        throw ModelLoadError(path + ": list item " + std::to_string(i) + " is not a tensor");
      out.list.push_back(root->items[i]->tensor);
    }
  } else if (root->kind == Value::Kind::Dict) {
    for (auto& [k, v] : root->kv)
      if (k->kind == Value::Kind::Str && v->kind == Value::Kind::Tensor) out.entries.emplace_back(k->s, v->tensor);
  } else {
    throw ModelLoadError(path + ": expected a state dict or a list of tensors");
  }
  return out;
}

}  // namespace coz::weights
