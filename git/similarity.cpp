#include "git/similarity.hpp"

#include "git/worktree_file.hpp"

#include <algorithm>
#include <cstdint>
#include <string_view>
#include <vector>

namespace gavel::git {

namespace {

constexpr std::uint64_t k_max_score = 60000;      // git's MAX_SCORE
constexpr std::uint64_t k_minimum_score = 30000;  // git's default -M50%
constexpr unsigned k_hashbase = 107927;
constexpr std::size_t k_binary_probe = 8000;

// A file's content summary: total size and (hash, byte count) spans, sorted by hash.
struct Signature {
  std::uint64_t size = 0;
  std::vector<std::pair<unsigned, std::uint64_t>> spans;
};

// diffcore-delta.c hash_chars (git 2.39): spans end at '\n' or after 64 bytes; CR of CRLF is
// skipped in text files.
Signature* sign(std::string_view data) {
  auto* sig = new Signature;
  sig->size = data.size();
  const bool is_text =
      data.substr(0, std::min(data.size(), k_binary_probe)).find('\0') == std::string_view::npos;
  std::vector<std::pair<unsigned, std::uint64_t>> raw;
  unsigned accum1 = 0, accum2 = 0;
  int n = 0;
  for (std::size_t i = 0; i < data.size(); ++i) {
    const unsigned c = static_cast<unsigned char>(data[i]);
    const unsigned old_1 = accum1;
    if (is_text && c == '\r' && i + 1 < data.size() && data[i + 1] == '\n') continue;
    accum1 = (accum1 << 7) ^ (accum2 >> 25);
    accum2 = (accum2 << 7) ^ (old_1 >> 25);
    accum1 += c;
    if (++n < 64 && c != '\n') continue;
    raw.emplace_back((accum1 + accum2 * 0x61) % k_hashbase, n);
    n = 0;
    accum1 = accum2 = 0;
  }
  // git 2.39 drops a trailing span that ends without '\n' before 64 bytes; so do we.
  std::sort(raw.begin(), raw.end());
  for (const auto& [h, cnt] : raw) {
    if (!sig->spans.empty() && sig->spans.back().first == h) sig->spans.back().second += cnt;
    else sig->spans.emplace_back(h, cnt);
  }
  return sig;
}

// diffcore_count_changes: bytes of `dst` that come from `src`.
std::uint64_t copied(const Signature& src, const Signature& dst) {
  std::uint64_t sc = 0;
  auto d = dst.spans.begin();
  for (const auto& [hash, src_cnt] : src.spans) {
    while (d != dst.spans.end() && d->first < hash) ++d;
    if (d != dst.spans.end() && d->first == hash) {
      sc += std::min(src_cnt, d->second);
      ++d;
    }
  }
  return sc;
}

int file_signature(void** out, const git_diff_file* file, const char* /*fullpath*/,
                   void* payload) {
  auto* self = static_cast<std::pair<git_repository*, const std::string*>*>(payload);
  auto content = read_worktree_file(self->first, *self->second, file->path);
  if (!content) {
    *out = nullptr;  // unreadable: not a rename candidate
    return 0;
  }
  *out = sign(*content);
  return 0;
}

int buffer_signature(void** out, const git_diff_file* /*file*/, const char* buf, size_t len,
                     void* /*payload*/) {
  *out = sign(std::string_view(buf, len));
  return 0;
}

void free_signature(void* sig, void* /*payload*/) { delete static_cast<Signature*>(sig); }

// estimate_similarity, returned as git prints it: score * 100 / MAX_SCORE.
int similarity(int* score, void* a, void* b, void* /*payload*/) {
  const auto& src = *static_cast<const Signature*>(a);
  const auto& dst = *static_cast<const Signature*>(b);
  *score = 0;
  const std::uint64_t max_size = std::max(src.size, dst.size);
  const std::uint64_t delta_size = max_size - std::min(src.size, dst.size);
  if (max_size * (k_max_score - k_minimum_score) < delta_size * k_max_score) return 0;
  if (dst.size == 0 || max_size == 0) return 0;
  const std::uint64_t s = copied(src, dst) * k_max_score / max_size;
  *score = static_cast<int>(s * 100 / k_max_score);
  return 0;
}

}  // namespace

GitSimilarity::GitSimilarity(git_repository* repo, std::string workdir)
    : m_repo(repo), m_workdir(std::move(workdir)) {
  static_assert(sizeof(std::pair<git_repository*, const std::string*>) > 0);
  m_metric.file_signature = &file_signature;
  m_metric.buffer_signature = &buffer_signature;
  m_metric.free_signature = &free_signature;
  m_metric.similarity = &similarity;
  m_payload = {m_repo, &m_workdir};
  m_metric.payload = &m_payload;
}

}  // namespace gavel::git
