// MasterKeys.cpp: the fixed development key.
#include "patchbay/tenantsqlite/MasterKeys.h"

#include <openssl/sha.h>

namespace patchbay::tenantsqlite {

void MasterKeys::addInsecureDevelopmentKey()
{
    // A hash of a public sentence: deterministic so a dev database opens again after a restart.
    static const char kSentence[] = "patchbay tenant-sqlite insecure development key; never use in production";
    unsigned char digest[SHA256_DIGEST_LENGTH];
    SHA256(reinterpret_cast<const unsigned char*>(kSentence), sizeof(kSentence) - 1, digest);
    keys[kInsecureDevelopmentKeyId] = std::string(reinterpret_cast<const char*>(digest), sizeof(digest));
    if (activeId.empty())
        activeId = kInsecureDevelopmentKeyId;
}

} // namespace patchbay::tenantsqlite
