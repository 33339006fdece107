// ClientTools.h: what the gateway does for each client_tool_call the agent makes (pure decision, no I/O).
#ifndef PATCHBAY_ELEVENLABS_CLIENT_TOOLS_H
#define PATCHBAY_ELEVENLABS_CLIENT_TOOLS_H

#include <cstdint>
#include <string>
#include <string_view>

#include "patchbay/sdk/support/JsonValue.h"

namespace patchbay::elevenlabs {

/// The tools a telephony gateway can execute for an ElevenLabs agent. They are *client* tools
/// (configured in the agent with "wait for response"), not the ElevenLabs system tools of the
/// same name, which only work for ElevenLabs-native telephony (elevenlabs.md §9.2).
enum class ClientTool : std::uint8_t
{
    EndCall,          ///< end_call
    TransferToNumber, ///< transfer_to_number
    SendDtmf,         ///< send_dtmf
    Unknown,          ///< anything else: answered with is_error
};

constexpr std::size_t kClientToolCount = static_cast<std::size_t>(ClientTool::Unknown) + 1;

/// Metric label of a tool ("end_call", ..., "unknown"). Never wire text.
const char* clientToolLabel(ClientTool tool) noexcept;

/// The gateway's answer to one client_tool_call.
struct ToolDecision
{
    enum class Action : std::uint8_t
    {
        Reply,    ///< send client_tool_result {result, isError} now; nothing else to do
        Hangup,   ///< send a success result now, then ask the core to hang up after playout
        Transfer, ///< ask the core to transfer to `number`; reply when the core answers
    };

    ClientTool tool = ClientTool::Unknown;
    Action action = Action::Reply;
    std::string result;  ///< the client_tool_result "result" text (Reply, Hangup)
    bool isError = false;
    std::string number;  ///< Transfer: the validated E.164 number
    std::string reason;  ///< Hangup: why the agent ended the call (for the record; may be empty)
};

/// Decides what to do with a client tool call. `parameters` is the call's "parameters" object
/// (null when absent). transfer_to_number reads the number from "transfer_number" (the name of
/// the ElevenLabs system tool's parameter), else "phone_number", "to_number" or "number" — so
/// an agent author can mirror either convention. Never throws except std::bad_alloc.
ToolDecision decideToolCall(std::string_view toolName, const sdk::support::JsonValue* parameters);

/// True for "+" followed by 2..15 digits, the first not 0 (ITU-T E.164).
bool isE164(std::string_view number) noexcept;

} // namespace patchbay::elevenlabs

#endif
