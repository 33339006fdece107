// ElevenLabsToolProtocolTest.cpp: client tool decisions, client_tool_result encoding and the initiation variables, against the AsyncAPI shapes.
#include <cppunit/extensions/HelperMacros.h>

#include <set>
#include <string>

#include "JsonKeys.h"
#include "patchbay/sdk/support/JsonDocument.h"
#include "protocol/AgentProtocol.h"
#include "protocol/ClientTools.h"
#include "protocol/InitiationData.h"

using namespace patchbay;
using namespace patchbay::elevenlabs;
using sdk::support::JsonDocument;
using sdk::support::JsonValue;
using patchbay::testsupport::keysOf;

namespace {

// Decodes a client_tool_call fixture and decides on it, like the session does.
ToolDecision decide(AgentProtocol& protocol, const std::string& fixture)
{
    ServerMessage m;
    CPPUNIT_ASSERT(protocol.decode(fixture, m) == AgentProtocol::DecodeResult::Ok);
    CPPUNIT_ASSERT(m.type == ServerMessageType::ClientToolCall);
    return decideToolCall(m.tool.name, m.tool.parameters);
}

std::string toolCall(const std::string& name, const std::string& parameters)
{
    // AsyncAPI ClientToolCallData: required tool_name, tool_call_id (strings), parameters (object), event_id (integer).
    return R"({"type":"client_tool_call","client_tool_call":{"tool_name":")" + name
           + R"(","tool_call_id":"call_1","parameters":)" + parameters + R"(,"event_id":7}})";
}

} // namespace

class ElevenLabsToolProtocolTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(ElevenLabsToolProtocolTest);
    CPPUNIT_TEST(testEncodeToolResultMatchesContract);
    CPPUNIT_TEST(testEncodeToolResultEscapes);
    CPPUNIT_TEST(testEndCall);
    CPPUNIT_TEST(testTransferParameterNames);
    CPPUNIT_TEST(testTransferRejectsNonE164);
    CPPUNIT_TEST(testTransferWithoutNumber);
    CPPUNIT_TEST(testSendDtmfRefused);
    CPPUNIT_TEST(testUnknownToolRefused);
    CPPUNIT_TEST(testIsE164);
    CPPUNIT_TEST(testToolLabels);
    CPPUNIT_TEST(testInitiationCarriesTenantAndVariant);
    CPPUNIT_TEST_SUITE_END();

