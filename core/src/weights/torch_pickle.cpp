// Follows Python's pickle opcodes (Lib/pickle.py) and torch/serialization.py's zip layout:
// <archive>/data.pkl plus one record <archive>/data/<key> per storage, persistent ids
// ('storage', <torch.XStorage>, key, location, numel).
#include "weights/torch_pickle.h"

#include <cstring>
#include <deque>
#include <map>
#include <memory>
#include <set>

#include "checked.h"
#include "coz/error.h"
#include "weights/mapped_file.h"
#include "weights/zip_archive.h"

namespace coz::weights {
namespace {

constexpr int kMaxDepth = 64;               // containers inside containers; state dicts use 2-3
constexpr size_t kMaxValues = size_t{4} << 20;  // a state dict of 100k tensors needs ~2M
constexpr size_t kMaxDims = 16;
constexpr size_t kMaxGlobal = 256;          // "module.name" of a global
constexpr size_t kMaxKey = 4096;            // a state-dict key

// Values live in the machine's arena and point at each other with plain pointers: teardown is one
// flat loop whatever the nesting, and cycles made through the memo cannot leak.
struct Value {
  enum class Kind { None, Bool, Int, Float, Str, Tuple, List, Dict, Tensor, Global, Storage, Mark } kind = Kind::None;
  int64_t i = 0;
  double f = 0;
  int depth = 0;                          // nesting below this container (stale through the memo: a floor)
  std::string s;                          // Str, Global ("module.name")
  std::vector<Value*> items;              // Tuple, List
  std::vector<std::pair<Value*, Value*>> kv;  // Dict
  torch::Tensor tensor;                   // Tensor, Storage (1-D, its dtype)
};

const char* kind_name(Value::Kind k) {
  switch (k) {
    case Value::Kind::None: return "None";
    case Value::Kind::Bool: return "a bool";
    case Value::Kind::Int: return "an integer";
    case Value::Kind::Float: return "a float";
    case Value::Kind::Str: return "a string";
    case Value::Kind::Tuple: return "a tuple";
    case Value::Kind::List: return "a list";
    case Value::Kind::Dict: return "a dict";
    case Value::Kind::Tensor: return "a tensor";
    case Value::Kind::Global: return "a global";
    case Value::Kind::Storage: return "a storage";
    case Value::Kind::Mark: return "a mark";
  }
  return "?";
}

torch::Dtype storage_dtype(const std::string& global, const std::string& where) {
  static const std::map<std::string, torch::Dtype> m = {
      {"torch.FloatStorage", torch::kFloat32},   {"torch.HalfStorage", torch::kHalf},
      {"torch.BFloat16Storage", torch::kBFloat16}, {"torch.DoubleStorage", torch::kFloat64},
      {"torch.LongStorage", torch::kInt64},      {"torch.IntStorage", torch::kInt32},
      {"torch.ShortStorage", torch::kInt16},     {"torch.CharStorage", torch::kInt8},
      {"torch.ByteStorage", torch::kUInt8},      {"torch.BoolStorage", torch::kBool}};
  auto it = m.find(global);
  if (it == m.end()) throw ModelLoadError(where + ": unsupported storage type '" + global + "'");
  return it->second;
}

class Machine {
 public:
  Machine(const StorageLookup& storage, std::string what, const uint8_t* data, size_t n)
      : storage_(storage), path_(std::move(what)), p_(data), end_(data + n) {}

