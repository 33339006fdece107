// StoreError.h: turns an exception caught at the store's edge into a secret-free sdk::Status.
#ifndef PATCHBAY_TENANTSQLITE_STORE_ERROR_H
#define PATCHBAY_TENANTSQLITE_STORE_ERROR_H

#include <string>
#include <string_view>

#include "patchbay/sdk/Status.h"

namespace patchbay::tenantsqlite {

/// Classification of database failures, shared by every store entry point so that the host sees
/// the same code for the same cause: a lock or a missing connection is Unavailable (retry later),
/// a constraint is InvalidArgument (the input is wrong), anything else Internal.
///
/// Messages carry SQLite's own error text, which names tables and columns but never bound values —
/// the store binds every value, so no token or key can reach a Status through here. A SecretError
/// keeps its own code and (secret-free) message.
class StoreError
{
public:
    /// Call only inside a catch block: classifies the exception being handled.
    /// @param context what was being done, e.g. "save call CA123"; must itself be secret-free.
    static sdk::Status fromCurrentException(std::string_view context) noexcept;

    /// A caller-supplied identifier (CallSid, number, id) in quotes, cut at 64 characters so a
    /// hostile one cannot flood the log.
    static std::string quoted(std::string_view text);
};

} // namespace patchbay::tenantsqlite

#endif
