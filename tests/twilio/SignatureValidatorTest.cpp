// SignatureValidatorTest.cpp: every official/computed vector of twilio.md §3.7, URL variants, and negative cases.
#include "protocol/FormData.h"
#include "protocol/SignatureValidator.h"

#include <cppunit/extensions/HelperMacros.h>

#include <algorithm>

using patchbay::twilio::FormData;
using patchbay::twilio::SignatureValidator;
using patchbay::twilio::ValidationResult;
using Params = SignatureValidator::Params;
using Outcome = ValidationResult::Outcome;

namespace {

const std::string kToken = "12345";
const std::string kBaseUrl = "https://mycompany.com/myapp.php?foo=1&bar=2";
const std::string kBaseSignature = "RSOYDt4T1cUTdK1PDd93/VVr8B8=";

Params formParams()
{
    return {{"CallSid", "CA1234567890ABCDE"},
            {"Caller", "+14158675309"},
            {"Digits", "1234"},
            {"From", "+14158675309"},
            {"To", "+18005551212"}};
}

bool contains(const std::vector<std::string>& urls, const std::string& url)
{
    return std::find(urls.begin(), urls.end(), url) != urls.end();
}

} // namespace

class SignatureValidatorTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(SignatureValidatorTest);
    CPPUNIT_TEST(testFormVectorsCompute);
    CPPUNIT_TEST(testFormVectorsValidate);
    CPPUNIT_TEST(testCredentialsInUrl);
    CPPUNIT_TEST(testRawApostropheInQuery);
    CPPUNIT_TEST(testParameterOrderIrrelevant);
    CPPUNIT_TEST(testArrayVectors);
    CPPUNIT_TEST(testJsonBodyVectors);
    CPPUNIT_TEST(testJsonBodyNegatives);
    CPPUNIT_TEST(testDocsWalkthrough);
    CPPUNIT_TEST(testComputedHere);
    CPPUNIT_TEST(testRawBodyThroughFormData);
    CPPUNIT_TEST(testWebSocketHandshake);
    CPPUNIT_TEST(testNegatives);
    CPPUNIT_TEST(testUrlVariants);
    CPPUNIT_TEST(testDescribe);
    CPPUNIT_TEST_SUITE_END();

