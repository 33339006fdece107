// AgentProtocol.h: encoder and decoder of the ElevenLabs Agents conversation WebSocket messages (pure, no I/O).
#ifndef PATCHBAY_ELEVENLABS_AGENT_PROTOCOL_H
#define PATCHBAY_ELEVENLABS_AGENT_PROTOCOL_H

#include <cstdint>
#include <string>
#include <string_view>

#include "patchbay/sdk/support/JsonDocument.h"
#include "protocol/InitiationData.h"
#include "protocol/ServerMessage.h"

namespace patchbay::elevenlabs {

/// Message shapes follow elevenlabs.md §3/§4 and specs/elevenlabs-agent.asyncapi.yaml.
///
/// Encoders are static and append to a caller-owned buffer (reuse it: steady state allocates
/// nothing). The decoder keeps one JsonDocument, so keep one AgentProtocol per connection.
/// THREAD: one instance per thread; the static encoders are reentrant.
class AgentProtocol
{
public:
    enum class DecodeResult : std::uint8_t
    {
        Ok,        ///< `out` holds a known message, or type Unknown for an unrecognised "type"
        Malformed, ///< not JSON, not an object, no "type", or a required field missing/mistyped
    };

    /// {"type":"conversation_initiation_client_data", ...}; must be the first frame on the socket.
    static void encodeInitiation(const InitiationData& data, std::string& out);
    /// {"user_audio_chunk":"<base64>"}: the payload is copied as-is (no decode/re-encode); it is
    /// only escaped so that a corrupt payload can never break the JSON framing.
    static void encodeUserAudio(std::string_view base64, std::string& out);
    /// {"type":"pong","event_id":N}
    static void encodePong(std::int64_t eventId, std::string& out);
    /// {"type":"contextual_update","text":"..."}
    static void encodeContextualUpdate(std::string_view text, std::string& out);
    /// {"type":"client_tool_result","tool_call_id":"...","result":"...","is_error":false}
    static void encodeToolResult(std::string_view toolCallId, std::string_view result, bool isError, std::string& out);
    /// The text sent for one caller keypad digit.
    static std::string dtmfText(char digit);

    /// Decodes one server text frame. Never throws; `error` (optional) receives a short reason on
    /// Malformed. The views in `out` borrow `text` and this decoder (see ServerMessage).
    DecodeResult decode(std::string_view text, ServerMessage& out, std::string* error = nullptr) noexcept;

private:
    sdk::support::JsonDocument _document;
};

} // namespace patchbay::elevenlabs

#endif
