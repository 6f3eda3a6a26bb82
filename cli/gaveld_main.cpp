#include "daemon/daemon.hpp"

int main(int argc, char** argv) { return gavel::daemon::run_daemon(argc, argv); }
