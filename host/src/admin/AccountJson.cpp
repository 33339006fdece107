// AccountJson.cpp: validation and secret-free serialisation of carrier accounts.
#include "admin/AccountJson.h"

#include "admin/AdminProblem.h"
#include "admin/AdminValidation.h"

namespace patchbay::host {
namespace {

using Value = JsonBody::Value;

/// A secret field: nullopt when absent; 400 (never quoting the value) when malformed.
std::optional<std::string> secret(const Value& body, const char* key, bool allowEmpty)
{
    auto value = JsonBody::string(body, key, "", 256);
    if (!value) return std::nullopt;
    if (value->empty() && allowEmpty) return value;
    if (!AdminValidation::isSecret(*value))
        throw AdminProblem::badRequest(key, value->empty() ? "must not be empty" : "expected printable ASCII without spaces");
    return value;
}

} // namespace

sdk::CarrierAccount AccountJson::read(const Value& body, const std::string& pathSid, const sdk::CarrierAccount* existing)
{
    JsonBody::expectObject(body, "", {"sid", "authToken", "secondaryToken", "parentSid", "friendlyName", "apiKeySid",
                                      "apiKeySecret", "hasAuthToken", "hasSecondaryToken", "hasApiKeySecret"});
    sdk::CarrierAccount a;
    if (pathSid.empty())
    {
        a.sid = JsonBody::requiredString(body, "sid", "", 34);
        if (!AdminValidation::isSid(a.sid, "AC")) throw AdminProblem::badRequest("sid", "expected \"AC\" and 32 hex digits");
    }
    else
    {
        a.sid = pathSid;
        if (auto sid = JsonBody::string(body, "sid", "", 64); sid && *sid != pathSid)
            throw AdminProblem::badRequest("sid", "does not match the account SID in the URL");
    }
    a.parentSid = JsonBody::string(body, "parentSid", "", 34).value_or(std::string());
    if (!a.parentSid.empty() && !AdminValidation::isSid(a.parentSid, "AC"))
        throw AdminProblem::badRequest("parentSid", "expected \"AC\" and 32 hex digits");
    if (a.parentSid == a.sid) throw AdminProblem::badRequest("parentSid", "an account cannot be its own parent");
    a.friendlyName = JsonBody::string(body, "friendlyName", "", 200).value_or(std::string());
    if (!AdminValidation::isPlainText(a.friendlyName))
        throw AdminProblem::badRequest("friendlyName", "must not contain control characters");
    a.apiKeySid = JsonBody::string(body, "apiKeySid", "", 34).value_or(std::string());
    if (!a.apiKeySid.empty() && !AdminValidation::isSid(a.apiKeySid, "SK"))
        throw AdminProblem::badRequest("apiKeySid", "expected \"SK\" and 32 hex digits");

    auto token = secret(body, "authToken", false);
    if (token) a.authToken = *token;
    else if (existing) a.authToken = existing->authToken;
    else throw AdminProblem::badRequest("authToken", "required (the account's auth token)");
    auto secondary = secret(body, "secondaryToken", true);
    a.secondaryToken = secondary ? *secondary : existing ? existing->secondaryToken : std::string();
    auto keySecret = secret(body, "apiKeySecret", true);
    a.apiKeySecret = keySecret ? *keySecret : existing ? existing->apiKeySecret : std::string();
    if (!a.apiKeySecret.empty() && a.apiKeySid.empty())
        throw AdminProblem::badRequest("apiKeySid", "required when apiKeySecret is set");
    if (a.apiKeySecret.empty() && !a.apiKeySid.empty())
        throw AdminProblem::badRequest("apiKeySecret", "required when apiKeySid is set");
    return a;
}

std::string AccountJson::readNewToken(const Value& body)
{
    JsonBody::expectObject(body, "", {"authToken"});
    auto token = secret(body, "authToken", false);
    if (!token) throw AdminProblem::badRequest("authToken", "required (the new primary auth token)");
    return *token;
}

void AccountJson::write(sdk::support::JsonWriter& w, const sdk::CarrierAccount& a)
{
    w.beginObject();
    w.key("sid").value(a.sid).key("parentSid").value(a.parentSid).key("friendlyName").value(a.friendlyName);
    w.key("apiKeySid").value(a.apiKeySid);
    w.key("hasAuthToken").value(!a.authToken.empty());
    w.key("hasSecondaryToken").value(!a.secondaryToken.empty());
    w.key("hasApiKeySecret").value(!a.apiKeySecret.empty());
    w.endObject();
}

} // namespace patchbay::host
