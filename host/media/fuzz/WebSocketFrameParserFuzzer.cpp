// WebSocketFrameParserFuzzer.cpp: libFuzzer target; feeds random splits to both parser roles and checks split-invariance and invariants.
#include <patchbay/media/Utf8Validator.h>
#include <patchbay/media/WebSocketFrameParser.h>
#include <patchbay/media/WebSocketFrameWriter.h>

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

using namespace patchbay::media;

namespace {

constexpr std::size_t kMax = 64 * 1024;

/// Records events and checks what the parser promises about every one of them.
class Checker: public WebSocketFrameParser::Handler
{
public:
    std::vector<std::string> events;

    void onMessage(WebSocketOpcode opcode, std::string_view payload) override
    {
        if (payload.size() > kMax)
            __builtin_trap();
        if (opcode == WebSocketOpcode::Text)
        {
            Utf8Validator v;
            if (!v.feed(payload.data(), payload.size()) || !v.complete())
                __builtin_trap();
        }
        else if (opcode != WebSocketOpcode::Binary)
            __builtin_trap();
        events.push_back(char('0' + static_cast<int>(opcode)) + std::string(payload));
    }
    void onPing(std::string_view p) override { control('P', p); }
    void onPong(std::string_view p) override { control('O', p); }
    void onClose(std::uint16_t code, std::string_view reason) override
    {
        if (code != WebSocketCloseCode::NoStatus && !WebSocketCloseCode::isValidOnWire(code))
            __builtin_trap();
        if (reason.size() > 123)
            __builtin_trap();
        events.push_back("C" + std::to_string(code) + std::string(reason));
    }
    void onProtocolError(std::uint16_t code, std::string_view) override
    {
        if (code != 1002 && code != 1007 && code != 1009)
            __builtin_trap();
        events.push_back("E" + std::to_string(code));
    }

private:
    void control(char tag, std::string_view p)
    {
        if (p.size() > 125)
            __builtin_trap();
        events.push_back(tag + std::string(p));
    }
};

std::uint32_t nextRandom(std::uint32_t& s)
{
    s ^= s << 13;
    s ^= s >> 17;
    s ^= s << 5;
    return s;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size < 2)
        return 0;
    // The first two bytes choose the chunking, the rest is the byte stream.
    std::uint32_t seed = (std::uint32_t{data[0]} << 8 | data[1]) * 2654435761u + 1;
    const char* stream = reinterpret_cast<const char*>(data + 2);
    std::size_t len = size - 2;

    for (WebSocketRole role : {WebSocketRole::Server, WebSocketRole::Client})
    {
        Checker whole;
        WebSocketFrameParser reference(role, kMax, whole);
        std::size_t consumed = reference.feed(stream, len);
        if (consumed > len)
            __builtin_trap();

        // Same bytes in random chunks, alternating copy and in-place feeding: events must be identical.
        Checker split;
        WebSocketFrameParser parser(role, kMax, split);
        std::vector<char> copy(stream, stream + len);
        std::uint32_t s = seed;
        std::size_t pos = 0;
        while (pos < len)
        {
            std::size_t chunk = 1 + nextRandom(s) % 17;
            if (nextRandom(s) % 8 == 0)
                chunk = 1 + nextRandom(s) % 4096;
            chunk = std::min(chunk, len - pos);
            if (nextRandom(s) & 1)
                parser.feedInPlace(copy.data() + pos, chunk);
            else
                parser.feed(copy.data() + pos, chunk);
            pos += chunk;
        }
        if (split.events != whole.events)
            __builtin_trap();
    }

    // Writer/parser round trip of the input as one frame of each role.
    if (len <= kMax)
    {
        for (bool mask : {true, false})
        {
            std::string frame;
            WebSocketFrameWriter::appendFrame(frame, WebSocketOpcode::Binary, std::string_view(stream, len), true, mask);
            Checker c;
            WebSocketFrameParser p(mask ? WebSocketRole::Server : WebSocketRole::Client, kMax, c);
            p.feed(frame.data(), frame.size());
            if (c.events.size() != 1 || c.events[0] != '2' + std::string(stream, len))
                __builtin_trap();
        }
    }
    return 0;
}