  Value* run() {
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
        case 'M': push_int(le(take(2), 2)); break;
        case 'J': push_int(static_cast<int32_t>(le(take(4), 4))); break;
        case 0x8a: {                                     // LONG1: little-endian two's complement
          const uint8_t n = u8();
          if (n > 8) fail("an integer of " + std::to_string(n) + " bytes");
          const uint8_t* b = take(n);
          uint64_t x = le(b, n);
          if (n > 0 && n < 8 && (b[n - 1] & 0x80)) x |= ~uint64_t{0} << (8 * n);  // sign-extend
          push_int(static_cast<int64_t>(x));
          break;
        }
        case 'G': {                                      // BINFLOAT, big-endian
          const uint8_t* b = take(8);
          uint64_t bits = 0;
          for (int k = 0; k < 8; ++k) bits = (bits << 8) | b[k];
          auto v = make(Value::Kind::Float);
          std::memcpy(&v->f, &bits, 8);
          push(v);
          break;
        }
        case 'X': case 'B': { const uint64_t n = le(take(4), 4); push_str(take(n), n); break; }
        case 0x8c: case 'C': { const uint8_t n = u8(); push_str(take(n), n); break; }
        case 0x8d: case 0x8e: { const uint64_t n = le(take(8), 8); push_str(take(n), n); break; }
        case 'c': {                                      // GLOBAL module\nname\n
          const std::string mod = line(), name = line();
          push(global(mod, name));
          break;
        }
        case 0x93: {                                     // STACK_GLOBAL
          auto name = pop(), mod = pop();
          if (name->kind != Value::Kind::Str || mod->kind != Value::Kind::Str) fail("a global named by non-strings");
          push(global(mod->s, name->s));
          break;
        }
        case 'q': put(u8()); break;                      // BINPUT
        case 'r': put(le(take(4), 4)); break;            // LONG_BINPUT
        case 0x94: put(memo_.size()); break;             // MEMOIZE
        case 'h': push(memo(u8())); break;               // BINGET
        case 'j': push(memo(le(take(4), 4))); break;     // LONG_BINGET
        case 't': {                                      // TUPLE
          auto items = pop_to_mark();
          auto t = make(Value::Kind::Tuple);
          for (auto* x : items) add_item(t, x);
          push(t);
          break;
        }
        case 0x85: case 0x86: case 0x87: {               // TUPLE1..3
          const int n = op - 0x84;
          Value* xs[3] = {};
          for (int k = n - 1; k >= 0; --k) xs[k] = pop();
          auto t = make(Value::Kind::Tuple);
          for (int k = 0; k < n; ++k) add_item(t, xs[k]);
          push(t);
          break;
        }
        case 'a': { auto v = pop(); add_item(container(Value::Kind::List, "APPEND"), v); break; }
        case 'e': {                                      // APPENDS
          auto vs = pop_to_mark();
          auto l = container(Value::Kind::List, "APPENDS");
          for (auto* x : vs) add_item(l, x);
          break;
        }
        case 's': { auto v = pop(); auto k = pop(); add_pair(container(Value::Kind::Dict, "SETITEM"), k, v); break; }
        case 'u': {                                      // SETITEMS
          auto vs = pop_to_mark();
          if (vs.size() % 2) fail("SETITEMS with an odd number of values");
          auto d = container(Value::Kind::Dict, "SETITEMS");
          for (size_t k = 0; k + 1 < vs.size(); k += 2) add_pair(d, vs[k], vs[k + 1]);
          break;
        }
        case 'b': pop(); top(); break;                   // BUILD: OrderedDict._metadata etc. — not needed
        case 'Q': push(persistent(pop())); break;        // BINPERSID
        case 'R': { auto args = pop(); auto fn = pop(); push(reduce(fn, args)); break; }
        default: {
          char hex[8];
          std::snprintf(hex, sizeof hex, "0x%02x", op);
          fail(std::string("unsupported pickle opcode ") + hex);
        }
      }
    }
  }

