// TenantBody.h: the tenant options shared by `tenants add` and `tenants update`, and the tenant/variant JSON they produce.
#ifndef PATCHBAY_TOOLS_PATCHBAYCTL_TENANT_BODY_H
#define PATCHBAY_TOOLS_PATCHBAYCTL_TENANT_BODY_H

#include <Poco/JSON/Object.h>

#include <string>

namespace patchbay {
namespace ctl {

class Arguments;
class CtlContext;

/// The API replaces a whole tenant on PUT (keeping write-only secrets that are absent), so an
/// update fetches the tenant, applies only the options given, and sends the result back.
class TenantBody
{
public:
    /// Declares the options; for `creating`, --id, --name and --agent-id are required.
    static void declare(Arguments& args, bool creating);
    /// Writes every option that was given into `tenant` (members created as needed).
    static void apply(const Arguments& args, const CtlContext& context, Poco::JSON::Object::Ptr tenant);
    /// "name:weight:agentId[:firstMessage]" (the first message may itself contain ':').
    static Poco::JSON::Object::Ptr parseVariant(const Arguments& args, const std::string& spec);

    /// An empty object that keeps member order (so request bodies read naturally in logs).
    static Poco::JSON::Object::Ptr newObject();
    /// `parent[key]` as an object, created when missing or not an object.
    static Poco::JSON::Object::Ptr child(Poco::JSON::Object::Ptr parent, const std::string& key);
};

} // namespace ctl
} // namespace patchbay

#endif
