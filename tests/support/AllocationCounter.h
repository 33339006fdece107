// AllocationCounter.h: per-thread heap allocation count for hot-path tests (link tests/support/AllocationCounter.cpp: it replaces global operator new).
#pragma once

#include <cstdint>

namespace patchbay {
namespace testsupport {

/// Number of operator new calls made so far by the calling thread.
std::uint64_t threadAllocations();

} // namespace testsupport
} // namespace patchbay
