// DynamicVariables.cpp: JSON encoding and lenient decoding of dynamic variables.
#include "patchbay/tenantsqlite/DynamicVariables.h"

#include "patchbay/sdk/support/Json.h"

namespace patchbay::tenantsqlite {

std::string DynamicVariables::encode(const sdk::KeyValues& variables)
{
    std::string json;
    sdk::support::JsonWriter writer(json);
    writer.beginObject();
    for (const auto& [key, value] : variables)
        writer.key(key).value(value);
    writer.endObject();
    return json;
}

sdk::KeyValues DynamicVariables::decode(const std::string& json)
{
    sdk::KeyValues variables;
    sdk::support::JsonDocument document;
    if (!document.parse(json) || !document.root().isObject())
        return variables;
    for (const auto& member : document.root())
    {
        if (member.isString())
            variables.emplace_back(std::string(member.key()), std::string(member.asString()));
    }
    return variables;
}

} // namespace patchbay::tenantsqlite
