// MediaStreamHandshake.cpp: account lookup for the upgrade's signature and the URL variants it is checked against.
#include "MediaStreamHandshake.h"

#include <algorithm>
#include <vector>

#include <protocol/SignatureValidator.h>

namespace patchbay::twilio {

namespace {

// A tenant normally has one account (or a parent and a few subaccounts); this caps the lookups a
// single upgrade can cause.
constexpr std::size_t kMaxAccounts = 8;

struct Credential
{
    std::string accountSid;
    std::string token; // SECRET: never logged
};

bool blank(std::string_view s)
{
    return std::all_of(s.begin(), s.end(), [](char c) { return c == ' ' || c == '\t'; });
}

bool storeFailed(const sdk::Status& status)
{
    return status.code() != sdk::StatusCode::NotFound;
}

std::string joined(const std::vector<std::string>& items)
{
    std::string out;
    for (const std::string& item : items)
        out.append(out.empty() ? "" : ", ").append(item);
    return out;
}

} // namespace

const char* MediaStreamHandshake::verdictName(Verdict verdict) noexcept
{
    switch (verdict)
    {
    case Verdict::Valid:
        return "valid";
    case Verdict::Absent:
        return "absent";
    case Verdict::Invalid:
        return "invalid";
    case Verdict::Unchecked:
        return "unchecked";
    }
    return "unknown";
}

MediaStreamHandshake::Result MediaStreamHandshake::verify(const TwilioConfig& config, sdk::HostServices& host,
                                                          const sdk::HttpRequest& request, const TokenCheck& token)
{
    Result result;
    const std::string_view header = request.header("X-Twilio-Signature");
    if (blank(header))
        return result; // Absent
    result.verdict = Verdict::Unchecked;
    if (config.developmentMode)
    {
        result.detail = "developmentMode: the handshake's X-Twilio-Signature is NOT validated";
        return result;
    }
    sdk::TenantStore* store = host.tenantStore();
    if (!store)
    {
        result.detail = "no tenant store configured to look up the account's auth token";
        return result;
    }

    // 1. Which account(s) may have signed: the call's own, else those of the tenant's numbers.
    std::vector<std::string> accounts;
    std::string storeError;
    sdk::Result<sdk::CallRecord> call = store->findCall(token.callSid);
    if (call.isOk() && !call->call.accountSid.empty() && (call->call.tenantId.empty() || call->call.tenantId == token.tenantId))
    {
        accounts.push_back(call->call.accountSid);
    }
    else
    {
        if (!call.isOk() && storeFailed(call.status()))
            storeError = call.status().toString();
        sdk::Result<std::vector<sdk::NumberRoute>> numbers = store->listNumbers(token.tenantId);
        if (numbers.isOk())
        {
            for (const sdk::NumberRoute& number : numbers.value())
                if (!number.accountSid.empty() && accounts.size() < kMaxAccounts &&
                    std::find(accounts.begin(), accounts.end(), number.accountSid) == accounts.end())
                    accounts.push_back(number.accountSid);
        }
        else if (storeFailed(numbers.status()))
        {
            storeError = numbers.status().toString();
        }
    }

    // 2. Their tokens (the secondary too, during a rotation).
    std::vector<Credential> credentials;
    for (const std::string& sid : accounts)
    {
        sdk::Result<sdk::CarrierAccount> account = store->findAccount(sid);
        if (!account.isOk())
        {
            if (storeFailed(account.status()))
                storeError = account.status().toString();
            continue;
        }
        if (!account->authToken.empty())
            credentials.push_back(Credential{sid, account->authToken});
        if (!account->secondaryToken.empty())
            credentials.push_back(Credential{sid, account->secondaryToken});
    }

    // 3. Every public base URL in its ws(s):// form plus the path Twilio connected to, each with and
    //    without the default port and a trailing '/' (twilio.md §3.3, §4); no query, no parameters.
    std::vector<std::string> urls;
    std::vector<std::string> bases{config.publicUrl};
    bases.insert(bases.end(), config.alternatePublicUrls.begin(), config.alternatePublicUrls.end());
    for (const std::string& base : bases)
        for (std::string& variant : SignatureValidator::webSocketUrlVariants(SignatureValidator::toWebSocketScheme(base) + request.path))
            if (std::find(urls.begin(), urls.end(), variant) == urls.end())
                urls.push_back(std::move(variant));

    for (const Credential& credential : credentials)
    {
        if (SignatureValidator::check(header, urls, {}, credential.token).valid())
        {
            result.verdict = Verdict::Valid;
            result.accountSid = credential.accountSid;
            return result;
        }
    }

    if (!storeError.empty())
    {
        // The stream token already proved the socket belongs to the call; a store hiccup must not
        // drop a live call over a defence-in-depth check.
        result.detail = "tenant store unavailable (" + storeError + "), X-Twilio-Signature not checked";
        return result;
    }
    result.verdict = Verdict::Invalid;
    if (credentials.empty())
        result.detail = "X-Twilio-Signature present but no auth token is known for the call's account (tenant " +
                        token.tenantId + ", account(s) " + (accounts.empty() ? std::string("none") : joined(accounts)) + ")";
    else
        result.detail = "X-Twilio-Signature invalid for account(s) " + joined(accounts) + "; validated URL(s): " + joined(urls) +
                        "; likely cause: publicUrl differs from the stream URL Twilio was given, or the account's auth token is wrong";
    return result;
}

} // namespace patchbay::twilio
