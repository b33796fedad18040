// Follows the TF.js layers-model format (tfjs-converter "layers-model": modelTopology.model_config
// is the Keras functional config; weightsManifest groups concatenate their shard files and list
// tensors in byte order) and Keras Conv2D/UpSampling2D semantics.
#include "models/tfjs_layers.h"

#include <nlohmann/json.hpp>

#include <fstream>
#include <set>
#include <sstream>

#include "coz/error.h"
#include "weights/weight_store.h"
#include "json_file.h"

namespace coz::models {
namespace fs = std::filesystem;
using json = nlohmann::json;
namespace F = torch::nn::functional;
using weights::shape_str;

namespace {


json read_json(const fs::path& p) { return read_json_file(p, "the model file"); }

std::string read_file(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  if (!f) throw ModelLoadError(p.string() + ": weight shard is missing; reinstall the model");
  std::ostringstream s;
  s << f.rdbuf();
  return s.str();
}

const json& model_config(const json& j, const fs::path& p) {
  if (!j.contains("modelTopology")) throw ModelLoadError(p.string() + ": no modelTopology (not a TF.js layers-model)");
  const json& t = j["modelTopology"];
  const json& cfg = t.contains("model_config") ? t["model_config"] : t;
  if (!cfg.contains("config") || !cfg["config"].contains("layers"))
    throw ModelLoadError(p.string() + ": modelTopology has no Keras layer list");
  return cfg;
}

std::vector<std::string> inbound_names(const json& layer) {
  std::vector<std::string> names;
  const json& nodes = layer["inbound_nodes"];
  if (nodes.empty()) return names;
  if (nodes.size() != 1)
    throw ModelLoadError("layer " + layer["name"].get<std::string>() + " is called more than once (shared layers are not supported)");
  for (const json& in : nodes[0]) names.push_back(in[0].get<std::string>());
  return names;
}

}  // namespace

std::map<std::string, torch::Tensor> read_tfjs_weights(const fs::path& model_json) {
  const json j = read_json(model_json);
  if (!j.contains("weightsManifest")) throw ModelLoadError(model_json.string() + ": no weightsManifest");
  std::map<std::string, torch::Tensor> out;
  const fs::path dir = model_json.parent_path();
  for (const json& group : j["weightsManifest"]) {
    std::string bytes;
    for (const json& p : group["paths"]) bytes += read_file(dir / p.get<std::string>());
    size_t offset = 0;
    for (const json& w : group["weights"]) {
      const std::string name = w["name"];
      const std::string dtype = w.value("dtype", "float32");
      if (w.contains("quantization"))
        throw ModelLoadError(model_json.string() + ": tensor " + name + " is quantized; only float32 models are supported");
      if (dtype != "float32")
        throw ModelLoadError(model_json.string() + ": tensor " + name + " has dtype " + dtype + "; only float32 is supported");
      std::vector<int64_t> shape = w["shape"].get<std::vector<int64_t>>();
      int64_t n = 1;
      for (auto d : shape) n *= d;
      const size_t nbytes = static_cast<size_t>(n) * 4;
      if (offset + nbytes > bytes.size())
        throw ModelLoadError(model_json.string() + ": weight data ends early at tensor " + name + " " +
                             shape_str(shape) + " (shards truncated?); reinstall the model");
      auto t = torch::empty(shape, torch::kFloat32);
      std::memcpy(t.data_ptr<float>(), bytes.data() + offset, nbytes);
      offset += nbytes;
      out[name] = t;
    }
    if (offset != bytes.size())
      throw ModelLoadError(model_json.string() + ": " + std::to_string(bytes.size() - offset) +
                           " unexpected trailing bytes in the weight shards");
  }
  return out;
}

KerasGraphImpl::KerasGraphImpl(const fs::path& model_json) {
  const json j = read_json(model_json);
  const json& cfg = model_config(j, model_json);
  auto weights = read_tfjs_weights(model_json);
  std::set<std::string> used;
  std::map<std::string, int> index;

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
    throw ModelLoadError(model_json.string() + ": missing tensor " + layer + "/" + what);
  };

