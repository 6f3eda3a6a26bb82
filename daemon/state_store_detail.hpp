#pragma once
// Helpers shared by the StateStore's .cpp files (daemon/state_store*.cpp); not for other callers.

#include "base/error.hpp"
#include "daemon/state_sqlite.hpp"

#include <vector>

namespace gavel::daemon::detail {

// Steps `stmt` to the end and decodes every row with `decode` (Statement -> Result<T>); the
// first error stops it.
template <class T, class Decode>
Result<std::vector<T>> collect(Result<sqlite::Statement>& stmt, Decode decode) {
  std::vector<T> out;
  for (;;) {
    auto row = stmt->step();
    if (!row) return row.error();
    if (!*row) return out;
    auto value = decode(*stmt);
    if (!value) return value.error();
    out.push_back(std::move(*value));
  }
}

}  // namespace gavel::daemon::detail
