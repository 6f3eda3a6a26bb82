#include "protocol/codec.hpp"
#include "protocol/commands.hpp"
#include "protocol/summary.hpp"
#include "tests/unit/protocol/samples.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <set>

namespace gavel::protocol {
namespace {

using testing::sample_events;
using testing::sample_requests;
using testing::sample_responses;

TEST(Commands, TableCoversEveryCommandWithUniqueNames) {
  ASSERT_EQ(commands().size(), std::variant_size_v<Request>);
  std::set<std::string_view> names;
  for (const auto& c : commands()) {
    EXPECT_TRUE(names.insert(c.name).second) << c.name;
    EXPECT_EQ(command_from_name(c.name), c.command);
    EXPECT_FALSE(c.help.empty());
  }
  EXPECT_EQ(to_string(Command::gate_check), "gate.check");
  EXPECT_FALSE(command_from_name("gate_check"));
}

TEST(Messages, SamplesCoverEveryCommandAndEvent) {
  const auto reqs = sample_requests();
  const auto resps = sample_responses();
  ASSERT_EQ(reqs.size(), commands().size());
  ASSERT_EQ(resps.size(), commands().size());
  for (std::size_t i = 0; i < reqs.size(); ++i) {
    EXPECT_EQ(reqs[i].index(), i);
    EXPECT_EQ(resps[i].index(), i);
  }
  EXPECT_EQ(sample_events().size(), std::variant_size_v<Event>);
}

TEST(Messages, EveryRequestRoundTrips) {
  std::int64_t id = 100;
  for (const auto& request : sample_requests()) {
    const auto line = encode_request(++id, request);
    ASSERT_EQ(line.back(), '\n');
    ASSERT_EQ(line.find('\n'), line.size() - 1) << "one object per line";
    const auto j = nlohmann::json::parse(line);
    EXPECT_EQ(j.at("command"), to_string(command_of(request)));
    EXPECT_EQ(j.at("id"), id);
    EXPECT_TRUE(j.at("args").is_object());
    auto decoded = decode_request(std::string_view(line).substr(0, line.size() - 1));
    ASSERT_TRUE(decoded) << line << decoded.error().error.message;
    EXPECT_EQ(decoded->id, id);
    EXPECT_EQ(decoded->request, request) << line;
  }
}

TEST(Messages, EveryResponseRoundTrips) {
  for (const auto& response : sample_responses()) {
    const auto command = static_cast<Command>(response.index());
    const auto line = encode_response(9, response);
    ASSERT_EQ(line.find('\n'), line.size() - 1);
    const auto j = nlohmann::json::parse(line);
    EXPECT_EQ(j.at("ok"), true);
    EXPECT_TRUE(j.at("result").is_object());
    auto decoded = decode_server_line(line, command);
    ASSERT_TRUE(decoded) << line << decoded.error().message;
    const auto& reply = std::get<Reply>(*decoded);
    EXPECT_EQ(reply.id, 9);
    ASSERT_TRUE(reply.ok());
    EXPECT_EQ(std::get<Response>(reply.body), response) << line;
  }
}

TEST(Messages, EveryEventRoundTrips) {
  for (const auto& event : sample_events()) {
    const auto line = encode_event(event);
    const auto j = nlohmann::json::parse(line);
    EXPECT_EQ(j.at("event"), event_name(event));
    EXPECT_FALSE(j.contains("id"));
    auto decoded = decode_server_line(line, Command::status);
    ASSERT_TRUE(decoded) << line << decoded.error().message;
    EXPECT_EQ(std::get<Event>(*decoded), event) << line;
  }
}

TEST(Messages, ErrorReplyRoundTrips) {
  const auto line = encode_error(5, WireError{"not_found", "no finding f-9"});
  EXPECT_EQ(nlohmann::json::parse(line),
            nlohmann::json::parse(
                R"({"id":5,"ok":false,"error":{"code":"not_found","message":"no finding f-9"}})"));
  auto decoded = decode_server_line(line, Command::finding_show);
  ASSERT_TRUE(decoded);
  const auto& reply = std::get<Reply>(*decoded);
  ASSERT_FALSE(reply.ok());
  EXPECT_EQ(std::get<WireError>(reply.body), (WireError{"not_found", "no finding f-9"}));
  const auto null_id = nlohmann::json::parse(encode_error(std::nullopt, {"bad_request", "x"}));
  EXPECT_TRUE(null_id.at("id").is_null());
}

TEST(Messages, WireShapesMatchTheDocs) {
  auto gate = decode_request(
      R"({"id":1,"command":"gate.check","args":{"repo":"/r","fingerprint":"abc"}})");
  ASSERT_TRUE(gate);
  EXPECT_EQ(gate->request, Request(GateCheckRequest{"/r", "abc"}));

  auto start = decode_request(
      R"({"id":2,"command":"review.start","args":{"repo":"/r","staged":true,"intent":"x"}})");
  ASSERT_TRUE(start);
  const auto& s = std::get<ReviewStartRequest>(start->request);
  EXPECT_EQ(s.scope, DiffScope::staged);
  EXPECT_TRUE(s.reviewer.empty());

  auto status = decode_request(R"({"id":3,"command":"status"})");  // "args" may be left out
  ASSERT_TRUE(status);

  GateCheckResponse pass{GateStatus::pass, "s-1", {}, std::nullopt, "converged"};
  const auto j = nlohmann::json::parse(encode_response(1, pass));
  EXPECT_EQ(j.at("result").at("status"), "pass");
  EXPECT_FALSE(j.at("result").contains("progress"));
}

TEST(Messages, UnknownArgumentsAreIgnored) {
  auto r = decode_request(R"({"id":1,"command":"repo.add","args":{"path":"/r","future":1}})");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->request, Request(RepoAddRequest{"/r"}));
}

TEST(Messages, InvalidUtf8IsReplacedWhenEncoding) {
  FindingSummary f = testing::sample_finding();
  f.body = std::string("bad \xff\xfe bytes");
  const auto line = encode_response(1, FindingsListResponse{{f}});
  auto decoded = decode_server_line(line, Command::findings_list);
  ASSERT_TRUE(decoded) << decoded.error().message;
}

TEST(Messages, WireErrorMapsToGavelErrors) {
  EXPECT_EQ(from_wire({"not_found", "x"}).code, Errc::not_found);
  EXPECT_EQ(from_wire({"conflict", "x"}).message, "x");
  const auto unknown = from_wire({"unknown_command", "no command named \"x\""});
  EXPECT_EQ(unknown.code, Errc::invalid_argument);
  EXPECT_EQ(unknown.message, "unknown_command: no command named \"x\"");
  EXPECT_EQ(from_wire({"forbidden", "x"}).code, Errc::io);
  EXPECT_EQ(from_wire(to_wire(fail(Errc::permission_denied, "agent"))).code,
            Errc::permission_denied);
  EXPECT_EQ(to_wire(fail(Errc::permission_denied, "x")).code, "permission_denied");
  EXPECT_EQ(from_wire({"something_new", "x"}).code, Errc::internal);
  EXPECT_EQ(to_wire(fail(Errc::timeout, "slow")), (WireError{"timeout", "slow"}));
}

TEST(Messages, ReplyDecodingRejectsGarbage) {
  EXPECT_FALSE(decode_server_line("nope", Command::status));
  EXPECT_FALSE(decode_server_line(R"({"id":1})", Command::status));            // no "ok"
  EXPECT_FALSE(decode_server_line(R"({"id":1,"ok":true})", Command::status));  // no result
  EXPECT_FALSE(decode_server_line(R"({"id":1,"ok":true,"result":{}})", Command::status));
  EXPECT_FALSE(decode_server_line(R"({"event":"nonsense","session":"s"})", Command::status));
  auto e = decode_server_line(R"({"id":1,"ok":true,"result":{"version":7}})", Command::status);
  ASSERT_FALSE(e);
  EXPECT_EQ(e.error().code, Errc::parse);
  EXPECT_NE(e.error().message.find("version"), std::string::npos);
}

TEST(Summary, BuildsFromAReviewFinding) {
  review::Finding f;
  f.id = "f-7";
  f.raised.title = "Leak";
  f.raised.priority = review::Priority::p0;
  f.raised.location = review::Location{"a/b.cpp", review::LineRange{4, 9}};
  f.raised.suggested_fix = "diff";
  f.raised_by = "codex";
  f.raised_round = 2;
  f.state = review::FindingState::upheld;
  f.titles = {"Leak"};
  f.history.push_back({review::FindingState::open, review::FindingState::upheld, "human:me", 5,
                       "real"});
  const auto shown = show_finding(f);
  EXPECT_EQ(shown.finding.id, "f-7");
  EXPECT_EQ(shown.finding.priority, review::Priority::p0);
  EXPECT_EQ(shown.finding.line_start, 4);
  EXPECT_EQ(shown.finding.line_end, 9);
  EXPECT_EQ(shown.finding.agent, "codex");
  EXPECT_EQ(shown.history.at(0).actor, "human:me");
  EXPECT_EQ(shown.suggested_fix, "diff");
}

}  // namespace
}  // namespace gavel::protocol
