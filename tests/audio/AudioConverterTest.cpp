// AudioConverterTest.cpp: AudioConverter round trips with real signals (sine sweeps), streaming, base64, reset, allocation.
#include "patchbay/audio/AudioConverter.h"

#include "AllocationCounter.h"
#include "AudioTestSignals.h"

#include "patchbay/sdk/support/Base64.h"

#include <cppunit/TestFixture.h>
#include <cppunit/extensions/HelperMacros.h>

#include <random>
#include <stdexcept>

using patchbay::audio::AudioConverter;
using patchbay::sdk::AudioCodec;
using patchbay::sdk::MediaFormat;
using patchbay::sdk::support::Base64;
using namespace patchbay::audio::test;
using patchbay::testsupport::threadAllocations;

namespace {

// The sweep of the quality tests: logarithmic, 100 Hz – 3.4 kHz (the telephone band), −6 dBFS, 2 s.
constexpr double kSweepFrom = 100.0;
constexpr double kSweepTo = 3400.0;
constexpr double kSweepSeconds = 2.0;

// Stated bounds (measured values in the comments of each test and in AudioConverter.h).
constexpr double kRoundTripSnrDb = 35.0;   // whole sweep, after removing the 8 ms delay
constexpr double kWorstWindowSnrDb = 34.0; // worst 50 ms window of the sweep (any frequency region)

/// Feeds `input` through `converter` in 20 ms frames (the last one short) and returns the joined output.
std::string convertInFrames(AudioConverter& converter, const std::string& input)
{
    const std::size_t bytesPerSample = converter.from().codec == AudioCodec::Pcm16 ? 2 : 1;
    const std::size_t frame = converter.from().sampleRate / 50 * bytesPerSample;
    std::string out;
    for (std::size_t off = 0; off < input.size(); off += frame)
        converter.convert(input.substr(off, frame), out);
    return out;
}

} // namespace

class AudioConverterTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(AudioConverterTest);
    CPPUNIT_TEST(testSweepUlawToPcm16kAndBack);
    CPPUNIT_TEST(testSweepPcm16kToUlawAndBack);
    CPPUNIT_TEST(testSweepFromEveryAgentRateToUlaw);
    CPPUNIT_TEST(testAntiAliasingPcm16kToUlaw);
    CPPUNIT_TEST(testArbitraryByteSplitsGiveIdenticalOutput);
    CPPUNIT_TEST(testIdentityPassesBytesThrough);
    CPPUNIT_TEST(testSameRateCodecChange);
    CPPUNIT_TEST(testBase64);
    CPPUNIT_TEST(testResetForBargeIn);
    CPPUNIT_TEST(testNoAllocationPerFrame);
    CPPUNIT_TEST(testLongBase64PayloadAndStrictness);
    CPPUNIT_TEST(testUnsupportedFormats);
    CPPUNIT_TEST_SUITE_END();

