#include "cli/cli.hpp"

int main(int argc, char** argv) { return gavel::cli::run_cli(argc, argv); }
