// A whole torch.save checkpoint: the ZIP reader (central directory, ZIP64) and the pickle machine.
#include "fuzz_common.h"
#include "weights/torch_pickle.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  coz::fuzz::expect_only_our_errors([&] {
    const auto ck = coz::weights::read_torch_checkpoint_bytes(data, size, "fuzz.pt");
    double sum = 0;
    for (const auto& t : ck.list) sum += t.numel() ? t.to(torch::kFloat64).sum().item<double>() : 0.0;
    for (const auto& [k, t] : ck.entries) sum += t.numel() ? t.to(torch::kFloat64).sum().item<double>() : 0.0;
    (void)sum;
  });
  return 0;
}
