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
  if (committed && committed->has_value()) {
    in.repo_text = config::ConfigText{std::string("HEAD:") + config::k_repo_file_name,
                                      std::move(**committed)};
  }
  return config::load(in);
}

}  // namespace gavel::loop
