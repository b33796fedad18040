// A read-only file mapped into memory (or, for tests and fuzzing, bytes held in memory) that
// checkpoint readers parse in place.
#pragma once
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>

namespace coz::weights {

class MappedFile {
 public:
  // Throws ModelLoadError naming the file if it cannot be opened or mapped.
  explicit MappedFile(const std::filesystem::path& p);
  // Holds `bytes` itself; `name` stands for the file in errors.
  MappedFile(std::string name, std::string bytes);
  ~MappedFile();
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  const uint8_t* data() const { return data_; }
  size_t size() const { return size_; }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  std::string owned_;
  int fd_ = -1;
  void* map_ = nullptr;
  const uint8_t* data_ = nullptr;
  size_t size_ = 0;
};

}  // namespace coz::weights
