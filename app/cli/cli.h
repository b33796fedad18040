// The `coz` command line: upscale, zoom, batch, models. Exit codes: 0 ok, 1 other failure, 2 usage,
// 3 input/output file error, 4 model error, 5 out of memory, 6 download failed, 7 a batch in which
// some files failed (the others are done; batch.jsonl lists them), 130 cancelled (from coz::ErrorKind).
#pragma once
#include <atomic>

namespace coz::cli {

enum ExitCode { kOk = 0, kFailure = 1, kUsage = 2, kInputError = 3, kModelError = 4, kOutOfMemory = 5, kDownloadError = 6,
                kBatchFailures = 7, kCancelled = 130 };

int run(int argc, char** argv, const std::atomic<bool>& cancel);

}  // namespace coz::cli
