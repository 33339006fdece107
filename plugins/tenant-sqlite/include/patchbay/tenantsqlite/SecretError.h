// SecretError.h: the exception SecretCipher throws — already classified and free of secret values.
#ifndef PATCHBAY_TENANTSQLITE_SECRET_ERROR_H
#define PATCHBAY_TENANTSQLITE_SECRET_ERROR_H

#include <stdexcept>
#include <string>

#include "patchbay/sdk/Status.h"

namespace patchbay::tenantsqlite {

/// Carries its own StatusCode so that StoreError passes it through unchanged: a missing key is the
/// operator's to fix (InvalidArgument / Internal naming the key id), not a database failure.
class SecretError : public std::runtime_error
{
public:
    SecretError(sdk::StatusCode code, const std::string& message) : std::runtime_error(message), _code(code) {}

    sdk::StatusCode code() const noexcept { return _code; }

private:
    sdk::StatusCode _code;
};

} // namespace patchbay::tenantsqlite

#endif
