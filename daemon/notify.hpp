#pragma once
// Telling the developer about an escalation outside the terminal: runs `daemon.notify_command`
// (default "notify-send") with a title and the message as its last two arguments, no shell.
//
// Called by a repository's service on the io thread when a session escalates. Fire and forget:
// the child is reaped asynchronously; a command that is not installed is logged at debug level
// and skipped (notify-send is absent on servers), a failing one at warn level. Never blocks.

#include <boost/asio/any_io_executor.hpp>

#include <string>

namespace gavel::daemon {

// `command` is split on whitespace ("notify-send -u critical"); empty disables notifications.
void run_notify_command(boost::asio::any_io_executor io, const std::string& command,
                        const std::string& title, const std::string& message);

}  // namespace gavel::daemon
