#pragma once
// A private temporary directory for one agent run: created 0700 under the system temp dir
// ($TMPDIR or /tmp), holding the prompt, schema and output files (each 0600), and removed with
// everything in it when the object goes. Used by ProcessAgent on its io_context thread; the
// writes are small local files, done synchronously.

#include "base/error.hpp"

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>

namespace gavel::agents {

class ProcessTempDir {
 public:
  static Result<ProcessTempDir> create();
  ProcessTempDir(ProcessTempDir&& other) noexcept;
  ProcessTempDir& operator=(ProcessTempDir&&) = delete;
  ProcessTempDir(const ProcessTempDir&) = delete;
  ProcessTempDir& operator=(const ProcessTempDir&) = delete;
  ~ProcessTempDir();

  const std::filesystem::path& path() const { return m_path; }

  // Writes `content` to a new file `name` in the directory (mode 0600, never following links).
  Result<std::filesystem::path> write_file(const std::string& name, std::string_view content);

  // Reads at most `cap` bytes of `file`; `truncated` tells whether there was more. Errors with
  // Errc::not_found when it does not exist.
  static Result<std::string> read_capped(const std::filesystem::path& file, std::size_t cap,
                                         bool& truncated);

 private:
  explicit ProcessTempDir(std::filesystem::path path) : m_path(std::move(path)) {}
  std::filesystem::path m_path;
};

}  // namespace gavel::agents
