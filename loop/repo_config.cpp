#include "loop/repo_config.hpp"

#include "config/loader.hpp"
#include "git/head_file.hpp"

extern char** environ;

namespace gavel::loop {

Result<config::Config> load_config(const std::filesystem::path& repo_dir,
                                   const std::vector<std::string>& overrides) {
  config::LoadInputs in;
  in.env = config::environment_map(environ);
  in.user_file = config::default_user_file(in.env);
  in.overrides = overrides;
  auto committed = git::read_head_file(repo_dir, config::k_repo_file_name);
  if (!committed && committed.error().code != Errc::not_a_repository &&
      committed.error().code != Errc::bare_repository) {
    // Running with defaults instead of the repository's rules would be silently wrong.
    return fail(committed.error().code,
                std::string("cannot read ") + config::k_repo_file_name + " at HEAD: " +
                    committed.error().message);
  }
  if (committed && committed->has_value()) {
    in.repo_text = config::ConfigText{std::string("HEAD:") + config::k_repo_file_name,
                                      std::move(**committed)};
  }
  return config::load(in);
}

}  // namespace gavel::loop
