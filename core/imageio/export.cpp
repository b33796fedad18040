#include "coz/export.h"

#include <unistd.h>

#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <vector>

#include "coz/atomic_file.h"
#include "coz/error.h"
#include "coz/imageio.h"

namespace coz::io {
namespace fs = std::filesystem;

namespace {

// The folder of one export: created lazily, cleaned up unless committed.
class OutputFolder {
 public:
  explicit OutputFolder(fs::path dir) : dir_(std::move(dir)) { check_output_folder(dir_); }
  OutputFolder(const OutputFolder&) = delete;
  OutputFolder& operator=(const OutputFolder&) = delete;
  ~OutputFolder() {
    if (committed_) return;
    std::error_code ec;
    for (const auto& f : added_) fs::remove(f, ec);
    for (auto it = created_.rbegin(); it != created_.rend(); ++it) fs::remove(*it, ec);  // only if empty
  }

  // Writes one file through `write(path)`, creating the folder first.
  template <typename F>
  void write(const std::string& name, F&& write_fn) {
    std::error_code ec;
    if (!created_done_) {
      std::vector<fs::path> missing;
      for (fs::path p = fs::absolute(dir_, ec); !p.empty() && !fs::exists(p, ec) && p != p.parent_path(); p = p.parent_path())
        missing.push_back(p);
      for (auto it = missing.rbegin(); it != missing.rend(); ++it) {
        if (!fs::create_directory(*it, ec) && ec)
          throw InvalidInput("cannot create the folder " + it->string() + ": " + ec.message());
        created_.push_back(*it);
      }
      created_done_ = true;
    }
    const fs::path f = dir_ / name;
    const bool existed = fs::exists(f, ec);
    write_fn(f.string());
    if (!existed) added_.push_back(f);
  }
  void commit() { committed_ = true; }

 private:
  fs::path dir_;
  bool created_done_ = false, committed_ = false;
  std::vector<fs::path> created_, added_;
};

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

}  // namespace

void check_output_folder(const fs::path& dir) {
  std::error_code ec;
  if (dir.empty()) throw InvalidInput("no output folder given");
  if (fs::exists(dir, ec) && !fs::is_directory(dir, ec))
    throw InvalidInput("cannot write into " + dir.string() + ": it is a file, not a folder");
  fs::path probe = fs::absolute(dir, ec);
  while (!probe.empty() && !fs::exists(probe, ec) && probe != probe.parent_path()) probe = probe.parent_path();
  if (!fs::is_directory(probe, ec))
    throw InvalidInput("cannot write into " + dir.string() + ": " + probe.string() + " is a file, not a folder");
  if (::access(probe.c_str(), W_OK) != 0)
    throw InvalidInput("cannot write into " + dir.string() + ": the folder " + probe.string() + " is not writable");
}

ZoomRecordFiles export_zoom(const fs::path& dir, const ZoomRequest& req, const ZoomResult& res,
                            const ZoomExportOptions& opt, const RunControl& ctl) {
  const auto t0 = std::chrono::steady_clock::now();
  const std::string ext = "." + lower(opt.format);
  const auto& ok = writable_extensions();
  if (std::find(ok.begin(), ok.end(), ext) == ok.end())
    throw InvalidInput("cannot export the zoom steps as '" + opt.format + "': use png, jpg, webp, tif or bmp");
  if (opt.bit_depth != 8 && !(opt.bit_depth == 16 && holds_16_bit(ext)))
    throw InvalidInput("cannot export " + std::to_string(opt.bit_depth) + "-bit " + opt.format +
                       " images: use 8, or 16 with png or tif");
  if (res.steps.empty()) throw InvalidInput("nothing to export: the zoom run has no steps");

  WriteOptions wo;
  wo.bit_depth = opt.bit_depth;
  OutputFolder out(dir);
  ZoomRecordFiles files;
  files.input = opt.input;
  files.models = opt.models;
  for (const StepResult& s : res.steps) files.steps.push_back("step_" + std::to_string(s.step) + ext);
  files.strip = "strip" + ext;
  std::vector<torch::Tensor> strip;
  const int n = static_cast<int>(res.steps.size());
  for (int i = 0; i < n; ++i) {
    const StepResult& s = res.steps[i];
    ctl.check_cancel();
    ctl.report({Stage::Writing, s.step + 1, n + 2, 0, 0});
    Image im;
    im.rgb = s.output;
    wo.recipe = opt.metadata ? zoom_recipe_json(req, res, files, s.step) : "";
    out.write(files.steps[i], [&](const std::string& path) { write_image(path, im, wo); });
    strip.push_back(s.output.to(torch::kCPU));
  }
  ctl.check_cancel();
  ctl.report({Stage::Writing, n + 1, n + 2, 0, 0});
  Image strip_img;
  strip_img.rgb = torch::cat(strip, 3);
  wo.recipe = opt.metadata ? zoom_recipe_json(req, res, files, -1) : "";
  out.write(files.strip, [&](const std::string& path) { write_image(path, strip_img, wo); });

  ctl.check_cancel();
  ctl.report({Stage::Writing, n + 2, n + 2, 0, 0});
  files.seconds = opt.seconds + std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const std::string doc = zoom_record_json(req, res, files);
  out.write("steps.json", [&](const std::string& path) { write_file_atomic(path, doc); });
  out.commit();
  return files;
}

}  // namespace coz::io