 private:
  [[noreturn]] void fail(const std::string& why) const {
    throw ModelLoadError(path_ + ": corrupt or unsupported data.pkl (" + why + "); the checkpoint must hold only tensors — download it again");
  }
  const uint8_t* take(uint64_t n) {
    if (static_cast<uint64_t>(end_ - p_) < n) throw ModelLoadError(path_ + ": data.pkl ends early; the file is truncated — download it again");
    const uint8_t* r = p_;
    p_ += n;
    return r;
  }
  static uint64_t le(const uint8_t* b, int n) {
    uint64_t x = 0;
    for (int k = n - 1; k >= 0; --k) x = (x << 8) | b[k];
    return x;
  }
  uint8_t u8() { return *take(1); }
  std::string line() {
    const uint8_t* s = p_;
    while (p_ < end_ && *p_ != '\n' && p_ - s <= static_cast<ptrdiff_t>(kMaxGlobal)) ++p_;
    if (p_ < end_ && *p_ != '\n') fail("a global name longer than " + std::to_string(kMaxGlobal) + " bytes");
    if (p_ >= end_) throw ModelLoadError(path_ + ": data.pkl ends early; the file is truncated — download it again");
    return std::string(reinterpret_cast<const char*>(s), reinterpret_cast<const char*>(p_++));
  }
  Value* make(Value::Kind k) {
    if (arena_.size() >= kMaxValues) fail("more than " + std::to_string(kMaxValues) + " values");
    arena_.emplace_back();
    arena_.back().kind = k;
    return &arena_.back();
  }
  void push(Value* v) { stack_.push_back(v); }
  void push_int(int64_t x) { auto v = make(Value::Kind::Int); v->i = x; push(v); }
  void push_str(const uint8_t* s, size_t n) {
    auto v = make(Value::Kind::Str);
    v->s.assign(reinterpret_cast<const char*>(s), n);
    push(v);
  }
  Value* pop() {
    if (stack_.empty()) fail("stack underflow");
    auto v = stack_.back();
    stack_.pop_back();
    return v;
  }
  Value* top() {
    if (stack_.empty()) fail("empty stack");
    return stack_.back();
  }
  Value* container(Value::Kind k, const char* op) {
    Value* c = top();
    if (c->kind != k) fail(std::string(op) + " on " + kind_name(c->kind));
    return c;
  }
  void nest(Value* parent, const Value* child) {
    if (child->kind == Value::Kind::Mark) fail("a mark inside a container");
    parent->depth = std::max(parent->depth, child->depth + 1);
    if (parent->depth > kMaxDepth) fail("containers nested deeper than " + std::to_string(kMaxDepth) + " levels");
  }
  void add_item(Value* c, Value* v) { nest(c, v); c->items.push_back(v); }
  void add_pair(Value* d, Value* k, Value* v) { nest(d, k); nest(d, v); d->kv.emplace_back(k, v); }
  Value* global(const std::string& mod, const std::string& name) {
    if (mod.size() + name.size() + 1 > kMaxGlobal) fail("a global name longer than " + std::to_string(kMaxGlobal) + " bytes");
    auto v = make(Value::Kind::Global);
    v->s = mod + "." + name;
    return v;
  }
  void put(uint64_t k) {
    if (memo_.size() >= kMaxValues) fail("more than " + std::to_string(kMaxValues) + " memo entries");
    memo_[k] = top();
  }
  Value* memo(uint64_t k) {
    auto it = memo_.find(k);
    if (it == memo_.end()) fail("unknown memo entry " + std::to_string(k));
    return it->second;
  }
  std::vector<Value*> pop_to_mark() {
    std::vector<Value*> out;
    while (true) {
      auto v = pop();
      if (v->kind == Value::Kind::Mark) break;
      out.push_back(v);
    }
    return {out.rbegin(), out.rend()};
  }
  int64_t int_of(const Value* v, const char* what) const {
    if (v->kind != Value::Kind::Int) fail(std::string(what) + " is " + kind_name(v->kind) + ", not an integer");
    return v->i;
  }

  // ('storage', <torch.XStorage>, key, location, numel)
  Value* persistent(const Value* pid) {
    if (pid->kind != Value::Kind::Tuple || pid->items.size() < 5 || pid->items[0]->kind != Value::Kind::Str ||
        pid->items[0]->s != "storage" || pid->items[1]->kind != Value::Kind::Global ||
        pid->items[2]->kind != Value::Kind::Str)
      fail("a persistent id that is not a storage");
    const std::string key = pid->items[2]->s;
    auto it = storages_.find(key);
    if (it != storages_.end()) return it->second;
    const torch::Dtype dt = storage_dtype(pid->items[1]->s, path_);
    const int64_t numel = int_of(pid->items[4], "a storage size");
    const int64_t item = static_cast<int64_t>(c10::elementSize(dt));
    int64_t need = 0;
    if (numel < 0 || !checked_mul(numel, item, need)) fail("storage " + key + " declares " + std::to_string(numel) + " elements");
    size_t have = 0;
    const uint8_t* bytes = storage_(key, &have);
    if (have < static_cast<uint64_t>(need))
      throw ModelLoadError(path_ + ": storage " + key + " holds " + std::to_string(have) + " bytes, expected " +
                           std::to_string(need) + "; the file is truncated — download it again");
    auto v = make(Value::Kind::Storage);
    const auto opts = torch::TensorOptions().dtype(dt);
    if (numel == 0) {
      v->tensor = torch::empty({0}, opts);
    } else if (reinterpret_cast<uintptr_t>(bytes) % static_cast<uintptr_t>(item) == 0) {
      // A view of the mapped record: tensors are cloned out of it while the file is still mapped.
      v->tensor = torch::from_blob(const_cast<uint8_t*>(bytes), {numel}, opts);
    } else {  // torch.save aligns records to 64 bytes; a crafted file may not
      v->tensor = torch::empty({numel}, opts);
      std::memcpy(v->tensor.data_ptr(), bytes, static_cast<size_t>(need));
    }
    storages_[key] = v;
    if (!checked_add(clone_budget_, need * 4, clone_budget_)) clone_budget_ = INT64_MAX;
    return v;
  }

