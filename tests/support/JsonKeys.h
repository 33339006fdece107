// JsonKeys.h: the member names of a JSON object, for tests that check message shapes against a contract.
#pragma once

#include <set>
#include <string>

#include "patchbay/sdk/support/JsonValue.h"

namespace patchbay::testsupport {

inline std::set<std::string> keysOf(const sdk::support::JsonValue& object)
{
    std::set<std::string> keys;
    for (const auto& member : object)
        keys.emplace(member.key());
    return keys;
}

} // namespace patchbay::testsupport
