// Rule families "large-file" and "binary-file": whole files this change ADDS (added, copied or
// untracked; a modified file was already in history). Lockfiles are exempt from the size limit.
// A binary file's size is not in the changeset, so binary files are judged by kind only. No
// suggested fix: whether the file belongs in the repository (or in Git LFS) is a decision.
#include "agents/builtin_rules_detail.hpp"

#include <algorithm>
#include <array>

namespace gavel::agents::rules {
namespace {

// Assets a repository commonly and rightly holds: reported as a nit only.
constexpr std::array<std::string_view, 18> k_asset_exts = {
    "png", "jpg", "jpeg", "gif", "ico", "webp", "bmp", "woff", "woff2",
    "ttf", "otf", "eot",  "pdf", "mp3", "wav",  "ogg", "avif", "icns"};

constexpr std::array<std::string_view, 9> k_lockfiles = {
    "package-lock.json", "yarn.lock",    "pnpm-lock.yaml", "Cargo.lock",    "poetry.lock",
    "composer.lock",     "Gemfile.lock", "go.sum",         "Pipfile.lock"};

std::string human_size(std::uint64_t bytes) {
  if (bytes >= 1024 * 1024) {
    return std::to_string(bytes / (1024 * 1024)) + "." + std::to_string(bytes % (1024 * 1024) * 10 / (1024 * 1024)) +
           " MiB";
  }
  if (bytes >= 1024) return std::to_string(bytes / 1024) + " KiB";
  return std::to_string(bytes) + " bytes";
}

}  // namespace

void check_files(const FileView& view, const RulesOptions& options, std::vector<RuleFinding>& out) {
  const review::FileDiff& file = *view.file;
  const bool adds_file = file.status == review::FileStatus::added ||
                         file.status == review::FileStatus::copied || file.untracked;
  if (!adds_file || file.new_mode == review::k_mode_symlink) return;

  if (file.binary) {
    const bool asset = std::find(k_asset_exts.begin(), k_asset_exts.end(), view.ext) != k_asset_exts.end();
    out.push_back(make_finding(
        view, "file.binary", k_category_binary_file, asset ? review::Priority::p3 : review::Priority::p2,
        asset ? 0.4 : 0.7, 1, 1, "Binary file added",
        "This change adds the binary file `" + view.path + "`. " +
            (asset ? std::string("It looks like an asset, which is usually intended; confirm it is "
                                 "needed at this size, or keep large assets in Git LFS.")
                   : std::string("Binary files (build outputs, archives, executables, databases) "
                                 "bloat history forever and cannot be reviewed. If it is a build "
                                 "product, delete it and add it to .gitignore; if it must be "
                                 "versioned, consider Git LFS."))));
    return;
  }

  if (!file.new_text || file.new_text->size() <= options.max_file_bytes) return;
  if (std::find(k_lockfiles.begin(), k_lockfiles.end(), view.base) != k_lockfiles.end()) return;
  const std::uint64_t size = file.new_text->size();
  out.push_back(make_finding(
      view, "file.too-large", k_category_large_file, review::Priority::p2, 0.8, 1, 1,
      "Large file added",
      "This change adds `" + view.path + "`, " + human_size(size) + ", over the " +
          human_size(options.max_file_bytes) +
          " limit. Large files make every clone slower forever, even after they are deleted. "
          "If it is generated or downloaded, produce it at build time and add it to .gitignore; "
          "if it must be versioned, consider Git LFS."));
}

}  // namespace gavel::agents::rules
