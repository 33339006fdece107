// SignatureBook.cpp: issuing and single-use redemption of signed-URL signatures.
#include "SignatureBook.h"

namespace patchbay {
namespace mockagent {

std::string SignatureBook::issue(const std::string& agentId)
{
    static constexpr char kHex[] = "0123456789abcdef";
    std::lock_guard<std::mutex> lock(_mutex);
    std::string signature = "mocksig_";
    for (int i = 0; i < 2; ++i)
    {
        std::uint64_t bits = _random();
        for (int j = 0; j < 16; ++j, bits >>= 4)
            signature += kHex[bits & 0xF];
    }
    _issued.emplace(signature, agentId);
    return signature;
}

bool SignatureBook::redeem(const std::string& signature, const std::string& agentId)
{
    std::lock_guard<std::mutex> lock(_mutex);
    const auto it = _issued.find(signature);
    if (it == _issued.end() || it->second != agentId)
        return false;
    _issued.erase(it);
    return true;
}

} // namespace mockagent
} // namespace patchbay
