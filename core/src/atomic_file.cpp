#include "coz/atomic_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "coz/error.h"

namespace coz {
namespace fs = std::filesystem;

void write_file_atomic(const std::string& path, const std::string& bytes) {
  const fs::path target(path);
  fs::path dir = target.parent_path();
  if (dir.empty()) dir = ".";
  std::error_code ec;
  if (!fs::is_directory(dir, ec))
    throw InvalidInput("cannot write " + path + ": the folder " + dir.string() + " does not exist; create it first");
  if (fs::is_directory(target, ec))
    throw InvalidInput("cannot write " + path + ": it is a folder; give a file name");
  static std::atomic<unsigned> counter{0};
  const fs::path tmp = dir / ("." + target.filename().string() + ".tmp-" + std::to_string(::getpid()) + "-" +
                              std::to_string(counter++));
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0)
    throw InvalidInput("cannot write " + path + ": " + std::strerror(errno) + "; choose a folder you can write to");
  size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      const int e = errno;
      ::close(fd);
      ::unlink(tmp.c_str());
      throw InvalidInput("cannot write " + path + ": " + std::strerror(e));
    }
    done += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    const int e = errno;
    ::unlink(tmp.c_str());
    throw InvalidInput("cannot write " + path + ": " + std::strerror(e));
  }
  if (::rename(tmp.c_str(), target.c_str()) != 0) {
    const int e = errno;
    ::unlink(tmp.c_str());
    throw InvalidInput("cannot write " + path + ": " + std::strerror(e));
  }
}

}  // namespace coz
