#include "agents/http_key.hpp"

#include <sys/stat.h>

#include <cstdlib>
#include <fstream>

namespace gavel::agents {

namespace {

std::string expand_home(const std::string& path) {
  if (path.rfind("~/", 0) != 0) return path;
  const char* home = std::getenv("HOME");
  return std::string(home != nullptr ? home : "") + path.substr(1);
}

std::string trim(const std::string& s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return {};
  return s.substr(first, s.find_last_not_of(" \t\r\n") - first + 1);
}

}  // namespace

Result<std::string> read_key_file(const std::string& configured) {
  const std::string path = expand_home(configured);
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
    return fail(Errc::config, "key file " + path + " does not exist or is not a regular file");
  }
  if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
    return fail(Errc::config, "key file " + path +
                                  " may be read or written by others; refusing it (chmod 600 " +
                                  path + ")");
  }
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  std::string key = trim(line);
  if (key.empty()) return fail(Errc::config, "key file " + path + " is empty");
  return key;
}

}  // namespace gavel::agents
