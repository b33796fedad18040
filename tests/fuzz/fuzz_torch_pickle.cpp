// The pickle machine alone (data.pkl), with every storage record backed by one fixed buffer, so the
// fuzzer reaches tensor rebuilding (offsets, sizes, strides) without forging ZIP archives.
#include <vector>

#include "fuzz_common.h"
#include "weights/torch_pickle.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::vector<uint8_t> storage(4096, 0x3c);
  coz::fuzz::expect_only_our_errors([&] {
    const auto ck = coz::weights::read_torch_pickle(data, size, [](const std::string& key, size_t* n) {
      *n = key == "empty" ? 0 : storage.size();
      return storage.data();
    }, "fuzz/data.pkl");
    double sum = 0;
    for (const auto& t : ck.list) sum += t.numel() ? t.to(torch::kFloat64).sum().item<double>() : 0.0;
    for (const auto& [k, t] : ck.entries) sum += t.numel() ? t.to(torch::kFloat64).sum().item<double>() : 0.0;
    (void)sum;
  });
  return 0;
}
