// AccountJson.h: carrier accounts to and from admin API JSON — tokens and API key secrets are write-only.
#ifndef PATCHBAY_HOST_ADMIN_ACCOUNT_JSON_H
#define PATCHBAY_HOST_ADMIN_ACCOUNT_JSON_H

#include <string>

#include <patchbay/sdk/Tenant.h>
#include <patchbay/sdk/support/JsonWriter.h>

#include "admin/JsonBody.h"

namespace patchbay::host {

/// A response says only whether each secret is set ("hasAuthToken", ...). On PUT a secret absent from
/// the body keeps its stored value and "" clears an optional one; authToken is required on POST.
class AccountJson
{
public:
    /// @param pathSid the SID from the URL for PUT (a body "sid" must match); empty for POST.
    static sdk::CarrierAccount read(const JsonBody::Value& body, const std::string& pathSid,
                                    const sdk::CarrierAccount* existing);
    /// {"authToken": "..."} of POST /v1/accounts/{sid}/rotate-token.
    static std::string readNewToken(const JsonBody::Value& body);
    static void write(sdk::support::JsonWriter& w, const sdk::CarrierAccount& account);
};

} // namespace patchbay::host

#endif
