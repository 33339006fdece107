// RestTestSupport.h: fixtures shared by the Twilio REST client's unit suites — credentials, Twilio-shaped JSON documents, a sleep recorder.
#pragma once

#include "ScriptedHttpClient.h"
#include "rest/TwilioRestClient.h"

#include <patchbay/sdk/support/Base64.h>

#include <functional>
#include <string>
#include <vector>

namespace patchbay::twilio::test {


inline const std::string kAccount = "AC0123456789abcdef0123456789abcdef";
inline const std::string kToken = "f00dfacef00dfacef00dfacef00dface"; // 32 characters, like an auth token
inline const std::string kKeySid = "SK89abcdef0123456789abcdef01234567";
inline const std::string kKeySecret = "Zq9xY8wV7uT6sR5qP4oN3mL2kJ1iH0gF";
inline const std::string kCallSid = "CAfedcba9876543210fedcba9876543210";
inline const std::string kNumberSid = "PN00112233445566778899aabbccddeeff";
inline const std::string kBase = "https://api.twilio.com/2010-04-01/Accounts/" + kAccount;

inline TwilioCredentials tokenCredentials()
{
    return {kAccount, kAccount, kToken};
}

inline TwilioCredentials keyCredentials()
{
    return {kAccount, kKeySid, kKeySecret};
}

inline std::string basic(const std::string& user, const std::string& password)
{
    return "Basic " + sdk::support::Base64::encode(user + ":" + password);
}

inline std::string header(const sdk::HttpClientRequest& r, const char* name)
{
    return std::string(sdk::findHeader(r.headers, name));
}

inline bool contains(const std::string& haystack, const std::string& needle)
{
    return haystack.find(needle) != std::string::npos;
}

// Shaped like Twilio's (and the OpenAPI spec's) documents, trimmed to what matters plus some noise.
inline std::string numberJson(const std::string& sid, const std::string& e164)
{
    return R"({"account_sid":")" + kAccount + R"(","address_requirements":"none","api_version":"2010-04-01","beta":false,)"
           R"("capabilities":{"voice":true,"sms":false,"mms":true,"fax":false},"date_created":"Thu, 30 Jul 2015 23:19:04 +0000",)"
           R"("friendly_name":"(808) 925-5327","identity_sid":null,"phone_number":")" + e164 + R"(","origin":"origin",)"
           R"("sid":")" + sid + R"(","sms_application_sid":"","sms_method":"POST","status_callback":"https://gw.example.com/twilio/status",)"
           R"("status_callback_method":"POST","trunk_sid":null,"uri":"/2010-04-01/Accounts/)" + kAccount + "/IncomingPhoneNumbers/" + sid + R"(.json",)"
           R"("voice_application_sid":"","voice_caller_id_lookup":false,"voice_fallback_method":"POST","voice_fallback_url":null,)"
           R"("voice_method":"GET","voice_url":"https:\/\/old.example.com\/voice?x=1&y=2","emergency_status":"Active","status":"in-use"})";
}

inline std::string listJson(const std::vector<std::string>& numbers)
{
    std::string items;
    for (const auto& n : numbers)
        items += (items.empty() ? "" : ",") + n;
    return R"({"end":0,"first_page_uri":"/2010-04-01/Accounts/)" + kAccount +
           R"(/IncomingPhoneNumbers.json?PageSize=50&Page=0","incoming_phone_numbers":[)" + items +
           R"(],"next_page_uri":null,"page":0,"page_size":50,"previous_page_uri":null,"start":0,"uri":"/x.json"})";
}

inline std::string callJson(const std::string& status = "queued", const std::string& direction = "outbound-api")
{
    return R"({"account_sid":")" + kAccount + R"(","answered_by":null,"api_version":"2010-04-01","caller_name":null,)"
           R"("date_created":null,"direction":")" + direction + R"(","duration":null,"from":"+14155550100",)"
           R"("from_formatted":"(415) 555-0100","parent_call_sid":null,"price":null,"sid":")" + kCallSid + R"(",)"
           R"("status":")" + status + R"(","subresource_uris":{"notifications":"/n.json"},"to":"+14155550199","trunk_sid":null})";
}

inline std::string twilioError(int status, int code, const std::string& message)
{
    return R"({"code":)" + std::to_string(code) + R"(,"message":")" + message + R"(","more_info":"https://www.twilio.com/docs/errors/)" +
           std::to_string(code) + R"(","status":)" + std::to_string(status) + "}";
}

struct SleepRecorder
{
    std::vector<std::uint32_t> sleeps;
    std::function<void(std::uint32_t)> fn()
    {
        return [this](std::uint32_t ms) { sleeps.push_back(ms); };
    }
};

inline TwilioRestOptions options(std::uint32_t maxRetries = 3, std::uint32_t retryBaseMs = 250)
{
    TwilioRestOptions o;
    o.maxRetries = maxRetries;
    o.retryBaseMs = retryBaseMs;
    o.timeoutMs = 7000;
    return o;
}

} // namespace patchbay::twilio::test
