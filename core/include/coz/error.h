// Exceptions thrown by the engine. Messages name the file or value and say what to do; kind()
// says which sort of failure it is, so the CLI can map it to an exit code and the GUI to a
// translated headline without matching text.
#pragma once
#include <stdexcept>
#include <string>

#include "coz/api.h"

namespace coz {

enum class ErrorKind {
  InvalidInput,  // bad image, parameter or output path
  ModelLoad,     // a model is missing, has the wrong layout or could not be built
  Cancelled,     // the caller's cancel flag
  OutOfMemory,   // the device ran out of memory
  Download,      // a model download failed (network, gated repo, not found, bad hash, no space, offline)
  Internal,      // anything else (a bug, or a failure we did not foresee)
};

COZ_API const char* error_kind_name(ErrorKind k);  // "invalid input", "model", ...
// The kind of any exception: coz::Error's own, std::bad_alloc as OutOfMemory, else Internal.
COZ_API ErrorKind error_kind(const std::exception& e);

class COZ_API Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
  virtual ErrorKind kind() const { return ErrorKind::Internal; }
};

// Bad user input: unreadable/corrupt image, bad parameter value, unwritable output path.
class COZ_API InvalidInput : public Error {
 public:
  using Error::Error;
  ErrorKind kind() const override { return ErrorKind::InvalidInput; }
};

// A model is missing, has the wrong layout or could not be built.
class COZ_API ModelLoadError : public Error {
 public:
  using Error::Error;
  ErrorKind kind() const override { return ErrorKind::ModelLoad; }
};

// The caller's cancel flag was set; thrown between steps and tiles.
class COZ_API Cancelled : public Error {
 public:
  Cancelled() : Error("cancelled") {}
  ErrorKind kind() const override { return ErrorKind::Cancelled; }
};

// The device ran out of memory; the message suggests a smaller tile size.
class COZ_API OutOfMemory : public Error {
 public:
  using Error::Error;
  ErrorKind kind() const override { return ErrorKind::OutOfMemory; }
};

// A model download failed; the message names the file and URL and says what to do (accept the
// licence and set HF_TOKEN, free space, go online, ...).
class COZ_API DownloadError : public Error {
 public:
  using Error::Error;
  ErrorKind kind() const override { return ErrorKind::Download; }
};

}  // namespace coz
