// `coz serve`: the engine behind a local HTTP API (cpp-httplib; docs/ARCHITECTURE.md says why).
#pragma once
#include <atomic>
#include <cstddef>
#include <functional>
#include <string>

#include "coz/coz.h"
#include "coz/imageio.h"

namespace coz::cli {

struct ServeOptions {
  std::string host = "127.0.0.1";
  int port = 7860;                      // 0: any free port (printed)
  std::string token;                    // bearer token; required off loopback
  std::string cors;                     // allowed origin; empty: no CORS headers
  size_t max_upload = size_t{50} << 20; // request body limit (413 above)
  int queue = 8;                        // requests that may wait for the worker (429 above)
  std::string model = "esrgan-thick";   // default backbone
  double job_ttl = 3600;                // seconds a finished job's results are kept
  EngineOptions engine;
  Device device;
  Precision precision = Precision::Auto;
  TileOptions tiles;
  io::ReadOptions read;
  bool quiet = false;
};

// True for 127.0.0.1/8, ::1 and localhost.
bool is_loopback_host(const std::string& host);

// Serves until `stop` becomes true (SIGINT/SIGTERM): running work is cancelled, the socket closed.
// Prints "listening on http://HOST:PORT" on stdout once bound. Throws InvalidInput when it cannot
// bind. Returns the exit code.
int serve(const ServeOptions& o, const std::atomic<bool>& stop);

}  // namespace coz::cli
