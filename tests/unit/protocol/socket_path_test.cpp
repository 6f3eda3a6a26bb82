#include "protocol/socket_path.hpp"

#include <gtest/gtest.h>

namespace gavel::protocol {
namespace {

TEST(SocketPath, UsesXdgRuntimeDir) {
  EXPECT_EQ(socket_path_for({std::nullopt, "/run/user/1000", 1000}),
            "/run/user/1000/gavel/gaveld.sock");
  EXPECT_EQ(socket_path_for({std::nullopt, "/run/user/1000/", 1000}),
            "/run/user/1000/gavel/gaveld.sock");
}

TEST(SocketPath, FallsBackToPerUserTmpDir) {
  EXPECT_EQ(socket_path_for({std::nullopt, std::nullopt, 1000}), "/tmp/gavel-1000/gaveld.sock");
  EXPECT_EQ(socket_path_for({std::nullopt, "", 0}), "/tmp/gavel-0/gaveld.sock");
  // A relative XDG_RUNTIME_DIR is invalid per the spec and ignored.
  EXPECT_EQ(socket_path_for({std::nullopt, "run/user", 42}), "/tmp/gavel-42/gaveld.sock");
}

TEST(SocketPath, GavelSocketWins) {
  EXPECT_EQ(socket_path_for({"/x/y.sock", "/run/user/1", 1}), "/x/y.sock");
  EXPECT_EQ(socket_path_for({"", "/run/user/1", 1}), "/run/user/1/gavel/gaveld.sock");
}

TEST(SocketPath, DirectoryOfAPath) {
  EXPECT_EQ(socket_directory("/tmp/gavel-1/gaveld.sock"), "/tmp/gavel-1");
  EXPECT_EQ(socket_directory("/gaveld.sock"), "/");
  EXPECT_EQ(socket_directory("gaveld.sock"), ".");
}

}  // namespace
}  // namespace gavel::protocol
