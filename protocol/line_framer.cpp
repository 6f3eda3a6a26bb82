#include "protocol/line_framer.hpp"

#include <utility>

namespace gavel::protocol {

LineFramer::LineFramer(std::size_t max_line_bytes) : m_max(max_line_bytes) {}

void LineFramer::reset() {
  m_partial.clear();
  m_failed = false;
}

Error LineFramer::oversize_error() const {
  return fail(Errc::invalid_argument,
              "line exceeds " + std::to_string(m_max) + " bytes (the protocol's line limit)");
}

FeedResult LineFramer::feed(std::string_view bytes) {
  FeedResult out;
  if (m_failed) {
    out.error = oversize_error();
    return out;
  }
  while (!bytes.empty()) {
    const auto nl = bytes.find('\n');
    const auto take = bytes.substr(0, nl);  // whole rest when there is no newline
    // The limit counts content bytes; a '\r' right before the '\n' is not content, so hold at
    // most one byte more than the limit and check again once the line is complete.
    if (m_partial.size() + take.size() > m_max + 1) {
      m_failed = true;
      m_partial.clear();
      out.error = oversize_error();
      return out;
    }
    m_partial.append(take);
    if (nl == std::string_view::npos) {
      // Only a trailing '\r' may sit beyond the limit while the '\n' is awaited.
      if (m_partial.size() > m_max && m_partial.back() != '\r') {
        m_failed = true;
        m_partial.clear();
        out.error = oversize_error();
      }
      break;
    }
    bytes.remove_prefix(nl + 1);
    if (!m_partial.empty() && m_partial.back() == '\r') m_partial.pop_back();
    if (m_partial.size() > m_max) {
      m_failed = true;
      m_partial.clear();
      out.error = oversize_error();
      return out;
    }
    if (!m_partial.empty()) out.lines.push_back(std::move(m_partial));
    m_partial.clear();
  }
  return out;
}

}  // namespace gavel::protocol
