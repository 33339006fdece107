// ElevenLabsProtocolTest.cpp: the ElevenLabs message codec against elevenlabs.md §3/§4 examples and the AsyncAPI contract.
#include <cppunit/extensions/HelperMacros.h>

#include <algorithm>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "JsonKeys.h"
#include "patchbay/sdk/support/JsonDocument.h"
#include "protocol/AgentProtocol.h"
#include "protocol/ConversationEndpoint.h"
#include "protocol/InitiationData.h"

using namespace patchbay;
using namespace patchbay::elevenlabs;
using sdk::support::JsonDocument;
using sdk::support::JsonValue;
using patchbay::testsupport::keysOf;

namespace {

bool subsetOf(const std::set<std::string>& keys, const std::set<std::string>& allowed)
{
    return std::includes(allowed.begin(), allowed.end(), keys.begin(), keys.end());
}

} // namespace

class ElevenLabsProtocolTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(ElevenLabsProtocolTest);
    CPPUNIT_TEST(testTypeNameTable);
    CPPUNIT_TEST(testDecodeMetadataExample);
    CPPUNIT_TEST(testDecodeAudioExample);
    CPPUNIT_TEST(testDecodeInterruptionExample);
    CPPUNIT_TEST(testDecodePingExample);
    CPPUNIT_TEST(testDecodePingWithNullPingMs);
    CPPUNIT_TEST(testDecodeShuffledFieldOrder);
    CPPUNIT_TEST(testDecodeInterruptionWithReason);
    CPPUNIT_TEST(testDecodeTranscriptsAndResponses);
    CPPUNIT_TEST(testDecodeToolCall);
    CPPUNIT_TEST(testDecodeScoresAndInternals);
    CPPUNIT_TEST(testDecodeInformationalTypes);
    CPPUNIT_TEST(testDecodeError);
    CPPUNIT_TEST(testDecodeUnknownType);
    CPPUNIT_TEST(testDecodeMalformedSet);
    CPPUNIT_TEST(testDecoderReusable);
    CPPUNIT_TEST(testEncodeInitiationWithOverrides);
    CPPUNIT_TEST(testEncodeInitiationWithoutOverrides);
    CPPUNIT_TEST(testEncodeInitiationEscapes);
    CPPUNIT_TEST(testInitiationFromRequest);
    CPPUNIT_TEST(testEncodeUserAudio);
    CPPUNIT_TEST(testEncodeUserAudioKeepsJsonValid);
    CPPUNIT_TEST(testEncodePong);
    CPPUNIT_TEST(testEncodeContextualUpdate);
    CPPUNIT_TEST(testConversationUrl);
    CPPUNIT_TEST(testSignedUrlRequestUrl);
    CPPUNIT_TEST(testHttpBaseFor);
    CPPUNIT_TEST(testParseSignedUrlResponse);
    CPPUNIT_TEST(testUrlChecks);
    CPPUNIT_TEST_SUITE_END();

