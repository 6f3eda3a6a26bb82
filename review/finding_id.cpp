#include "review/finding_id.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>

namespace gavel::review {

namespace {

// Words that carry no claim: filler of review titles and English glue.
constexpr std::array<std::string_view, 48> k_stop_words{
    "the",      "and",       "for",     "with",    "this",   "that",     "are",    "was",
    "were",     "has",       "have",    "not",     "but",    "can",      "may",    "might",
    "could",    "should",    "would",   "will",    "when",   "which",    "from",   "into",
    "its",      "there",     "here",    "than",    "then",   "also",     "any",    "all",
    "only",     "been",      "being",   "does",    "line",   "lines",    "code",   "possible",
    "potential", "possibly", "issue",   "problem", "bug",    "incorrect", "wrong", "missing"};

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; }

bool is_word_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_';
}

bool is_stop_word(std::string_view w) {
  return std::find(k_stop_words.begin(), k_stop_words.end(), w) != k_stop_words.end();
}

bool all_digits(std::string_view w) {
  return std::all_of(w.begin(), w.end(),
                     [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; });
}

// Light stemming so "dereferences"/"dereferenced"/"dereference" agree.
std::string stem(std::string w) {
  for (std::string_view suffix : {"ing", "ed", "es", "s", "e"}) {
    if (w.size() >= suffix.size() + 3 && w.ends_with(suffix)) {
      w.resize(w.size() - suffix.size());
      return w;
    }
  }
  return w;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (is_space(s.front()) || s.front() == '\n')) s.remove_prefix(1);
  while (!s.empty() && (is_space(s.back()) || s.back() == '\n')) s.remove_suffix(1);
  return s;
}

void append_field(std::string& out, std::string_view field) {
  out += std::to_string(field.size());
  out += ':';
  out += field;
  out += '\0';
}

}  // namespace

std::string normalise_code(std::string_view code) {
  std::string out;
  out.reserve(code.size());
  std::size_t pos = 0;
  while (pos <= code.size()) {
    std::size_t nl = code.find('\n', pos);
    if (nl == std::string_view::npos) nl = code.size();
    std::string_view line = code.substr(pos, nl - pos);
    std::string norm;
    bool pending_space = false;
    for (char c : line) {
      if (is_space(c)) {
        pending_space = !norm.empty();
        continue;
      }
      if (pending_space) norm += ' ';
      pending_space = false;
      norm += c;
    }
    if (!norm.empty()) {
      if (!out.empty()) out += '\n';
      out += norm;
    }
    pos = nl + 1;
  }
  return out;
}

int count_lines(std::string_view text) {
  if (text.empty()) return 0;
  int n = static_cast<int>(std::count(text.begin(), text.end(), '\n'));
  return text.back() == '\n' ? n : n + 1;
}

std::string slice_lines(std::string_view text, LineRange range) {
  std::string out;
  int line = 1;
  std::size_t pos = 0;
  while (pos < text.size() && line <= range.end) {
    std::size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    if (line >= range.start) {
      if (line > range.start) out += '\n';
      out += text.substr(pos, nl - pos);
    }
    pos = nl + 1;
    ++line;
  }
  return out;
}

std::string anchor_of(std::string_view text, LineRange range) {
  return normalise_code(slice_lines(text, range));
}

std::vector<std::string> claim_tokens(std::string_view text) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < text.size()) {
    if (!is_word_char(text[i])) {
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j < text.size() && is_word_char(text[j])) ++j;
    std::string word(text.substr(i, j - i));
    i = j;
    std::transform(word.begin(), word.end(), word.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (word.size() < 3 || all_digits(word) || is_stop_word(word)) continue;
    out.push_back(stem(std::move(word)));
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::string normalise_claim(std::string_view title) {
  std::string out;
  for (const auto& t : claim_tokens(title)) {
    if (!out.empty()) out += ' ';
    out += t;
  }
  return out;
}

double claim_similarity(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  if (a.empty() || b.empty()) return 0.0;
  std::size_t common = 0;
  auto ia = a.begin();
  auto ib = b.begin();
  while (ia != a.end() && ib != b.end()) {
    if (*ia < *ib) {
      ++ia;
    } else if (*ib < *ia) {
      ++ib;
    } else {
      ++common;
      ++ia;
      ++ib;
    }
  }
  return static_cast<double>(common) / static_cast<double>(std::min(a.size(), b.size()));
}

std::string normalise_category(std::string_view category) {
  std::string out(trim(category));
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string identity_path(const Changeset& changeset, std::string_view path) {
  for (const auto& file : changeset.files) {
    if (file.new_path != path) continue;
    bool moved = file.status == FileStatus::renamed || file.status == FileStatus::copied;
    if (moved && !file.old_path.empty()) return file.old_path;
    break;
  }
  return std::string(path);
}

std::uint64_t fnv1a(std::string_view bytes, std::uint64_t seed) {
  std::uint64_t h = seed;
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return h;
}

std::string fingerprint(std::string_view identity_path, std::string_view category,
                        std::string_view anchor, std::string_view claim) {
  std::string material;
  material.reserve(identity_path.size() + category.size() + anchor.size() + claim.size() + 32);
  append_field(material, identity_path);
  append_field(material, category);
  append_field(material, anchor);
  append_field(material, claim);
  // Two FNV-1a passes with different seeds: 128 bits, ample for one repository's findings.
  std::uint64_t h1 = fnv1a(material);
  std::uint64_t h2 = fnv1a(material, 0x84222325cbf29ce4ULL ^ h1);
  char buf[33];
  std::snprintf(buf, sizeof buf, "%016llx%016llx", static_cast<unsigned long long>(h1),
                static_cast<unsigned long long>(h2));
  return std::string(buf, 32);
}

std::string fingerprint(const RaisedFinding& raised, std::string_view identity_path,
                        std::string_view anchor) {
  return fingerprint(identity_path, normalise_category(raised.category), anchor,
                     normalise_claim(raised.title));
}

}  // namespace gavel::review
