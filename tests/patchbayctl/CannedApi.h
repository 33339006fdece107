// CannedApi.h: admin API response bodies shaped like host/src/admin's (TenantJson, AccountJson, RecordJson) for the fake server.
#ifndef PATCHBAY_TESTS_PATCHBAYCTL_CANNED_API_H
#define PATCHBAY_TESTS_PATCHBAYCTL_CANNED_API_H

namespace patchbay::tests::canned {

inline constexpr const char* kAccountSid = "AC0123456789abcdef0123456789abcdef";
inline constexpr const char* kCallSid = "CA00000000000000000000000000000001";

inline constexpr const char* kTenant = R"({"id":"acme","name":"Acme Dental","status":"active",
"agent":{"provider":"elevenlabs","agentId":"agent_123","firstMessage":"Hello from Acme","prompt":"","language":"en",
"dynamicVariables":{"clinic":"north","tier":"gold"},"hasApiKey":true,"baseUrl":""},
"variants":[{"name":"a","weight":3,"agent":{"provider":"","agentId":"agent_old","firstMessage":"","prompt":"","language":"",
"dynamicVariables":{},"hasApiKey":false,"baseUrl":""}},
{"name":"b","weight":1,"agent":{"provider":"","agentId":"agent_new","firstMessage":"Hi: new","prompt":"","language":"",
"dynamicVariables":{},"hasApiKey":false,"baseUrl":""}}],
"limits":{"maxConcurrentCalls":5,"callsPerMinute":0,"maxCallSeconds":600,"monthlyMinutes":1000},
"fallback":{"message":"Please call back later","dialNumber":"+15005550199"},
"rates":{"perMinuteMicros":50000,"currency":"USD"}})";

inline constexpr const char* kTenantList = R"({"tenants":[
{"id":"acme","name":"Acme Dental","status":"active","agent":{"provider":"elevenlabs","agentId":"agent_123","firstMessage":"",
"prompt":"","language":"","dynamicVariables":{},"hasApiKey":false,"baseUrl":""},"variants":[],
"limits":{"maxConcurrentCalls":5,"callsPerMinute":0,"maxCallSeconds":600,"monthlyMinutes":1000},
"fallback":{"message":"","dialNumber":""},"rates":{"perMinuteMicros":50000,"currency":"USD"}},
{"id":"zürich-bakery","name":"Bäckerei Zürich","status":"suspended","agent":{"provider":"","agentId":"agent_long_identifier_9",
"firstMessage":"","prompt":"","language":"","dynamicVariables":{},"hasApiKey":false,"baseUrl":""},"variants":[],
"limits":{"maxConcurrentCalls":0,"callsPerMinute":10,"maxCallSeconds":0,"monthlyMinutes":0},
"fallback":{"message":"","dialNumber":""},"rates":{"perMinuteMicros":0,"currency":"EUR"}}]})";

inline constexpr const char* kAccount = R"({"sid":"AC0123456789abcdef0123456789abcdef","parentSid":"","friendlyName":"Main",
"apiKeySid":"","hasAuthToken":true,"hasSecondaryToken":false,"hasApiKeySecret":false})";

inline constexpr const char* kAccountList = R"({"accounts":[{"sid":"AC0123456789abcdef0123456789abcdef","parentSid":"",
"friendlyName":"Main","apiKeySid":"","hasAuthToken":true,"hasSecondaryToken":true,"hasApiKeySecret":false}]})";

inline constexpr const char* kNumber = R"({"number":"+15005550006","tenantId":"acme",
"accountSid":"AC0123456789abcdef0123456789abcdef","phoneNumberSid":"PN0123456789abcdef0123456789abcdef"})";

inline constexpr const char* kNumberList = R"({"numbers":[{"number":"+15005550006","tenantId":"acme",
"accountSid":"AC0123456789abcdef0123456789abcdef","phoneNumberSid":"PN0123456789abcdef0123456789abcdef"},
{"number":"+442071838750","tenantId":"zürich-bakery","accountSid":"AC0123456789abcdef0123456789abcdef","phoneNumberSid":""}]})";

