#pragma once
// The content fingerprint of a snapshot.
//
// Definition (docs/git.md): the hex SHA-1 of "gavel-fingerprint-1\n", "base <hex or empty>\n",
// then every changed file's patch text in path order with full 40-hex object ids. The ids
// cover binary content and modes; the text covers paths, status and every diff byte. Equal
// base and equal diff content give equal fingerprints whatever the stat data (a touch never
// changes it), the diff kind, or how git would abbreviate ids that day. Pure function.

#include <string>
#include <string_view>
#include <vector>

namespace gavel::git {

std::string fingerprint(std::string_view base_commit, const std::vector<std::string>& full_patches);

}  // namespace gavel::git
