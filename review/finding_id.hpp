#pragma once
// Finding identity: a content fingerprint that survives edits elsewhere in the file (lines
// inserted above, the function moved, the file renamed) and changes when the anchored code
// itself changes.
//
// fingerprint = hash(identity path, category, anchored code, claim), each normalised:
// - identity path: the file's base-side path (HEAD's name for it), so a rename in the working
//   tree keeps identity; see identity_path().
// - anchored code: the finding's lines with whitespace runs collapsed and blank lines dropped.
// - claim: the title's content words, lower-cased, stemmed lightly, sorted, without numbers,
//   "[P1]" tags and filler words; so "Null deref of p at line 12" == "null DEREF of p".
// Line numbers never enter the hash. Pure functions; no IO, no state.
//
// Fingerprints are exact identity. Deciding that a *reworded* finding is the same problem is
// the matcher's job (review/finding_match.hpp), which uses the similarity measure below.

#include "review/changeset.hpp"
#include "review/finding.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace gavel::review {

// `code` with each line trimmed, inner whitespace runs collapsed to one space, blank lines
// dropped and "\r" removed; lines joined by '\n'.
std::string normalise_code(std::string_view code);

// Lines `range.start`..`range.end` (1-based, inclusive) of `text`, raw, joined by '\n'.
// Lines past the end are left out; an empty string when none is inside.
std::string slice_lines(std::string_view text, LineRange range);

// The normalised code a finding at `range` of a file with `text` anchors to.
std::string anchor_of(std::string_view text, LineRange range);

// Number of lines in `text` (a final line without '\n' counts; "" has 0).
int count_lines(std::string_view text);

// The content words of a claim: lower-case, sorted, unique (see the header comment).
std::vector<std::string> claim_tokens(std::string_view text);

// claim_tokens(`title`) joined by single spaces: what enters the fingerprint.
std::string normalise_claim(std::string_view title);

// Overlap coefficient |A∩B| / min(|A|,|B|) of two sorted unique token lists; 0 when either
// is empty. 1.0 means one claim's words are all in the other.
double claim_similarity(const std::vector<std::string>& a, const std::vector<std::string>& b);

// `category` trimmed and lower-cased ("Secret " -> "secret").
std::string normalise_category(std::string_view category);

// The base-side path of the file that `path` names in `changeset`: the old path of a renamed
// or copied file, `path` itself otherwise (also when the changeset does not list it).
std::string identity_path(const Changeset& changeset, std::string_view path);

// The fingerprint of already-normalised parts: 32 lower-case hex digits.
std::string fingerprint(std::string_view identity_path, std::string_view category,
                        std::string_view anchor, std::string_view claim);

// Convenience: the fingerprint of `raised` anchored to normalised `anchor`.
std::string fingerprint(const RaisedFinding& raised, std::string_view identity_path,
                        std::string_view anchor);

// 64-bit FNV-1a of `bytes`, continuing from `seed`; used for fingerprints and line hashing.
std::uint64_t fnv1a(std::string_view bytes, std::uint64_t seed = 0xcbf29ce484222325ULL);

}  // namespace gavel::review
