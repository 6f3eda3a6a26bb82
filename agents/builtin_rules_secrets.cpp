// Rule family "secret": vendor token formats and private keys in added lines. The assignment
// heuristic (password = "...") is in builtin_rules_secrets_generic.cpp. No suggested fix: a
// committed credential must be rotated, which no patch does.
// GCC 12's libstdc++ <regex> trips -Wmaybe-uninitialized under -fsanitize=address (a false
// positive inside std::function); it would fail GAVEL_SANITIZE + GAVEL_WERROR builds.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include "agents/builtin_rules_detail.hpp"

#include <array>
#include <cctype>
#include <regex>

namespace gavel::agents::rules {

// Defined in builtin_rules_secrets_generic.cpp.
std::optional<RuleFinding> check_generic_secret(const FileView& view, const review::DiffLine& line);
std::optional<RuleFinding> check_url_credentials(const FileView& view, const review::DiffLine& line);
review::Priority demote_for_tests(const FileView& view, review::Priority p, double& confidence);
std::string secret_advice();

namespace {

using review::Priority;

struct TokenRule {
  std::string_view rule;
  std::string_view what;
  std::array<std::string_view, 2> prefixes;  // the token starts with one of these
  const char* pattern;                       // matched anchored at the prefix
  Priority priority;
  double confidence;
  bool needs_mixed = false;  // require a digit, an upper- and a lower-case letter
};

// Formats as their vendors document them. A token must start at a word boundary and not run
// on into more token characters.
constexpr std::array<TokenRule, 8> k_token_rules = {{
    {"secret.aws-access-key-id", "AWS access key ID", {"AKIA", "ASIA"}, "(?:AKIA|ASIA)[0-9A-Z]{16}",
     Priority::p1, 0.85},
    {"secret.github-token", "GitHub token", {"gh", ""}, "gh[pousr]_[A-Za-z0-9]{36}", Priority::p0,
     0.95},
    {"secret.github-token", "GitHub fine-grained token", {"github_pat_", ""},
     "github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59}", Priority::p0, 0.95},
    {"secret.slack-token", "Slack token", {"xox", ""}, "xox[baprs]-[0-9]{6,}-[0-9A-Za-z-]{8,}",
     Priority::p0, 0.9},
    {"secret.anthropic-key", "Anthropic API key", {"sk-ant-", ""},
     "sk-ant-[a-z]{3,8}[0-9]{0,3}-[A-Za-z0-9_-]{32,}", Priority::p0, 0.95},
    {"secret.openai-key", "OpenAI API key", {"sk-", ""},
     "sk-(?!ant-)(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{32,}", Priority::p0, 0.85, true},
    {"secret.google-api-key", "Google API key", {"AIza", ""}, "AIza[0-9A-Za-z_-]{35}",
     Priority::p1, 0.8},
    {"secret.stripe-live-key", "Stripe live secret key", {"sk_live_", "rk_live_"},
     "[sr]k_live_[0-9A-Za-z]{20,}", Priority::p0, 0.95},
}};

const std::vector<std::regex>& token_regexes() {
  static const std::vector<std::regex> compiled = [] {
    std::vector<std::regex> out;
    for (const auto& r : k_token_rules) out.emplace_back(r.pattern, std::regex::optimize);
    return out;
  }();
  return compiled;
}

bool is_word_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

// Documentation tokens: AKIAIOSFODNN7EXAMPLE, ghp_xxxx..., sk-...your-key....
bool placeholder_token(std::string_view token) {
  std::string lower(token);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (std::string_view word : {"example", "xxxx", "your", "dummy", "fake", "sample", "redacted",
                                "placeholder", "0000000000", "1234567890", "abcdefghij"}) {
    if (lower.find(word) != std::string::npos) return true;
  }
  return shannon_entropy(token) < 3.0;
}

bool mixed(std::string_view s) {
  bool digit = false, upper = false, lower = false;
  for (const char c : s) {
    digit |= std::isdigit(static_cast<unsigned char>(c)) != 0;
    upper |= std::isupper(static_cast<unsigned char>(c)) != 0;
    lower |= std::islower(static_cast<unsigned char>(c)) != 0;
  }
  return digit && upper && lower;
}

// The first vendor token on `text`: (rule index, token).
std::optional<std::pair<std::size_t, std::string>> find_token(std::string_view text) {
  const auto& regexes = token_regexes();
  for (std::size_t i = 0; i < k_token_rules.size(); ++i) {
    for (const std::string_view prefix : k_token_rules[i].prefixes) {
      if (prefix.empty()) continue;
      for (std::size_t pos = text.find(prefix); pos != std::string_view::npos;
           pos = text.find(prefix, pos + 1)) {
        if (pos > 0 && (is_word_char(text[pos - 1]) || text[pos - 1] == '-')) continue;
        const std::string_view window = text.substr(pos, 256);
        std::cmatch m;
        if (!std::regex_search(window.data(), window.data() + window.size(), m, regexes[i],
                               std::regex_constants::match_continuous)) {
          continue;
        }
        const std::size_t end = pos + static_cast<std::size_t>(m.length(0));
        if (end < text.size() && is_word_char(text[end])) continue;
        std::string token = m.str(0);
        if (placeholder_token(token)) continue;
        if (k_token_rules[i].needs_mixed && !mixed(token)) continue;
        return std::make_pair(i, std::move(token));
      }
    }
  }
  return std::nullopt;
}

bool has_base64_run(std::string_view s, std::size_t min_run) {
  std::size_t run = 0;
  for (const char c : s) {
    const bool b64 = std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '/' || c == '=';
    run = b64 ? run + 1 : 0;
    if (run >= min_run) return true;
  }
  return false;
}

// A PEM private key block starting at added line `i`: flagged only when key material follows
// (on the same line after the marker, e.g. "\nMIIE...", or on the next added lines), so code
// that merely names the header ("-----BEGIN PRIVATE KEY-----" as a parser constant) is quiet.
std::optional<RuleFinding> check_private_key(const FileView& view, std::size_t i) {
  static const std::regex begin(R"(-----BEGIN ([A-Z0-9]+ )*PRIVATE KEY( BLOCK)?-----)");
  const auto& added = view.added;
  const std::string& text = added[i]->text;
  if (text.find("PRIVATE KEY") == std::string::npos) return std::nullopt;
  std::smatch m;
  if (!std::regex_search(text, m, begin)) return std::nullopt;
  bool material = has_base64_run(std::string_view(text).substr(static_cast<std::size_t>(
                                     m.position(0) + m.length(0))),
                                 32);
  int previous = added[i]->new_line;
  int last = previous;  // the END line when it is among the following added lines
  const bool one_line = text.find("-----END") != std::string::npos;
  for (std::size_t j = i + 1; !one_line && j < added.size() && j <= i + 200 &&
                              added[j]->new_line == previous + 1;
       ++j) {
    const std::string& next = added[j]->text;
    if (j <= i + 3 && (has_base64_run(next, 40) || next.rfind("Proc-Type:", 0) == 0)) {
      material = true;
    }
    previous = added[j]->new_line;
    if (next.find("-----END") != std::string::npos) {
      last = previous;
      break;
    }
  }
  if (!material) return std::nullopt;
  double confidence = 0.95;
  const Priority p = demote_for_tests(view, Priority::p0, confidence);
  return make_finding(
      view, "secret.private-key", k_category_secret, p, confidence, added[i]->new_line, last,
      "Private key committed",
      "This change adds a PEM private key (`" + m.str(0) + "`) to `" + view.path + "`. " +
          secret_advice());
}

}  // namespace

void check_secrets(const FileView& view, const RulesOptions& options, std::vector<RuleFinding>& out) {
  int emitted = 0;
  const auto push = [&](RuleFinding f) {
    if (emitted++ < options.max_findings_per_rule_per_file) out.push_back(std::move(f));
  };
  for (std::size_t i = 0; i < view.added.size(); ++i) {
    const review::DiffLine& line = *view.added[i];
    if (auto key = check_private_key(view, i)) {
      const int end = key->raised.location.lines.end;
      push(std::move(*key));
      while (i + 1 < view.added.size() && view.added[i + 1]->new_line <= end) ++i;
      continue;
    }
    if (auto token = find_token(line.text)) {
      const TokenRule& rule = k_token_rules[token->first];
      double confidence = rule.confidence;
      const Priority p = demote_for_tests(view, rule.priority, confidence);
      push(make_finding(view, std::string(rule.rule), k_category_secret, p, confidence,
                        line.new_line, line.new_line, std::string(rule.what) + " committed",
                        "Line " + std::to_string(line.new_line) + " adds what has the format of a " +
                            std::string(rule.what) + " (" + redact(token->second) + "). " +
                            secret_advice()));
      continue;
    }
    if (auto url = check_url_credentials(view, line)) {
      push(std::move(*url));
      continue;
    }
    if (auto generic = check_generic_secret(view, line)) push(std::move(*generic));
  }
}

}  // namespace gavel::agents::rules
