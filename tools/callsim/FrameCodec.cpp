// FrameCodec.cpp: building and checking the tagged test frames.
#include "FrameCodec.h"

#include "Mulaw.h"

#include <patchbay/sdk/support/Base64.h>

#include <cstring>

namespace patchbay {
namespace callsim {

namespace {

constexpr char kMagic[4] = {'P', 'B', 'F', '1'};

void putBigEndian(char* p, std::uint32_t v)
{
    p[0] = static_cast<char>(v >> 24);
    p[1] = static_cast<char>(v >> 16);
    p[2] = static_cast<char>(v >> 8);
    p[3] = static_cast<char>(v);
}

std::uint32_t getBigEndian(const char* p)
{
    const auto* u = reinterpret_cast<const unsigned char*>(p);
    return (std::uint32_t(u[0]) << 24) | (std::uint32_t(u[1]) << 16) | (std::uint32_t(u[2]) << 8) | u[3];
}

} // namespace

FrameCodec::FrameCodec(std::size_t frameBytes):
    _template(tools::Mulaw::tone(400.0, 0.25, frameBytes < kHeaderSize ? kHeaderSize : frameBytes))
{
    std::memcpy(&_template[0], kMagic, sizeof kMagic);
}

void FrameCodec::appendBase64(std::uint32_t callTag, std::uint32_t frameId, std::string& out) const
{
    char frame[8192];
    const std::size_t n = _template.size() <= sizeof frame ? _template.size() : sizeof frame;
    std::memcpy(frame, _template.data(), n);
    putBigEndian(frame + 4, callTag);
    putBigEndian(frame + 8, frameId);
    sdk::support::Base64::encode(frame, n, out);
}

FrameCodec::Check FrameCodec::verify(std::string_view bytes, std::uint32_t callTag, std::uint32_t& frameId) const
{
    if (bytes.size() < kHeaderSize || std::memcmp(bytes.data(), kMagic, sizeof kMagic) != 0)
        return Check::Foreign;
    frameId = getBigEndian(bytes.data() + 8);
    if (bytes.size() != _template.size() || getBigEndian(bytes.data() + 4) != callTag)
        return Check::Corrupted;
    if (std::memcmp(bytes.data() + kHeaderSize, _template.data() + kHeaderSize, _template.size() - kHeaderSize) != 0)
        return Check::Corrupted;
    return Check::Ok;
}

} // namespace callsim
} // namespace patchbay
