#include <cstdio>

// Prints the summary table; output is the program's purpose.
void print_summary(int files, int findings) {
  std::printf("%d files, %d findings\n", files, findings);
}

static const char* const k_akia_prefix = "AKIA";  // AWS key ids start with this