public:
    void testTypeNameTable()
    {
        for (std::size_t i = 0; i + 1 < kServerMessageTypeCount; ++i)
        {
            const auto type = static_cast<ServerMessageType>(i);
            const std::string name = serverMessageTypeName(type);
            CPPUNIT_ASSERT_MESSAGE(name, serverMessageTypeFromName(name) == type);
        }
        CPPUNIT_ASSERT_EQUAL(std::string("unknown"), std::string(serverMessageTypeName(ServerMessageType::Unknown)));
        CPPUNIT_ASSERT(serverMessageTypeFromName("unknown") == ServerMessageType::Unknown);
        CPPUNIT_ASSERT(serverMessageTypeFromName("") == ServerMessageType::Unknown);
        CPPUNIT_ASSERT(serverMessageTypeFromName("Audio") == ServerMessageType::Unknown);
    }

    // elevenlabs.md §4, composed examples, verbatim.
    void testDecodeMetadataExample()
    {
        const std::string text = R"({"type":"conversation_initiation_metadata","conversation_initiation_metadata_event":{"conversation_id":"conv_01","agent_output_audio_format":"ulaw_8000","user_input_audio_format":"ulaw_8000"}})";
        ServerMessage m;
        CPPUNIT_ASSERT(ok(text, m));
        CPPUNIT_ASSERT(m.type == ServerMessageType::ConversationInitiationMetadata);
        CPPUNIT_ASSERT_EQUAL(std::string("conv_01"), std::string(m.metadata.conversationId));
        CPPUNIT_ASSERT_EQUAL(std::string("ulaw_8000"), std::string(m.metadata.agentOutputAudioFormat));
        CPPUNIT_ASSERT_EQUAL(std::string("ulaw_8000"), std::string(m.metadata.userInputAudioFormat));
    }

    void testDecodeAudioExample()
    {
        const std::string text = R"({"type":"audio","audio_event":{"audio_base_64":"f39/f3...","event_id":4}})";
        ServerMessage m;
        CPPUNIT_ASSERT(ok(text, m));
        CPPUNIT_ASSERT(m.type == ServerMessageType::Audio);
        CPPUNIT_ASSERT_EQUAL(std::string("f39/f3..."), std::string(m.audioBase64));
        CPPUNIT_ASSERT(m.hasEventId);
        CPPUNIT_ASSERT_EQUAL(std::int64_t(4), m.eventId);
        // Not decoded, not copied: the view points into the received text.
        CPPUNIT_ASSERT(m.audioBase64.data() >= text.data() && m.audioBase64.data() < text.data() + text.size());
    }

    void testDecodeInterruptionExample()
    {
        ServerMessage m;
        CPPUNIT_ASSERT(ok(R"({"type":"interruption","interruption_event":{"event_id":5}})", m));
        CPPUNIT_ASSERT(m.type == ServerMessageType::Interruption);
        CPPUNIT_ASSERT_EQUAL(std::int64_t(5), m.eventId);
    }

    void testDecodePingExample()
    {
        ServerMessage m;
        CPPUNIT_ASSERT(ok(R"({"type":"ping","ping_event":{"event_id":17,"ping_ms":63}})", m));
        CPPUNIT_ASSERT(m.type == ServerMessageType::Ping);
        CPPUNIT_ASSERT_EQUAL(std::int64_t(17), m.eventId);
        CPPUNIT_ASSERT(m.hasPingMs);
        CPPUNIT_ASSERT_EQUAL(std::int64_t(63), m.pingMs);
    }

    void testDecodePingWithNullPingMs()
    {
        ServerMessage m;
        CPPUNIT_ASSERT(ok(R"({"type":"ping","ping_event":{"event_id":1,"ping_ms":null}})", m));
        CPPUNIT_ASSERT(!m.hasPingMs);
        CPPUNIT_ASSERT(ok(R"({"type":"ping","ping_event":{"event_id":2}})", m));
        CPPUNIT_ASSERT(!m.hasPingMs);
        CPPUNIT_ASSERT_EQUAL(std::int64_t(2), m.eventId);
    }

    void testDecodeShuffledFieldOrder()
    {
        ServerMessage m;
        CPPUNIT_ASSERT(ok(R"({"conversation_initiation_metadata_event":{"user_input_audio_format":"pcm_16000","conversation_id":"conv_x","agent_output_audio_format":"pcm_44100"},"type":"conversation_initiation_metadata"})", m));
        CPPUNIT_ASSERT(m.type == ServerMessageType::ConversationInitiationMetadata);
        CPPUNIT_ASSERT_EQUAL(std::string("conv_x"), std::string(m.metadata.conversationId));
        CPPUNIT_ASSERT_EQUAL(std::string("pcm_44100"), std::string(m.metadata.agentOutputAudioFormat));
        CPPUNIT_ASSERT_EQUAL(std::string("pcm_16000"), std::string(m.metadata.userInputAudioFormat));

        CPPUNIT_ASSERT(ok(R"({ "audio_event" : { "event_id" : 9 , "alignment":{"chars":["a"],"char_start_times_ms":[0],"char_durations_ms":[10]}, "audio_base_64" : "AAAA" } , "type" : "audio" })", m));
        CPPUNIT_ASSERT(m.type == ServerMessageType::Audio);
        CPPUNIT_ASSERT_EQUAL(std::string("AAAA"), std::string(m.audioBase64));
        CPPUNIT_ASSERT_EQUAL(std::int64_t(9), m.eventId);

        CPPUNIT_ASSERT(ok(R"({"ping_event":{"ping_ms":12,"event_id":3},"type":"ping"})", m));
        CPPUNIT_ASSERT_EQUAL(std::int64_t(3), m.eventId);
        CPPUNIT_ASSERT_EQUAL(std::int64_t(12), m.pingMs);
    }

    void testDecodeInterruptionWithReason()
    {
        // Older docs show a reason string; it is optional and ignored.
        ServerMessage m;
        CPPUNIT_ASSERT(ok(R"({"type":"interruption","interruption_event":{"reason":"user","event_id":7}})", m));
        CPPUNIT_ASSERT_EQUAL(std::int64_t(7), m.eventId);
    }

    void testDecodeTranscriptsAndResponses()
    {
        ServerMessage m;
        CPPUNIT_ASSERT(ok(R"({"type":"agent_response","agent_response_event":{"agent_response":"Hello there","event_id":2}})", m));
        CPPUNIT_ASSERT(m.type == ServerMessageType::AgentResponse);
        CPPUNIT_ASSERT_EQUAL(std::string("Hello there"), std::string(m.text));
        CPPUNIT_ASSERT_EQUAL(std::int64_t(2), m.eventId);

        CPPUNIT_ASSERT(ok(R"({"type":"user_transcript","user_transcription_event":{"user_transcript":"I need help \"now\"","event_id":3}})", m));
        CPPUNIT_ASSERT(m.type == ServerMessageType::UserTranscript);
        CPPUNIT_ASSERT_EQUAL(std::string("I need help \"now\""), std::string(m.text));

        CPPUNIT_ASSERT(ok(R"({"type":"tentative_user_transcript","tentative_user_transcription_event":{"user_transcript":"I ne","event_id":3}})", m));
        CPPUNIT_ASSERT(m.type == ServerMessageType::TentativeUserTranscript);
        CPPUNIT_ASSERT_EQUAL(std::string("I ne"), std::string(m.text));

        CPPUNIT_ASSERT(ok(R"({"type":"agent_response_correction","agent_response_correction_event":{"original_agent_response":"Sure, let me look that up for you","corrected_agent_response":"Sure, let me","event_id":6}})", m));
        CPPUNIT_ASSERT(m.type == ServerMessageType::AgentResponseCorrection);
        CPPUNIT_ASSERT_EQUAL(std::string("Sure, let me look that up for you"), std::string(m.correction.original));
        CPPUNIT_ASSERT_EQUAL(std::string("Sure, let me"), std::string(m.correction.corrected));
        CPPUNIT_ASSERT_EQUAL(std::int64_t(6), m.eventId);

        CPPUNIT_ASSERT(ok(R"({"type":"agent_chat_response_part","text_response_part":{"text":"Hel","type":"delta","event_id":8}})", m));
        CPPUNIT_ASSERT(m.type == ServerMessageType::AgentChatResponsePart);
        CPPUNIT_ASSERT_EQUAL(std::string("Hel"), std::string(m.text));

        // The reasoning part's event_id is a string in the contract: text decoded, no event id.
        CPPUNIT_ASSERT(ok(R"({"type":"agent_reasoning_response_part","reasoning_response_part":{"text":"hmm","type":"delta","event_id":"e1"}})", m));
        CPPUNIT_ASSERT(m.type == ServerMessageType::AgentReasoningResponsePart);
        CPPUNIT_ASSERT_EQUAL(std::string("hmm"), std::string(m.text));
        CPPUNIT_ASSERT(!m.hasEventId);
    }

    void testDecodeToolCall()
    {
        ServerMessage m;
        CPPUNIT_ASSERT(ok(R"({"type":"client_tool_call","client_tool_call":{"tool_name":"transfer","tool_call_id":"call_9","parameters":{"to":"+14155550100"},"event_id":11}})", m));
        CPPUNIT_ASSERT(m.type == ServerMessageType::ClientToolCall);
        CPPUNIT_ASSERT_EQUAL(std::string("transfer"), std::string(m.tool.name));
        CPPUNIT_ASSERT_EQUAL(std::string("call_9"), std::string(m.tool.callId));
        CPPUNIT_ASSERT(m.tool.parameters != nullptr);
        CPPUNIT_ASSERT_EQUAL(std::string("+14155550100"), std::string((*m.tool.parameters)["to"].asString()));
        CPPUNIT_ASSERT_EQUAL(std::int64_t(11), m.eventId);

        CPPUNIT_ASSERT(ok(R"({"type":"agent_tool_response","agent_tool_response":{"tool_name":"end_call","tool_call_id":"t1","tool_type":"system","is_error":false,"is_called":true,"event_id":12}})", m));
        CPPUNIT_ASSERT(m.type == ServerMessageType::AgentToolResponse);
        CPPUNIT_ASSERT_EQUAL(std::string("end_call"), std::string(m.tool.name));
        CPPUNIT_ASSERT_EQUAL(std::string("system"), std::string(m.tool.toolType));
        CPPUNIT_ASSERT(!m.tool.isError);
    }

    void testDecodeScoresAndInternals()
    {
        ServerMessage m;
        CPPUNIT_ASSERT(ok(R"({"type":"vad_score","vad_score_event":{"vad_score":0.75}})", m));
        CPPUNIT_ASSERT(m.type == ServerMessageType::VadScore);
        CPPUNIT_ASSERT_DOUBLES_EQUAL(0.75, m.score, 1e-9);

        CPPUNIT_ASSERT(ok(R"({"type":"internal_turn_probability","turn_probability_internal_event":{"turn_probability":0.5}})", m));
        CPPUNIT_ASSERT(m.type == ServerMessageType::InternalTurnProbability);
        CPPUNIT_ASSERT_DOUBLES_EQUAL(0.5, m.score, 1e-9);

        CPPUNIT_ASSERT(ok(R"({"type":"internal_tentative_agent_response","tentative_agent_response_internal_event":{"tentative_agent_response":"Let me"}})", m));
        CPPUNIT_ASSERT(m.type == ServerMessageType::InternalTentativeAgentResponse);
        CPPUNIT_ASSERT_EQUAL(std::string("Let me"), std::string(m.text));
    }

    void testDecodeInformationalTypes()
    {
        const std::vector<std::pair<std::string, ServerMessageType>> cases = {
            {R"({"type":"agent_tool_request","agent_tool_request":{"tool_name":"x","tool_call_id":"y","tool_type":"client","event_id":1}})", ServerMessageType::AgentToolRequest},
            {R"({"type":"agent_tool_response_full_payload","agent_tool_response_full_payload":{"tool_name":"x","tool_call_id":"y","tool_type":"client","is_error":true,"is_called":true,"event_id":1,"full_tool_result":"{}"}})", ServerMessageType::AgentToolResponseFullPayload},
            {R"({"type":"mcp_tool_call","mcp_tool_call":{"service_id":"s","tool_call_id":"t","tool_name":"n","state":"loading"}})", ServerMessageType::McpToolCall},
            {R"({"type":"mcp_connection_status","mcp_connection_status":{"integrations":[]}})", ServerMessageType::McpConnectionStatus},
            {R"({"type":"context_usage","context_usage_event":{"event_id":4,"model":"m","context_tokens":10,"context_limit_tokens":100}})", ServerMessageType::ContextUsage},
            {R"({"type":"asr_initiation_metadata","asr_initiation_metadata_event":{}})", ServerMessageType::AsrInitiationMetadata},
            {R"({"type":"guardrail_triggered"})", ServerMessageType::GuardrailTriggered},
            {R"({"type":"rich_content","rich_content":{"rich_content_id":"r","component":"c","props":{},"event_id":2}})", ServerMessageType::RichContent},
            {R"({"type":"agent_typing","agent_typing_event":{"is_typing":true,"duration_ms":null}})", ServerMessageType::AgentTyping},
            {R"({"type":"external_agent_connected"})", ServerMessageType::ExternalAgentConnected},
            {R"({"type":"external_agent_disconnected","external_agent_disconnected_event":{}})", ServerMessageType::ExternalAgentDisconnected},
            // Informational types stay decodable when their wrapper is missing.
            {R"({"type":"agent_response"})", ServerMessageType::AgentResponse},
        };
        for (const auto& [text, type] : cases)
        {
            ServerMessage m;
            CPPUNIT_ASSERT_MESSAGE(text, ok(text, m));
            CPPUNIT_ASSERT_MESSAGE(text, m.type == type);
        }
    }

    void testDecodeError()
    {
        ServerMessage m;
        CPPUNIT_ASSERT(ok(R"({"type":"error","error_event":{"code":1008,"message":"Override for field first_message is not allowed","error_type":"override_error","reason":null,"debug_message":null,"details":null}})", m));
        CPPUNIT_ASSERT(m.type == ServerMessageType::Error);
        CPPUNIT_ASSERT_EQUAL(std::int64_t(1008), m.error.code);
        CPPUNIT_ASSERT_EQUAL(std::string("override_error"), std::string(m.error.errorType));
        CPPUNIT_ASSERT_EQUAL(std::string("Override for field first_message is not allowed"), std::string(m.error.message));
        CPPUNIT_ASSERT(m.error.reason.empty());

        // Tolerant: an error without its event is still an error.
        CPPUNIT_ASSERT(ok(R"({"type":"error"})", m));
        CPPUNIT_ASSERT(m.type == ServerMessageType::Error);
        CPPUNIT_ASSERT_EQUAL(std::int64_t(0), m.error.code);
    }

    void testDecodeUnknownType()
    {
        ServerMessage m;
        CPPUNIT_ASSERT(ok(R"({"type":"agent_response_metadata","agent_response_metadata_event":{"x":1}})", m));
        CPPUNIT_ASSERT(m.type == ServerMessageType::Unknown);
        CPPUNIT_ASSERT_EQUAL(std::string("agent_response_metadata"), std::string(m.typeName));
        CPPUNIT_ASSERT(ok(R"({"type":"something_new_in_2027"})", m));
        CPPUNIT_ASSERT(m.type == ServerMessageType::Unknown);
    }

    void testDecodeMalformedSet()
    {
        std::string deep(5000, '[');
        const std::vector<std::string> inputs = {
            "",
            " ",
            "{",
            "}",
            "[]",
            "null",
            "42",
            "\"audio\"",
            "{}",
            R"({"type":5})",
            R"({"type":null})",
            R"({"type":"audio"})",
            R"({"type":"audio","audio_event":"AAAA"})",
            R"({"type":"audio","audio_event":{"audio_base_64":"AAAA"}})",
            R"({"type":"audio","audio_event":{"event_id":3}})",
            R"({"type":"audio","audio_event":{"audio_base_64":"AAAA","event_id":"3"}})",
            R"({"type":"audio","audio_event":{"audio_base_64":"AAAA","event_id":-1}})",
            R"({"type":"audio","audio_event":{"audio_base_64":"AAAA","event_id":1.5}})",
            R"({"type":"audio","audio_event":{"audio_base_64":42,"event_id":1}})",
            R"({"type":"interruption"})",
            R"({"type":"interruption","interruption_event":{}})",
            R"({"type":"ping","ping_event":{"ping_ms":3}})",
            R"({"type":"ping","ping_event":[]})",
            R"({"type":"conversation_initiation_metadata","conversation_initiation_metadata_event":{"conversation_id":"c","agent_output_audio_format":"ulaw_8000"}})",
            R"({"type":"conversation_initiation_metadata"})",
            R"({"type":"audio","audio_event":{"audio_base_64":"AAAA","event_id":1}} trailing)",
            R"({"type":"audio","audio_event":{"audio_base_64":"AAAA","event_id":1},})",
            "{\"type\":\"audio\xff\"}",
            "{\"type\":\"ping\",\"ping_event\":{\"event_id\":01}}",
            deep,
            std::string("{\"type\":\"audio\0\"}", 16),
        };
        AgentProtocol protocol;
        for (const auto& text : inputs)
        {
            ServerMessage m;
            std::string error;
            CPPUNIT_ASSERT_MESSAGE(text.substr(0, 80), protocol.decode(text, m, &error) == AgentProtocol::DecodeResult::Malformed);
            CPPUNIT_ASSERT_MESSAGE(text.substr(0, 80), !error.empty());
        }
        // Without an error string too.
        ServerMessage m;
        CPPUNIT_ASSERT(protocol.decode("nope", m) == AgentProtocol::DecodeResult::Malformed);
    }

    void testDecoderReusable()
    {
        AgentProtocol protocol;
        ServerMessage m;
        for (int i = 0; i < 100; ++i)
        {
            const std::string text = R"({"type":"audio","audio_event":{"audio_base_64":"QUJD","event_id":)" + std::to_string(i) + "}}";
            CPPUNIT_ASSERT(protocol.decode(text, m) == AgentProtocol::DecodeResult::Ok);
            CPPUNIT_ASSERT_EQUAL(std::int64_t(i), m.eventId);
            CPPUNIT_ASSERT(protocol.decode("{bad", m) == AgentProtocol::DecodeResult::Malformed);
            // A failed decode resets the message rather than leaving stale fields.
            CPPUNIT_ASSERT(m.audioBase64.empty());
        }
    }

    void testEncodeInitiationWithOverrides()
    {
        InitiationData data;
        data.firstMessage = "Hi, thanks for calling Acme.";
        data.prompt = "You are Acme's receptionist.";
        data.language = "en";
        data.dynamicVariables = {{"caller_number", "+14155550100"}, {"twilio_call_sid", "CA123"}, {"tenant_id", "t_42"}};
        std::string out;
        AgentProtocol::encodeInitiation(data, out);

        JsonDocument doc;
        std::string error;
        CPPUNIT_ASSERT_MESSAGE(error, doc.parse(out, &error));
        const JsonValue& root = doc.root();
        // AsyncAPI ConversationInitiationPayload: required [type]; these are its only properties.
        CPPUNIT_ASSERT_EQUAL(std::string("conversation_initiation_client_data"), std::string(root["type"].asString()));
        CPPUNIT_ASSERT(subsetOf(keysOf(root), {"type", "conversation_config_override", "custom_llm_extra_body",
                                               "dynamic_variables", "user_id", "source_info", "tool_mock_config"}));
        CPPUNIT_ASSERT_MESSAGE("user_id stays unset", !root["user_id"].exists());
        // ConversationConfigClientOverride → agent (AgentConfigOverride) → prompt (PromptAgentOverride).
        const JsonValue& override_ = root["conversation_config_override"];
        CPPUNIT_ASSERT(override_.isObject());
        CPPUNIT_ASSERT(subsetOf(keysOf(override_), {"agent", "asr", "tts", "conversation"}));
        const JsonValue& agent = override_["agent"];
        CPPUNIT_ASSERT(subsetOf(keysOf(agent), {"first_message", "language", "prompt", "native_mcp_server_ids"}));
        CPPUNIT_ASSERT_EQUAL(std::string("Hi, thanks for calling Acme."), std::string(agent["first_message"].asString()));
        CPPUNIT_ASSERT_EQUAL(std::string("en"), std::string(agent["language"].asString()));
        CPPUNIT_ASSERT(subsetOf(keysOf(agent["prompt"]), {"prompt", "llm"}));
        CPPUNIT_ASSERT_EQUAL(std::string("You are Acme's receptionist."), std::string(agent["prompt"]["prompt"].asString()));
        const JsonValue& vars = root["dynamic_variables"];
        CPPUNIT_ASSERT(vars.isObject());
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), vars.size());
        CPPUNIT_ASSERT_EQUAL(std::string("+14155550100"), std::string(vars["caller_number"].asString()));
        CPPUNIT_ASSERT_EQUAL(std::string("CA123"), std::string(vars["twilio_call_sid"].asString()));
        CPPUNIT_ASSERT_EQUAL(std::string("t_42"), std::string(vars["tenant_id"].asString()));
    }

    void testEncodeInitiationWithoutOverrides()
    {
        InitiationData data;
        data.dynamicVariables = {{"caller_number", "+1"}};
        std::string out;
        AgentProtocol::encodeInitiation(data, out);
        CPPUNIT_ASSERT_EQUAL(std::string(R"({"type":"conversation_initiation_client_data","dynamic_variables":{"caller_number":"+1"}})"), out);

        // Only the overrides that are set are sent (unset ones would need Security-tab permission).
        data.language = "de";
        out.clear();
        AgentProtocol::encodeInitiation(data, out);
        JsonDocument doc;
        CPPUNIT_ASSERT(doc.parse(out));
        const JsonValue& agent = doc.root()["conversation_config_override"]["agent"];
        CPPUNIT_ASSERT(std::set<std::string>{"language"} == keysOf(agent));
    }

    void testEncodeInitiationEscapes()
    {
        InitiationData data;
        data.prompt = "Say \"hello\"\nthen \\ wait\t\x01 \xc3\xa9";
        data.dynamicVariables = {{"na\"me", "va\\lue"}};
        std::string out;
        AgentProtocol::encodeInitiation(data, out);
        JsonDocument doc;
        std::string error;
        CPPUNIT_ASSERT_MESSAGE(error, doc.parse(out, &error));
        CPPUNIT_ASSERT_EQUAL(data.prompt, std::string(doc.root()["conversation_config_override"]["agent"]["prompt"]["prompt"].asString()));
        CPPUNIT_ASSERT_EQUAL(std::string("va\\lue"), std::string(doc.root()["dynamic_variables"]["na\"me"].asString()));
    }

    void testInitiationFromRequest()
    {
        sdk::AgentSessionRequest request;
        request.call.callSid = "CA0001";
        request.call.tenantId = "t_42";
        request.call.from = "+14155550100";
        request.call.to = "+14155550199";
        request.agent.agentId = "agent_1";
        request.agent.firstMessage = "Hello";
        request.agent.apiKey = "sk_secret";
        request.agent.dynamicVariables = {{"customer_tier", "gold"}, {"caller_number", "spoofed"}, {"system__caller_id", "x"},
                                          {"customer_tier", "dup"}, {"", "empty"}};
        const InitiationData data = InitiationData::fromRequest(request);
        CPPUNIT_ASSERT_EQUAL(std::string("Hello"), data.firstMessage);
        CPPUNIT_ASSERT(data.prompt.empty());
        const sdk::KeyValues expected = {{"caller_number", "+14155550100"}, {"called_number", "+14155550199"},
                                         {"call_sid", "CA0001"},           {"twilio_call_sid", "CA0001"},
                                         {"tenant_id", "t_42"},            {"tenant_name", ""},
                                         {"variant", ""},                  {"customer_tier", "gold"}};
        CPPUNIT_ASSERT(expected == data.dynamicVariables);

        std::string out;
        AgentProtocol::encodeInitiation(data, out);
        CPPUNIT_ASSERT_MESSAGE("the API key never goes on the wire", out.find("sk_secret") == std::string::npos);
    }

    void testEncodeUserAudio()
    {
        std::string out;
        AgentProtocol::encodeUserAudio("//7+/n5+fn5+", out);
        CPPUNIT_ASSERT_EQUAL(std::string(R"({"user_audio_chunk":"//7+/n5+fn5+"})"), out);
        // AsyncAPI UserAudioPayload: required [user_audio_chunk], and deliberately no "type".
        JsonDocument doc;
        CPPUNIT_ASSERT(doc.parse(out));
        CPPUNIT_ASSERT(std::set<std::string>{"user_audio_chunk"} == keysOf(doc.root()));
        CPPUNIT_ASSERT(doc.root()["user_audio_chunk"].isString());

        // Appends (so a reused buffer must be cleared by the caller).
        std::string buffer = "x";
        AgentProtocol::encodeUserAudio("", buffer);
        CPPUNIT_ASSERT_EQUAL(std::string(R"(x{"user_audio_chunk":""})"), buffer);
    }

    void testEncodeUserAudioKeepsJsonValid()
    {
        std::string out;
        AgentProtocol::encodeUserAudio("ab\"c\\d\n", out);
        JsonDocument doc;
        CPPUNIT_ASSERT(doc.parse(out));
        CPPUNIT_ASSERT_EQUAL(std::string("ab\"c\\d\n"), std::string(doc.root()["user_audio_chunk"].asString()));
    }

    void testEncodePong()
    {
        std::string out;
        AgentProtocol::encodePong(17, out);
        CPPUNIT_ASSERT_EQUAL(std::string(R"({"type":"pong","event_id":17})"), out);
        // AsyncAPI PongPayload: required [type, event_id]; type const "pong"; event_id integer.
        JsonDocument doc;
        CPPUNIT_ASSERT(doc.parse(out));
        CPPUNIT_ASSERT(std::set<std::string>({"type", "event_id"}) == keysOf(doc.root()));
        CPPUNIT_ASSERT(doc.root()["event_id"].isInteger());

        out.clear();
        AgentProtocol::encodePong(9007199254740993LL, out);
        CPPUNIT_ASSERT(doc.parse(out));
        CPPUNIT_ASSERT_EQUAL(std::int64_t(9007199254740993LL), doc.root()["event_id"].asInt64());
    }

    void testEncodeContextualUpdate()
    {
        std::string out;
        AgentProtocol::encodeContextualUpdate(AgentProtocol::dtmfText('1'), out);
        // The composed example of elevenlabs.md §3, byte for byte.
        CPPUNIT_ASSERT_EQUAL(std::string(R"({"type":"contextual_update","text":"The caller pressed 1 on the keypad."})"), out);
        // AsyncAPI ContextualUpdatePayload: required [type, text].
        JsonDocument doc;
        CPPUNIT_ASSERT(doc.parse(out));
        CPPUNIT_ASSERT(subsetOf(keysOf(doc.root()), {"type", "text", "context_id"}));
        CPPUNIT_ASSERT(doc.root()["text"].isString());
        CPPUNIT_ASSERT_EQUAL(std::string("The caller pressed # on the keypad."), AgentProtocol::dtmfText('#'));
    }

    void testConversationUrl()
    {
        CPPUNIT_ASSERT_EQUAL(std::string("wss://api.elevenlabs.io/v1/convai/conversation?agent_id=agent_123"),
                             ConversationEndpoint::conversationUrl("wss://api.elevenlabs.io", "agent_123"));
        CPPUNIT_ASSERT_EQUAL(std::string("ws://127.0.0.1:9000/v1/convai/conversation?agent_id=a%20b%26c%3Dd%2F~-._"),
                             ConversationEndpoint::conversationUrl("ws://127.0.0.1:9000/", "a b&c=d/~-._"));
        CPPUNIT_ASSERT_EQUAL(std::string("%C3%A9%00"), ConversationEndpoint::percentEncode(std::string("\xc3\xa9\0", 3)));
    }

    void testSignedUrlRequestUrl()
    {
        CPPUNIT_ASSERT_EQUAL(std::string("https://api.elevenlabs.io/v1/convai/conversation/get-signed-url?agent_id=agent_123"),
                             ConversationEndpoint::signedUrlRequestUrl("https://api.elevenlabs.io", "agent_123"));
        CPPUNIT_ASSERT_EQUAL(std::string("http://mock:8080/v1/convai/conversation/get-signed-url?agent_id=x%3F"),
                             ConversationEndpoint::signedUrlRequestUrl("http://mock:8080//", "x?"));
    }

    void testHttpBaseFor()
    {
        CPPUNIT_ASSERT_EQUAL(std::string("https://api.eu.residency.elevenlabs.io"),
                             ConversationEndpoint::httpBaseFor("wss://api.eu.residency.elevenlabs.io"));
        CPPUNIT_ASSERT_EQUAL(std::string("http://127.0.0.1:9000"), ConversationEndpoint::httpBaseFor("ws://127.0.0.1:9000/prefix"));
        CPPUNIT_ASSERT_EQUAL(std::string("https://h"), ConversationEndpoint::httpBaseFor("wss://h?x=1"));
    }

    void testParseSignedUrlResponse()
    {
        std::string url;
        std::string error;
        const std::string signedUrl =
            "wss://api.elevenlabs.io/v1/convai/conversation?agent_id=agent_123&conversation_signature=abc.def";
        CPPUNIT_ASSERT(ConversationEndpoint::parseSignedUrlResponse(R"({"signed_url": ")" + signedUrl + R"("})", url, error));
        CPPUNIT_ASSERT_EQUAL(signedUrl, url);
        // Extra fields (include_conversation_id=true) are fine.
        CPPUNIT_ASSERT(ConversationEndpoint::parseSignedUrlResponse(R"({"conversation_id":"c","signed_url":"ws://h/x?token=1"})", url, error));
        CPPUNIT_ASSERT_EQUAL(std::string("ws://h/x?token=1"), url);

        CPPUNIT_ASSERT(!ConversationEndpoint::parseSignedUrlResponse("<html>", url, error));
        CPPUNIT_ASSERT(!error.empty());
        CPPUNIT_ASSERT(!ConversationEndpoint::parseSignedUrlResponse(R"({"url":"wss://x"})", url, error));
        CPPUNIT_ASSERT(!ConversationEndpoint::parseSignedUrlResponse(R"({"signed_url":7})", url, error));
        CPPUNIT_ASSERT(!ConversationEndpoint::parseSignedUrlResponse(R"({"signed_url":"https://x"})", url, error));
        CPPUNIT_ASSERT(!ConversationEndpoint::parseSignedUrlResponse(R"({"signed_url":"wss://"})", url, error));
        CPPUNIT_ASSERT(!ConversationEndpoint::parseSignedUrlResponse(R"(["wss://x"])", url, error));
    }

    void testUrlChecks()
    {
        CPPUNIT_ASSERT(ConversationEndpoint::isWebSocketUrl("ws://h"));
        CPPUNIT_ASSERT(ConversationEndpoint::isWebSocketUrl("wss://h:1/p"));
        CPPUNIT_ASSERT(!ConversationEndpoint::isWebSocketUrl("wss://"));
        CPPUNIT_ASSERT(!ConversationEndpoint::isWebSocketUrl("wss:///p"));
        CPPUNIT_ASSERT(!ConversationEndpoint::isWebSocketUrl("https://h"));
        CPPUNIT_ASSERT(ConversationEndpoint::isHttpUrl("https://h"));
        CPPUNIT_ASSERT(ConversationEndpoint::isHttpUrl("http://h"));
        CPPUNIT_ASSERT(!ConversationEndpoint::isHttpUrl("ws://h"));
        CPPUNIT_ASSERT_EQUAL(std::string("ws://h"), std::string(ConversationEndpoint::trimSlash("ws://h//")));
    }

private:
    // Views in `m` borrow `text`: callers pass literals or strings that outlive the checks.
    static bool ok(std::string_view text, ServerMessage& m)
    {
        static AgentProtocol protocol;
        std::string error;
        const bool good = protocol.decode(text, m, &error) == AgentProtocol::DecodeResult::Ok;
        if (!good)
            CPPUNIT_FAIL("decode failed: " + error + " in " + std::string(text));
        return good;
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ElevenLabsProtocolTest);
