// A TensorFlow.js layers model: model.json (Keras topology + weights manifest), then the bytes of
// its shard: the weight reader and the graph builder (layer configs, shapes, channel flow).
#include <torch/torch.h>

#include "fuzz_common.h"
#include "json_file.h"
#include "models/tfjs_layers.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto parts = coz::fuzz::split(data, size, 2);
  coz::fuzz::expect_only_our_errors([&] {
    const auto j = coz::parse_json_text(parts[0], "fuzz/model.json");
    auto weights = coz::models::read_tfjs_weights(j, [&](const std::string&) { return parts[1]; }, "fuzz/model.json");
    torch::NoGradGuard ng;
    coz::models::KerasGraph graph(j, std::move(weights), "fuzz/model.json");
    // A model that loads must also run: its channel flow was checked at load time.
    const auto y = graph->forward(torch::rand({1, 3, 4, 4}));
    if (y.size(1) != 3 || y.size(2) != 4 * graph->upscale_factor()) __builtin_trap();
  });
  return 0;
}
