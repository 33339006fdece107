// TwilioSdkInteropTest.cpp: signatures made by the official `twilio` npm package (tests/interop/twilio) against the validator and the running plugin.
#include <cppunit/extensions/HelperMacros.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include <Poco/File.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Pipe.h>
#include <Poco/PipeStream.h>
#include <Poco/Process.h>
#include <Poco/StreamCopier.h>

#include <protocol/SignatureValidator.h>

#include "WebhookTestHost.h"

using namespace patchbay;
using namespace patchbay::twilio::test;
using patchbay::twilio::SignatureValidator;

namespace {

const std::string kInteropDir = std::string(PATCHBAY_SOURCE_DIR) + "/tests/interop/twilio";

/// Runs signature-vectors.js and returns its parsed output; fails the test with the way out when
/// the npm dependencies are missing or node fails.
Poco::JSON::Object::Ptr vectors(const std::string& seed)
{
    if (!Poco::File(kInteropDir + "/node_modules/twilio/package.json").exists())
        CPPUNIT_FAIL("tests/interop/twilio/node_modules is missing: run scripts/bootstrap (it runs `npm ci` in every "
                     "tests/interop/*/ with a package-lock.json), or `npm ci --prefix tests/interop/twilio`");
    const std::vector<std::string> args = {kInteropDir + "/signature-vectors.js", seed, kPublicUrl,
                                           std::string(kAccount) + "=" + kToken, std::string(kSubaccount) + "=" + kSubToken,
                                           std::string(kRotating) + "=" + kRotatingPrimary + "," + kRotatingSecondary};
    Poco::Pipe out, err;
    std::string stdoutText, stderrText;
    int rc = -1;
    try
    {
        Poco::ProcessHandle handle = Poco::Process::launch("node", args, kInteropDir, nullptr, &out, &err);
        Poco::PipeInputStream outStream(out), errStream(err);
        // The output is one document of a few hundred KB: read stdout fully, then stderr (small).
        Poco::StreamCopier::copyToString(outStream, stdoutText);
        Poco::StreamCopier::copyToString(errStream, stderrText);
        rc = handle.wait();
    }
    catch (const Poco::Exception& e)
    {
        CPPUNIT_FAIL("cannot run node (is Node.js >= 20 on PATH?): " + e.displayText());
    }
    CPPUNIT_ASSERT_EQUAL_MESSAGE("signature-vectors.js failed: " + stderrText, 0, rc);
    return Poco::JSON::Parser().parse(stdoutText).extract<Poco::JSON::Object::Ptr>();
}

SignatureValidator::Params pairsOf(const Poco::JSON::Array::Ptr& array)
{
    SignatureValidator::Params out;
    for (std::size_t i = 0; i < array->size(); ++i)
    {
        Poco::JSON::Array::Ptr pair = array->getArray(static_cast<unsigned>(i));
        out.emplace_back(pair->getElement<std::string>(0), pair->getElement<std::string>(1));
    }
    return out;
}

std::string seed()
{
    const char* fromEnv = std::getenv("PATCHBAY_INTEROP_SEED"); // to replay a failure with other random input
    return fromEnv && *fromEnv ? fromEnv : "20240601";
}

} // namespace

class TwilioSdkInteropTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(TwilioSdkInteropTest);
    CPPUNIT_TEST(validatorAgreesWithTheSdk);
    CPPUNIT_TEST(pluginAgreesWithTheSdk);
    CPPUNIT_TEST(jsonBodyVariantAgreesWithTheSdk);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        if (!_vectors) _vectors = vectors(seed());
    }

    void validatorAgreesWithTheSdk()
    {
        Poco::JSON::Array::Ptr cases = _vectors->getArray("validator");
        CPPUNIT_ASSERT(cases->size() >= 100);
        for (std::size_t i = 0; i < cases->size(); ++i)
        {
            Poco::JSON::Object::Ptr v = cases->getObject(static_cast<unsigned>(i));
            const std::string url = v->getValue<std::string>("url");
            const std::string token = v->getValue<std::string>("token");
            const std::string signature = v->getValue<std::string>("signature");
            const std::string where = "seed " + seed() + " validator[" + std::to_string(i) + "] " + url;
            CPPUNIT_ASSERT_MESSAGE(where, v->getValue<bool>("accepted"));
            const SignatureValidator::Params pairs = pairsOf(v->getArray("pairs"));
            // Same signing string byte for byte (node signs the URL as given)...
            CPPUNIT_ASSERT_EQUAL_MESSAGE(where, signature, SignatureValidator::compute(url, pairs, token));
            // ...and the same verdicts, for the genuine request and for its forgeries.
            CPPUNIT_ASSERT_MESSAGE(where, SignatureValidator::validate(signature, url, pairs, token).valid());
            CPPUNIT_ASSERT_EQUAL_MESSAGE(where + " (tampered)", v->getValue<bool>("tamperedAccepted"),
                                         SignatureValidator::validate(signature, url, pairsOf(v->getArray("tamperedPairs")), token).valid());
            CPPUNIT_ASSERT_EQUAL_MESSAGE(where + " (wrong token)", v->getValue<bool>("wrongTokenAccepted"),
                                         SignatureValidator::validate(signature, url, pairs, v->getValue<std::string>("wrongToken")).valid());
        }
    }

    void pluginAgreesWithTheSdk()
    {
        WebhookTestHost host;
        sdk::Status st = host.start();
        CPPUNIT_ASSERT_MESSAGE(st.toString(), st.isOk());
        Poco::JSON::Array::Ptr cases = _vectors->getArray("plugin");
        std::size_t accepted = 0, refused = 0, crossTenant = 0;
        for (std::size_t i = 0; i < cases->size(); ++i)
        {
            Poco::JSON::Object::Ptr v = cases->getObject(static_cast<unsigned>(i));
            const bool sdkAccepts = v->getValue<bool>("sdkAccepts");
            const std::vector<std::pair<std::string, std::string>> headers = {
                {"X-Twilio-Signature", v->getValue<std::string>("signature")}};
            HttpResult r = v->getValue<std::string>("method") == "GET"
                               ? host.get("/twilio/voice?" + v->getValue<std::string>("query"), headers)
                               : host.post("/twilio/voice", formEncode(pairsOf(v->getArray("pairs"))),
                                           "application/x-www-form-urlencoded", headers);
            const std::string where = "seed " + seed() + " plugin[" + std::to_string(i) + "]: " + r.body;
            CPPUNIT_ASSERT_EQUAL_MESSAGE(where, sdkAccepts ? 200 : 403, r.status);
            if (sdkAccepts) CPPUNIT_ASSERT_MESSAGE(where, r.body.find("<Connect") != std::string::npos);
            if (v->getValue<bool>("crossTenant"))
            {
                CPPUNIT_ASSERT_MESSAGE(where, !sdkAccepts);
                ++crossTenant;
            }
            ++(sdkAccepts ? accepted : refused);
        }
        // The generator must have exercised both sides.
        CPPUNIT_ASSERT(accepted >= 10 && refused >= 3 && crossTenant >= 3);
        CPPUNIT_ASSERT_EQUAL(double(accepted), host.metric("patchbay_admissions_total{outcome=\"accepted\"}"));
    }

    void jsonBodyVariantAgreesWithTheSdk()
    {
        WebhookTestHost host;
        CPPUNIT_ASSERT(host.start().isOk());
        Poco::JSON::Array::Ptr cases = _vectors->getArray("json");
        for (std::size_t i = 0; i < cases->size(); ++i)
        {
            Poco::JSON::Object::Ptr v = cases->getObject(static_cast<unsigned>(i));
            const std::string where = "seed " + seed() + " json[" + std::to_string(i) + "]";
            const std::string query = v->getValue<std::string>("query");
            const std::string body = v->getValue<std::string>("body");
            const std::string altered = v->getValue<std::string>("alteredBody");
            const std::string signature = v->getValue<std::string>("signature");
            const std::string token = v->getValue<std::string>("token");
            const std::string url = std::string(kPublicUrl) + "/twilio/status?" + query;
            CPPUNIT_ASSERT_MESSAGE(where, v->getValue<bool>("accepted"));
            CPPUNIT_ASSERT_MESSAGE(where, SignatureValidator::validateJsonBody(signature, url, body, token).valid());
            CPPUNIT_ASSERT_EQUAL_MESSAGE(where, v->getValue<bool>("alteredAccepted"),
                                         SignatureValidator::validateJsonBody(signature, url, altered, token).valid());
            const std::vector<std::pair<std::string, std::string>> headers = {{"X-Twilio-Signature", signature}};
            CPPUNIT_ASSERT_EQUAL_MESSAGE(where, 200, host.post("/twilio/status?" + query, body, "application/json", headers).status);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(where, 403, host.post("/twilio/status?" + query, altered, "application/json", headers).status);
        }
    }

private:
    static Poco::JSON::Object::Ptr _vectors; // one node run for the whole suite
};

Poco::JSON::Object::Ptr TwilioSdkInteropTest::_vectors;

CPPUNIT_TEST_SUITE_REGISTRATION(TwilioSdkInteropTest);
