// MediaStreamEndpoint.cpp: upgrade checks for /twilio/media/<token>, in order: token, replay, handshake signature.
#include "MediaStreamEndpoint.h"

#include <protocol/StreamToken.h>

#include "MediaStreamHandshake.h"

namespace patchbay::twilio {

MediaStreamEndpoint::MediaStreamEndpoint(const TwilioConfig& config, sdk::HostServices& host,
                                         std::atomic<std::size_t>& activeLegs)
    : _context(std::make_shared<MediaStreamContext>(config, host, activeLegs))
{
}

std::shared_ptr<sdk::WebSocketHandler> MediaStreamEndpoint::refuse(sdk::WebSocketUpgrade& upgrade, const std::string& why,
                                                                   const std::string& callSid)
{
    upgrade.refuseStatus = 403;
    upgrade.refuseReason = "forbidden";
    _context->host.logger().warn("media stream upgrade refused (403): " + why + " (from " + upgrade.request.remoteAddress + ")", callSid);
    _context->metrics.refused.inc();
    return nullptr;
}

std::shared_ptr<sdk::WebSocketHandler> MediaStreamEndpoint::accept(sdk::WebSocketUpgrade& upgrade) noexcept
{
    MediaStreamContext& ctx = *_context;
    try
    {
        const std::string& path = upgrade.request.path;
        const std::string prefix = ctx.config.mediaPath + "/";
        std::string token = path.size() > prefix.size() ? path.substr(prefix.size()) : std::string();
        if (!token.empty() && token.back() == '/') token.pop_back(); // some proxies append one

        // 1. Ours and fresh. The CallSid is not known until `start`: an empty expected CallSid skips the
        //    binding check, which MediaStreamSession repeats against start.callSid.
        const std::int64_t nowSec = ctx.host.nowUnixMs() / 1000;
        TokenCheck check = StreamToken::verify(token, "", nowSec, ctx.config.streamTokenSecret);
        if (!check.ok()) return refuse(upgrade, std::string("stream token ") + TokenCheck::reasonName(check.reason), check.callSid);

        // 2. Not used before on this node (cheap refusal of an obvious replay; `start` decides for good).
        if (ctx.replayCache.wasUsed(check.callSid, nowSec))
        {
            ctx.metrics.tokenReplayed.inc();
            return refuse(upgrade, std::string("stream token ") + TokenCheck::reasonName(TokenCheck::Reason::AlreadyUsed) +
                                       ": this call already started a stream", check.callSid);
        }

        // 3. The handshake signature, when Twilio sent one.
        const MediaStreamHandshake::Result signature = MediaStreamHandshake::verify(ctx.config, ctx.host, upgrade.request, check);
        switch (signature.verdict)
        {
        case MediaStreamHandshake::Verdict::Valid:
            ctx.metrics.signatureValid.inc();
            break;
        case MediaStreamHandshake::Verdict::Absent:
            ctx.metrics.signatureAbsent.inc();
            if (!_absentNoted.exchange(true))
                ctx.host.logger().info("media stream upgrade without X-Twilio-Signature allowed (the stream token authenticates it); "
                                       "such upgrades are counted in patchbay_twilio_stream_handshake_signatures_total{result=\"absent\"}",
                                       check.callSid);
            break;
        case MediaStreamHandshake::Verdict::Unchecked:
            ctx.metrics.signatureUnchecked.inc();
            ctx.host.logger().warn("media stream upgrade allowed with its signature unchecked: " + signature.detail, check.callSid);
            break;
        case MediaStreamHandshake::Verdict::Invalid:
            ctx.metrics.signatureInvalid.inc();
            return refuse(upgrade, signature.detail, check.callSid);
        }

        upgrade.affinityKey = check.callSid; // the call's agent socket will be opened on the same loop
        return std::make_shared<MediaStreamSession>(_context, std::move(token), std::move(check));
    }
    catch (const std::exception& e)
    {
        ctx.host.logger().error(std::string("media stream upgrade failed: ") + e.what());
        upgrade.refuseStatus = 500;
        upgrade.refuseReason = "internal error";
        return nullptr;
    }
}

} // namespace patchbay::twilio
