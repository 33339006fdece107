// WebSocketHandshake.cpp: SHA-1/base64 accept computation and tolerant header token matching.
#include "WebSocketHandshake.h"

#include <patchbay/media/WebSocketFrameWriter.h>

#include <Poco/Base64Decoder.h>
#include <Poco/Base64Encoder.h>
#include <Poco/SHA1Engine.h>

#include <cctype>
#include <cstdint>
#include <sstream>

namespace patchbay {
namespace media {

namespace {

constexpr const char* kGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

std::string base64(const unsigned char* data, std::size_t len)
{
    std::ostringstream out;
    Poco::Base64Encoder encoder(out);
    encoder.rdbuf()->setLineLength(0);
    encoder.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(len));
    encoder.close();
    return out.str();
}

std::string_view trim(std::string_view s)
{
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())))
        s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())))
        s.remove_suffix(1);
    return s;
}

} // namespace

std::string WebSocketHandshake::acceptFor(std::string_view key)
{
    Poco::SHA1Engine sha1;
    sha1.update(key.data(), static_cast<unsigned>(key.size()));
    sha1.update(kGuid);
    const Poco::DigestEngine::Digest& digest = sha1.digest();
    return base64(digest.data(), digest.size());
}

std::string WebSocketHandshake::generateKey()
{
    std::uint8_t nonce[16];
    WebSocketFrameWriter::randomBytes(nonce, sizeof nonce);
    return base64(nonce, sizeof nonce);
}

bool WebSocketHandshake::isValidKey(std::string_view key)
{
    key = trim(key);
    // 16 bytes encode to exactly 24 characters ending in "==".
    if (key.size() != 24 || key[22] != '=' || key[23] != '=')
        return false;
    for (std::size_t i = 0; i < 22; ++i)
    {
        unsigned char c = static_cast<unsigned char>(key[i]);
        if (!std::isalnum(c) && c != '+' && c != '/')
            return false;
    }
    return true;
}

bool WebSocketHandshake::equalsIgnoreCase(std::string_view a, std::string_view b)
{
    if (a.size() != b.size())
        return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i])))
            return false;
    return true;
}

bool WebSocketHandshake::headerHasToken(std::string_view value, std::string_view token)
{
    while (!value.empty())
    {
        std::size_t comma = value.find(',');
        std::string_view item = trim(value.substr(0, comma));
        if (equalsIgnoreCase(item, token))
            return true;
        if (comma == std::string_view::npos)
            break;
        value.remove_prefix(comma + 1);
    }
    return false;
}

} // namespace media
} // namespace patchbay
