// SignatureBook.h: the conversation signatures the mock agent issued in signed URLs, each usable once.
#pragma once

#include <mutex>
#include <random>
#include <string>
#include <unordered_map>

namespace patchbay {
namespace mockagent {

class SignatureBook
{
public:
    /// A fresh random signature bound to agentId. Thread-safe.
    std::string issue(const std::string& agentId);
    /// True once for a signature issued for agentId; it is forgotten afterwards. Thread-safe.
    bool redeem(const std::string& signature, const std::string& agentId);

private:
    std::mutex _mutex;
    std::mt19937_64 _random{std::random_device{}()};
    std::unordered_map<std::string, std::string> _issued; // signature -> agent id
};

} // namespace mockagent
} // namespace patchbay
