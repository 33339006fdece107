// DynamicVariables.h: the JSON-object text form of an agent's dynamic variables, as stored in the agent columns.
#ifndef PATCHBAY_TENANTSQLITE_DYNAMIC_VARIABLES_H
#define PATCHBAY_TENANTSQLITE_DYNAMIC_VARIABLES_H

#include <string>

#include "patchbay/sdk/Tenant.h"

namespace patchbay::tenantsqlite {

/// Stored as a JSON object of strings in the order given (tenants and tenant_variants share it).
class DynamicVariables
{
public:
    static std::string encode(const sdk::KeyValues& variables);

    /// Non-string members, which only a hand-edited file could hold, are skipped rather than
    /// failing the call's routing; the CHECK (json_valid) constraint keeps outright garbage out.
    static sdk::KeyValues decode(const std::string& json);
};

} // namespace patchbay::tenantsqlite

#endif
