// InitiationWebhook.h: the conversation-initiation client data webhook — the tenant's dynamic variables and overrides for a called number.
#ifndef PATCHBAY_ELEVENLABS_INITIATION_WEBHOOK_H
#define PATCHBAY_ELEVENLABS_INITIATION_WEBHOOK_H

#include <string>
#include <string_view>

#include "ElevenLabsConfig.h"
#include "patchbay/sdk/HostServices.h"
#include "patchbay/sdk/Http.h"
#include "patchbay/sdk/Tenant.h"

namespace patchbay::elevenlabs {

/// POST {initiationPath}, called by ElevenLabs while a call to a number left on its native Twilio
/// integration rings (elevenlabs.md §8.1). Request JSON: caller_id, agent_id, called_number,
/// call_sid. Answer: the same conversation_initiation_client_data the plugin sends on its own
/// sockets (same variable names, same override rules), so one agent works both ways.
///   401  no or wrong `Authorization: Bearer <initiationSecret>` (constant-time compare; ElevenLabs
///        signs nothing for this webhook, and the answer discloses tenant data)
///   400  not JSON, or no called_number;  413 body over 64 KiB
///   404  no tenant owns called_number (problem+json);  403 the tenant is suspended
///   503  no tenant store, or it is unavailable
/// THREAD: I/O (concurrent HTTP workers); stateless apart from the references.
class InitiationWebhook final : public sdk::HttpHandler
{
public:
    static constexpr std::size_t kMaxBodyBytes = 64 * 1024; ///< the genuine request is four short fields

    InitiationWebhook(const ElevenLabsConfig& config, sdk::HostServices& host) noexcept : _config(config), _host(host) {}

    void handle(const sdk::HttpRequest& request, sdk::HttpResponse& response) override;

    /// The agent settings a call with this CallSid gets: the tenant's, or — when it has weighted
    /// A/B variants — the variant's merged over them, chosen exactly as the core's VariantPicker
    /// does (FNV-1a of the CallSid, mixed, modulo the total weight). host/ is out of a plugin's
    /// reach, so the algorithm is repeated here; tests/elevenlabs-webhooks pins both to the same
    /// answers. @param variant receives the variant name, "" for none.
    static sdk::AgentSettings agentFor(const sdk::Tenant& tenant, std::string_view callSid, std::string& variant);

private:
    bool authorised(const sdk::HttpRequest& request) const;
    void answer(sdk::HttpResponse& response, int status, const char* result, std::string_view detail);

    const ElevenLabsConfig& _config; ///< owned by the plugin, which outlives its routes
    sdk::HostServices& _host;
};

} // namespace patchbay::elevenlabs

#endif
