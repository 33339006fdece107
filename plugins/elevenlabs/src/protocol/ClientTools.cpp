// ClientTools.cpp: the decisions behind end_call, transfer_to_number, send_dtmf and unknown client tools.
#include "protocol/ClientTools.h"

namespace patchbay::elevenlabs {

using sdk::support::JsonValue;

namespace {

std::string_view stringParameter(const JsonValue* parameters, std::string_view name) noexcept
{
    if (!parameters || !parameters->isObject())
        return {};
    const JsonValue* value = parameters->find(name);
    return (value && value->isString()) ? value->asString() : std::string_view();
}

ToolDecision reply(ClientTool tool, std::string result, bool isError)
{
    ToolDecision decision;
    decision.tool = tool;
    decision.action = ToolDecision::Action::Reply;
    decision.result = std::move(result);
    decision.isError = isError;
    return decision;
}

} // namespace

const char* clientToolLabel(ClientTool tool) noexcept
{
    switch (tool)
    {
    case ClientTool::EndCall:
        return "end_call";
    case ClientTool::TransferToNumber:
        return "transfer_to_number";
    case ClientTool::SendDtmf:
        return "send_dtmf";
    case ClientTool::Unknown:
        break;
    }
    return "unknown";
}

bool isE164(std::string_view number) noexcept
{
    if (number.size() < 3 || number.size() > 16 || number[0] != '+' || number[1] < '1' || number[1] > '9')
        return false;
    for (char c : number.substr(1))
    {
        if (c < '0' || c > '9')
            return false;
    }
    return true;
}

ToolDecision decideToolCall(std::string_view toolName, const JsonValue* parameters)
{
    if (toolName == "end_call")
    {
        ToolDecision decision;
        decision.tool = ClientTool::EndCall;
        decision.action = ToolDecision::Action::Hangup;
        // Answered before the hangup so the agent's turn completes normally; the caller still
        // hears everything already sent (the core hangs up after playout).
        decision.result = "the call will end after the agent's last words have played";
        decision.reason = std::string(stringParameter(parameters, "reason"));
        return decision;
    }
    if (toolName == "transfer_to_number")
    {
        std::string_view number;
        for (std::string_view name : {"transfer_number", "phone_number", "to_number", "number"})
        {
            number = stringParameter(parameters, name);
            if (!number.empty())
                break;
        }
        if (number.empty())
            return reply(ClientTool::TransferToNumber,
                         "transfer_to_number needs a string parameter transfer_number (E.164, e.g. +14155550100)", true);
        if (!isE164(number))
            return reply(ClientTool::TransferToNumber,
                         "transfer_to_number: the number must be in E.164 form, e.g. +14155550100", true);
        ToolDecision decision;
        decision.tool = ClientTool::TransferToNumber;
        decision.action = ToolDecision::Action::Transfer;
        decision.number = std::string(number);
        return decision;
    }
    if (toolName == "send_dtmf")
        return reply(ClientTool::SendDtmf, "Twilio media streams cannot send DTMF", true);
    // Quote the name back (so the agent's author sees the mismatch), cut and in printable ASCII so a
    // cut can never split a UTF-8 sequence into invalid JSON text.
    std::string quoted;
    for (char c : toolName.substr(0, 64))
        quoted += (c >= 0x20 && c < 0x7f) ? c : '?';
    return reply(ClientTool::Unknown, "this gateway has no client tool named '" + quoted + "'", true);
}

} // namespace patchbay::elevenlabs
