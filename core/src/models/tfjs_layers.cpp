// Follows the TF.js layers-model format (tfjs-converter "layers-model": modelTopology.model_config
// is the Keras functional config; weightsManifest groups concatenate their shard files and list
// tensors in byte order), tfjs-core src/io/io_utils.ts decodeWeight for the stored value
// encodings, and Keras Conv2D/UpSampling2D semantics.
#include "models/tfjs_layers.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>
#include <limits>
#include <set>
#include <sstream>

#include "coz/error.h"
#include "weights/weight_store.h"
#include "checked.h"
#include "json_file.h"

namespace coz::models {
namespace fs = std::filesystem;
using json = nlohmann::json;
namespace F = torch::nn::functional;
using weights::shape_str;

namespace {


std::string read_file(const fs::path& p) {
  std::error_code ec;
  if (!fs::exists(p, ec)) throw ModelLoadError(p.string() + ": weight shard is missing; reinstall the model");
  return read_model_text_file(p, "the weight shard", uint64_t{1} << 30);
}

const json& model_config(const json& j, const fs::path& p) {
  if (!j.is_object() || !j.contains("modelTopology")) throw ModelLoadError(p.string() + ": no modelTopology (not a TF.js layers-model)");
  const json& t = j.at("modelTopology");
  const json& cfg = t.is_object() && t.contains("model_config") ? t.at("model_config") : t;
  if (!cfg.is_object() || !cfg.contains("config") || !cfg.at("config").is_object() || !cfg.at("config").contains("layers") ||
      !cfg.at("config").at("layers").is_array())
    throw ModelLoadError(p.string() + ": modelTopology has no Keras layer list");
  return cfg;
}

std::vector<std::string> inbound_names(const json& layer) {
  std::vector<std::string> names;
  if (!layer.contains("inbound_nodes")) return names;
  const json& nodes = layer.at("inbound_nodes");
  if (nodes.empty()) return names;
  if (nodes.size() != 1)
    throw ModelLoadError("layer " + layer.at("name").get<std::string>() + " is called more than once (shared layers are not supported)");
  for (const json& in : nodes.at(0)) names.push_back(in.at(0).get<std::string>());
  return names;
}

// Two positive integers no larger than `max` (kernel sizes, dilations, up-sampling factors).
std::vector<int64_t> pair_of(const json& c, const char* key, std::vector<int64_t> dflt, int64_t max,
                             const std::function<void(const std::string&)>& fail) {
  if (!c.contains(key)) return dflt;
  const json& v = c.at(key);
  if (!v.is_array() || v.size() != 2 || !v.at(0).is_number_integer() || !v.at(1).is_number_integer() ||
      v.at(0).get<int64_t>() < 1 || v.at(1).get<int64_t>() < 1 || v.at(0).get<int64_t>() > max || v.at(1).get<int64_t>() > max)
    fail(std::string(key) + " " + v.dump() + " is not two integers from 1 to " + std::to_string(max));
  return {v.at(0).get<int64_t>(), v.at(1).get<int64_t>()};
}

// How one weightsManifest entry stores its values (tfjs-core io_utils.ts decodeWeight).
struct ValueEncoding {
  enum class Kind { Float32, Float16, Uint8, Uint16 };
  Kind kind = Kind::Float32;
  int64_t bytes = 4;            // per value
  double min = 0.0, scale = 1.0;  // Uint8/Uint16: value = q * scale + min
};

// `where` is "<model.json>: tensor <name>".
ValueEncoding value_encoding(const json& w, const std::string& where) {
  using Kind = ValueEncoding::Kind;
  const json& jd = w.contains("dtype") ? w.at("dtype") : json("float32");
  if (!jd.is_string())
    throw ModelLoadError(where + " has dtype " + jd.dump().substr(0, 200) + "; expected a string such as \"float32\"");
  const std::string dtype = jd.get<std::string>();
  if (!w.contains("quantization")) {
    if (dtype == "float32") return {Kind::Float32, 4};
    // tfjs-core itself refuses a plain float16 entry; it is read like a float16-quantized one.
    if (dtype == "float16") return {Kind::Float16, 2};
    throw ModelLoadError(where + " has dtype " + dtype + "; only float32 (plain or quantized) and float16 are supported");
  }
  if (dtype != "float32")
    throw ModelLoadError(where + " is quantized to dtype " + dtype + "; only quantized float32 weights are supported");
  const json& q = w.at("quantization");
  if (!q.is_object() || !q.contains("dtype") || !q.at("dtype").is_string())
    throw ModelLoadError(where + " has quantization " + q.dump().substr(0, 200) +
                         "; expected {\"dtype\": \"uint8\"|\"uint16\"|\"float16\", ...}");
  const std::string qd = q.at("dtype").get<std::string>();
  if (qd == "float16") return {Kind::Float16, 2};
  if (qd != "uint8" && qd != "uint16")
    throw ModelLoadError(where + " has unknown quantization dtype " + qd + "; supported are uint8, uint16 and float16");
  ValueEncoding e{qd == "uint8" ? Kind::Uint8 : Kind::Uint16, qd == "uint8" ? 1 : 2};
  for (const char* key : {"min", "scale"})
    if (!q.contains(key) || !q.at(key).is_number())
      throw ModelLoadError(where + " is quantized to " + qd + " without a numeric " + key + "; reinstall the model");
  e.min = q.at("min").get<double>();
  e.scale = q.at("scale").get<double>();
  // Every value lies between min and qmax * scale + min; both ends must fit a float32 (a larger
  // double converted to float is undefined behaviour, not infinity).
  const double qmax = e.kind == Kind::Uint8 ? 255.0 : 65535.0;
  const double top = qmax * e.scale + e.min, fmax = std::numeric_limits<float>::max();
  if (!std::isfinite(e.min) || !std::isfinite(e.scale) || !(std::fabs(e.min) <= fmax) || !(std::fabs(top) <= fmax))
    throw ModelLoadError(where + " has quantization min " + std::to_string(e.min) + ", scale " + std::to_string(e.scale) +
                         ", whose values are not finite float32 numbers");
  return e;
}

// IEEE 754 half -> single, exact (as tfjs-core getFloat16Decoder's tables): subnormals are
// normalised, infinities and NaNs (with their payload) kept.
float half_to_float(uint16_t h) {
  const uint32_t sign = static_cast<uint32_t>(h & 0x8000u) << 16;
  const uint32_t exp = (h >> 10) & 0x1fu;
  uint32_t mant = h & 0x3ffu, bits;
  if (exp == 0x1f) {
    bits = sign | 0x7f800000u | (mant << 13);
  } else if (exp != 0) {
    bits = sign | ((exp + 112) << 23) | (mant << 13);  // rebias 15 -> 127
  } else if (mant == 0) {
    bits = sign;
  } else {
    uint32_t e = 113;  // exponent of 2^-14, the subnormals' scale, before normalising
    while (!(mant & 0x400u)) { mant <<= 1; --e; }
    bits = sign | (e << 23) | ((mant & 0x3ffu) << 13);
  }
  float f;
  std::memcpy(&f, &bits, 4);
  return f;
}

// `n` values stored little-endian at `src` in encoding `e`, as float32.
void decode_values(const char* src, int64_t n, const ValueEncoding& e, float* dst) {
  using Kind = ValueEncoding::Kind;
  const auto* b = reinterpret_cast<const unsigned char*>(src);
  auto u16 = [&](int64_t i) { return static_cast<uint16_t>(b[2 * i] | (b[2 * i + 1] << 8)); };
  switch (e.kind) {
    case Kind::Float32: std::memcpy(dst, src, static_cast<size_t>(n) * 4); break;
    case Kind::Float16: for (int64_t i = 0; i < n; ++i) dst[i] = half_to_float(u16(i)); break;
    // tfjs computes `v * quantization.scale + quantization.min` in JavaScript doubles and stores
    // the sum in a Float32Array: one rounding to float32, at the end. Matched bit for bit.
    case Kind::Uint8: for (int64_t i = 0; i < n; ++i) dst[i] = static_cast<float>(b[i] * e.scale + e.min); break;
    case Kind::Uint16: for (int64_t i = 0; i < n; ++i) dst[i] = static_cast<float>(u16(i) * e.scale + e.min); break;
  }
}

}  // namespace

std::map<std::string, torch::Tensor> read_tfjs_weights(const fs::path& model_json) {
  return guard_model_file(model_json, [&] {
    const fs::path dir = model_json.parent_path();
    return read_tfjs_weights(read_json_file(model_json, "the model file"),
                             [&](const std::string& rel) { return read_file(dir / rel); }, model_json);
  });
}

std::map<std::string, torch::Tensor> read_tfjs_weights(const json& j, const ShardReader& read_shard,
                                                       const fs::path& model_json) {
  return guard_model_file(model_json, [&] {
  const std::string p = model_json.string();
  if (!j.is_object() || !j.contains("weightsManifest") || !j.at("weightsManifest").is_array())
    throw ModelLoadError(p + ": no weightsManifest list");
  std::map<std::string, torch::Tensor> out;
  std::set<std::string> shards;
  for (const json& group : j.at("weightsManifest")) {
    std::string bytes;
    for (const json& path : group.at("paths")) {
      const std::string rel = path.get<std::string>();
      bool escapes = rel.empty() || fs::path(rel).is_absolute();
      for (const auto& part : fs::path(rel)) escapes |= part == "..";
      if (escapes) throw ModelLoadError(p + ": weight shard '" + rel + "' is not a file in the model folder");
      if (!shards.insert(rel).second) throw ModelLoadError(p + ": weight shard '" + rel + "' is listed twice");
      bytes += read_shard(rel);
    }
    size_t offset = 0;
    for (const json& w : group.at("weights")) {
      const std::string name = w.at("name");
      const ValueEncoding enc = value_encoding(w, p + ": tensor " + name);
      const json& js = w.at("shape");
      if (!js.is_array() || js.size() > 8) throw ModelLoadError(p + ": tensor " + name + " has shape " + js.dump() + "; expected a list of sizes");
      std::vector<int64_t> shape;
      for (const json& d : js) {
        if (!d.is_number_unsigned() || d.get<uint64_t>() > (uint64_t{1} << 32))
          throw ModelLoadError(p + ": tensor " + name + " has shape " + js.dump() + "; expected a list of sizes");
        shape.push_back(d.get<int64_t>());
      }
      int64_t n = 0, nbytes = 0;
      if (!checked_numel(shape, n) || !checked_mul(n, enc.bytes, nbytes) || static_cast<uint64_t>(nbytes) > bytes.size() - offset)
        throw ModelLoadError(p + ": weight data ends early at tensor " + name + " " + shape_str(shape) +
                             " (shards truncated?); reinstall the model");
      auto t = torch::empty(shape, torch::kFloat32);
      if (n) decode_values(bytes.data() + offset, n, enc, t.data_ptr<float>());
      offset += static_cast<size_t>(nbytes);
      if (!out.emplace(name, t).second) throw ModelLoadError(p + ": tensor " + name + " is listed twice");
    }
    if (offset != bytes.size())
      throw ModelLoadError(p + ": " + std::to_string(bytes.size() - offset) + " unexpected trailing bytes in the weight shards");
  }
  return out;
  });
}

KerasGraphImpl::KerasGraphImpl(const fs::path& model_json) {
  guard_model_file(model_json, [&] {
    const json j = read_json_file(model_json, "the model file");
    build(j, read_tfjs_weights(model_json), model_json);
  });
}

KerasGraphImpl::KerasGraphImpl(const json& model, std::map<std::string, torch::Tensor> weights, const fs::path& model_json) {
  guard_model_file(model_json, [&] { build(model, std::move(weights), model_json); });
}

void KerasGraphImpl::build(const json& j, std::map<std::string, torch::Tensor> weights, const fs::path& model_json) {
  const json& cfg = model_config(j, model_json);
  std::set<std::string> used;
  std::map<std::string, int> index;
  weights::LoadReport report;  // judged after the layer list, so every missing tensor is named
  report.source = model_json.string();

  // The tensor, or an undefined one recorded as missing.
  auto take = [&](const std::string& layer, const std::string& what) -> torch::Tensor {
    // Keras weight names are "<layer>/<what>", possibly with a scope prefix.
    for (const std::string& key : {layer + "/" + what}) {
      auto it = weights.find(key);
      if (it != weights.end()) { used.insert(key); return it->second; }
    }
    for (auto& [k, v] : weights) {
      const std::string suffix = "/" + layer + "/" + what;
      if (k.size() > suffix.size() && k.compare(k.size() - suffix.size(), suffix.size(), suffix) == 0) {
        used.insert(k);
        return v;
      }
    }
    report.missing.push_back(layer + "/" + what);
    return {};
  };

  for (const json& layer : cfg.at("config").at("layers")) {
    KerasNode node;
    node.name = layer.at("name").get<std::string>();
    node.class_name = layer.at("class_name").get<std::string>();
    if (index.count(node.name)) throw ModelLoadError(model_json.string() + ": two layers are named " + node.name);
    static const json kNoConfig = json::object();
    const json& c = layer.contains("config") ? layer.at("config") : kNoConfig;
    for (const auto& in : inbound_names(layer)) {
      auto it = index.find(in);
      if (it == index.end()) throw ModelLoadError(model_json.string() + ": layer " + node.name + " reads unknown layer " + in);
      node.inputs.push_back(it->second);
    }
    const std::string& cls = node.class_name;
    auto fail = [&](const std::string& why) {
      throw ModelLoadError(model_json.string() + ": layer " + node.name + " (" + cls + "): " + why);
    };
    if (cls == "InputLayer") {
      node.op = KerasNode::Op::Input;
    } else if (cls == "Conv2D") {
      node.op = KerasNode::Op::Conv;
      if (!c.contains("kernel_size")) fail("no kernel_size");
      const auto k = pair_of(c, "kernel_size", {}, 64, fail);
      const auto stride = pair_of(c, "strides", {1, 1}, 64, fail);
      const auto dil = pair_of(c, "dilation_rate", {1, 1}, 64, fail);
      if (stride != std::vector<int64_t>{1, 1}) fail("strides other than 1 are not supported");
      if (c.contains("groups") && c.at("groups") != json(1)) fail("grouped convolutions are not supported");
      if (c.value("data_format", "channels_last") != "channels_last") fail("only channels_last is supported");
      const std::string act = c.value("activation", "linear");
      if (act == "relu") node.relu_after = true;
      else if (act != "linear") fail("activation '" + act + "' is not supported");
      const bool bias = c.value("use_bias", true);
      std::vector<int64_t> same_pad;  // symmetric padding for the conv itself
      const std::string pad = c.value("padding", "valid");
      if (pad == "same") {
        const int64_t th = dil[0] * (k[0] - 1), tw = dil[1] * (k[1] - 1);
        if (th % 2 == 0 && tw % 2 == 0) same_pad = {th / 2, tw / 2};
        else node.pad = {tw / 2, tw - tw / 2, th / 2, th - th / 2};  // TF puts the extra pixel last
      } else if (pad != "valid") {
        fail("padding '" + pad + "' is not supported");
      } else if (k[0] != 1 || k[1] != 1) {
        fail("padding 'valid' with a kernel larger than 1x1 would shrink the image; only 'same' is supported");
      }
      const auto kernel = take(node.name, "kernel");  // HWIO
      const auto b = bias ? take(node.name, "bias") : torch::Tensor();
      if (kernel.defined()) {  // else reported with every other missing tensor after the layer list
        if (kernel.dim() != 4 || kernel.size(0) != k[0] || kernel.size(1) != k[1])
          fail("kernel shape " + shape_str(kernel.sizes().vec()) + " does not match kernel_size");
        if (b.defined() && b.numel() != kernel.size(3))
          fail("bias has " + std::to_string(b.numel()) + " values, expected " + std::to_string(kernel.size(3)));
        auto opts = torch::nn::Conv2dOptions(kernel.size(2), kernel.size(3), {k[0], k[1]}).bias(bias).dilation(dil);
        if (!same_pad.empty()) opts.padding(same_pad);
        torch::nn::Conv2d conv(opts);
        torch::NoGradGuard ng;
        conv->weight.copy_(kernel.permute({3, 2, 0, 1}));  // HWIO -> OIHW
        if (b.defined()) conv->bias.copy_(b);
        node.conv = static_cast<int>(convs_.size());
        convs_.push_back(register_module(node.name, conv));
      }
    } else if (cls == "Activation") {
      const std::string act = c.at("activation");
      if (act == "relu") node.op = KerasNode::Op::Relu;
      else if (act == "linear") node.op = KerasNode::Op::Identity;
      else fail("activation '" + act + "' is not supported");
    } else if (cls == "Concatenate") {
      if (c.contains("axis") && c.at("axis") != json(-1) && c.at("axis") != json(3)) fail("only channel concatenation is supported");
      node.op = KerasNode::Op::Concat;
    } else if (cls == "Add") {
      node.op = KerasNode::Op::Add;
    } else if (cls == "MultiplyBeta") {
      node.op = KerasNode::Op::Scale;
      node.factor = 0.2;  // UpscalerJS hard-codes BETA = 0.2 in the layer
    } else if (cls.rfind("PixelShuffle", 0) == 0) {
      node.op = KerasNode::Op::DepthToSpace;
      // The scale comes from the config, else from the class name: PixelShuffle4x.
      int64_t b = 0;
      if (c.contains("scale")) {
        if (c.at("scale").is_number_integer()) b = c.at("scale").get<int64_t>();
      } else if (cls.size() >= 14 && cls.size() <= 15 && cls.back() == 'x' &&
                 std::all_of(cls.begin() + 12, cls.end() - 1, [](char ch) { return ch >= '0' && ch <= '9'; })) {
        b = std::stoi(cls.substr(12, cls.size() - 13));
      }
      if (b < 2 || b > 16) fail("the pixel-shuffle scale is not an integer from 2 to 16");
      node.block = static_cast<int>(b);
    } else if (cls == "UpSampling2D") {
      node.op = KerasNode::Op::UpsampleNearest;
      const auto size = pair_of(c, "size", {2, 2}, 16, fail);
      if (size[0] != size[1]) fail("only square up-sampling is supported");
      if (c.value("interpolation", "nearest") != "nearest") fail("only nearest up-sampling is supported");
      node.block = static_cast<int>(size[0]);
    } else {
      fail("layer type is not supported");
    }
    const size_t arity = node.inputs.size();
    if (node.op == KerasNode::Op::Input ? arity != 0
        : (node.op == KerasNode::Op::Concat || node.op == KerasNode::Op::Add) ? arity < 2
        : arity != 1)
      fail("unexpected number of inputs (" + std::to_string(arity) + ")");
    index[node.name] = static_cast<int>(nodes_.size());
    nodes_.push_back(std::move(node));
  }

  // The graph uses every tensor of the file: one it does not is a sign of a different model.
  for (const auto& w : weights)
    if (!used.count(w.first)) report.unexpected.push_back(w.first);
  weights::check_load(report, weights::Unexpected::Error);

  const json& outs = cfg.at("config").at("output_layers");
  const json& ins = cfg.at("config").at("input_layers");
  if (!outs.is_array() || !ins.is_array() || outs.size() != 1 || ins.size() != 1)
    throw ModelLoadError(model_json.string() + ": expected one input and one output");
  const std::string out_name = outs.at(0).at(0);
  if (!index.count(out_name) || index.at(out_name) != static_cast<int>(nodes_.size()) - 1)
    throw ModelLoadError(model_json.string() + ": the output layer must be the last layer");
  if (nodes_.empty() || nodes_[0].op != KerasNode::Op::Input || nodes_[0].name != ins.at(0).at(0).get<std::string>())
    throw ModelLoadError(model_json.string() + ": the input layer must come first");

  // Channel counts through the graph, so a model that could not run is refused now, not mid-run.
  std::vector<int64_t> ch(nodes_.size());
  int64_t factor = 1;
  for (size_t i = 0; i < nodes_.size(); ++i) {
    const KerasNode& n = nodes_[i];
    auto fail = [&](const std::string& why) {
      throw ModelLoadError(model_json.string() + ": layer " + n.name + " (" + n.class_name + "): " + why);
    };
    auto in = [&](size_t k) { return ch[n.inputs[k]]; };
    switch (n.op) {
      case KerasNode::Op::Input: ch[i] = 3; break;
      case KerasNode::Op::Conv:
        if (in(0) != convs_[n.conv]->options.in_channels())
          fail("reads " + std::to_string(in(0)) + " channels, its kernel expects " + std::to_string(convs_[n.conv]->options.in_channels()));
        ch[i] = convs_[n.conv]->options.out_channels();
        break;
      case KerasNode::Op::Concat:
        ch[i] = 0;
        for (size_t k = 0; k < n.inputs.size(); ++k)
          if (!checked_add(ch[i], in(k), ch[i]) || ch[i] > (int64_t{1} << 20)) fail("concatenates more than 2^20 channels");
        break;
      case KerasNode::Op::Add:
        for (size_t k = 1; k < n.inputs.size(); ++k)
          if (in(k) != in(0)) fail("adds tensors of " + std::to_string(in(0)) + " and " + std::to_string(in(k)) + " channels");
        ch[i] = in(0);
        break;
      case KerasNode::Op::DepthToSpace:
        if (in(0) % (int64_t{n.block} * n.block) != 0)
          fail(std::to_string(in(0)) + " channels do not divide into " + std::to_string(n.block) + "x" + std::to_string(n.block) + " blocks");
        ch[i] = in(0) / (int64_t{n.block} * n.block);
        factor *= n.block;
        break;
      case KerasNode::Op::UpsampleNearest: ch[i] = in(0); factor *= n.block; break;
      default: ch[i] = in(0); break;
    }
    if (factor > 64) fail("the graph upscales by more than x64");
  }
  if (ch.back() != 3)
    throw ModelLoadError(model_json.string() + ": the output has " + std::to_string(ch.back()) + " channels, expected RGB (3)");

  last_use_.assign(nodes_.size(), -1);
  for (size_t i = 0; i < nodes_.size(); ++i)
    for (int in : nodes_[i].inputs) last_use_[in] = static_cast<int>(i);
  last_use_.back() = static_cast<int>(nodes_.size());
}

bool KerasGraphImpl::has_layer_class(const std::string& cls) const {
  for (const auto& n : nodes_)
    if (n.class_name.rfind(cls, 0) == 0) return true;
  return false;
}

int KerasGraphImpl::upscale_factor() const {
  int f = 1;
  for (const auto& n : nodes_)
    if (n.op == KerasNode::Op::DepthToSpace || n.op == KerasNode::Op::UpsampleNearest) f *= n.block;
  return f;
}

void KerasGraphImpl::set_channels_last(bool on) {
  channels_last_ = on;
  const auto fmt = on ? torch::MemoryFormat::ChannelsLast : torch::MemoryFormat::Contiguous;
  torch::NoGradGuard ng;
  for (auto& c : convs_) c->weight.set_data(c->weight.contiguous(fmt));
}

torch::Tensor KerasGraphImpl::forward(const torch::Tensor& x_in) {
  const torch::Tensor x = channels_last_ ? x_in.contiguous(torch::MemoryFormat::ChannelsLast) : x_in;
  std::vector<torch::Tensor> v(nodes_.size());
  for (size_t i = 0; i < nodes_.size(); ++i) {
    const KerasNode& n = nodes_[i];
    auto in = [&](size_t k) -> const torch::Tensor& { return v[n.inputs[k]]; };
    switch (n.op) {
      case KerasNode::Op::Input: v[i] = x; break;
      case KerasNode::Op::Conv: {
        torch::Tensor t = n.pad.empty() ? in(0) : F::pad(in(0), F::PadFuncOptions(n.pad));
        t = convs_[n.conv]->forward(t);
        v[i] = n.relu_after ? t.relu_() : t;
        break;
      }
      case KerasNode::Op::Relu: v[i] = torch::relu(in(0)); break;
      case KerasNode::Op::Identity: v[i] = in(0); break;
      case KerasNode::Op::Concat: {
        std::vector<torch::Tensor> parts;
        for (size_t k = 0; k < n.inputs.size(); ++k) parts.push_back(in(k));
        v[i] = torch::cat(parts, 1);
        break;
      }
      case KerasNode::Op::Add: {
        torch::Tensor t = in(0) + in(1);
        for (size_t k = 2; k < n.inputs.size(); ++k) t.add_(in(k));
        v[i] = t;
        break;
      }
      case KerasNode::Op::Scale: v[i] = in(0) * n.factor; break;
      case KerasNode::Op::DepthToSpace: {
        // TF depth_to_space (DCR): channel k = (dy*b + dx)*C + c.
        const auto& t = in(0);
        const int64_t b = n.block, N = t.size(0), C = t.size(1) / (b * b), H = t.size(2), W = t.size(3);
        v[i] = t.reshape({N, b, b, C, H, W}).permute({0, 3, 4, 1, 5, 2}).reshape({N, C, H * b, W * b});
        break;
      }
      case KerasNode::Op::UpsampleNearest: {
        const auto& t = in(0);
        const int64_t b = n.block;
        v[i] = t.unsqueeze(3).unsqueeze(5).expand({t.size(0), t.size(1), t.size(2), b, t.size(3), b})
                   .reshape({t.size(0), t.size(1), t.size(2) * b, t.size(3) * b});
        break;
      }
    }
    for (int k : n.inputs)
      if (last_use_[k] == static_cast<int>(i)) v[k] = torch::Tensor();
  }
  return v.back().contiguous();
}

}  // namespace coz::models