public:
    void testEncodeToolResultMatchesContract()
    {
        std::string out;
        AgentProtocol::encodeToolResult("call_9", "{\"ok\":true}", false, out);
        // The composed example of elevenlabs.md §3, byte for byte.
        CPPUNIT_ASSERT_EQUAL(std::string(R"({"type":"client_tool_result","tool_call_id":"call_9","result":"{\"ok\":true}","is_error":false})"),
                             out);
        // AsyncAPI ClientToolResultPayload: required [type, tool_call_id, result, is_error]; string, string, boolean.
        JsonDocument doc;
        CPPUNIT_ASSERT(doc.parse(out));
        CPPUNIT_ASSERT(std::set<std::string>({"type", "tool_call_id", "result", "is_error"}) == keysOf(doc.root()));
        CPPUNIT_ASSERT_EQUAL(std::string("client_tool_result"), std::string(doc.root()["type"].asString()));
        CPPUNIT_ASSERT(doc.root()["tool_call_id"].isString());
        CPPUNIT_ASSERT(doc.root()["result"].isString());
        CPPUNIT_ASSERT(!doc.root()["is_error"].asBool(true));

        out.clear();
        AgentProtocol::encodeToolResult("c", "no", true, out);
        CPPUNIT_ASSERT(doc.parse(out));
        CPPUNIT_ASSERT(doc.root()["is_error"].asBool(false));
    }

    void testEncodeToolResultEscapes()
    {
        std::string out;
        AgentProtocol::encodeToolResult("id\"1", "line\nbreak \"quoted\"", true, out);
        JsonDocument doc;
        CPPUNIT_ASSERT(doc.parse(out));
        CPPUNIT_ASSERT_EQUAL(std::string("id\"1"), std::string(doc.root()["tool_call_id"].asString()));
        CPPUNIT_ASSERT_EQUAL(std::string("line\nbreak \"quoted\""), std::string(doc.root()["result"].asString()));
    }

    void testEndCall()
    {
        AgentProtocol protocol;
        ToolDecision d = decide(protocol, toolCall("end_call", R"({"reason":"caller said goodbye"})"));
        CPPUNIT_ASSERT(d.tool == ClientTool::EndCall);
        CPPUNIT_ASSERT(d.action == ToolDecision::Action::Hangup);
        CPPUNIT_ASSERT(!d.isError);
        CPPUNIT_ASSERT(!d.result.empty());
        CPPUNIT_ASSERT_EQUAL(std::string("caller said goodbye"), d.reason);
        // Without parameters (or a non-string reason) it still ends the call.
        d = decide(protocol, toolCall("end_call", R"({"reason":42})"));
        CPPUNIT_ASSERT(d.action == ToolDecision::Action::Hangup);
        CPPUNIT_ASSERT(d.reason.empty());
        d = decideToolCall("end_call", nullptr);
        CPPUNIT_ASSERT(d.action == ToolDecision::Action::Hangup);
    }

    void testTransferParameterNames()
    {
        AgentProtocol protocol;
        for (const char* name : {"transfer_number", "phone_number", "to_number", "number"})
        {
            const ToolDecision d = decide(protocol, toolCall("transfer_to_number", std::string(R"({")") + name + R"(":"+14155550123"})"));
            CPPUNIT_ASSERT_MESSAGE(name, d.action == ToolDecision::Action::Transfer);
            CPPUNIT_ASSERT(d.tool == ClientTool::TransferToNumber);
            CPPUNIT_ASSERT_EQUAL(std::string("+14155550123"), d.number);
        }
        // transfer_number wins over the fallbacks.
        const ToolDecision d = decide(protocol, toolCall("transfer_to_number", R"({"number":"+15550000000","transfer_number":"+442071234567"})"));
        CPPUNIT_ASSERT_EQUAL(std::string("+442071234567"), d.number);
    }

    void testTransferRejectsNonE164()
    {
        AgentProtocol protocol;
        for (const char* bad : {"4155550123", "+0155550123", "+1 415 555 0123", "+1", "+1234567890123456", "tel:+14155550123", "+1415555012a"})
        {
            const ToolDecision d = decide(protocol, toolCall("transfer_to_number", std::string(R"({"transfer_number":")") + bad + "\"}"));
            CPPUNIT_ASSERT_MESSAGE(bad, d.action == ToolDecision::Action::Reply);
            CPPUNIT_ASSERT_MESSAGE(bad, d.isError);
            CPPUNIT_ASSERT_MESSAGE(d.result, d.result.find("E.164") != std::string::npos);
            CPPUNIT_ASSERT(d.number.empty());
        }
    }

    void testTransferWithoutNumber()
    {
        AgentProtocol protocol;
        for (const char* parameters : {"{}", R"({"transfer_number":14155550123})", R"({"transfer_number":""})"})
        {
            const ToolDecision d = decide(protocol, toolCall("transfer_to_number", parameters));
            CPPUNIT_ASSERT_MESSAGE(parameters, d.action == ToolDecision::Action::Reply && d.isError);
            CPPUNIT_ASSERT(d.result.find("transfer_number") != std::string::npos);
        }
        CPPUNIT_ASSERT(decideToolCall("transfer_to_number", nullptr).isError);
    }

    void testSendDtmfRefused()
    {
        AgentProtocol protocol;
        const ToolDecision d = decide(protocol, toolCall("send_dtmf", R"({"digits":"123"})"));
        CPPUNIT_ASSERT(d.tool == ClientTool::SendDtmf);
        CPPUNIT_ASSERT(d.action == ToolDecision::Action::Reply);
        CPPUNIT_ASSERT(d.isError);
        CPPUNIT_ASSERT_EQUAL(std::string("Twilio media streams cannot send DTMF"), d.result);
    }

    void testUnknownToolRefused()
    {
        AgentProtocol protocol;
        const ToolDecision d = decide(protocol, toolCall("book_table", R"({"people":4})"));
        CPPUNIT_ASSERT(d.tool == ClientTool::Unknown);
        CPPUNIT_ASSERT(d.action == ToolDecision::Action::Reply);
        CPPUNIT_ASSERT(d.isError);
        CPPUNIT_ASSERT(d.result.find("book_table") != std::string::npos);
        // A huge name is cut in the reason.
        const ToolDecision big = decideToolCall(std::string(500, 'x'), nullptr);
        CPPUNIT_ASSERT(big.result.size() < 200);
    }

    void testIsE164()
    {
        CPPUNIT_ASSERT(isE164("+14155550100"));
        CPPUNIT_ASSERT(isE164("+442071234567"));
        CPPUNIT_ASSERT(isE164("+123456789012345")); // 15 digits
        CPPUNIT_ASSERT(!isE164("+1234567890123456"));
        CPPUNIT_ASSERT(!isE164(""));
        CPPUNIT_ASSERT(!isE164("+"));
        CPPUNIT_ASSERT(!isE164("14155550100"));
        CPPUNIT_ASSERT(!isE164("+04155550100"));
    }

    void testToolLabels()
    {
        CPPUNIT_ASSERT_EQUAL(std::string("end_call"), std::string(clientToolLabel(ClientTool::EndCall)));
        CPPUNIT_ASSERT_EQUAL(std::string("transfer_to_number"), std::string(clientToolLabel(ClientTool::TransferToNumber)));
        CPPUNIT_ASSERT_EQUAL(std::string("send_dtmf"), std::string(clientToolLabel(ClientTool::SendDtmf)));
        CPPUNIT_ASSERT_EQUAL(std::string("unknown"), std::string(clientToolLabel(ClientTool::Unknown)));
    }

    void testInitiationCarriesTenantAndVariant()
    {
        sdk::AgentSessionRequest request;
        request.call.callSid = "CA0001";
        request.call.tenantId = "t_42";
        request.call.from = "+14155550100";
        request.call.to = "+14155550199";
        request.tenantName = "Acme \"West\"";
        request.variant = "B";
        request.agent.agentId = "agent_1";
        request.agent.prompt = "You are {{tenant_name}}'s assistant.";
        request.agent.language = "de";
        request.agent.dynamicVariables = {{"variant", "spoofed"}, {"tenant_name", "spoofed"}, {"system__time_utc", "x"}, {"shop", "7"}};
        std::string out;
        AgentProtocol::encodeInitiation(InitiationData::fromRequest(request), out);

        // AsyncAPI ConversationInitiationClientDataPayload: type const, conversation_config_override
        // object, dynamic_variables object of string/number/bool values.
        JsonDocument doc;
        CPPUNIT_ASSERT_MESSAGE(out, doc.parse(out));
        const JsonValue& root = doc.root();
        CPPUNIT_ASSERT(std::set<std::string>({"type", "conversation_config_override", "dynamic_variables"}) == keysOf(root));
        CPPUNIT_ASSERT_EQUAL(std::string("conversation_initiation_client_data"), std::string(root["type"].asString()));
        const JsonValue& agent = root["conversation_config_override"]["agent"];
        CPPUNIT_ASSERT(std::set<std::string>({"prompt", "language"}) == keysOf(agent));
        CPPUNIT_ASSERT_EQUAL(std::string("You are {{tenant_name}}'s assistant."), std::string(agent["prompt"]["prompt"].asString()));
        CPPUNIT_ASSERT_EQUAL(std::string("de"), std::string(agent["language"].asString()));
        const JsonValue& vars = root["dynamic_variables"];
        CPPUNIT_ASSERT(std::set<std::string>({"caller_number", "called_number", "call_sid", "twilio_call_sid", "tenant_id", "tenant_name",
                                              "variant", "shop"})
                       == keysOf(vars));
        for (const auto& member : vars)
            CPPUNIT_ASSERT_MESSAGE(std::string(member.key()), member.isString());
        CPPUNIT_ASSERT_EQUAL(std::string("Acme \"West\""), std::string(vars["tenant_name"].asString()));
        CPPUNIT_ASSERT_EQUAL(std::string("B"), std::string(vars["variant"].asString()));
        CPPUNIT_ASSERT_EQUAL(std::string("7"), std::string(vars["shop"].asString()));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ElevenLabsToolProtocolTest);
