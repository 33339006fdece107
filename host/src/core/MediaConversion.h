// MediaConversion.h: a call's two format converters (caller → agent, agent → caller), set up once both legs' formats are known.
#ifndef PATCHBAY_HOST_CORE_MEDIA_CONVERSION_H
#define PATCHBAY_HOST_CORE_MEDIA_CONVERSION_H

#include <optional>
#include <string>

#include <patchbay/audio/AudioConverter.h>
#include <patchbay/sdk/Media.h>

namespace patchbay::host {

/// Both legs in the same format (μ-law 8 kHz on both sides is the common case) need nothing: frames
/// pass through untouched. Otherwise each direction gets a stateful converter, so resampling runs
/// without clicks across frames. THREAD: Media (the call's loop), like the Call that owns it.
class MediaConversion
{
public:
    /// Sets up what the formats need. @return a line for the log, "" when nothing converts.
    std::string configure(const sdk::MediaFormat& callerSends, const sdk::MediaFormat& callerReceives,
                          const sdk::MediaFormat& agentSends, const sdk::MediaFormat& agentReceives);

    /// Converts a caller frame for the agent. @return the frame to forward (`scratch` holds its
    /// payload), or nullptr when this frame's format has no converter or its payload is not audio.
    const sdk::AudioFrame* toAgent(const sdk::AudioFrame& in, sdk::AudioFrame& out) { return convert(_toAgent, _toAgentBuffer, in, out); }
    /// The same for an agent frame towards the caller.
    const sdk::AudioFrame* toCaller(const sdk::AudioFrame& in, sdk::AudioFrame& out) { return convert(_toCaller, _toCallerBuffer, in, out); }

    /// Barge-in: audio queued towards the caller is dropped, so the converter starts afresh.
    void resetToCaller() noexcept
    {
        if (_toCaller) _toCaller->reset();
    }

private:
    static const sdk::AudioFrame* convert(std::optional<audio::AudioConverter>& converter, std::string& buffer,
                                          const sdk::AudioFrame& in, sdk::AudioFrame& out);

    std::optional<audio::AudioConverter> _toAgent;
    std::optional<audio::AudioConverter> _toCaller;
    std::string _toAgentBuffer;  // reused: no allocation per frame once grown
    std::string _toCallerBuffer;
};

} // namespace patchbay::host

#endif