  // Checks size/stride/offset against the storage so the view never reaches outside it.
  torch::Tensor rebuild_tensor(const std::vector<Value*>& a) {
    if (a.size() < 4 || a[0]->kind != Value::Kind::Storage || a[2]->kind != Value::Kind::Tuple ||
        a[3]->kind != Value::Kind::Tuple)
      fail("a malformed tensor (expected storage, offset, size, stride)");
    const torch::Tensor& storage = a[0]->tensor;
    const int64_t offset = int_of(a[1], "a tensor's storage offset");
    std::vector<int64_t> size, stride;
    for (auto* x : a[2]->items) size.push_back(int_of(x, "a tensor dimension"));
    for (auto* x : a[3]->items) stride.push_back(int_of(x, "a tensor stride"));
    if (size.size() != stride.size() || size.size() > kMaxDims)
      fail("a tensor with " + std::to_string(size.size()) + " sizes and " + std::to_string(stride.size()) + " strides");
    int64_t numel = 0, last = offset;  // the highest element index the view touches
    if (offset < 0 || !checked_numel(size, numel)) fail("a tensor with a negative or overflowing shape");
    for (size_t d = 0; d < size.size() && numel > 0; ++d) {
      int64_t span = 0;
      if (stride[d] < 0 || !checked_mul(size[d] - 1, stride[d], span) || !checked_add(last, span, last))
        fail("a tensor whose strides overflow");
    }
    if (numel > 0 ? last >= storage.numel() : offset > storage.numel())
      throw ModelLoadError(path_ + ": a tensor of shape " + shape_text(size) + " at offset " + std::to_string(offset) +
                           " reaches past its storage of " + std::to_string(storage.numel()) +
                           " elements; the file is corrupt — download it again");
    if (numel == 0) return torch::empty(size, storage.options());
    // Views that repeat elements (stride 0, overlapping rows) may not blow a small file up: all
    // tensors together may hold at most four times the storages' bytes (tied weights share).
    const int64_t bytes = numel * static_cast<int64_t>(storage.element_size());
    if (bytes > clone_budget_) fail("tensors that repeat their storage's elements far beyond its size");
    clone_budget_ -= bytes;
    return storage.as_strided(size, stride, offset).clone();
  }
  static std::string shape_text(const std::vector<int64_t>& s) {
    std::string o = "[";
    for (size_t i = 0; i < s.size(); ++i) o += (i ? "," : "") + std::to_string(s[i]);
    return o + "]";
  }

  Value* reduce(const Value* fn, const Value* args) {
    if (fn->kind != Value::Kind::Global) fail("a call of " + std::string(kind_name(fn->kind)));
    if (args->kind != Value::Kind::Tuple) fail("call arguments that are " + std::string(kind_name(args->kind)));
    const std::string& f = fn->s;
    const auto& a = args->items;
    if (f == "torch._utils._rebuild_tensor_v2" || f == "torch._utils._rebuild_tensor") {
      auto v = make(Value::Kind::Tensor);
      v->tensor = rebuild_tensor(a);
      return v;
    }
    if (f == "torch._utils._rebuild_parameter" || f == "torch._utils._rebuild_parameter_with_state") {
      if (a.empty() || a[0]->kind != Value::Kind::Tensor) fail("a parameter without a tensor");
      return a[0];
    }
    if (f == "collections.OrderedDict" || f == "builtins.dict") return make(Value::Kind::Dict);
    throw ModelLoadError(path_ + ": refusing the object '" + f +
                         "' in the checkpoint: only tensors are read and nothing in a checkpoint is executed");
  }

  const StorageLookup& storage_;
  std::string path_;
  const uint8_t* p_;
  const uint8_t* end_;
  std::deque<Value> arena_;
  std::vector<Value*> stack_;
  std::map<uint64_t, Value*> memo_;
  std::map<std::string, Value*> storages_;
  int64_t clone_budget_ = int64_t{1} << 20;

};

