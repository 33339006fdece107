// MediaRecorder.h: the shared recording half of every recording media sink (audio copies, clears, marks, DTMF, in order).
#ifndef PATCHBAY_SDK_TESTING_MEDIA_RECORDER_H
#define PATCHBAY_SDK_TESTING_MEDIA_RECORDER_H

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "patchbay/sdk/Media.h"

namespace patchbay::sdk::testing {

/// One audio frame as received, with its payload copied (frames are only borrowed for the call).
struct RecordedAudio
{
    sdk::MediaFormat format;
    sdk::PayloadEncoding encoding = sdk::PayloadEncoding::Base64;
    std::string payload;
    std::uint64_t eventId = 0;
    std::int64_t timestampMs = -1;
};

/// Implements the four MediaSink methods of Base (sdk::MediaSink, sdk::CallChannel or sdk::InboundLeg)
/// by recording them. events() keeps the order across kinds: "audio", "clear", "mark:<name>",
/// "dtmf:<digit>" (subclasses add their own, e.g. "ready", "ended:<reason>").
template <class Base>
class MediaRecorder : public Base
{
public:
    MediaRecorder() = default;
    MediaRecorder(const MediaRecorder&) = delete;
    MediaRecorder& operator=(const MediaRecorder&) = delete;
    virtual ~MediaRecorder() = default;

    void onAudio(const sdk::AudioFrame& frame) noexcept override
    {
        beforeMediaCall();
        try
        {
            _audio.push_back(RecordedAudio{frame.format, frame.encoding, std::string(frame.payload), frame.eventId,
                                           frame.timestampMs});
            _events.emplace_back("audio");
        }
        catch (...)
        {
        }
    }

    void onClear() noexcept override
    {
        beforeMediaCall();
        ++_clears;
        addEvent("clear");
    }

    void onMark(std::string_view name) noexcept override
    {
        beforeMediaCall();
        try
        {
            _marks.emplace_back(name);
            _events.push_back("mark:" + std::string(name));
        }
        catch (...)
        {
        }
    }

    void onDtmf(char digit) noexcept override
    {
        beforeMediaCall();
        try
        {
            _dtmf.push_back(digit);
            _events.push_back(std::string("dtmf:") + digit);
        }
        catch (...)
        {
        }
    }

    // ---- test side ----

    const std::vector<RecordedAudio>& audio() const noexcept { return _audio; }
    /// Every audio payload concatenated, in arrival order (handy for echo and pass-through checks).
    std::string audioPayloads() const
    {
        std::string all;
        for (const auto& a : _audio) all += a.payload;
        return all;
    }
    std::size_t clears() const noexcept { return _clears; }
    const std::vector<std::string>& marks() const noexcept { return _marks; }
    /// DTMF digits in order, e.g. "12#".
    const std::string& dtmfDigits() const noexcept { return _dtmf; }
    const std::vector<std::string>& events() const noexcept { return _events; }

    void clearRecording()
    {
        _audio.clear();
        _clears = 0;
        _marks.clear();
        _dtmf.clear();
        _events.clear();
    }

protected:
    /// Hook for subclasses that check the caller's right to make the call (e.g. after the leg ended).
    virtual void beforeMediaCall() noexcept {}

    void addEvent(std::string event) noexcept
    {
        try
        {
            _events.push_back(std::move(event));
        }
        catch (...)
        {
        }
    }

private:
    std::vector<RecordedAudio> _audio;
    std::size_t _clears = 0;
    std::vector<std::string> _marks;
    std::string _dtmf;
    std::vector<std::string> _events;
};

} // namespace patchbay::sdk::testing

#endif
