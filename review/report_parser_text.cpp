// Locating JSON candidates in agent prose, and bounded excerpts of offending text.
#include "review/report_parser_detail.hpp"

#include <algorithm>

namespace gavel::review::detail {

namespace {

// Index one past the '}' closing the object opened at `start`, or npos when the text ends (or
// nests too deep) first. Braces inside JSON strings do not count.
std::size_t match_object(std::string_view text, std::size_t start, std::size_t& budget) {
  int depth = 0;
  bool in_string = false;
  for (std::size_t i = start; i < text.size(); ++i) {
    if (budget == 0) return std::string_view::npos;
    --budget;
    char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '{') {
      if (++depth > k_max_brace_depth) return std::string_view::npos;
    } else if (c == '}') {
      if (--depth == 0) return i + 1;
    }
  }
  return std::string_view::npos;
}

// Length of the valid UTF-8 sequence starting at `s[i]`, or 0 when it is not one.
std::size_t utf8_length(std::string_view s, std::size_t i) {
  auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = byte(i);
  std::size_t n = 0;
  unsigned int min = 0;
  unsigned int cp = 0;
  if (c < 0x80) return 1;
  if ((c & 0xE0) == 0xC0) {
    n = 2, cp = c & 0x1Fu, min = 0x80;
  } else if ((c & 0xF0) == 0xE0) {
    n = 3, cp = c & 0x0Fu, min = 0x800;
  } else if ((c & 0xF8) == 0xF0) {
    n = 4, cp = c & 0x07u, min = 0x10000;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  for (std::size_t k = 1; k < n; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (byte(i + k) & 0x3Fu);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return n;
}

}  // namespace

std::vector<std::string_view> find_json_objects(std::string_view text, std::size_t* budget) {
  std::size_t unlimited = static_cast<std::size_t>(-1);
  std::size_t& left = budget != nullptr ? *budget : unlimited;
  std::vector<std::string_view> spans;
  std::size_t pos = 0;
  std::size_t failed = 0;
  while (spans.size() < k_max_candidates && failed < k_max_failed_starts && left > 0) {
    std::size_t start = text.find('{', pos);
    if (start == std::string_view::npos) break;
    std::size_t end = match_object(text, start, left);
    if (end == std::string_view::npos) {
      ++failed;  // unbalanced from here: an inner '{' may still open a complete object
      pos = start + 1;
      continue;
    }
    spans.push_back(text.substr(start, end - start));
    pos = end;
  }
  return spans;
}

std::string make_excerpt(std::string_view text) { return sanitize_text(text, k_max_excerpt_bytes); }

std::string sanitize_text(std::string_view text, std::size_t max_bytes) {
  bool cut = text.size() > max_bytes;
  std::string out;
  out.reserve(std::min(text.size(), max_bytes) + 3);
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t n = utf8_length(text, i);
    if (n == 0) {
      n = 1;
      if (out.size() + 1 > max_bytes) break;
      out += '?';
    } else {
      if (out.size() + n > max_bytes) break;
      unsigned char c = static_cast<unsigned char>(text[i]);
      if (n == 1 && (c < 0x20 || c == 0x7F) && c != '\n' && c != '\t') {
        out += '?';
      } else {
        out.append(text.substr(i, n));
      }
    }
    i += n;
  }
  if (cut || i < text.size()) out += "...";
  return out;
}

}  // namespace gavel::review::detail