public:
    // Twilio → agent → Twilio: the caller's μ-law at 8 kHz, up to pcm_16000 and back down to μ-law.
    // The reference is the unquantised sweep, so both μ-law encodings count as error.
    // Measured: 36.7 dB overall, worst 50 ms window 36.2 dB — the same as one μ-law encoding of the
    // sweep (36.7 dB): the resampling round trip is accurate enough that the second encoding mostly
    // lands on the same codes.
    void testSweepUlawToPcm16kAndBack()
    {
        const auto sweep = logSweep(kSweepFrom, kSweepTo, kMinus6dBFS, 8000, kSweepSeconds);
        AudioConverter up(MediaFormat::ulaw8000(), MediaFormat::pcm16(16000));
        AudioConverter down(MediaFormat::pcm16(16000), MediaFormat::ulaw8000());
        const std::string wide = convertInFrames(up, toUlawBytes(toPcm(sweep)));
        CPPUNIT_ASSERT_EQUAL(sweep.size() * 4, wide.size()); // 2 bytes per sample, twice the rate
        const auto back = fromUlawBytes(convertInFrames(down, wide));
        CPPUNIT_ASSERT_EQUAL(sweep.size(), back.size());

        const std::size_t delay = 64; // 4 ms + 4 ms at 8 kHz
        CPPUNIT_ASSERT_DOUBLES_EQUAL(0.008, up.delaySeconds() + down.delaySeconds(), 1e-12);
        const double snr = snrDb(sweep, back, delay, 0, sweep.size() - delay);
        const double worst = worstWindowSnrDb(sweep, back, delay, 400, sweep.size() - delay - 400, 400);
        report("sweep ulaw_8000->pcm_16000->ulaw_8000 SNR", snr, "dB");
        report("sweep ulaw_8000->pcm_16000->ulaw_8000 worst 50 ms SNR", worst, "dB");
        CPPUNIT_ASSERT_MESSAGE(std::to_string(snr), snr >= kRoundTripSnrDb);
        CPPUNIT_ASSERT_MESSAGE(std::to_string(worst), worst >= kWorstWindowSnrDb);
    }

    // Agent → Twilio → agent: pcm_16000 down to μ-law and back up. Measured: 37.0 dB, worst window 36.4 dB.
    void testSweepPcm16kToUlawAndBack()
    {
        const auto sweep = logSweep(kSweepFrom, kSweepTo, kMinus6dBFS, 16000, kSweepSeconds);
        AudioConverter down(MediaFormat::pcm16(16000), MediaFormat::ulaw8000());
        AudioConverter up(MediaFormat::ulaw8000(), MediaFormat::pcm16(16000));
        const std::string narrow = convertInFrames(down, toPcmBytes(toPcm(sweep)));
        CPPUNIT_ASSERT_EQUAL(sweep.size() / 2, narrow.size());
        const auto back = fromPcmBytes(convertInFrames(up, narrow));
        CPPUNIT_ASSERT_EQUAL(sweep.size(), back.size());

        const std::size_t delay = 128; // 8 ms at 16 kHz
        const double snr = snrDb(sweep, back, delay, 0, sweep.size() - delay);
        const double worst = worstWindowSnrDb(sweep, back, delay, 800, sweep.size() - delay - 800, 800);
        report("sweep pcm_16000->ulaw_8000->pcm_16000 SNR", snr, "dB");
        report("sweep pcm_16000->ulaw_8000->pcm_16000 worst 50 ms SNR", worst, "dB");
        CPPUNIT_ASSERT_MESSAGE(std::to_string(snr), snr >= kRoundTripSnrDb);
        CPPUNIT_ASSERT_MESSAGE(std::to_string(worst), worst >= kWorstWindowSnrDb);
    }

    // Agent output at every ElevenLabs rate → the caller's μ-law: one μ-law encoding; measured 36.7 dB
    // for every rate (the μ-law quantisation noise of this sweep), asserted ≥ 35 dB.
    void testSweepFromEveryAgentRateToUlaw()
    {
        for (std::uint32_t rate : {8000u, 16000u, 22050u, 24000u, 44100u, 48000u})
        {
            const auto sweep = logSweep(kSweepFrom, kSweepTo, kMinus6dBFS, rate, kSweepSeconds);
            AudioConverter down(MediaFormat::pcm16(rate), MediaFormat::ulaw8000());
            const auto out = fromUlawBytes(convertInFrames(down, toPcmBytes(toPcm(sweep))));
            // The reference: the same sweep sampled at 8 kHz, delayed by the converter's latency.
            const auto reference = logSweep(kSweepFrom, kSweepTo, kMinus6dBFS, 8000, kSweepSeconds, out.size(),
                down.delaySeconds());
            const double snr = snrDb(reference, out, 0, 0, out.size());
            report("sweep pcm_" + std::to_string(rate) + "->ulaw_8000 SNR", snr, "dB");
            CPPUNIT_ASSERT_MESSAGE(std::to_string(rate) + ": " + std::to_string(snr), snr >= 35.0);
        }
    }

    // 6 kHz at 16 kHz must not fold down to 2 kHz. pcm_16000 → pcm_8000 measures the filter itself;
    // to μ-law the residue is below the smallest μ-law step, so the output is digital silence. Measured:
    // all-zero output both ways (scored at the 92 dB int16 floor); asserted ≥ 90 dB.
    void testAntiAliasingPcm16kToUlaw()
    {
        const auto tone = toPcm(sine(6000, kMinus6dBFS, 16000, 16000));
        AudioConverter toPcm8k(MediaFormat::pcm16(16000), MediaFormat::pcm16(8000));
        const auto pcm8k = fromPcmBytes(convertInFrames(toPcm8k, toPcmBytes(tone)));
        const double attenuation = attenuationDb(tone, pcm8k, 400);
        report("6 kHz tone pcm_16000->pcm_8000 attenuation", attenuation, "dB");
        CPPUNIT_ASSERT_MESSAGE(std::to_string(attenuation), attenuation >= 90.0);

        AudioConverter toUlaw(MediaFormat::pcm16(16000), MediaFormat::ulaw8000());
        const auto ulaw = fromUlawBytes(convertInFrames(toUlaw, toPcmBytes(tone)));
        const double ulawAttenuation = attenuationDb(tone, ulaw, 400);
        CPPUNIT_ASSERT_MESSAGE(std::to_string(ulawAttenuation), ulawAttenuation >= 90.0);
    }

    // Frames cut at arbitrary byte offsets — odd ones split a PCM16 sample — give the same bytes as one call.
    void testArbitraryByteSplitsGiveIdenticalOutput()
    {
        std::mt19937 random(777);
        const std::pair<MediaFormat, MediaFormat> pairs[] = {
            {MediaFormat::ulaw8000(), MediaFormat::pcm16(16000)},
            {MediaFormat::pcm16(16000), MediaFormat::ulaw8000()},
            {MediaFormat::pcm16(24000), MediaFormat::ulaw8000()},
            {MediaFormat::pcm16(22050), MediaFormat::ulaw8000()},
            {MediaFormat::ulaw8000(), MediaFormat::pcm16(44100)},
        };
        for (const auto& [from, to] : pairs)
        {
            const auto sweep = toPcm(logSweep(kSweepFrom, kSweepTo, kMinus6dBFS, from.sampleRate, 0.5));
            const std::string input = from.codec == AudioCodec::Mulaw ? toUlawBytes(sweep) : toPcmBytes(sweep);
            AudioConverter whole(from, to);
            std::string expected;
            whole.convert(input, expected);
            AudioConverter chunked(from, to);
            std::string actual;
            std::uniform_int_distribution<std::size_t> size(0, 999);
            for (std::size_t off = 0; off < input.size();)
            {
                const std::size_t n = std::min(size(random), input.size() - off);
                chunked.convert(input.data() + off, n, actual);
                off += n;
            }
            const std::string name = patchbay::sdk::mediaFormatName(from) + "->" + patchbay::sdk::mediaFormatName(to);
            CPPUNIT_ASSERT_MESSAGE(name, expected == actual);
        }
    }

    void testIdentityPassesBytesThrough()
    {
        AudioConverter same(MediaFormat::ulaw8000(), MediaFormat::ulaw8000());
        CPPUNIT_ASSERT(same.isIdentity());
        CPPUNIT_ASSERT_EQUAL(0.0, same.delaySeconds());
        const std::string bytes("\x00\x7f\x80\xff\x12", 5);
        std::string out = "prefix";
        same.convert(bytes, out);
        CPPUNIT_ASSERT_EQUAL("prefix" + bytes, out);
        AudioConverter samePcm(MediaFormat::pcm16(24000), MediaFormat::pcm16(24000));
        out.clear();
        samePcm.convert(bytes, out); // odd length too: nothing is decoded
        CPPUNIT_ASSERT_EQUAL(bytes, out);
    }

    // ulaw_8000 → pcm_8000 is the plain G.711 expansion, with no filter and no delay.
    void testSameRateCodecChange()
    {
        AudioConverter expand(MediaFormat::ulaw8000(), MediaFormat::pcm16(8000));
        CPPUNIT_ASSERT_EQUAL(0.0, expand.delaySeconds());
        std::string ulaw;
        for (int c = 0; c < 256; ++c)
            ulaw.push_back(static_cast<char>(c));
        std::string pcm;
        expand.convert(ulaw, pcm);
        const auto samples = fromPcmBytes(pcm);
        CPPUNIT_ASSERT_EQUAL(std::size_t(256), samples.size());
        for (int c = 0; c < 256; ++c)
            CPPUNIT_ASSERT_EQUAL(patchbay::audio::G711::decode(static_cast<std::uint8_t>(c)), samples[c]);
        AudioConverter compress(MediaFormat::pcm16(8000), MediaFormat::ulaw8000());
        std::string again;
        compress.convert(pcm, again);
        for (int c = 0; c < 256; ++c)
            CPPUNIT_ASSERT_EQUAL(c == 0x7F ? 0xFF : c, int(static_cast<std::uint8_t>(again[c])));
    }

    void testBase64()
    {
        const auto sweep = toPcm(logSweep(kSweepFrom, kSweepTo, kMinus6dBFS, 8000, 0.1));
        const std::string ulaw = toUlawBytes(sweep);
        AudioConverter raw(MediaFormat::ulaw8000(), MediaFormat::pcm16(16000));
        AudioConverter text(MediaFormat::ulaw8000(), MediaFormat::pcm16(16000));
        std::string expected, actual;
        for (std::size_t off = 0; off < ulaw.size(); off += 160)
        {
            std::string frame;
            raw.convert(ulaw.substr(off, 160), frame);
            expected += Base64::encode(frame);
            CPPUNIT_ASSERT(text.convertBase64(Base64::encode(ulaw.substr(off, 160)), actual));
        }
        CPPUNIT_ASSERT_EQUAL(expected, actual);

        std::string untouched = "keep";
        CPPUNIT_ASSERT(!text.convertBase64("not base64!", untouched));
        CPPUNIT_ASSERT_EQUAL(std::string("keep"), untouched);
        AudioConverter same(MediaFormat::ulaw8000(), MediaFormat::ulaw8000());
        CPPUNIT_ASSERT(!same.convertBase64("@@@@", untouched));
        CPPUNIT_ASSERT(same.convertBase64("AAEC", untouched));
        CPPUNIT_ASSERT_EQUAL(std::string("keepAAEC"), untouched);
    }

    // After reset() the converter behaves exactly like a new one: no tail of the old audio leaks into
    // the next utterance, and a half-received PCM16 sample is dropped.
    void testResetForBargeIn()
    {
        const auto sweep = toPcm(logSweep(kSweepFrom, kSweepTo, kMinus6dBFS, 24000, 0.2));
        const std::string input = toPcmBytes(sweep);
        AudioConverter fresh(MediaFormat::pcm16(24000), MediaFormat::ulaw8000());
        std::string expected;
        fresh.convert(input, expected);

        AudioConverter reused(MediaFormat::pcm16(24000), MediaFormat::ulaw8000());
        std::string discarded;
        reused.convert(input.data(), 1001, discarded); // odd: leaves half a sample pending
        reused.reset();
        std::string actual;
        reused.convert(input, actual);
        CPPUNIT_ASSERT(expected == actual);
    }

    // From the first frame on — 20 ms frames, and 1 s chunks like ElevenLabs may send — raw and base64,
    // nothing allocates once the caller's `out` has capacity: scratch is sized in the constructor.
    void testNoAllocationPerFrame()
    {
        for (std::uint32_t rate : {16000u, 22050u, 24000u, 44100u, 48000u})
        {
            AudioConverter toCaller(MediaFormat::pcm16(rate), MediaFormat::ulaw8000());
            AudioConverter toAgent(MediaFormat::ulaw8000(), MediaFormat::pcm16(rate));
            const std::string agentFrame = toPcmBytes(toPcm(sine(440, kMinus6dBFS, rate, rate / 50)));
            const std::string agentSecond = toPcmBytes(toPcm(sine(440, kMinus6dBFS, rate, rate)));
            const std::string callerFrame = toUlawBytes(toPcm(sine(440, kMinus6dBFS, 8000, 160)));
            const std::string agentText = Base64::encode(agentFrame);
            const std::string agentSecondText = Base64::encode(agentSecond);
            const std::string callerText = Base64::encode(callerFrame);
            std::string out;
            out.reserve(Base64::encodedSize(toAgent.maxOutputBytes(callerFrame.size()) + toCaller.maxOutputBytes(agentSecond.size())));
            bool decoded = true; // no CppUnit macro inside the measured loop: they allocate
            const std::uint64_t before = threadAllocations();
            for (int i = 0; i < 50; ++i)
            {
                out.clear();
                toCaller.convert(agentFrame, out);
                out.clear();
                toAgent.convert(callerFrame, out);
                out.clear();
                decoded = toCaller.convertBase64(agentText, out) && decoded;
                out.clear();
                decoded = toAgent.convertBase64(callerText, out) && decoded;
                if (i % 10 == 0)
                {
                    out.clear();
                    toCaller.convert(agentSecond, out);
                    out.clear();
                    decoded = toCaller.convertBase64(agentSecondText, out) && decoded;
                }
                if (i == 25)
                {
                    toCaller.reset();
                    toAgent.reset();
                }
            }
            const std::uint64_t allocations = threadAllocations() - before;
            CPPUNIT_ASSERT_EQUAL_MESSAGE(std::to_string(rate), std::uint64_t(0), allocations);
            CPPUNIT_ASSERT(decoded);
        }
    }

    // A long base64 payload is decoded and re-encoded piece by piece; the text must equal encoding the
    // raw conversion in one go, and a strictly invalid payload (padding in the middle, stray bits) is
    // refused before anything changes.
    void testLongBase64PayloadAndStrictness()
    {
        const std::string input = toPcmBytes(toPcm(logSweep(kSweepFrom, kSweepTo, kMinus6dBFS, 24000, 1.0)));
        AudioConverter raw(MediaFormat::pcm16(24000), MediaFormat::ulaw8000());
        AudioConverter text(MediaFormat::pcm16(24000), MediaFormat::ulaw8000());
        std::string converted;
        raw.convert(input, converted);
        std::string actual;
        CPPUNIT_ASSERT(text.convertBase64(Base64::encode(input), actual));
        CPPUNIT_ASSERT_EQUAL(Base64::encode(converted), actual);

        for (const char* bad : {"AA==AAAA", "AAF=", "AB==", "AAA", "A===", "AA=A", "AA\nA"})
        {
            std::string out = "x";
            CPPUNIT_ASSERT_MESSAGE(bad, !text.convertBase64(bad, out));
            CPPUNIT_ASSERT_EQUAL(std::string("x"), out);
            std::string reference;
            CPPUNIT_ASSERT_MESSAGE(bad, !Base64::decode(bad, reference)); // the same verdict as the SDK decoder
        }
        std::string out;
        CPPUNIT_ASSERT(text.convertBase64("", out));
        CPPUNIT_ASSERT(out.empty());
    }

    void testUnsupportedFormats()
    {
        MediaFormat stereo = MediaFormat::pcm16(16000);
        stereo.channels = 2;
        CPPUNIT_ASSERT(!AudioConverter::supports(stereo, MediaFormat::ulaw8000()));
        CPPUNIT_ASSERT_THROW(AudioConverter(stereo, MediaFormat::ulaw8000()), std::invalid_argument);
        CPPUNIT_ASSERT_THROW(AudioConverter(MediaFormat::ulaw8000(), MediaFormat::pcm16(96000)), std::invalid_argument);
        CPPUNIT_ASSERT(AudioConverter::supports(MediaFormat::pcm16(44100), MediaFormat::ulaw8000()));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(AudioConverterTest);
