// Rule family "secret", heuristic part: a high-entropy literal assigned to a credential-like
// name (password = "...", "api_key": "...", TOKEN=... in config files), and credentials in
// URLs. Placeholders, environment lookups, prose and identifiers are deliberately not flagged
// (docs/agents-builtin.md lists the exact exclusions).
// GCC 12's libstdc++ <regex> trips -Wmaybe-uninitialized under -fsanitize=address (a false
// positive inside std::function); it would fail GAVEL_SANITIZE + GAVEL_WERROR builds.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include "agents/builtin_rules_detail.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <regex>

namespace gavel::agents::rules {
namespace {

using review::Priority;

constexpr std::array<std::string_view, 13> k_keywords = {
    "password", "passwd", "pwd",        "secret",      "token",      "apikey",    "api_key",
    "api-key",  "access_key", "accesskey", "private_key", "auth_key", "credential"};

// What follows the keyword in a name that is about a credential but does not hold one.
constexpr std::array<std::string_view, 44> k_benign_suffixes = {
    "url",    "uri",      "path",    "file",    "name",    "type",     "header",  "prompt",
    "label",  "field",    "len",     "length",  "endpoint", "env",     "var",     "id",
    "hash",   "hashed",   "pattern", "regex",   "format",  "placeholder", "message", "msg",
    "error",  "text",     "count",   "max",     "min",     "timeout",  "ttl",     "expiry",
    "expires", "method",  "scheme",  "policy",  "dir",     "limit",    "size",    "version",
    "prefix", "mode",     "reset",   "hint"};

constexpr std::array<std::string_view, 27> k_placeholder_words = {
    "changeme", "change_me", "change-me", "example", "placeholder", "dummy",   "sample",
    "your",     "xxx",       "redacted",  "todo",    "fixme",       "fake",    "mock",
    "secret",   "password",  "passwd",    "***",     "...",         "insert",  "replace",
    "undefined", "null",     "none",      "test",    "${",          "{{"};

bool is_name_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-';
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool config_file(const FileView& view) {
  static constexpr std::array<std::string_view, 8> exts = {"env",  "yml", "yaml", "properties",
                                                           "ini",  "cfg", "conf", "toml"};
  return view.base.rfind(".env", 0) == 0 ||
         std::find(exts.begin(), exts.end(), view.ext) != exts.end();
}

// True when `name` names a credential: a keyword not running on into another word
// ("tokenizer", "secretary") and not followed by a benign suffix ("password_hash").
bool sensitive_name(std::string_view name) {
  const std::string low = lower(name);
  bool found = false;
  std::size_t suffix_at = 0;
  for (const std::string_view kw : k_keywords) {
    for (std::size_t pos = low.find(kw); pos != std::string::npos; pos = low.find(kw, pos + 1)) {
      const std::size_t end = pos + kw.size();
      const bool runs_on = end < name.size() && std::islower(static_cast<unsigned char>(name[end])) &&
                           !(kw == "credential" && name[end] == 's');
      if (runs_on) continue;
      found = true;
      suffix_at = std::max(suffix_at, end + (kw == "credential" && end < name.size() ? 1 : 0));
    }
  }
  if (!found) return false;
  std::string_view rest = std::string_view(low).substr(std::min(suffix_at, low.size()));
  while (!rest.empty() && (rest.front() == '_' || rest.front() == '-' || rest.front() == '.')) {
    rest.remove_prefix(1);
  }
  for (const std::string_view s : k_benign_suffixes) {
    if (rest.rfind(s, 0) == 0) return false;
  }
  return true;
}

bool placeholder_value(std::string_view value) {
  const std::string low = lower(value);
  for (const std::string_view w : k_placeholder_words) {
    if (low.find(w) != std::string::npos) return true;
  }
  const char first = value.front();
  if (first == '$' || first == '%' || first == '<' || first == '{' || first == '/' ||
      first == '~' || low.rfind("./", 0) == 0 || low.rfind("../", 0) == 0) {
    return true;
  }
  for (std::string_view marker : {"%s", "%(", "$(", "<", ">", "\\", "://", "env:", "vault:",
                                  "arn:aws:", "projects/"}) {
    if (low.find(marker) != std::string::npos) return true;
  }
  return std::all_of(value.begin(), value.end(), [&](char c) { return c == value.front(); });
}

// High-entropy and mixed enough to be machine-made, or (for a `password_name`) a password a
// person made: three kinds of characters of upper, lower, digit, symbol and some entropy.
bool credential_like(std::string_view value, bool password_name) {
  if (value.size() < 8 || value.size() > 200) return false;
  if (std::any_of(value.begin(), value.end(),
                  [](char c) { return std::isspace(static_cast<unsigned char>(c)); })) {
    return false;  // prose
  }
  if (placeholder_value(value)) return false;
  int classes = 0;
  classes += std::any_of(value.begin(), value.end(), [](char c) { return std::islower(static_cast<unsigned char>(c)); });
  classes += std::any_of(value.begin(), value.end(), [](char c) { return std::isupper(static_cast<unsigned char>(c)); });
  classes += std::any_of(value.begin(), value.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
  if (classes < 2) return false;
  const double entropy = shannon_entropy(value);
  const bool symbol = std::any_of(value.begin(), value.end(),
                                  [](char c) { return std::ispunct(static_cast<unsigned char>(c)); });
  if (password_name && classes + (symbol ? 1 : 0) >= 3 && entropy >= 2.5) return true;
  return entropy >= std::min(3.3, std::log2(static_cast<double>(value.size())) * 0.85);
}

// After a name at `pos`: an assignment operator and a literal; the literal or nullopt.
std::optional<std::string_view> assigned_literal(std::string_view text, std::size_t pos,
                                                 bool allow_unquoted) {
  const auto skip_spaces = [&] { while (pos < text.size() && (text[pos] == ' ' || text[pos] == '\t')) ++pos; };
  if (pos < text.size() && (text[pos] == '"' || text[pos] == '\'')) ++pos;  // "key": ...
  skip_spaces();
  if (pos >= text.size()) return std::nullopt;
  if (text.substr(pos, 2) == ":=" || text.substr(pos, 2) == "=>") {
    pos += 2;
  } else if (text[pos] == '=') {
    if (pos + 1 < text.size() && text[pos + 1] == '=') return std::nullopt;  // comparison
    ++pos;
  } else if (text[pos] == ':') {
    ++pos;
    std::size_t p = pos;  // `token: str = "..."` (a type annotation) reads as `=`
    while (p < text.size() && text[p] == ' ') ++p;
    std::size_t q = p;
    while (q < text.size() && (std::isalnum(static_cast<unsigned char>(text[q])) || text[q] == '_' ||
                               text[q] == '[' || text[q] == ']' || text[q] == '.')) {
      ++q;
    }
    while (q < text.size() && text[q] == ' ') ++q;
    if (q > p && q < text.size() && text[q] == '=' && text.substr(q, 2) != "==") pos = q + 1;
  } else {
    return std::nullopt;
  }
  skip_spaces();
  std::size_t start = pos;
  while (pos < text.size() && pos - start < 2 &&
         std::string_view("rbufRBUF").find(text[pos]) != std::string_view::npos) {
    ++pos;  // Python string prefixes: r"..", b"..", f".."
  }
  if (pos < text.size() && (text[pos] == '"' || text[pos] == '\'' || text[pos] == '`')) {
    const char quote = text[pos];
    const std::size_t close = text.find(quote, pos + 1);
    if (close == std::string_view::npos) return std::nullopt;
    return text.substr(pos + 1, close - pos - 1);
  }
  if (!allow_unquoted) return std::nullopt;
  pos = start;
  std::size_t end = pos;
  while (end < text.size() && !std::isspace(static_cast<unsigned char>(text[end])) &&
         text[end] != '#' && text[end] != ';' && text[end] != ',') {
    ++end;
  }
  if (end == pos) return std::nullopt;
  return text.substr(pos, end - pos);
}

}  // namespace

review::Priority demote_for_tests(const FileView& view, review::Priority p, double& confidence) {
  if (!view.test_path) return p;
  confidence *= 0.7;
  return p == Priority::p0 ? Priority::p1 : Priority::p2;
}

std::string secret_advice() {
  return "Treat a credential that reached a repository as leaked: revoke and rotate it, take it "
         "out of the change, and load it at run time from the environment or a secret manager. "
         "If it is a deliberate test fixture, generate it at test time or mark it clearly fake.";
}

std::optional<RuleFinding> check_generic_secret(const FileView& view, const review::DiffLine& line) {
  const std::string_view text = line.text;
  if (text.size() > 2000) return std::nullopt;  // minified or generated
  const std::string low = lower(text);
  const bool unquoted = config_file(view);
  for (const std::string_view kw : k_keywords) {
    for (std::size_t pos = low.find(kw); pos != std::string::npos; pos = low.find(kw, pos + 1)) {
      std::size_t begin = pos, end = pos + kw.size();
      while (begin > 0 && is_name_char(text[begin - 1])) --begin;
      while (end < text.size() && is_name_char(text[end])) ++end;
      const std::string_view name = text.substr(begin, end - begin);
      if (!sensitive_name(name)) continue;
      const auto value = assigned_literal(text, end, unquoted);
      const std::string low_name = lower(name);
      const bool password_name = low_name.find("pass") != std::string::npos ||
                                 low_name.find("pwd") != std::string::npos;
      if (!value || !credential_like(*value, password_name)) continue;
      double confidence = value->size() >= 20 && shannon_entropy(*value) >= 4.0 ? 0.75 : 0.6;
      const Priority p = demote_for_tests(view, Priority::p1, confidence);
      return make_finding(view, "secret.generic-assignment", k_category_secret, p, confidence,
                          line.new_line, line.new_line,
                          "Hard-coded credential assigned to `" + std::string(name) + "`",
                          "Line " + std::to_string(line.new_line) + " assigns a high-entropy literal (" +
                              redact(*value) + ") to `" + std::string(name) +
                              "`, which reads as a password, token or key. " + secret_advice());
    }
  }
  return std::nullopt;
}

std::optional<RuleFinding> check_url_credentials(const FileView& view, const review::DiffLine& line) {
  if (line.text.find("://") == std::string::npos || line.text.find('@') == std::string::npos ||
      line.text.size() > 2000) {
    return std::nullopt;
  }
  static const std::regex url(R"(([a-zA-Z][a-zA-Z0-9+.-]*)://([^\s:/@"'`]+):([^\s/@"'`]+)@([^\s/:"'`?#]+))");
  std::smatch m;
  if (!std::regex_search(line.text, m, url)) return std::nullopt;
  const std::string user = m.str(2), password = m.str(3), host = lower(m.str(4));
  for (std::string_view local : {"localhost", "127.0.0.1", "0.0.0.0", "db", "postgres", "mysql",
                                 "redis", "host", "example.com", "example.org", "mongo"}) {
    if (host == local) return std::nullopt;
  }
  if (host.ends_with(".local") || host.ends_with(".example") || host.ends_with(".test") ||
      password == user || password.size() < 6 || placeholder_value(password)) {
    return std::nullopt;
  }
  double confidence = 0.6;
  const Priority p = demote_for_tests(view, Priority::p1, confidence);
  return make_finding(view, "secret.url-credentials", k_category_secret, p, confidence,
                      line.new_line, line.new_line, "Credentials embedded in a URL",
                      "Line " + std::to_string(line.new_line) + " adds a " + m.str(1) +
                          ":// URL with a user name and password (" + redact(password) +
                          ") for host `" + m.str(4) + "`. " + secret_advice());
}

}  // namespace gavel::agents::rules
