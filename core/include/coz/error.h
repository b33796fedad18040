// Exceptions thrown by the engine. Messages name the file or value and say what to do.
#pragma once
#include <stdexcept>
#include <string>

namespace coz {

class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Bad user input: unreadable/corrupt image, bad parameter value, unwritable output path.
class InvalidInput : public Error {
 public:
  using Error::Error;
};

// A model is missing, has the wrong layout or could not be built.
class ModelLoadError : public Error {
 public:
  using Error::Error;
};

// The caller's cancel flag was set; thrown between steps and tiles.
class Cancelled : public Error {
 public:
  Cancelled() : Error("cancelled") {}
};

// The device ran out of memory; the message suggests a smaller tile size.
class OutOfMemory : public Error {
 public:
  using Error::Error;
};

}  // namespace coz
