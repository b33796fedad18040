#include "coz/error.h"

#include <c10/util/Exception.h>

#include <cstring>
#include <new>

namespace coz {

const char* error_kind_name(ErrorKind k) {
  switch (k) {
    case ErrorKind::InvalidInput: return "invalid input";
    case ErrorKind::ModelLoad: return "model";
    case ErrorKind::Cancelled: return "cancelled";
    case ErrorKind::OutOfMemory: return "out of memory";
    case ErrorKind::Download: return "download";
    case ErrorKind::Internal: return "internal";
  }
  return "internal";
}

ErrorKind error_kind(const std::exception& e) {
  if (const auto* ce = dynamic_cast<const Error*>(&e)) return ce->kind();
  if (dynamic_cast<const std::bad_alloc*>(&e)) return ErrorKind::OutOfMemory;
  // LibTorch reports an exhausted allocator as c10::Error ("CUDA out of memory", "DefaultCPUAllocator:
  // not enough memory").
  if (dynamic_cast<const c10::Error*>(&e) &&
      (std::strstr(e.what(), "out of memory") || std::strstr(e.what(), "not enough memory")))
    return ErrorKind::OutOfMemory;
  return ErrorKind::Internal;
}

}  // namespace coz

#include "coz/control.h"

namespace coz {

const char* stage_name(Stage s) {
  switch (s) {
    case Stage::LoadingModel: return "loading model";
    case Stage::Prompt: return "prompt";
    case Stage::ZoomStep: return "zoom step";
    case Stage::UpscalePass: return "upscale pass";
    case Stage::Resizing: return "resizing";
    case Stage::ColorFix: return "colour fix";
    case Stage::VaeEncode: return "vae encode";
    case Stage::VaeDecode: return "vae decode";
    case Stage::Writing: return "writing";
    case Stage::Download: return "download";
    case Stage::VideoFrame: return "video frame";
  }
  return "?";
}

}  // namespace coz
