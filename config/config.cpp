#include "config/config.hpp"

namespace gavel::config {

const char* default_config_relpath() noexcept { return "gavel/config.toml"; }

}  // namespace gavel::config
