#pragma once
// Abbreviator: object ids shortened exactly as git 2.39 prints them in a patch's "index" line.
//
// git's rule (object-name.c, find_unique_abbrev): start from core.abbrev, or when it is unset
// or "auto", from a length derived from the number of *packed* objects (ceil((msb(n)+1)/2),
// at least 7); then lengthen until no other object in the database shares the prefix. Ids
// that are not in the database (new working-tree content, the zero id) follow the same rule.
// Used on the snapshot thread; reads config, pack index headers and the object database.

#include "git/libgit2.hpp"

#include <string>

namespace gavel::git {

class Abbreviator {
 public:
  explicit Abbreviator(git_repository* repo);
  // The shortest unique prefix of `id`, at least the starting length.
  std::string abbreviate(const git_oid& id) const;
  int min_length() const noexcept { return m_min; }

 private:
  OdbPtr m_odb;
  int m_min = 7;
};

}  // namespace gavel::git
