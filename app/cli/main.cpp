#include <csignal>
#include <atomic>

#include "cli.h"

namespace {
std::atomic<bool> g_cancel{false};

extern "C" void on_sigint(int) {
  g_cancel.store(true);
  std::signal(SIGINT, SIG_DFL);  // a second Ctrl+C ends the process at once
}
}  // namespace

int main(int argc, char** argv) {
  std::signal(SIGINT, on_sigint);
  std::signal(SIGTERM, on_sigint);
  return coz::cli::run(argc, argv, g_cancel);
}