  for (const json& layer : cfg["config"]["layers"]) {
    KerasNode node;
    node.name = layer["name"];
    node.class_name = layer["class_name"];
    const json& c = layer["config"];
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
      const auto k = c["kernel_size"].get<std::vector<int64_t>>();
      const auto stride = c["strides"].get<std::vector<int64_t>>();
      const auto dil = c.value("dilation_rate", std::vector<int64_t>{1, 1});
      if (stride != std::vector<int64_t>{1, 1}) fail("strides other than 1 are not supported");
      if (c.value("groups", 1) != 1) fail("grouped convolutions are not supported");
      if (c.value("data_format", "channels_last") != "channels_last") fail("only channels_last is supported");
      const std::string act = c.value("activation", "linear");
      if (act == "relu") node.relu_after = true;
      else if (act != "linear") fail("activation '" + act + "' is not supported");
      auto kernel = take(node.name, "kernel");  // HWIO
      if (kernel.dim() != 4 || kernel.size(0) != k[0] || kernel.size(1) != k[1])
        fail("kernel shape " + shape_str(kernel.sizes().vec()) + " does not match kernel_size");
      const bool bias = c.value("use_bias", true);
      auto opts = torch::nn::Conv2dOptions(kernel.size(2), kernel.size(3), {k[0], k[1]}).bias(bias).dilation(dil);
      const std::string pad = c.value("padding", "valid");
      if (pad == "same") {
        const int64_t th = dil[0] * (k[0] - 1), tw = dil[1] * (k[1] - 1);
        if (th % 2 == 0 && tw % 2 == 0) opts.padding(std::vector<int64_t>{th / 2, tw / 2});
        else node.pad = {tw / 2, tw - tw / 2, th / 2, th - th / 2};  // TF puts the extra pixel last
      } else if (pad != "valid") {
        fail("padding '" + pad + "' is not supported");
      }
      torch::nn::Conv2d conv(opts);
      {
        torch::NoGradGuard ng;
        conv->weight.copy_(kernel.permute({3, 2, 0, 1}));  // HWIO -> OIHW
        if (bias) {
          auto b = take(node.name, "bias");
          if (b.numel() != kernel.size(3)) fail("bias has " + std::to_string(b.numel()) + " values, expected " + std::to_string(kernel.size(3)));
          conv->bias.copy_(b);
        }
      }
      node.conv = static_cast<int>(convs_.size());
      convs_.push_back(register_module(node.name, conv));
    } else if (cls == "Activation") {
      const std::string act = c["activation"];
      if (act == "relu") node.op = KerasNode::Op::Relu;
      else if (act == "linear") node.op = KerasNode::Op::Identity;
      else fail("activation '" + act + "' is not supported");
    } else if (cls == "Concatenate") {
      const int axis = c.value("axis", -1);
      if (axis != -1 && axis != 3) fail("only channel concatenation is supported");
      node.op = KerasNode::Op::Concat;
    } else if (cls == "Add") {
      node.op = KerasNode::Op::Add;
    } else if (cls == "MultiplyBeta") {
      node.op = KerasNode::Op::Scale;
      node.factor = 0.2;  // UpscalerJS hard-codes BETA = 0.2 in the layer
    } else if (cls.rfind("PixelShuffle", 0) == 0) {
      node.op = KerasNode::Op::DepthToSpace;
      node.block = c.contains("scale") ? c["scale"].get<int>() : std::atoi(cls.c_str() + 12);
      if (node.block < 2) fail("bad pixel-shuffle scale");
    } else if (cls == "UpSampling2D") {
      node.op = KerasNode::Op::UpsampleNearest;
      const auto size = c["size"].get<std::vector<int>>();
      if (size.size() != 2 || size[0] != size[1]) fail("only square up-sampling is supported");
      if (c.value("interpolation", "nearest") != "nearest") fail("only nearest up-sampling is supported");
      node.block = size[0];
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

  const json& outs = cfg["config"]["output_layers"];
  const json& ins = cfg["config"]["input_layers"];
  if (outs.size() != 1 || ins.size() != 1) throw ModelLoadError(model_json.string() + ": expected one input and one output");
  const std::string out_name = outs[0][0];
  if (index.at(out_name) != static_cast<int>(nodes_.size()) - 1)
    throw ModelLoadError(model_json.string() + ": the output layer must be the last layer");
  if (nodes_.empty() || nodes_[0].op != KerasNode::Op::Input || nodes_[0].name != ins[0][0].get<std::string>())
    throw ModelLoadError(model_json.string() + ": the input layer must come first");

  for (auto& [k, v] : weights)
    if (!used.count(k)) throw ModelLoadError(model_json.string() + ": unexpected tensor " + k + " " + shape_str(v.sizes().vec()));

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
