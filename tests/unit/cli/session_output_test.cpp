#include "cli/session_output.hpp"

#include <gtest/gtest.h>

namespace gavel::cli {
namespace {

TEST(TerminalSafe, ControlSequencesFromAgentsAreDefused) {
  // OSC (set window title), CSI clear screen, a C1 CSI, a bell, DEL.
  EXPECT_EQ(terminal_safe("\x1b]0;PWNED\x07 title\x1b[2J"), "?]0;PWNED? title?[2J");
  EXPECT_EQ(terminal_safe("a\xc2\x9b" "2Jb\x7f"), "a?2Jb?");
  EXPECT_EQ(terminal_safe("line one\n\tline two, caf\xc3\xa9"), "line one\n\tline two, caf\xc3\xa9");
  EXPECT_EQ(terminal_safe("cr\rnul"), "cr?nul");
}

TEST(ExitCodes, FollowTheVerdict) {
  EXPECT_EQ(exit_code_for(review::Verdict::converged), 0);
  EXPECT_EQ(exit_code_for(review::Verdict::blocked), 1);
  EXPECT_EQ(exit_code_for(review::Verdict::awaiting_human), 1);
  EXPECT_EQ(exit_code_for(review::Verdict::escalated), 2);
  EXPECT_EQ(exit_code_for(review::Verdict::infra_failure), 3);
  EXPECT_EQ(exit_code_for(review::Verdict::exhausted), 4);
}

}  // namespace
}  // namespace gavel::cli
