// A read-only view of a ZIP archive held in memory (a mapped file): the central directory with
// ZIP64 sizes and offsets, stored (uncompressed) records only — what torch.save writes. Follows
// PKWARE's APPNOTE.TXT 6.3 (sections 4.3.7 local header, 4.3.12 central header, 4.3.14-16
// end-of-central-directory records, 4.5.3 ZIP64 extra field).
// Every size and offset read from the file is checked against the buffer before use, so a crafted
// archive gets a ModelLoadError, never an out-of-bounds read.
#pragma once
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>

namespace coz::weights {

class ZipArchive {
 public:
  struct Record {
    size_t offset = 0;  // of the data, inside the buffer
    size_t size = 0;
  };

  // `what` names the archive in errors (its path). The buffer must outlive the archive.
  ZipArchive(const uint8_t* data, size_t size, std::string what);

  bool has(const std::string& name) const { return records_.count(name) > 0; }
  // The record's bytes; throws ModelLoadError naming the archive and the record if it is absent.
  const uint8_t* data(const std::string& name, size_t* size) const;
  const std::map<std::string, Record>& records() const { return records_; }

 private:
  const uint8_t* data_;
  size_t size_;
  std::string what_;
  std::map<std::string, Record> records_;
};

}  // namespace coz::weights
