// WebSocketFrameWriter.cpp: frame header encoding, word-at-a-time masking and the per-thread mask generator.
#include <patchbay/media/WebSocketFrameWriter.h>

#include <cstring>
#include <random>

namespace patchbay {
namespace media {

namespace {

std::uint64_t nextRandom()
{
    // xorshift64*: a few cycles per key; seeded once per thread, never per frame.
    thread_local std::uint64_t state = [] {
        std::random_device rd;
        std::uint64_t seed = (std::uint64_t{rd()} << 32) ^ rd();
        return seed != 0 ? seed : 0x9E3779B97F4A7C15ull;
    }();
    state ^= state >> 12;
    state ^= state << 25;
    state ^= state >> 27;
    return state * 0x2545F4914F6CDD1Dull;
}

std::size_t truncateUtf8(std::string_view s, std::size_t max)
{
    if (s.size() <= max)
        return s.size();
    std::size_t n = max;
    // Step back over continuation bytes so we never cut a code point in half.
    while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80)
        --n;
    return n;
}

} // namespace

std::size_t WebSocketFrameWriter::headerSize(std::size_t payloadLen, bool masked)
{
    std::size_t n = payloadLen < 126 ? 2 : payloadLen <= 0xFFFF ? 4 : 10;
    return masked ? n + 4 : n;
}

std::size_t WebSocketFrameWriter::writeHeader(char* out, WebSocketOpcode opcode, std::size_t payloadLen, bool fin,
    const std::uint8_t* maskKey)
{
    auto* p = reinterpret_cast<std::uint8_t*>(out);
    p[0] = static_cast<std::uint8_t>((fin ? 0x80 : 0x00) | static_cast<std::uint8_t>(opcode));
    std::uint8_t maskBit = maskKey != nullptr ? 0x80 : 0x00;
    std::size_t n;
    if (payloadLen < 126)
    {
        p[1] = static_cast<std::uint8_t>(maskBit | payloadLen);
        n = 2;
    }
    else if (payloadLen <= 0xFFFF)
    {
        p[1] = static_cast<std::uint8_t>(maskBit | 126);
        p[2] = static_cast<std::uint8_t>(payloadLen >> 8);
        p[3] = static_cast<std::uint8_t>(payloadLen);
        n = 4;
    }
    else
    {
        p[1] = static_cast<std::uint8_t>(maskBit | 127);
        auto len = static_cast<std::uint64_t>(payloadLen);
        for (int i = 0; i < 8; ++i)
            p[2 + i] = static_cast<std::uint8_t>(len >> (56 - 8 * i));
        n = 10;
    }
    if (maskKey != nullptr)
    {
        std::memcpy(p + n, maskKey, 4);
        n += 4;
    }
    return n;
}

void WebSocketFrameWriter::appendFrame(std::string& out, WebSocketOpcode opcode, std::string_view payload, bool fin,
    bool mask)
{
    std::uint8_t key[4];
    if (mask)
        randomMaskKey(key);
    char header[kMaxHeaderSize];
    std::size_t hn = writeHeader(header, opcode, payload.size(), fin, mask ? key : nullptr);
    std::size_t old = out.size();
    out.resize(old + hn + payload.size());
    std::memcpy(out.data() + old, header, hn);
    if (mask)
        maskCopy(out.data() + old + hn, payload.data(), payload.size(), key, 0);
    else if (!payload.empty())
        std::memcpy(out.data() + old + hn, payload.data(), payload.size());
}

void WebSocketFrameWriter::appendClose(std::string& out, std::uint16_t code, std::string_view reason, bool mask)
{
    if (code == WebSocketCloseCode::NoStatus)
    {
        appendFrame(out, WebSocketOpcode::Close, std::string_view(), true, mask);
        return;
    }
    char payload[125];
    payload[0] = static_cast<char>(code >> 8);
    payload[1] = static_cast<char>(code & 0xFF);
    std::size_t rn = truncateUtf8(reason, 123);
    std::memcpy(payload + 2, reason.data(), rn);
    appendFrame(out, WebSocketOpcode::Close, std::string_view(payload, 2 + rn), true, mask);
}

void WebSocketFrameWriter::maskCopy(char* dst, const char* src, std::size_t n, const std::uint8_t key[4],
    std::size_t offset)
{
    std::uint8_t k[8];
    for (int i = 0; i < 8; ++i)
        k[i] = key[(offset + static_cast<std::size_t>(i)) & 3];
    std::uint64_t k64;
    std::memcpy(&k64, k, 8);
    std::size_t i = 0;
    for (; i + 8 <= n; i += 8)
    {
        std::uint64_t w;
        std::memcpy(&w, src + i, 8);
        w ^= k64;
        std::memcpy(dst + i, &w, 8);
    }
    for (; i < n; ++i)
        dst[i] = static_cast<char>(src[i] ^ static_cast<char>(k[i & 7]));
}

void WebSocketFrameWriter::randomMaskKey(std::uint8_t key[4])
{
    auto r = static_cast<std::uint32_t>(nextRandom() >> 32);
    std::memcpy(key, &r, 4);
}

void WebSocketFrameWriter::randomBytes(std::uint8_t* out, std::size_t n)
{
    while (n > 0)
    {
        std::uint64_t r = nextRandom();
        std::size_t take = n < 8 ? n : 8;
        std::memcpy(out, &r, take);
        out += take;
        n -= take;
    }
}

} // namespace media
} // namespace patchbay
