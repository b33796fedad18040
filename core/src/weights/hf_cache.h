// The Hugging Face hub cache as huggingface_hub lays it out (file_download.py, constants.py):
// <cache>/models--<org>--<name>/refs/<revision> holds a commit hash, and the files of that commit
// are under snapshots/<commit>/. Used to find models downloaded by Python tools, and by the model
// downloader to write where those tools look.
#pragma once
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace coz::weights {

// huggingface_hub's home (token, cache): $HF_HOME, else $XDG_CACHE_HOME/huggingface, else
// ~/.cache/huggingface.
std::filesystem::path hf_home_dir();
// The cache huggingface_hub writes to: $HF_HUB_CACHE, else $HF_HOME/hub, else
// $XDG_CACHE_HOME/huggingface/hub, else ~/.cache/huggingface/hub.
std::filesystem::path hf_hub_cache_dir();
// Every cache folder worth searching, hf_hub_cache_dir() first, then the ones the other settings
// name (a model downloaded under another environment is still found); no duplicates.
std::vector<std::filesystem::path> hf_hub_cache_dirs();

// "models--org--name" for "org/name". Throws InvalidInput for an id that is not <org>/<name> of
// letters, digits, '-', '_' and '.' (so it cannot leave the cache folder).
std::string hf_repo_folder_name(const std::string& repo_id);

// The snapshot folder of `repo_id` at `revision` (a branch or tag, resolved through refs/, or a
// commit hash) in the first cache that has it. With `required_file`, a snapshot counts only if it
// holds that file (e.g. model_index.json), and where the revision is a branch or tag whose snapshot
// is absent or incomplete, any complete snapshot of the repo is taken (newest first), as an offline
// huggingface_hub would settle for. nullopt if none is found.
std::optional<std::filesystem::path> find_hf_snapshot(const std::string& repo_id, const std::string& revision = "main",
                                                      const std::string& required_file = {});

// The same in one cache folder (for tests and the downloader).
std::optional<std::filesystem::path> find_hf_snapshot_in(const std::filesystem::path& cache, const std::string& repo_id,
                                                         const std::string& revision = "main",
                                                         const std::string& required_file = {});

}  // namespace coz::weights
