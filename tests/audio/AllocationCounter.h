// AllocationCounter.h: per-thread heap allocation count (global operator new is replaced in AllocationCounter.cpp).
#pragma once

#include <cstdint>

namespace patchbay {
namespace audio {
namespace test {

/// Number of operator new calls made so far by the calling thread.
std::uint64_t threadAllocations();

} // namespace test
} // namespace audio
} // namespace patchbay
