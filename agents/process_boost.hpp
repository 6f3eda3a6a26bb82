#pragma once
// The one way agents/ includes Boost.Process v2 (1.81). Its headers need boost::optional and
// remove_pointer included first (boostorg/process #280); it is compiled once, in
// process_boost.cpp, instead of header-only in every file (BOOST_PROCESS_V2_SEPARATE_COMPILATION).
// Include this, never <boost/process/...> directly.

#ifndef BOOST_PROCESS_V2_SEPARATE_COMPILATION
#define BOOST_PROCESS_V2_SEPARATE_COMPILATION 1
#endif

// clang-format off
#include <boost/optional.hpp>
#include <boost/type_traits/remove_pointer.hpp>
#include <boost/process/v2/posix/default_launcher.hpp>
#include <boost/process/v2/process.hpp>
#include <boost/process/v2/start_dir.hpp>
#include <boost/process/v2/stdio.hpp>
// clang-format on
