#pragma once
// Reading an API key from a file (`api_key_file` of an http agent, DESIGN.md "Secrets": keys
// come only from the environment or a key file). Called by HttpAgent at request time, so a
// rotated key is picked up without a restart. Error messages name the file, never its content.

#include "base/error.hpp"

#include <string>

namespace gavel::agents {

// The first line of `path` without surrounding whitespace. "~/" at the start is $HOME. Refused
// (Errc::config) when the file is missing, not a regular file, readable or writable by group
// or others (chmod 600, as ssh asks), or empty.
Result<std::string> read_key_file(const std::string& path);

}  // namespace gavel::agents
