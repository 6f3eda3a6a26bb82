#include "agents/process_tempdir.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include <sys/stat.h>
#include <unistd.h>

namespace gavel::agents {
namespace {

namespace fs = std::filesystem;

class ReadCapped : public testing::Test {
 protected:
  void SetUp() override {
    m_dir = fs::temp_directory_path() / ("gavel-readcapped-" + std::to_string(::getpid()));
    fs::remove_all(m_dir);
    fs::create_directories(m_dir);
  }
  void TearDown() override { fs::remove_all(m_dir); }
  fs::path m_dir;
};

TEST_F(ReadCapped, ReadsARegularFileUpToTheCap) {
  std::ofstream(m_dir / "out.txt") << "0123456789";
  bool truncated = false;
  auto r = ProcessTempDir::read_capped(m_dir / "out.txt", 4, truncated);
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_EQ(*r, "0123");
  EXPECT_TRUE(truncated);
}

TEST_F(ReadCapped, RefusesAFifoWithoutBlocking) {
  // An agent could plant a FIFO where its output file should be: opening it for reading would
  // block until a writer comes. It must fail at once instead.
  ASSERT_EQ(::mkfifo((m_dir / "out.txt").c_str(), 0600), 0);
  bool truncated = false;
  auto r = ProcessTempDir::read_capped(m_dir / "out.txt", 1024, truncated);
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message.find("not a regular file"), std::string::npos) << r.error().message;
}

TEST_F(ReadCapped, RefusesADirectory) {
  fs::create_directories(m_dir / "out.txt");
  bool truncated = false;
  EXPECT_FALSE(ProcessTempDir::read_capped(m_dir / "out.txt", 1024, truncated).has_value());
}

}  // namespace
}  // namespace gavel::agents
