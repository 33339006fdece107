// audio_bench.cpp: prints the CPU cost of patchbay_audio conversions in ns per 20 ms frame (not a test; no asserts).
// Run: build/bin/patchbay-audio-bench (target patchbay-audio-bench). Best of 3 runs of 5000 frames each.
#include "patchbay/audio/AudioConverter.h"
#include "patchbay/audio/G711.h"
#include "patchbay/sdk/support/Base64.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include <time.h>

using patchbay::audio::AudioConverter;
using patchbay::audio::G711;
using patchbay::sdk::MediaFormat;
using patchbay::sdk::mediaFormatName;

namespace {

constexpr double kTwoPi = 6.283185307179586;

// Thread CPU time, not wall time: the bench machine is shared, and time spent descheduled is not ours.
std::int64_t cpuNanos()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<std::int64_t>(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

// One second of a 440 Hz + 1.7 kHz mix in `format`, so the codec and filters see realistic data.
std::string makeSignal(const MediaFormat& format)
{
    std::string bytes;
    for (std::uint32_t i = 0; i < format.sampleRate; ++i)
    {
        const double t = static_cast<double>(i) / format.sampleRate;
        const auto s = static_cast<std::int16_t>(8000 * std::sin(kTwoPi * 440 * t) + 6000 * std::sin(kTwoPi * 1700 * t));
        if (format.codec == patchbay::sdk::AudioCodec::Mulaw)
            bytes.push_back(static_cast<char>(G711::encode(s)));
        else
        {
            bytes.push_back(static_cast<char>(static_cast<std::uint16_t>(s) & 0xFF));
            bytes.push_back(static_cast<char>(static_cast<std::uint16_t>(s) >> 8));
        }
    }
    return bytes;
}

void bench(const MediaFormat& from, const MediaFormat& to, bool base64)
{
    AudioConverter converter(from, to);
    const std::string signal = makeSignal(from);
    const std::size_t frameBytes = signal.size() / 50; // 20 ms
    std::vector<std::string> frames;
    for (std::size_t off = 0; off + frameBytes <= signal.size(); off += frameBytes)
        frames.push_back(base64 ? patchbay::sdk::support::Base64::encode(signal.substr(off, frameBytes))
                                : signal.substr(off, frameBytes));
    std::string out;
    out.reserve(2 * converter.maxOutputBytes(frameBytes) + 64);
    constexpr int kRounds = 100; // 100 s of audio = 5000 frames per run
    std::size_t sink = 0;
    double perFrame = 1e18;
    for (int run = 0; run < 3; ++run)
    {
        sink = 0;
        const std::int64_t start = cpuNanos();
        for (int r = 0; r < kRounds; ++r)
            for (const std::string& f : frames)
            {
                out.clear();
                if (base64)
                    converter.convertBase64(f, out);
                else
                    converter.convert(f, out);
                sink += out.size();
            }
        perFrame = std::min(perFrame, static_cast<double>(cpuNanos() - start) / (kRounds * frames.size()));
    }
    std::printf("%-11s -> %-11s %-7s %9.0f ns/frame  (%.3f%% of one core per call direction; %zu bytes out)\n",
        mediaFormatName(from).c_str(), mediaFormatName(to).c_str(), base64 ? "base64" : "raw", perFrame,
        perFrame / 20e6 * 100.0, sink / (kRounds * frames.size()));
}

} // namespace

int main()
{
    const MediaFormat ulaw = MediaFormat::ulaw8000();
    bench(ulaw, ulaw, false);
    bench(ulaw, MediaFormat::pcm16(8000), false);
    bench(ulaw, MediaFormat::pcm16(16000), false);
    bench(MediaFormat::pcm16(16000), ulaw, false);
    bench(ulaw, MediaFormat::pcm16(16000), true);
    bench(MediaFormat::pcm16(16000), ulaw, true);
    for (std::uint32_t rate : {22050u, 24000u, 44100u, 48000u})
        bench(MediaFormat::pcm16(rate), ulaw, false);
    for (std::uint32_t rate : {22050u, 24000u, 44100u, 48000u})
        bench(ulaw, MediaFormat::pcm16(rate), false);
    return 0;
}
