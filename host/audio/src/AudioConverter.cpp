// AudioConverter.cpp: decode → resample → encode for one call direction, block by block, with fixed scratch buffers.
#include "patchbay/audio/AudioConverter.h"

#include "patchbay/audio/G711.h"
#include "patchbay/sdk/support/Base64.h"

#include <algorithm>
#include <stdexcept>

namespace patchbay {
namespace audio {

namespace {

bool validFormat(const sdk::MediaFormat& f) noexcept
{
    return f.channels == 1 && f.sampleRate >= 8000 && f.sampleRate <= 48000
        && (f.codec == sdk::AudioCodec::Mulaw || f.codec == sdk::AudioCodec::Pcm16);
}

std::size_t bytesPerSample(const sdk::MediaFormat& f) noexcept
{
    return f.codec == sdk::AudioCodec::Pcm16 ? 2 : 1;
}

// Validates before the Resampler member is built, so a bad format never reaches it.
std::uint32_t checkedRate(const sdk::MediaFormat& from, const sdk::MediaFormat& to, bool wantFrom)
{
    if (!AudioConverter::supports(from, to))
        throw std::invalid_argument("AudioConverter: unsupported format " + sdk::mediaFormatName(from) + " -> "
            + sdk::mediaFormatName(to) + " (mono μ-law/PCM16, 8-48 kHz, a common rate ratio)");
    return wantFrom ? from.sampleRate : to.sampleRate;
}

bool isBase64Symbol(char c) noexcept
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
}

int base64Value(char c) noexcept
{
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    return c == '+' ? 62 : 63;
}

// Exactly what sdk::support::Base64::decode accepts (padded, strict, zero leftover bits). Checked up
// front because the text is then decoded piece by piece, and a failure half-way would leave the
// converter state and the caller's output half-updated.
bool isStrictBase64(std::string_view text) noexcept
{
    if (text.size() % 4 != 0)
        return false;
    std::size_t padding = 0;
    if (!text.empty() && text.back() == '=')
        padding = text[text.size() - 2] == '=' ? 2 : 1;
    const std::size_t symbols = text.size() - padding;
    for (std::size_t i = 0; i < symbols; ++i)
        if (!isBase64Symbol(text[i]))
            return false;
    if (padding == 2)
        return (base64Value(text[symbols - 1]) & 0x0F) == 0;
    if (padding == 1)
        return (base64Value(text[symbols - 1]) & 0x03) == 0;
    return true;
}

} // namespace

AudioConverter::AudioConverter(const sdk::MediaFormat& from, const sdk::MediaFormat& to)
    : _from(from)
    , _to(to)
    , _resampler(checkedRate(from, to, true), checkedRate(from, to, false))
    , _blockBytes(kBlockSamples * bytesPerSample(from))
    , _base64Piece(_blockBytes / 3 * 4)
{
    if (isIdentity())
        return; // bytes (and base64 text) pass through: no scratch at all
    // Every buffer sized for one block now, so no call ever allocates (a pending byte adds one sample).
    _resampler.reserve(kBlockSamples + 1);
    _decoded.reserve(kBlockSamples + 1);
    _resampled.reserve(_resampler.maxOutput(kBlockSamples + 1));
    _rawIn.reserve(_base64Piece / 4 * 3);
    _rawOut.reserve(2 + maxOutputBytes(_base64Piece / 4 * 3));
}

bool AudioConverter::supports(const sdk::MediaFormat& from, const sdk::MediaFormat& to) noexcept
{
    return validFormat(from) && validFormat(to) && Resampler::supports(from.sampleRate, to.sampleRate);
}

std::size_t AudioConverter::maxOutputBytes(std::size_t inputBytes) const noexcept
{
    if (isIdentity())
        return inputBytes;
    // The output count of a call does not depend on how it is split into blocks; +1 for a pending byte.
    return _resampler.maxOutput(inputBytes / bytesPerSample(_from) + 1) * bytesPerSample(_to);
}

void AudioConverter::reset() noexcept
{
    _resampler.reset();
    _hasPendingByte = false;
}

void AudioConverter::convert(const void* data, std::size_t size, std::string& out)
{
    const auto* bytes = static_cast<const std::uint8_t*>(data);
    if (isIdentity())
    {
        out.append(reinterpret_cast<const char*>(bytes), size);
        return;
    }
    // Block by block: the resampler's output does not depend on the split, and the scratch stays small.
    for (std::size_t off = 0; off < size; off += _blockBytes)
        convertBlock(bytes + off, std::min(_blockBytes, size - off), out);
}

void AudioConverter::convertBlock(const std::uint8_t* bytes, std::size_t size, std::string& out)
{
    // Decode to linear samples.
    _decoded.clear();
    if (_from.codec == sdk::AudioCodec::Mulaw)
    {
        _decoded.resize(size);
        G711::decode(bytes, size, _decoded.data());
    }
    else
    {
        std::size_t i = 0;
        if (_hasPendingByte && size > 0)
        {
            _decoded.push_back(static_cast<std::int16_t>(_pendingByte | (bytes[0] << 8)));
            _hasPendingByte = false;
            i = 1;
        }
        for (; i + 1 < size; i += 2)
            _decoded.push_back(static_cast<std::int16_t>(bytes[i] | (bytes[i + 1] << 8)));
        if (i < size)
        {
            _pendingByte = bytes[i];
            _hasPendingByte = true;
        }
    }

    // Change the rate (same rate: the samples go straight to the encoder).
    const std::vector<std::int16_t>* samples = &_decoded;
    if (!_resampler.isPassThrough())
    {
        _resampled.clear();
        _resampler.process(_decoded.data(), _decoded.size(), _resampled);
        samples = &_resampled;
    }

    // Encode.
    const std::size_t start = out.size();
    if (_to.codec == sdk::AudioCodec::Mulaw)
    {
        out.resize(start + samples->size());
        G711::encode(samples->data(), samples->size(), reinterpret_cast<std::uint8_t*>(&out[start]));
    }
    else
    {
        out.resize(start + samples->size() * 2);
        char* p = &out[start];
        for (std::int16_t s : *samples)
        {
            const auto u = static_cast<std::uint16_t>(s);
            *p++ = static_cast<char>(u & 0xFF);
            *p++ = static_cast<char>(u >> 8);
        }
    }
}

bool AudioConverter::convertBase64(std::string_view base64, std::string& out)
{
    if (!isStrictBase64(base64))
        return false;
    if (isIdentity())
    {
        out.append(base64);
        return true;
    }
    // Pieces of 4k characters decode independently (only the last can hold padding); the output is
    // encoded in multiples of 3 bytes, carrying at most 2 to the next piece, so the text is the same
    // as encoding the whole output at once.
    _rawOut.clear();
    for (std::size_t off = 0; off < base64.size(); off += _base64Piece)
    {
        _rawIn.clear();
        sdk::support::Base64::decode(base64.substr(off, _base64Piece), _rawIn); // cannot fail: validated above
        convert(_rawIn.data(), _rawIn.size(), _rawOut);
        const std::size_t whole = _rawOut.size() / 3 * 3;
        sdk::support::Base64::encode(_rawOut.data(), whole, out);
        _rawOut.erase(0, whole);
    }
    sdk::support::Base64::encode(_rawOut.data(), _rawOut.size(), out);
    return true;
}

} // namespace audio
} // namespace patchbay
