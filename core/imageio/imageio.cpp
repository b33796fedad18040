#include "coz/imageio.h"

#include <torch/torch.h>

#include <opencv2/core.hpp>
#include <opencv2/core/utils/logger.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>

#include "coz/atomic_file.h"
#include "coz/error.h"
#include "image_header.h"
#include "metadata.h"

namespace coz::io {
namespace fs = std::filesystem;

namespace {

std::string lower_ext(const std::string& path) {
  std::string e = fs::path(path).extension().string();
  std::transform(e.begin(), e.end(), e.begin(), [](unsigned char c) { return std::tolower(c); });
  return e;
}

std::string read_all(const std::string& path) {
  std::error_code ec;
  if (!fs::exists(path, ec)) throw InvalidInput("cannot open " + path + ": no such file");
  if (fs::is_directory(path, ec)) throw InvalidInput("cannot open " + path + ": it is a folder, not an image");
  std::ifstream f(path, std::ios::binary);
  if (!f) throw InvalidInput("cannot open " + path + ": permission denied or unreadable");
  std::ostringstream s;
  s << f.rdbuf();
  return s.str();
}

// Rotates/flips an HWC tensor so EXIF orientation o becomes 1.
torch::Tensor apply_orientation(const torch::Tensor& t, int o) {
  switch (o) {
    case 2: return t.flip({1});
    case 3: return t.flip({0, 1});
    case 4: return t.flip({0});
    case 5: return t.transpose(0, 1);
    case 6: return t.transpose(0, 1).flip({1});
    case 7: return t.transpose(0, 1).flip({0, 1});
    case 8: return t.transpose(0, 1).flip({0});
    default: return t;
  }
}

// hwc: uint8 (8-bit) or int32 holding 0..65535 (16-bit; LibTorch 1.13 has no uint16).
cv::Mat to_mat(const torch::Tensor& hwc) {
  auto t = hwc.contiguous();
  const int c = static_cast<int>(t.size(2));
  const bool deep = t.scalar_type() == torch::kInt32;
  cv::Mat view(static_cast<int>(t.size(0)), static_cast<int>(t.size(1)), deep ? CV_32SC(c) : CV_8UC(c), t.data_ptr());
  cv::Mat out;
  view.convertTo(out, deep ? CV_16U : CV_8U);
  return out;
}

}  // namespace

Image read_image(const std::string& path, const ReadOptions& opt) { return decode_image(read_all(path), path, opt); }

Image decode_image(const std::string& bytes, const std::string& path, const ReadOptions& opt) {
  if (bytes.empty()) throw InvalidInput(path + " is empty (0 bytes); it is not an image");
  if (bytes.size() > static_cast<size_t>(std::numeric_limits<int>::max()))
    throw InvalidInput(path + " is larger than 2 GB; split it or convert it to a smaller format");
  const HeaderInfo h = sniff_header(bytes);
  check_declared_size(h, path, opt.max_pixels);

  cv::utils::logging::setLogLevel(cv::utils::logging::LOG_LEVEL_SILENT);
  cv::Mat m;
  try {
    cv::Mat buf(1, static_cast<int>(bytes.size()), CV_8U, const_cast<char*>(bytes.data()));
    m = cv::imdecode(buf, cv::IMREAD_UNCHANGED);
  } catch (const cv::Exception& e) {
    throw InvalidInput(path + ": cannot decode the image (" + std::string(e.err) + ")");
  }
  if (m.empty()) {
    if (h.format == Format::Unknown)
      throw InvalidInput(path + " is not an image in a supported format (PNG, JPEG, WebP, TIFF, BMP)");
    throw InvalidInput(path + ": the " + std::string(format_name(h.format)) + " data is corrupt or truncated and cannot be decoded");
  }
  if (static_cast<int64_t>(m.rows) * m.cols > opt.max_pixels)
    throw InvalidInput(path + " is larger than the limit of " + std::to_string(opt.max_pixels / 1000000) + " megapixels (--max-pixels)");

  Image img;
  double scale = 1.0 / 255.0;
  switch (m.depth()) {
    case CV_8U: img.bit_depth = 8; break;
    case CV_16U: img.bit_depth = 16; scale = 1.0 / 65535.0; break;
    case CV_32F: case CV_64F: img.bit_depth = 16; scale = 1.0; break;
    default: img.bit_depth = 16; break;
  }
  cv::Mat f;
  m.convertTo(f, CV_32F, scale);
  const int ch = f.channels();
  cv::Mat rgb, alpha;
  if (ch == 1) cv::cvtColor(f, rgb, cv::COLOR_GRAY2RGB);
  else if (ch == 2) {  // grey + alpha
    std::vector<cv::Mat> p;
    cv::split(f, p);
    cv::cvtColor(p[0], rgb, cv::COLOR_GRAY2RGB);
    alpha = p[1];
  } else if (ch == 3) cv::cvtColor(f, rgb, cv::COLOR_BGR2RGB);
  else if (ch == 4) {
    std::vector<cv::Mat> p;
    cv::split(f, p);
    alpha = p[3];
    cv::Mat bgr;
    cv::merge(std::vector<cv::Mat>{p[0], p[1], p[2]}, bgr);
    cv::cvtColor(bgr, rgb, cv::COLOR_BGR2RGB);
  } else {
    throw InvalidInput(path + ": images with " + std::to_string(ch) + " channels are not supported");
  }
  auto to_t = [&](const cv::Mat& mat) {
    auto t = torch::from_blob(mat.data, {mat.rows, mat.cols, mat.channels()}, torch::kFloat32).clone();
    return apply_orientation(t, h.orientation).clamp_(0.0, 1.0).permute({2, 0, 1}).unsqueeze(0).contiguous();
  };
  img.rgb = to_t(rgb);
  if (!alpha.empty()) {
    img.alpha = to_t(alpha);
    if (img.alpha.min().item<float>() >= 1.0f) img.alpha = torch::Tensor();  // fully opaque: drop it
  }
  return img;
}

const std::vector<std::string>& writable_extensions() {
  static const std::vector<std::string> e = {".png", ".jpg", ".jpeg", ".webp", ".tif", ".tiff", ".bmp"};
  return e;
}

bool holds_16_bit(const std::string& ext_in) {
  std::string ext = ext_in;
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  return ext == ".png" || ext == ".tif" || ext == ".tiff";
}

std::string encode_image(const std::string& ext_in, const Image& img, const WriteOptions& opt) {
  std::string ext = ext_in;
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  const auto& ok = writable_extensions();
  if (std::find(ok.begin(), ok.end(), ext) == ok.end())
    throw InvalidInput("unknown image type '" + ext + "': use .png, .jpg, .webp, .tif or .bmp");
  if (opt.bit_depth != 8 && opt.bit_depth != 16)
    throw InvalidInput("bit depth must be 8 or 16 (got " + std::to_string(opt.bit_depth) + ")");
  if (opt.bit_depth == 16 && !holds_16_bit(ext))
    throw InvalidInput("16-bit output needs a .png or .tif file (got " + ext + ")");
  const bool alpha_ok = ext == ".png" || ext == ".webp" || ext == ".tif" || ext == ".tiff";
  if (!img.rgb.defined() || img.rgb.numel() == 0) throw InvalidInput("nothing to write: the image is empty");

  // Convert in strips of rows so a huge image needs no full-size float temporaries.
  const double maxv = opt.bit_depth == 16 ? 65535.0 : 255.0;
  const bool with_alpha = alpha_ok && img.has_alpha();
  const int H = img.height(), W = img.width(), C = with_alpha ? 4 : 3;
  cv::Mat m(H, W, opt.bit_depth == 16 ? CV_16UC(C) : CV_8UC(C));
  const auto rgb = img.rgb.detach().to(torch::kCPU).squeeze(0);  // [3,H,W]
  const auto alpha = with_alpha ? img.alpha.detach().to(torch::kCPU).squeeze(0) : torch::Tensor();
  for (int y0 = 0; y0 < H; y0 += 256) {
    const int y1 = std::min(H, y0 + 256);
    auto s = rgb.slice(1, y0, y1).to(torch::kFloat32);
    std::vector<torch::Tensor> planes = {s[2], s[1], s[0]};  // BGR
    if (with_alpha) planes.push_back(alpha.slice(1, y0, y1).to(torch::kFloat32)[0]);
    auto q = torch::stack(planes, 2).clamp_(0.0, 1.0).mul_(maxv).round_();  // [rows,W,C]
    q = opt.bit_depth == 16 ? q.to(torch::kInt32) : q.to(torch::kUInt8);
    to_mat(q).copyTo(m.rowRange(y0, y1));
  }

  std::vector<int> params;
  if (ext == ".jpg" || ext == ".jpeg") params = {cv::IMWRITE_JPEG_QUALITY, opt.jpeg_quality};
  if (ext == ".webp") params = {cv::IMWRITE_WEBP_QUALITY, opt.webp_quality};
  if (ext == ".png") params = {cv::IMWRITE_PNG_COMPRESSION, 6};
  std::vector<uchar> buf;
  try {
    if (!cv::imencode(ext, m, buf, params)) throw InvalidInput("cannot encode the image as " + ext);
  } catch (const cv::Exception& e) {
    throw InvalidInput("cannot encode the image as " + ext + ": " + e.err);
  }
  return embed_recipe(std::string(buf.begin(), buf.end()), opt.recipe);
}

std::string recipe_from_bytes(std::string_view bytes) { return find_recipe(bytes); }

std::string read_recipe(const std::string& path) {
  const std::string bytes = read_all(path);
  try {
    return find_recipe(bytes);
  } catch (const InvalidInput& e) {
    throw InvalidInput(path + ": " + e.what());
  }
}

void write_image(const std::string& path, const Image& img, const WriteOptions& opt) {
  const std::string ext = lower_ext(path);
  if (ext.empty()) throw InvalidInput("cannot write " + path + ": add an extension (.png, .jpg, .webp, .tif or .bmp)");
  std::string bytes;
  try {
    bytes = encode_image(ext, img, opt);
  } catch (const InvalidInput& e) {
    throw InvalidInput("cannot write " + path + ": " + e.what());
  }
  write_file_atomic(path, bytes);
}

}  // namespace coz::io