public:
    void testFormVectorsCompute()
    {
        // compute() signs the URL literally, so each vector reproduces on its own URL.
        const std::vector<std::pair<std::string, std::string>> cases = {
            {kBaseUrl, kBaseSignature},
            {"https://mycompany.com:443/myapp.php?foo=1&bar=2", "kvajT1Ptam85bY51eRf/AJRuM3w="},
            {"http://mycompany.com:80/myapp.php?foo=1&bar=2", "0ZXoZLH/DfblKGATFgpif+LLRf4="},
            {"http://mycompany.com:1234/myapp.php?foo=1&bar=2", "Zmvh+3yNM1Phv2jhDCwEM3q5ebU="},
            {"https://user:pass@mycompany.com/myapp.php?foo=1&bar=2", "CukzLTc1tT5dXEDIHm/tKBanW10="},
            {"https://user@mycompany.com/myapp.php?foo=1&bar=2", "2YRLlVAflCqxaNicjMpJcSTgzSs="},
            {"https://user:pass@mycompany.com:443/myapp.php?foo=1&bar=2", "ZQFR1PTIZXF2MXB8ZnKCvnnA+rI="},
            {"https://mycompany.com/myapp.php?foo=1&bar=2&Body=It%27s+amazing", "TfZzewPq8wqrGlMfyAud8+/IvJ0="}};
        for (const auto& [url, signature] : cases)
            CPPUNIT_ASSERT_EQUAL_MESSAGE(url, signature, SignatureValidator::compute(url, formParams(), kToken));
    }

    void testFormVectorsValidate()
    {
        const Params params = formParams();
        // base case
        assertValid(kBaseSignature, kBaseUrl, params, kBaseUrl);
        // signed with :443, we know the URL without port: the default-port variant matches
        assertValid("kvajT1Ptam85bY51eRf/AJRuM3w=", kBaseUrl, params, "https://mycompany.com:443/myapp.php?foo=1&bar=2");
        // signed without port, we know the URL with :443: the port-less variant matches
        assertValid(kBaseSignature, "https://mycompany.com:443/myapp.php?foo=1&bar=2", params, kBaseUrl);
        // http with :80 both ways
        assertValid("0ZXoZLH/DfblKGATFgpif+LLRf4=", "http://mycompany.com:80/myapp.php?foo=1&bar=2", params,
                    "http://mycompany.com:80/myapp.php?foo=1&bar=2");
        assertValid("0ZXoZLH/DfblKGATFgpif+LLRf4=", "http://mycompany.com/myapp.php?foo=1&bar=2", params,
                    "http://mycompany.com:80/myapp.php?foo=1&bar=2");
        // http keeps a non-standard port
        assertValid("Zmvh+3yNM1Phv2jhDCwEM3q5ebU=", "http://mycompany.com:1234/myapp.php?foo=1&bar=2", params,
                    "http://mycompany.com:1234/myapp.php?foo=1&bar=2");
        // SDKs strip ANY port, so https on :1234 validates with the base signature
        assertValid(kBaseSignature, "https://mycompany.com:1234/myapp.php?foo=1&bar=2", params, kBaseUrl);
        // raw query kept verbatim (%27 form)
        assertValid("TfZzewPq8wqrGlMfyAud8+/IvJ0=", "https://mycompany.com/myapp.php?foo=1&bar=2&Body=It%27s+amazing",
                    params, "https://mycompany.com/myapp.php?foo=1&bar=2&Body=It%27s+amazing");
    }

    void testCredentialsInUrl()
    {
        const Params params = formParams();
        // Twilio drops credentials before signing: a URL configured with them validates the
        // credential-less signature (and its :443 form).
        const std::string withCredentials = "https://user:pass@mycompany.com/myapp.php?foo=1&bar=2";
        assertValid(kBaseSignature, withCredentials, params, kBaseUrl);
        assertValid("kvajT1Ptam85bY51eRf/AJRuM3w=", withCredentials, params,
                    "https://mycompany.com:443/myapp.php?foo=1&bar=2");
        assertValid(kBaseSignature, "https://user@mycompany.com/myapp.php?foo=1&bar=2", params, kBaseUrl);
        assertValid(kBaseSignature, "https://user:pass@mycompany.com:443/myapp.php?foo=1&bar=2", params, kBaseUrl);
        // ...while the node-only vectors (credentials inside the signed string) are not what
        // Twilio sends, so they are rejected, and no tried URL leaks the password.
        for (const auto& [url, signature] :
             std::vector<std::pair<std::string, std::string>>{
                 {withCredentials, "CukzLTc1tT5dXEDIHm/tKBanW10="},
                 {"https://user@mycompany.com/myapp.php?foo=1&bar=2", "2YRLlVAflCqxaNicjMpJcSTgzSs="},
                 {"https://user:pass@mycompany.com:443/myapp.php?foo=1&bar=2", "ZQFR1PTIZXF2MXB8ZnKCvnnA+rI="}})
        {
            const ValidationResult result = SignatureValidator::validate(signature, url, params, kToken);
            CPPUNIT_ASSERT_MESSAGE(url, !result.valid());
            CPPUNIT_ASSERT(result.outcome == Outcome::Mismatch);
            for (const std::string& tried : result.triedUrls)
                CPPUNIT_ASSERT_MESSAGE(tried, tried.find('@') == std::string::npos);
            CPPUNIT_ASSERT(result.describe().find("pass") == std::string::npos);
        }
    }

    void testRawApostropheInQuery()
    {
        // twilio-node's own vector: the URL is given with a raw apostrophe, the signature is of the
        // WHATWG-serialised form (%27); Twilio's wire form may be either, so both are tried.
        const std::string raw = "https://mycompany.com/myapp.php?foo=1&bar=2&Body=It's+amazing";
        const std::string escaped = "https://mycompany.com/myapp.php?foo=1&bar=2&Body=It%27s+amazing";
        assertValid("TfZzewPq8wqrGlMfyAud8+/IvJ0=", raw, formParams(), escaped);
        const std::string rawSignature = SignatureValidator::compute(raw, formParams(), kToken);
        assertValid(rawSignature, raw, formParams(), raw);
        CPPUNIT_ASSERT((SignatureValidator::urlVariants(raw) ==
                        std::vector<std::string>{raw, "https://mycompany.com:443/myapp.php?foo=1&bar=2&Body=It's+amazing",
                                                 escaped, "https://mycompany.com:443/myapp.php?foo=1&bar=2&Body=It%27s+amazing"}));
        // Only the query is rewritten: an apostrophe in the path is signed as it is.
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), SignatureValidator::urlVariants("https://a.example/it's").size());
    }

    void testParameterOrderIrrelevant()
    {
        Params params = formParams();
        std::reverse(params.begin(), params.end());
        CPPUNIT_ASSERT_EQUAL(kBaseSignature, SignatureValidator::compute(kBaseUrl, params, kToken));
        std::rotate(params.begin(), params.begin() + 2, params.end());
        CPPUNIT_ASSERT(SignatureValidator::validate(kBaseSignature, kBaseUrl, params, kToken).valid());
    }

    void testArrayVectors()
    {
        const Params addresses = {{"MessagingBinding.Address", "+1325xxxxxxx"},
                                  {"MessagingBinding.Address", "+1415xxxxxxx"}};
        const Params reversed = {{"MessagingBinding.Address", "+1415xxxxxxx"},
                                 {"MessagingBinding.Address", "+1325xxxxxxx"}};
        CPPUNIT_ASSERT_EQUAL(std::string("83O6e2vORAoJHUNzJjDWN1jz+BA="), SignatureValidator::compute(kBaseUrl, addresses, kToken));
        CPPUNIT_ASSERT_EQUAL(std::string("83O6e2vORAoJHUNzJjDWN1jz+BA="), SignatureValidator::compute(kBaseUrl, reversed, kToken));
        CPPUNIT_ASSERT(SignatureValidator::validate("83O6e2vORAoJHUNzJjDWN1jz+BA=", kBaseUrl, reversed, kToken).valid());

        const Params digits = {{"Sid", "CA123"}, {"SidAccount", "AC123"}, {"Digits", "5678"}, {"Digits", "1234"}, {"Digits", "1234"}};
        CPPUNIT_ASSERT_EQUAL(std::string("IK+Dwps556ElfBT0I3Rgjkr1wJU="), SignatureValidator::compute(kBaseUrl, digits, kToken));
        const Params interleaved = {{"Digits", "1234"}, {"SidAccount", "AC123"}, {"Digits", "5678"}, {"Sid", "CA123"}};
        CPPUNIT_ASSERT_EQUAL(std::string("IK+Dwps556ElfBT0I3Rgjkr1wJU="), SignatureValidator::compute(kBaseUrl, interleaved, kToken));
    }

    void testJsonBodyVectors()
    {
        const std::string body = "{\"property\": \"value\", \"boolean\": true}";
        const std::string hash = "0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620";
        CPPUNIT_ASSERT_EQUAL(hash, SignatureValidator::sha256Hex(body));
        const std::string url1 = "https://mycompany.com/myapp.php?foo=1&bar=2&bodySHA256=" + hash;
        const std::string url2 = "https://mycompany.com/myapp.php?bodySHA256=" + hash;
        CPPUNIT_ASSERT_EQUAL(std::string("a9nBmqA0ju/hNViExpshrM61xv4="), SignatureValidator::compute(url1, {}, kToken));
        CPPUNIT_ASSERT_EQUAL(std::string("y77kIzt2vzLz71DgmJGsen2scGs="), SignatureValidator::compute(url2, {}, kToken));
        ValidationResult r1 = SignatureValidator::validateJsonBody("a9nBmqA0ju/hNViExpshrM61xv4=", url1, body, kToken);
        CPPUNIT_ASSERT_MESSAGE(r1.describe(), r1.valid());
        CPPUNIT_ASSERT_EQUAL(url1, r1.matchedUrl);
        ValidationResult r2 = SignatureValidator::validateJsonBody("y77kIzt2vzLz71DgmJGsen2scGs=", url2, body, kToken);
        CPPUNIT_ASSERT_MESSAGE(r2.describe(), r2.valid());

        // Third vector: body "{}", signature matches only the :443 variant of the URL.
        const std::string emptyHash = "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a";
        CPPUNIT_ASSERT_EQUAL(emptyHash, SignatureValidator::sha256Hex("{}"));
        const std::string url3 = "https://mycompany.com/myapp.php?foo=1&bar=2&bodySHA256=" + emptyHash;
        const std::string url3Port = "https://mycompany.com:443/myapp.php?foo=1&bar=2&bodySHA256=" + emptyHash;
        CPPUNIT_ASSERT(SignatureValidator::compute(url3, {}, kToken) != "Ldidvp12m26NI7eqEvxnEpkd9Hc=");
        CPPUNIT_ASSERT_EQUAL(std::string("Ldidvp12m26NI7eqEvxnEpkd9Hc="), SignatureValidator::compute(url3Port, {}, kToken));
        ValidationResult r3 = SignatureValidator::validateJsonBody("Ldidvp12m26NI7eqEvxnEpkd9Hc=", url3, "{}", kToken);
        CPPUNIT_ASSERT_MESSAGE(r3.describe(), r3.valid());
        CPPUNIT_ASSERT_EQUAL(url3Port, r3.matchedUrl);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), r3.triedUrls.size());

        // docs_json_example: only the hash is reproducible.
        CPPUNIT_ASSERT_EQUAL(std::string("5ccde7145dfb8f56479710896586cb9d5911809d83afbe34627818790db0aec9"),
                             SignatureValidator::sha256Hex("{\"CallSid\":\"CA1234567890ABCDE\",\"Caller\":\"+12349013030\"}"));
    }

    void testJsonBodyNegatives()
    {
        const std::string body = "{\"property\": \"value\", \"boolean\": true}";
        const std::string url = "https://mycompany.com/myapp.php?foo=1&bar=2&bodySHA256="
                                "0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620";
        const std::string signature = "a9nBmqA0ju/hNViExpshrM61xv4=";
        // body altered (even by whitespace) → hash mismatch although the URL signature holds
        ValidationResult tampered = SignatureValidator::validateJsonBody(signature, url, body + " ", kToken);
        CPPUNIT_ASSERT(tampered.outcome == Outcome::BodyHashMismatch);
        CPPUNIT_ASSERT(SignatureValidator::validateJsonBody(signature, url, "{}", kToken).outcome == Outcome::BodyHashMismatch);
        // uppercase hex in the URL is still the same hash
        std::string upper = url;
        std::transform(upper.begin() + upper.find('=', upper.find("bodySHA256")) + 1, upper.end(),
                       upper.begin() + upper.find('=', upper.find("bodySHA256")) + 1, ::toupper);
        const std::string upperSignature = SignatureValidator::compute(upper, {}, kToken);
        CPPUNIT_ASSERT(SignatureValidator::validateJsonBody(upperSignature, upper, body, kToken).valid());
        // URL without bodySHA256: the URL signature may hold, but nothing covers the body
        const std::string plainUrl = "https://mycompany.com/myapp.php?foo=1";
        const std::string plainSignature = SignatureValidator::compute(plainUrl, {}, kToken);
        CPPUNIT_ASSERT(SignatureValidator::validateJsonBody(plainSignature, plainUrl, body, kToken).outcome ==
                       Outcome::MissingBodyHash);
        // wrong signature, wrong token, missing header
        CPPUNIT_ASSERT(SignatureValidator::validateJsonBody("y77kIzt2vzLz71DgmJGsen2scGs=", url, body, kToken).outcome ==
                       Outcome::Mismatch);
        CPPUNIT_ASSERT(SignatureValidator::validateJsonBody(signature, url, body, "54321").outcome == Outcome::Mismatch);
        CPPUNIT_ASSERT(SignatureValidator::validateJsonBody("", url, body, kToken).outcome == Outcome::MissingSignature);
    }

    void testDocsWalkthrough()
    {
        const Params params = {{"CallSid", "CA1234567890ABCDE"},
                               {"Caller", "+14158675310"},
                               {"Digits", "1234"},
                               {"From", "+14158675310"},
                               {"To", "+18005551212"}};
        const std::string url = "https://example.com/myapp.php?foo=1&bar=2";
        const std::string signature = "L/OH5YylLD5NRKLltdqwSvS0BnU=";
        CPPUNIT_ASSERT_EQUAL(signature, SignatureValidator::compute(url, params, kToken));
        // The documented signing string, signed as-is with no params, gives the same MAC:
        // proof that compute() builds exactly that string.
        const std::string signingString = "https://example.com/myapp.php?foo=1&bar=2CallSidCA1234567890ABCDECaller+"
                                          "14158675310Digits1234From+14158675310To+18005551212";
        CPPUNIT_ASSERT_EQUAL(signature, SignatureValidator::compute(signingString, {}, kToken));
        CPPUNIT_ASSERT(SignatureValidator::validate(signature, url, params, kToken).valid());
    }

    void testComputedHere()
    {
        CPPUNIT_ASSERT_EQUAL(std::string("loLgTitFAoWx57yy5oEU4Hlddzw="),
                             SignatureValidator::compute("https://example.com/path?test=param", {}, "s3cr3t"));
        CPPUNIT_ASSERT_EQUAL(std::string("IdwMFypqvNxti3YgvWWmfcNL26M="),
                             SignatureValidator::compute("https://example.com:443/path?test=param", {}, "s3cr3t"));
        assertValid("loLgTitFAoWx57yy5oEU4Hlddzw=", "https://example.com/path?test=param", {},
                    "https://example.com/path?test=param", "s3cr3t");
        assertValid("IdwMFypqvNxti3YgvWWmfcNL26M=", "https://example.com/path?test=param", {},
                    "https://example.com:443/path?test=param", "s3cr3t");
        assertValid("loLgTitFAoWx57yy5oEU4Hlddzw=", "https://example.com:443/path?test=param", {},
                    "https://example.com/path?test=param", "s3cr3t");
        CPPUNIT_ASSERT_EQUAL(std::string("XFfwGS2Ev7f9qAP9MmRoMS7C724="),
                             SignatureValidator::compute("wss://example.com/media-stream", {}, kToken));
        CPPUNIT_ASSERT_EQUAL(std::string("7J0iz81itFhCXVuZK8EmM4YZwLA="),
                             SignatureValidator::compute("wss://example.com/media-stream/", {}, kToken));
    }

    void testRawBodyThroughFormData()
    {
        const std::string token = "0123456789abcdef0123456789abcdef";
        const std::string url = "https://gw.example.com/twilio/voice";
        const std::string rawBody =
            "AccountSid=AC00000000000000000000000000000001&ApiVersion=2010-04-01&CallSid=CA00000000000000000000000000000001"
            "&CallStatus=ringing&Called=%2B15005550006&CalledCity=&CalledCountry=US&CalledState=CA&CalledZip=&Caller=%2B1"
            "4155550100&CallerCity=SAN+FRANCISCO&CallerCountry=US&CallerName=Jos%C3%A9+N%C3%BA%C3%B1ez&CallerState=CA&Ca"
            "llerZip=94105&Direction=inbound&From=%2B14155550100&FromCity=SAN+FRANCISCO&FromCountry=US&FromState=CA&From"
            "Zip=94105&To=%2B15005550006&ToCity=&ToCountry=US&ToState=CA&ToZip=";
        FormData form;
        std::string error;
        CPPUNIT_ASSERT_MESSAGE(error, form.parse(rawBody, &error));
        CPPUNIT_ASSERT_EQUAL(std::size_t(26), form.size());
        CPPUNIT_ASSERT_EQUAL(std::string("Jos\xC3\xA9 N\xC3\xBA\xC3\xB1" "ez"), std::string(form.get("CallerName")));
        CPPUNIT_ASSERT_EQUAL(std::string("mwYdzU3+a0b36/990hQgDcw5n3A="), SignatureValidator::compute(url, form.pairs(), token));
        CPPUNIT_ASSERT_EQUAL(std::string("gmNEd+SA2YMVEfxHhbpc5SAWd/g="),
                             SignatureValidator::compute("https://gw.example.com:443/twilio/voice", form.pairs(), token));
        assertValid("mwYdzU3+a0b36/990hQgDcw5n3A=", url, form.pairs(), url, token);
        assertValid("gmNEd+SA2YMVEfxHhbpc5SAWd/g=", url, form.pairs(), "https://gw.example.com:443/twilio/voice", token);
        // Trimming one value (what some frameworks do) breaks it.
        FormData trimmed = form;
        for (auto& [name, value] : trimmed.pairs())
        {
            if (name == "CallerCity")
                value = "SAN";
        }
        CPPUNIT_ASSERT(!SignatureValidator::validate("mwYdzU3+a0b36/990hQgDcw5n3A=", url, trimmed.pairs(), token).valid());
    }

    void testWebSocketHandshake()
    {
        const std::string plain = "wss://example.com/media-stream";
        const std::string slash = "wss://example.com/media-stream/";
        ValidationResult r = SignatureValidator::validateWebSocket("XFfwGS2Ev7f9qAP9MmRoMS7C724=", plain, kToken);
        CPPUNIT_ASSERT(r.valid() && r.matchedUrl == plain);
        r = SignatureValidator::validateWebSocket("7J0iz81itFhCXVuZK8EmM4YZwLA=", plain, kToken);
        CPPUNIT_ASSERT_MESSAGE(r.describe(), r.valid() && r.matchedUrl == slash);
        r = SignatureValidator::validateWebSocket("XFfwGS2Ev7f9qAP9MmRoMS7C724=", slash, kToken);
        CPPUNIT_ASSERT_MESSAGE(r.describe(), r.valid() && r.matchedUrl == plain);
        // The plain validator does not try the slash variant.
        CPPUNIT_ASSERT(!SignatureValidator::validate("7J0iz81itFhCXVuZK8EmM4YZwLA=", plain, {}, kToken).valid());
        // Behind a TLS-terminating proxy the request arrives as https: rewrite the scheme first.
        const std::string rewritten = SignatureValidator::toWebSocketScheme("https://example.com/media-stream");
        CPPUNIT_ASSERT_EQUAL(plain, rewritten);
        CPPUNIT_ASSERT(SignatureValidator::validateWebSocket("XFfwGS2Ev7f9qAP9MmRoMS7C724=", rewritten, kToken).valid());
        CPPUNIT_ASSERT(!SignatureValidator::validateWebSocket("XFfwGS2Ev7f9qAP9MmRoMS7C724=",
                                                              "https://example.com/media-stream", kToken).valid());
        CPPUNIT_ASSERT_EQUAL(std::string("ws://h:8080/x"), SignatureValidator::toWebSocketScheme("http://h:8080/x"));
        CPPUNIT_ASSERT_EQUAL(std::string("wss://h/x"), SignatureValidator::toWebSocketScheme("wss://h/x"));
        const auto variants = SignatureValidator::webSocketUrlVariants(plain);
        CPPUNIT_ASSERT(contains(variants, plain) && contains(variants, slash) &&
                       contains(variants, "wss://example.com:443/media-stream") &&
                       contains(variants, "wss://example.com:443/media-stream/"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(4), variants.size());
        CPPUNIT_ASSERT(r.valid());
    }

    void testNegatives()
    {
        const Params params = formParams();
        // wrong token
        ValidationResult r = SignatureValidator::validate(kBaseSignature, kBaseUrl, params, "54321");
        CPPUNIT_ASSERT(r.outcome == Outcome::Mismatch);
        CPPUNIT_ASSERT(!r);
        // token case matters
        CPPUNIT_ASSERT(!SignatureValidator::validate(kBaseSignature, kBaseUrl, params, "12345 ").valid());
        // tampered param value, extra param, dropped param, renamed param
        Params tampered = params;
        tampered[2].second = "1235";
        CPPUNIT_ASSERT(!SignatureValidator::validate(kBaseSignature, kBaseUrl, tampered, kToken).valid());
        Params extra = params;
        extra.emplace_back("Extra", "");
        CPPUNIT_ASSERT(!SignatureValidator::validate(kBaseSignature, kBaseUrl, extra, kToken).valid());
        Params dropped(params.begin(), params.end() - 1);
        CPPUNIT_ASSERT(!SignatureValidator::validate(kBaseSignature, kBaseUrl, dropped, kToken).valid());
        Params renamed = params;
        renamed[0].first = "callSid";
        CPPUNIT_ASSERT(!SignatureValidator::validate(kBaseSignature, kBaseUrl, renamed, kToken).valid());
        // missing / blank header
        CPPUNIT_ASSERT(SignatureValidator::validate("", kBaseUrl, params, kToken).outcome == Outcome::MissingSignature);
        CPPUNIT_ASSERT(SignatureValidator::validate("  \t", kBaseUrl, params, kToken).outcome == Outcome::MissingSignature);
        // surrounding whitespace on the header is tolerated
        CPPUNIT_ASSERT(SignatureValidator::validate(" " + kBaseSignature + " ", kBaseUrl, params, kToken).valid());
        // no token configured
        CPPUNIT_ASSERT(SignatureValidator::validate(kBaseSignature, kBaseUrl, params, "").outcome == Outcome::MissingAuthToken);
        // URL mismatches: path, query, scheme, host, trailing slash, decoded query
        for (const char* url :
             {"https://mycompany.com/myapp.php?foo=1&bar=3", "https://mycompany.com/myapp.php?bar=2&foo=1",
              "http://mycompany.com/myapp.php?foo=1&bar=2", "https://mycompany.org/myapp.php?foo=1&bar=2",
              "https://mycompany.com/myapp.php/?foo=1&bar=2", "https://mycompany.com/myapp.php",
              "https://mycompany.com/myapp.php?foo=1&bar=2#frag", "https://mycompany.com/MyApp.php?foo=1&bar=2"})
        {
            r = SignatureValidator::validate(kBaseSignature, url, params, kToken);
            CPPUNIT_ASSERT_MESSAGE(url, r.outcome == Outcome::Mismatch);
            CPPUNIT_ASSERT(!r.triedUrls.empty());
        }
        // truncated / altered / garbage signatures
        for (const std::string& bad : {kBaseSignature.substr(0, 27), kBaseSignature + "=", std::string("RSOYDt4T1cUTdK1PDd93/VVr8B9="),
                                       std::string("not a signature"), std::string(28, 'A'), std::string(10000, 'x')})
            CPPUNIT_ASSERT_MESSAGE(bad, !SignatureValidator::validate(bad, kBaseUrl, params, kToken).valid());
    }

    void testUrlVariants()
    {
        using V = std::vector<std::string>;
        CPPUNIT_ASSERT((SignatureValidator::urlVariants("https://a.example/x?q=1") ==
                        V{"https://a.example/x?q=1", "https://a.example:443/x?q=1"}));
        CPPUNIT_ASSERT((SignatureValidator::urlVariants("https://a.example:8443/x") ==
                        V{"https://a.example:8443/x", "https://a.example/x"}));
        CPPUNIT_ASSERT((SignatureValidator::urlVariants("HTTP://u:p@a.example") == V{"HTTP://a.example", "HTTP://a.example:80"}));
        CPPUNIT_ASSERT((SignatureValidator::urlVariants("http://[::1]:8080/p") == V{"http://[::1]:8080/p", "http://[::1]/p"}));
        CPPUNIT_ASSERT((SignatureValidator::urlVariants("http://[::1]/p") == V{"http://[::1]/p", "http://[::1]:80/p"}));
        CPPUNIT_ASSERT((SignatureValidator::urlVariants("ftp://a.example/p") == V{"ftp://a.example/p"}));
        CPPUNIT_ASSERT((SignatureValidator::urlVariants("not a url") == V{"not a url"}));
        CPPUNIT_ASSERT((SignatureValidator::urlVariants("https://a.example/p?u=x@y:1") ==
                        V{"https://a.example/p?u=x@y:1", "https://a.example:443/p?u=x@y:1"}));
        CPPUNIT_ASSERT((SignatureValidator::webSocketUrlVariants("wss://h") ==
                        V{"wss://h", "wss://h:443", "wss://h/", "wss://h:443/"}));
    }

    void testDescribe()
    {
        ValidationResult r = SignatureValidator::validate("AAAAAAAAAAAAAAAAAAAAAAAAAAA=", kBaseUrl, formParams(), kToken);
        const std::string line = r.describe();
        CPPUNIT_ASSERT(line.find("mismatch") != std::string::npos);
        CPPUNIT_ASSERT(line.find(kBaseUrl) != std::string::npos);
        CPPUNIT_ASSERT(line.find("https://mycompany.com:443/myapp.php?foo=1&bar=2") != std::string::npos);
        r = SignatureValidator::validate(kBaseSignature, kBaseUrl, formParams(), kToken);
        CPPUNIT_ASSERT(r.describe().find(kBaseUrl) != std::string::npos);
        CPPUNIT_ASSERT(std::string(ValidationResult::outcomeName(Outcome::MissingSignature)).find("X-Twilio-Signature") !=
                       std::string::npos);
    }

private:
    static void assertValid(const std::string& signature, const std::string& url, const Params& params,
                            const std::string& expectedMatch, const std::string& token = kToken)
    {
        const ValidationResult result = SignatureValidator::validate(signature, url, params, token);
        CPPUNIT_ASSERT_MESSAGE(url + ": " + result.describe(), result.valid());
        CPPUNIT_ASSERT_EQUAL_MESSAGE(url, expectedMatch, result.matchedUrl);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(SignatureValidatorTest);
