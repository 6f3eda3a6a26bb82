// Index-form gate.check and note.attach: the daemon's side of the fast git hooks (see
// daemon/staged_gate.hpp).
#include "daemon/staged_gate.hpp"

#include "git/pending_note.hpp"
#include "git/staged_change.hpp"
#include "loop/repo_config.hpp"
#include "protocol/review_record.hpp"

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

namespace gavel::daemon {

namespace asio = boost::asio;
namespace pr = protocol;

namespace {

// Open readers by the path asked for, kept between gate checks: opening a repository reads the
// git config files (about 0.3 ms, on every commit). A reader is used by one check at a time;
// a failed snapshot drops it, so a moved or deleted repository is opened afresh next time.
struct CachedReader {
  std::mutex mutex;
  std::optional<git::SnapshotReader> reader;
};
constexpr std::size_t k_max_cached_readers = 32;
std::mutex g_cache_mutex;
std::map<std::string, std::shared_ptr<CachedReader>> g_readers;

std::shared_ptr<CachedReader> cached_reader(const std::string& repo) {
  std::lock_guard l(g_cache_mutex);
  auto& slot = g_readers[repo];
  if (!slot) {
    if (g_readers.size() > k_max_cached_readers) {
      g_readers.clear();
      return std::make_shared<CachedReader>();  // used once, not kept
    }
    slot = std::make_shared<CachedReader>();
  }
  return slot;
}

// The staged change as `gavel hook run` would read it (the same one-shot reader mode), after
// checking the configuration the hook would load; clears the saved record. Blocking: on the pool.
Result<git::StagedChange> read_for_gate(const pr::GateCheckRequest& req) {
  auto cached = cached_reader(req.repo);
  std::lock_guard l(cached->mutex);
  if (!cached->reader) {
    auto opened = git::SnapshotReader::open(req.repo, git::ReaderMode::one_shot);
    if (!opened) return opened.error();
    cached->reader.emplace(std::move(*opened));
  }
  auto change = git::read_staged_change(*cached->reader, req.index_file);
  if (!change) {
    cached->reader.reset();
    return change.error();
  }
  if (auto config = loop::load_config(change->repo, {}); !config) return config.error();
  git::clear_pending_note(change->gitdir);
  return change;
}

}  // namespace

Awaitable<pr::GateCheckResponse> gate_on_index(CommandHandler& handler,
                                               const asio::any_io_executor& pool,
                                               const asio::any_io_executor& io,
                                               const pr::GateCheckRequest& req) {
  co_await asio::post(asio::bind_executor(pool, asio::use_awaitable));
  auto change = read_for_gate(req);
  co_await asio::post(asio::bind_executor(io, asio::use_awaitable));
  if (!change) co_return change.error();
  if (change->empty) {
    pr::GateCheckResponse out;
    out.message = "nothing is staged";
    out.fingerprint = change->fingerprint;
    co_return out;
  }
  // Named, not temporaries in the co_await expression (see staged_gate.hpp).
  const pr::GateCheckRequest by_fingerprint{change->repo, change->fingerprint, ""};
  auto judged = co_await handler.gate_check(by_fingerprint);
  if (!judged) co_return judged.error();
  judged->fingerprint = change->fingerprint;
  if (judged->status != pr::GateStatus::pass) co_return judged;
  // The review record, from the handler's own session.show and finding.show (inline: GCC 12
  // warns about a helper coroutine's frame here, -Wmismatched-new-delete).
  pr::RecordInputs in{*judged, change->fingerprint, change->base, std::nullopt, {}};
  if (!judged->session.empty()) {
    const pr::SessionShowRequest show{judged->session};
    if (auto s = co_await handler.session_show(show)) in.session = std::move(*s);
  }
  for (std::size_t i = 0; in.session && i < in.session->findings.size(); ++i) {
    const pr::FindingShowRequest one{in.session->findings[i].id};
    auto shown = co_await handler.finding_show(one);
    in.shown.push_back(shown ? std::optional(std::move(*shown)) : std::nullopt);
  }
  const nlohmann::json record = pr::review_record(in);
  co_await asio::post(asio::bind_executor(pool, asio::use_awaitable));
  git::save_pending_note(*change, record);
  co_await asio::post(asio::bind_executor(io, asio::use_awaitable));
  co_return judged;
}

Awaitable<pr::NoteAttachResponse> attach_note(const asio::any_io_executor& pool,
                                              const asio::any_io_executor& io,
                                              const pr::NoteAttachRequest& req) {
  co_await asio::post(asio::bind_executor(pool, asio::use_awaitable));
  const git::NoteOutcome outcome = git::attach_pending_note(req.repo);
  co_await asio::post(asio::bind_executor(io, asio::use_awaitable));
  co_return pr::NoteAttachResponse{outcome.attached, outcome.commit, outcome.message};
}

}  // namespace gavel::daemon
