#include "daemon/notify.hpp"

#include "agents/process_boost.hpp"  // the one way to include Boost.Process v2 (1.81)
#include "daemon/log_setup.hpp"

#include <boost/type_traits/is_constructible.hpp>
#include <boost/process/v2/environment.hpp>

#include <memory>
#include <sstream>
#include <vector>

namespace gavel::daemon {

namespace bp = boost::process::v2;

void run_notify_command(boost::asio::any_io_executor io, const std::string& command,
                        const std::string& title, const std::string& message) {
  std::istringstream words(command);
  std::vector<std::string> argv;
  for (std::string w; words >> w;) argv.push_back(w);
  if (argv.empty()) return;
  const auto exe = argv[0].find('/') != std::string::npos
                       ? bp::filesystem::path(argv[0])
                       : bp::environment::find_executable(argv[0]);
  if (exe.empty()) {
    log("daemon")->debug("notify command {} is not installed; skipped", argv[0]);
    return;
  }
  argv.erase(argv.begin());
  argv.push_back(title);
  argv.push_back(message);
  try {
    auto child = std::make_shared<bp::process>(io, exe, argv, bp::process_stdio{nullptr, nullptr, nullptr});
    child->async_wait([child, name = exe.string()](boost::system::error_code wait_ec, int status) {
      if (wait_ec || status != 0) {
        log("daemon")->warn("notify command {} failed (exit {})", name, status);
      }
    });
  } catch (const boost::system::system_error& e) {
    log("daemon")->warn("cannot run notify command {}: {}", exe.string(), e.what());
  }
}

}  // namespace gavel::daemon
