#include "weights/mapped_file.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "coz/error.h"

namespace coz::weights {

MappedFile::MappedFile(const std::filesystem::path& p) : path_(p.string()) {
  fd_ = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_ < 0) throw ModelLoadError(path_ + ": cannot open (" + std::strerror(errno) + ")");
  struct stat st {};
  if (::fstat(fd_, &st) != 0) {
    ::close(fd_);
    throw ModelLoadError(path_ + ": cannot read its size (" + std::strerror(errno) + ")");
  }
  if (!S_ISREG(st.st_mode)) {
    ::close(fd_);
    throw ModelLoadError(path_ + ": not a regular file");
  }
  size_ = static_cast<size_t>(st.st_size);
  if (size_ > 0) {
    map_ = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE, fd_, 0);
    if (map_ == MAP_FAILED) {
      const int err = errno;
      ::close(fd_);
      throw ModelLoadError(path_ + ": cannot map (" + std::strerror(err) + ")");
    }
    data_ = static_cast<const uint8_t*>(map_);
  }
}

MappedFile::MappedFile(std::string name, std::string bytes) : path_(std::move(name)), owned_(std::move(bytes)) {
  data_ = reinterpret_cast<const uint8_t*>(owned_.data());
  size_ = owned_.size();
}

MappedFile::~MappedFile() {
  if (map_ && map_ != MAP_FAILED) ::munmap(map_, size_);
  if (fd_ >= 0) ::close(fd_);
}

}  // namespace coz::weights
