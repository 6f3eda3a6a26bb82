#include "protocol/line_framer.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace gavel::protocol {
namespace {

using Lines = std::vector<std::string>;

TEST(LineFramer, SplitsLinesAcrossReads) {
  LineFramer framer;
  auto a = framer.feed("{\"id\":1,");
  EXPECT_TRUE(a.lines.empty());
  EXPECT_FALSE(a.error);
  EXPECT_EQ(framer.pending_bytes(), 8u);
  auto b = framer.feed("\"command\":\"status\"}\n{\"id\"");
  EXPECT_EQ(b.lines, Lines{"{\"id\":1,\"command\":\"status\"}"});
  auto c = framer.feed(":2}\n");
  EXPECT_EQ(c.lines, Lines{"{\"id\":2}"});
  EXPECT_EQ(framer.pending_bytes(), 0u);
}

TEST(LineFramer, ManyLinesInOneRead) {
  LineFramer framer;
  auto r = framer.feed("a\nbb\nccc\n");
  EXPECT_EQ(r.lines, (Lines{"a", "bb", "ccc"}));
}

TEST(LineFramer, ByteByByteGivesTheSameLines) {
  LineFramer framer;
  const std::string input = "first line\nsecond\r\nthird\n";
  Lines got;
  for (char ch : input) {
    auto r = framer.feed(std::string_view(&ch, 1));
    ASSERT_FALSE(r.error);
    for (auto& l : r.lines) got.push_back(l);
  }
  EXPECT_EQ(got, (Lines{"first line", "second", "third"}));
}

TEST(LineFramer, DropsCarriageReturnAndSkipsBlankLines) {
  LineFramer framer;
  auto r = framer.feed("one\r\n\n\r\ntwo\n");
  EXPECT_EQ(r.lines, (Lines{"one", "two"}));
}

TEST(LineFramer, KeepsAnUnfinishedLine) {
  LineFramer framer;
  auto r = framer.feed("done\nnot yet");
  EXPECT_EQ(r.lines, Lines{"done"});
  EXPECT_EQ(framer.pending_bytes(), 7u);
}

TEST(LineFramer, LineExactlyAtTheLimitPasses) {
  LineFramer framer(8);
  auto r = framer.feed("12345678\n");
  ASSERT_FALSE(r.error);
  EXPECT_EQ(r.lines, Lines{"12345678"});
  auto crlf = framer.feed("abcdefgh\r\n");  // the '\r' is not content
  ASSERT_FALSE(crlf.error);
  EXPECT_EQ(crlf.lines, Lines{"abcdefgh"});
}

TEST(LineFramer, OversizeLineWithNewlineIsAnError) {
  LineFramer framer(8);
  auto r = framer.feed("123456789\n");
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->code, Errc::invalid_argument);
  EXPECT_NE(r.error->message.find("8 bytes"), std::string::npos);
  EXPECT_TRUE(r.lines.empty());
}

TEST(LineFramer, OversizeIsDetectedBeforeTheNewlineArrives) {
  // Memory stays bounded: the error comes as soon as the limit is crossed.
  LineFramer framer(8);
  EXPECT_FALSE(framer.feed("12345").error);
  auto r = framer.feed("6789012345");
  ASSERT_TRUE(r.error);
  EXPECT_EQ(framer.pending_bytes(), 0u);
}

TEST(LineFramer, LinesBeforeTheOversizeOneAreDelivered) {
  LineFramer framer(4);
  auto r = framer.feed("ok\nfine\ntoo long\nnever\n");
  EXPECT_EQ(r.lines, (Lines{"ok", "fine"}));
  ASSERT_TRUE(r.error);
}

TEST(LineFramer, StaysFailedUntilReset) {
  LineFramer framer(4);
  ASSERT_TRUE(framer.feed("abcdefgh").error);
  EXPECT_TRUE(framer.failed());
  auto again = framer.feed("ok\n");
  EXPECT_TRUE(again.error);
  EXPECT_TRUE(again.lines.empty());
  framer.reset();
  auto after = framer.feed("ok\n");
  EXPECT_FALSE(after.error);
  EXPECT_EQ(after.lines, Lines{"ok"});
}

TEST(LineFramer, DefaultLimitIsOneMebibyte) {
  LineFramer framer;
  EXPECT_EQ(framer.max_line_bytes(), 1024u * 1024u);
  const std::string big(1024 * 1024, 'x');
  auto r = framer.feed(big + "\n");
  ASSERT_FALSE(r.error);
  ASSERT_EQ(r.lines.size(), 1u);
  EXPECT_TRUE(framer.feed(big + "y").error);
}

}  // namespace
}  // namespace gavel::protocol
