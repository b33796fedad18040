// TensorFlow.js "layers-model" loader (model.json + group*-shard*.bin, as written by the TF.js
// converter from a Keras functional model). Builds a LibTorch module that interprets the Keras
// graph in NCHW. Supported layers: InputLayer, Conv2D, Activation, Concatenate, Add,
// UpSampling2D (nearest), and the UpscalerJS custom layers MultiplyBeta (x0.2) and
// PixelShuffle{2,3,4,8}x (tf.depthToSpace, DCR channel order).
#pragma once
#include <torch/torch.h>

#include <nlohmann/json_fwd.hpp>

#include <functional>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace coz::models {

// Raw weights of a layers-model: name -> float32 tensor in the stored layout (Keras, e.g. HWIO
// kernels). Entries may be float32, float16, or quantized as tfjs-converter writes them
// (uint8/uint16 with min and scale, or float16), decoded exactly as TF.js decodes them.
std::map<std::string, torch::Tensor> read_tfjs_weights(const std::filesystem::path& model_json);
// The same from a parsed model.json, with the shard files (paths relative to its folder) read by
// `read_shard`; `model_json` names it in errors (used by the fuzzer).
using ShardReader = std::function<std::string(const std::string& relative_path)>;
std::map<std::string, torch::Tensor> read_tfjs_weights(const nlohmann::json& model, const ShardReader& read_shard,
                                                       const std::filesystem::path& model_json);

struct KerasNode {
  enum class Op { Input, Conv, Relu, Identity, Concat, Add, Scale, DepthToSpace, UpsampleNearest };
  Op op = Op::Identity;
  std::string name;
  std::string class_name;
  std::vector<int> inputs;  // indices of earlier nodes
  int conv = -1;            // index into convs_ for Op::Conv
  bool relu_after = false;  // Conv2D with activation 'relu'
  std::vector<int64_t> pad; // explicit F.pad for 'same' with even kernels (l, r, t, b)
  double factor = 1.0;      // Scale
  int block = 1;            // DepthToSpace / UpsampleNearest
};

class KerasGraphImpl : public torch::nn::Module {
 public:
  explicit KerasGraphImpl(const std::filesystem::path& model_json);
  // From a parsed model.json and its weights; `model_json` names it in errors.
  KerasGraphImpl(const nlohmann::json& model, std::map<std::string, torch::Tensor> weights,
                 const std::filesystem::path& model_json);
  // x: [N,3,H,W] in the model's own input range; returns [N,3,H*s,W*s] (unclipped).
  torch::Tensor forward(const torch::Tensor& x);

  const std::vector<KerasNode>& nodes() const { return nodes_; }
  bool has_layer_class(const std::string& cls) const;
  int upscale_factor() const;  // product of DepthToSpace/UpsampleNearest blocks
  // Stores conv weights and runs activations channels-last (NHWC), which oneDNN/cuDNN prefer.
  void set_channels_last(bool on);

 private:
  void build(const nlohmann::json& model, std::map<std::string, torch::Tensor> weights,
             const std::filesystem::path& model_json);
  std::vector<KerasNode> nodes_;
  std::vector<int> last_use_;
  std::vector<torch::nn::Conv2d> convs_;
  bool channels_last_ = false;
};
TORCH_MODULE(KerasGraph);

}  // namespace coz::models
