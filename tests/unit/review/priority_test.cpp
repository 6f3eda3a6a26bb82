#include "review/priority.hpp"

#include <gtest/gtest.h>

namespace gavel::review {
namespace {

TEST(Priority, NamesRoundTrip) {
  EXPECT_EQ(to_string(Priority::p0), "P0");
  EXPECT_EQ(to_string(Priority::p3), "P3");
  for (auto s : {FindingState::open, FindingState::insisted, FindingState::waived}) {
    EXPECT_EQ(finding_state_from_string(to_string(s)), s);
  }
  EXPECT_FALSE(finding_state_from_string("bogus").has_value());
}

}  // namespace
}  // namespace gavel::review
