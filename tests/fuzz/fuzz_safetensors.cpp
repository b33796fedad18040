// The safetensors header (JSON, offsets, shapes) and reading every tensor it declares.
#include <torch/torch.h>

#include "fuzz_common.h"
#include "weights/mapped_file.h"
#include "weights/weight_store.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  coz::fuzz::expect_only_our_errors([&] {
    auto file = std::make_shared<coz::weights::MappedFile>("fuzz.safetensors", std::string(reinterpret_cast<const char*>(data), size));
    const auto store = coz::weights::WeightStore::from_safetensors(file);
    for (const auto& name : store.names()) {
      const auto t = store.get(name);
      // Touch every byte: a view that reached outside the buffer is an ASan report.
      if (t.numel() > 0) (void)t.view(-1).to(torch::kFloat64).sum().item<double>();
    }
  });
  return 0;
}