// Each dict is walked once: a dict reached again through the memo (shared or self-containing)
// would otherwise multiply the walk exponentially.
void flatten(const Value* d, const std::string& prefix, int depth, std::set<const Value*>& seen, TorchCheckpoint& out,
             const std::string& what) {
  if (depth > kMaxDepth || !seen.insert(d).second) return;
  for (const auto& [k, v] : d->kv) {
    if (k->kind != Value::Kind::Str) continue;
    if (prefix.size() + k->s.size() > kMaxKey)
      throw ModelLoadError(what + ": a state-dict key longer than " + std::to_string(kMaxKey) + " bytes; the file is damaged");
    if (v->kind == Value::Kind::Tensor) out.entries.emplace_back(prefix + k->s, v->tensor);
    else if (v->kind == Value::Kind::Dict) flatten(v, prefix + k->s + ".", depth + 1, seen, out, what);
  }
}

TorchCheckpoint to_checkpoint(const Value* root, const std::string& what) {
  TorchCheckpoint out;
  if (root->kind == Value::Kind::List || root->kind == Value::Kind::Tuple) {
    out.is_list = true;
    for (size_t i = 0; i < root->items.size(); ++i) {
      if (root->items[i]->kind != Value::Kind::Tensor)
        throw ModelLoadError(what + ": list item " + std::to_string(i) + " is " + kind_name(root->items[i]->kind) +
                             ", not a tensor");
      out.list.push_back(root->items[i]->tensor);
    }
  } else if (root->kind == Value::Kind::Dict) {
    std::set<const Value*> seen;
    flatten(root, "", 0, seen, out, what);
  } else {
    throw ModelLoadError(what + ": the checkpoint holds " + kind_name(root->kind) +
                         "; expected a state dict or a list of tensors");
  }
  return out;
}

// Any failure below our own checks (allocation, LibTorch) still becomes a model error naming the file.
template <class F>
TorchCheckpoint guarded(const std::string& what, F&& f) {
  try {
    return f();
  } catch (const Error&) {
    throw;
  } catch (const std::bad_alloc&) {
    throw ModelLoadError(what + ": the checkpoint needs more memory than is available");
  } catch (const std::exception& e) {
    const std::string w = e.what();
    throw ModelLoadError(what + ": cannot read the checkpoint (" + w.substr(0, w.find('\n')) + ")");
  }
}

}  // namespace

TorchCheckpoint read_torch_pickle(const uint8_t* pkl, size_t size, const StorageLookup& storage, const std::string& what) {
  return guarded(what, [&] {
    Machine m(storage, what, pkl, size);
    return to_checkpoint(m.run(), what);
  });
}

TorchCheckpoint read_torch_checkpoint_bytes(const uint8_t* data, size_t size, const std::string& what) {
  return guarded(what, [&] {
    const ZipArchive zip(data, size, what);
    // torch.save puts every record under one folder named after the file: <archive>/data.pkl.
    std::string prefix;
    bool found = false;
    for (const auto& [name, rec] : zip.records()) {
      const size_t n = name.size();
      if (name == "data.pkl" || (n > 9 && name.compare(n - 9, 9, "/data.pkl") == 0 && name.find('/') == n - 9)) {
        if (found) throw ModelLoadError(what + ": the archive holds more than one data.pkl");
        prefix = name.substr(0, n - 8);
        found = true;
      }
    }
    if (!found) throw ModelLoadError(what + ": no data.pkl in the archive; this is not a torch.save checkpoint");
    if (zip.has(prefix + "byteorder")) {
      size_t n = 0;
      const uint8_t* b = zip.data(prefix + "byteorder", &n);
      if (std::string(reinterpret_cast<const char*>(b), n) != "little")
        throw ModelLoadError(what + ": the checkpoint was saved on a big-endian machine; load and save it again on a PC");
    }
    size_t pn = 0;
    const uint8_t* pkl = zip.data(prefix + "data.pkl", &pn);
    return read_torch_pickle(pkl, pn, [&](const std::string& key, size_t* sz) {
      return zip.data(prefix + "data/" + key, sz);
    }, what);
  });
}

TorchCheckpoint read_torch_checkpoint(const std::string& path) {
  const MappedFile f{std::filesystem::path(path)};
  return read_torch_checkpoint_bytes(f.data(), f.size(), path);
}

}  // namespace coz::weights
