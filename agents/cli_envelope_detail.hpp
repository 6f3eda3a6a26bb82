#pragma once
// Small text helpers shared by the cli_envelope*.cpp files. Not for other files.

#include <algorithm>
#include <cctype>
#include <cstddef>
#include <string>
#include <string_view>

namespace gavel::agents::detail {

inline constexpr std::size_t k_message_clip = 300;  // CLI text quoted in a failure message

inline bool is_blank(std::string_view text) {
  return std::all_of(text.begin(), text.end(),
                     [](unsigned char c) { return std::isspace(c) != 0; });
}

// The first `limit` bytes of `text` on one line, with "..." when cut.
inline std::string clip(std::string_view text, std::size_t limit = k_message_clip) {
  std::string out(text.substr(0, limit));
  std::replace(out.begin(), out.end(), '\n', ' ');
  if (text.size() > limit) out += "...";
  return out;
}

}  // namespace gavel::agents::detail
