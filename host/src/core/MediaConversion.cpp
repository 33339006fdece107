// MediaConversion.cpp: choosing converters for a call's legs and running frames through them.
#include "core/MediaConversion.h"

namespace patchbay::host {

namespace {

/// A converter for from → to when the pair needs and allows one.
std::string prepare(std::optional<audio::AudioConverter>& slot, const sdk::MediaFormat& from, const sdk::MediaFormat& to,
                    const char* direction)
{
    slot.reset();
    if (from == to) return {};
    if (!audio::AudioConverter::supports(from, to))
        return std::string(direction) + " " + sdk::mediaFormatName(from) + " → " + sdk::mediaFormatName(to) +
               " cannot be converted (frames will be dropped)";
    slot.emplace(from, to);
    return std::string(direction) + " " + sdk::mediaFormatName(from) + " → " + sdk::mediaFormatName(to);
}

} // namespace

std::string MediaConversion::configure(const sdk::MediaFormat& callerSends, const sdk::MediaFormat& callerReceives,
                                       const sdk::MediaFormat& agentSends, const sdk::MediaFormat& agentReceives)
{
    std::string toAgent = prepare(_toAgent, callerSends, agentReceives, "caller→agent");
    std::string toCaller = prepare(_toCaller, agentSends, callerReceives, "agent→caller");
    if (toAgent.empty()) return toCaller;
    if (toCaller.empty()) return toAgent;
    return toAgent + ", " + toCaller;
}

const sdk::AudioFrame* MediaConversion::convert(std::optional<audio::AudioConverter>& converter, std::string& buffer,
                                                const sdk::AudioFrame& in, sdk::AudioFrame& out)
{
    if (!converter || converter->from() != in.format) return nullptr;
    buffer.clear();
    if (in.encoding == sdk::PayloadEncoding::Base64)
    {
        if (!converter->convertBase64(in.payload, buffer)) return nullptr;
    }
    else
    {
        converter->convert(in.payload, buffer);
    }
    out = in;
    out.format = converter->to();
    out.payload = buffer;
    return &out;
}

} // namespace patchbay::host