/// 2024-05-01T12:00:00Z = 1714564800000.
inline constexpr const char* kCallList = R"({"calls":[
{"callSid":"CA00000000000000000000000000000001","tenantId":"acme","accountSid":"AC0123456789abcdef0123456789abcdef",
"from":"+14155550100","to":"+15005550006","direction":"inbound","inboundProvider":"twilio","status":"ended","variant":"b",
"receivedAtMs":1714564800000,"answeredAtMs":1714564800500,"streamStartedAtMs":1714564801000,"endedAtMs":1714564925000,
"durationMs":125000,"endReason":"caller-hangup","endDetail":"","agentConversationId":"conv_1","costMicros":104167,
"cost":"0.104167","framesFromCaller":6000,"framesToCaller":5900},
{"callSid":"CA00000000000000000000000000000002","tenantId":"acme","accountSid":"AC0123456789abcdef0123456789abcdef",
"from":"+14155550101","to":"+15005550006","direction":"inbound","inboundProvider":"twilio","status":"streaming","variant":"",
"receivedAtMs":1714564900000,"answeredAtMs":0,"streamStartedAtMs":0,"endedAtMs":0,"durationMs":0,"endReason":"",
"endDetail":"","agentConversationId":"","costMicros":0,"cost":"0.00","framesFromCaller":0,"framesToCaller":0}],
"limit":2,"offset":0,"next":2})";

inline constexpr const char* kCallDetail = R"({"callSid":"CA00000000000000000000000000000001","tenantId":"acme",
"accountSid":"AC0123456789abcdef0123456789abcdef","from":"+14155550100","to":"+15005550006","direction":"inbound",
"inboundProvider":"twilio","status":"ended","variant":"b","receivedAtMs":1714564800000,"answeredAtMs":1714564800500,
"streamStartedAtMs":1714564801000,"endedAtMs":1714564925000,"durationMs":125000,"endReason":"caller-hangup",
"endDetail":"","agentConversationId":"conv_1","costMicros":104167,"cost":"0.104167","framesFromCaller":6000,
"framesToCaller":5900,
"agentReport":{"conversationId":"conv_1","status":"done","terminationReason":"end_call tool was called.",
"durationSeconds":124,"cost":null,"callSuccessful":"success","summary":"Booked an appointment.\nFor Tuesday.",
"analysis":{"dataCollection":{"day":{"value":"Tuesday"}}},"receivedAtMs":1714564930000},
"statusHistory":[{"status":"ringing","sequenceNumber":0,"atMs":1714564800100},
{"status":"in-progress","sequenceNumber":1,"atMs":1714564800500},{"status":"completed","sequenceNumber":2,"atMs":1714564925000}],
"transcript":[{"role":"agent","text":"Hello from Acme, how can I help?","atMs":1714564802000},
{"role":"user","text":"I need an appointment.","atMs":1714564806000}]})";

inline constexpr const char* kUsage = R"({"usage":[
{"tenantId":"acme","month":"2024-05","variant":"a","calls":12,"minutes":25.50,"seconds":1530,"costMicros":1275000,
"cost":"1.275","currency":"USD"},
{"tenantId":"acme","month":"2024-05","variant":"b","calls":4,"minutes":8.00,"seconds":480,"costMicros":400000,
"cost":"0.40","currency":"USD"}]})";

inline constexpr const char* kTokenCreated = R"({"id":"tok_7f3a","tenantId":"acme","label":"crm",
"createdAtMs":1714564800000,"token":"pbt_SECRET_VALUE_0123456789"})";

inline constexpr const char* kTokenList = R"({"tokens":[{"id":"tok_7f3a","tenantId":"acme","label":"crm",
"createdAtMs":1714564800000,"revokedAtMs":0,"revoked":false},{"id":"tok_0001","tenantId":"acme","label":"old",
"createdAtMs":1714464800000,"revokedAtMs":1714564800000,"revoked":true}]})";

} // namespace patchbay::tests::canned

#endif
