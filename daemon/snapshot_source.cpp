#include "daemon/snapshot_source.hpp"

#include <boost/asio/post.hpp>

#include <malloc.h>

namespace gavel::daemon {

namespace asio = boost::asio;

namespace {

// A reader frees tens of thousands of small blocks; glibc keeps them in its arenas unless
// asked to give the free pages back.
void give_memory_back() {
#ifdef __GLIBC__
  ::malloc_trim(0);
#endif
}

}  // namespace

struct SnapshotSource::Request {
  bool whole = true;
  std::vector<std::string> paths;
  std::optional<git::SnapshotScope> scope;
};

SnapshotSource::SnapshotSource(asio::any_io_executor io, asio::any_io_executor pool,
                               std::string workdir, std::chrono::milliseconds quiet,
                               std::function<void()> on_quiet)
    : m_io(std::move(io)), m_pool(std::move(pool)), m_workdir(std::move(workdir)),
      m_quiet(quiet), m_on_quiet(std::move(on_quiet)), m_drop_timer(m_io) {}

SnapshotSource::~SnapshotSource() { *m_alive = false; }

void SnapshotSource::changed(const WatchChange& change) {
  m_pending_change = true;
  if (change.full || change.git_state_changed) m_pending_full = true;
  if (!m_pending_full) m_pending.insert(change.paths.begin(), change.paths.end());
}

void SnapshotSource::take(Done done) {
  if (m_in_flight) {
    done(fail(Errc::internal, "a snapshot is already being taken"));
    return;
  }
  m_in_flight = true;
  m_drop_timer.cancel();
  ++m_timer_generation;  // a handler already queued is stale too
  auto request = std::make_shared<Request>();
  request->whole = m_pending_full || !m_scope;
  if (!request->whole) {
    request->paths.assign(m_pending.begin(), m_pending.end());
    request->scope = m_scope;
  }
  const bool caused_by_change = m_pending_change;
  m_pending.clear();
  m_pending_full = false;
  m_pending_change = false;
  asio::post(m_pool, [this, alive = m_alive, io = m_io, request, caused_by_change,
                      reader = m_reader, workdir = m_workdir, done = std::move(done)]() mutable {
    auto result = std::make_shared<Result<git::Snapshot>>(fail(Errc::internal, "not taken"));
    if (!reader) {
      auto opened = git::SnapshotReader::open(workdir, git::ReaderMode::one_shot);
      if (opened) reader = std::make_shared<git::SnapshotReader>(std::move(*opened));
      else *result = opened.error();
    }
    if (reader) {
      git::SnapshotOptions options;
      options.contents = git::SnapshotOptions::Contents::new_text;
      *result = request->whole ? reader->take(options)
                               : reader->take_since(*request->scope, request->paths, options);
    }
    asio::post(io, [this, alive, reader, result, caused_by_change, done]() mutable {
      if (*alive) finish(std::move(reader), std::move(*result), caused_by_change, done);
    });
  });
  m_reader.reset();  // the task holds it now
}

void SnapshotSource::finish(std::shared_ptr<git::SnapshotReader> reader,
                            Result<git::Snapshot> result, bool caused_by_change, const Done& done) {
  m_in_flight = false;
  if (result) {
    m_scope = result->scope();
  } else {
    m_pending_full = true;  // what this one should have read is read again, whole
    m_scope.reset();
  }
  m_reader = std::move(reader);
  if (caused_by_change && result) {  // active: the next change will likely follow soon
    m_drop_timer.expires_after(m_quiet);
    // A handler already queued when the timer was re-armed must not act: the generation tells.
    m_drop_timer.async_wait([this, alive = m_alive, generation = ++m_timer_generation](
                                const boost::system::error_code& ec) {
      if (ec || !*alive || m_in_flight || generation != m_timer_generation) return;
      m_pending_full = true;
      if (m_on_quiet) m_on_quiet();  // its snapshot was caused by no change: the reader drops
      else drop_reader();
    });
  } else {
    drop_reader();
  }
  done(std::move(result));
}

void SnapshotSource::drop_reader() {
  if (!m_reader) return;
  asio::post(m_pool, [reader = std::move(m_reader)]() mutable {
    reader.reset();
    give_memory_back();
  });
}

}  // namespace gavel::daemon
