// The compiled part of Boost.Process v2, built exactly once for gavel_agents (see
// agents/process_boost.hpp for why it is not header-only).
#include "agents/process_boost.hpp"

#include <boost/process/v2/src.hpp>
