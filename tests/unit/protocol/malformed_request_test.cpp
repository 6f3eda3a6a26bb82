// Whatever arrives on the socket, decode_request answers with a value: a request, or the error
// reply to send. Never an exception, never a crash.
#include "protocol/codec.hpp"

#include <gtest/gtest.h>

#include <string>

namespace gavel::protocol {
namespace {

// Decodes `line`, expecting a failure with `code`; returns the error message.
std::string expect_error(std::string_view line, std::string_view code,
                         std::optional<std::int64_t> id) {
  auto r = decode_request(line);
  EXPECT_FALSE(r) << line;
  if (r) return {};
  EXPECT_EQ(r.error().error.code, code) << line;
  EXPECT_EQ(r.error().id, id) << line;
  EXPECT_FALSE(r.error().error.message.empty());
  return r.error().error.message;
}

bool contains(const std::string& s, std::string_view part) {
  return s.find(part) != std::string::npos;
}

TEST(MalformedRequest, NotJson) {
  EXPECT_TRUE(contains(expect_error("hello", "bad_request", std::nullopt), "not JSON"));
  expect_error("{\"id\":1,", "bad_request", std::nullopt);
  expect_error("", "bad_request", std::nullopt);
}

TEST(MalformedRequest, NotAnObject) {
  EXPECT_TRUE(contains(expect_error("[1,2]", "bad_request", std::nullopt), "object"));
  expect_error("42", "bad_request", std::nullopt);
  expect_error("\"status\"", "bad_request", std::nullopt);
}

TEST(MalformedRequest, BadId) {
  EXPECT_TRUE(contains(expect_error(R"({"command":"status"})", "bad_request", std::nullopt),
                       "\"id\": missing"));
  expect_error(R"({"id":"1","command":"status"})", "bad_request", std::nullopt);
  expect_error(R"({"id":1.5,"command":"status"})", "bad_request", std::nullopt);
  expect_error(R"({"id":99999999999999999999,"command":"status"})", "bad_request", std::nullopt);
}

TEST(MalformedRequest, BadCommandKeepsTheId) {
  EXPECT_TRUE(contains(expect_error(R"({"id":4})", "bad_request", 4), "command"));
  expect_error(R"({"id":4,"command":7})", "bad_request", 4);
}

TEST(MalformedRequest, UnknownCommand) {
  const auto msg = expect_error(R"({"id":5,"command":"launch.missiles"})", "unknown_command", 5);
  EXPECT_TRUE(contains(msg, "launch.missiles"));
}

TEST(MalformedRequest, ArgsMustBeAnObject) {
  expect_error(R"({"id":6,"command":"repo.add","args":["/r"]})", "bad_request", 6);
  expect_error(R"({"id":6,"command":"repo.add","args":"/r"})", "bad_request", 6);
}

TEST(MalformedRequest, MissingArgumentIsNamed) {
  const auto msg = expect_error(R"({"id":7,"command":"repo.add","args":{}})", "bad_request", 7);
  EXPECT_TRUE(contains(msg, "repo.add"));
  EXPECT_TRUE(contains(msg, "\"path\": missing"));
  EXPECT_TRUE(contains(expect_error(R"({"id":7,"command":"gate.check","args":{"repo":"/r"}})",
                                    "bad_request", 7),
                       "fingerprint"));
}

TEST(MalformedRequest, MistypedArgumentIsNamed) {
  const auto msg = expect_error(
      R"({"id":8,"command":"findings.list","args":{"repo":"/r","all":"yes"}})", "bad_request", 8);
  EXPECT_TRUE(contains(msg, "\"all\": expected true or false"));
  expect_error(R"({"id":8,"command":"repo.add","args":{"path":3}})", "bad_request", 8);
  expect_error(R"({"id":8,"command":"review.start","args":{"repo":"/r","intent":{}}})",
               "bad_request", 8);
}

TEST(MalformedRequest, EmptyRequiredTextIsRefused) {
  EXPECT_TRUE(contains(
      expect_error(R"({"id":9,"command":"session.show","args":{"id":""}})", "bad_request", 9),
      "must not be empty"));
}

TEST(MalformedRequest, DecisionMustBeKnownAndReasoned) {
  const auto bad_value = expect_error(
      R"({"id":10,"command":"decide","args":{"finding":"f","decision":"ignore","reason":"r"}})",
      "bad_request", 10);
  EXPECT_TRUE(contains(bad_value, "uphold, dismiss, waive"));
  EXPECT_TRUE(contains(
      expect_error(R"({"id":10,"command":"decide","args":{"finding":"f","decision":"dismiss"}})",
                   "bad_request", 10),
      "reason"));
  // Upholding needs no reason.
  EXPECT_TRUE(decode_request(
      R"({"id":10,"command":"decide","args":{"finding":"f","decision":"uphold"}})"));
}

TEST(MalformedRequest, CancelNeedsASessionOrARepo) {
  expect_error(R"({"id":11,"command":"review.cancel","args":{}})", "bad_request", 11);
  EXPECT_TRUE(decode_request(R"({"id":11,"command":"review.cancel","args":{"repo":"/r"}})"));
}

// gate.check: a fingerprint (the client's snapshot) or an absolute index file (the daemon's).
TEST(MalformedRequest, GateCheckNeedsExactlyOneOfFingerprintAndIndexFile) {
  expect_error(R"({"id":14,"command":"gate.check","args":{"repo":"/r"}})", "bad_request", 14);
  expect_error(R"({"id":14,"command":"gate.check","args":{"repo":"/r","fingerprint":"f",)"
               R"("index_file":"/r/.git/index"}})",
               "bad_request", 14);
  EXPECT_TRUE(contains(
      expect_error(R"({"id":14,"command":"gate.check","args":{"repo":"/r","index_file":"i"}})",
                   "bad_request", 14),
      "absolute"));
  auto index_form = decode_request(
      R"({"id":14,"command":"gate.check","args":{"repo":"/r","index_file":"/r/.git/index"}})");
  ASSERT_TRUE(index_form);
  EXPECT_EQ(index_form->request, Request(GateCheckRequest{"/r", "", "/r/.git/index"}));
  EXPECT_TRUE(decode_request(R"({"id":14,"command":"gate.check","args":{"repo":"/r","fingerprint":"f"}})"));
}

TEST(MalformedRequest, InvalidUtf8IsABadRequest) {
  expect_error("{\"id\":12,\"command\":\"repo.add\",\"args\":{\"path\":\"\xff\"}}", "bad_request",
               std::nullopt);
}

TEST(MalformedRequest, DeepNestingDoesNotCrash) {
  const std::string deep = std::string(20000, '[') + std::string(20000, ']');
  expect_error(deep, "bad_request", std::nullopt);
  const auto in_args = R"({"id":13,"command":"status","args":{"x":)" + deep + "}}";
  EXPECT_TRUE(decode_request(in_args));  // unknown arguments are ignored
}

}  // namespace
}  // namespace gavel::protocol
