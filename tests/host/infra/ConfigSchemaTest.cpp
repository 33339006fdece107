// ConfigSchemaTest.cpp: config/schema.json against the loader (keys and defaults of every section), and the admin section's rules.
#include "config/ConfigLoader.h"
#include "ConfigTestSupport.h"

#include <cppunit/extensions/HelperMacros.h>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <fstream>
#include <set>
#include <sstream>

using namespace patchbay::host;
using namespace patchbay::host::testing;

class ConfigSchemaTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(ConfigSchemaTest);
    CPPUNIT_TEST(schemaMatchesLoader);
    CPPUNIT_TEST(adminSectionDefaultsAndToken);
    CPPUNIT_TEST(adminSectionErrors);
    CPPUNIT_TEST_SUITE_END();

public:
    /// config/schema.json and the loader must agree on the keys of every object and on defaults.
    void schemaMatchesLoader()
    {
        std::ifstream in(std::string(PATCHBAY_SOURCE_DIR) + "/config/schema.json");
        std::stringstream text;
        text << in.rdbuf();
        auto schema = Poco::JSON::Parser().parse(text.str()).extract<Poco::JSON::Object::Ptr>();
        CPPUNIT_ASSERT_EQUAL(std::string("https://json-schema.org/draft/2020-12/schema"),
                             schema->getValue<std::string>("$schema"));
        auto rootProps = schema->getObject("properties");

        // Keys the loader accepts, as listed in its unknown-key message, per object path.
        auto loaderKeys = [](const std::string& json, const std::string& path) {
            auto issues = issuesOf(json);
            for (const auto& i : issues)
            {
                if (i.path != path) continue;
                auto open = i.message.find("allowed here: ");
                CPPUNIT_ASSERT(open != std::string::npos);
                std::string list = i.message.substr(open + 14, i.message.size() - open - 15);
                std::set<std::string> keys;
                std::stringstream ss(list);
                for (std::string k; std::getline(ss, k, ',');)
                    keys.insert(k.substr(k.find_first_not_of(' ')));
                return keys;
            }
            CPPUNIT_FAIL("no unknown-key issue at " + path + ":\n" + dump(issues));
            return std::set<std::string>{};
        };
        auto schemaKeys = [](const Poco::JSON::Object::Ptr& obj) {
            std::set<std::string> keys;
            for (const auto& name : obj->getObject("properties")->getNames())
                keys.insert(name);
            return keys;
        };
        CPPUNIT_ASSERT(schemaKeys(schema) == loaderKeys(R"({"zz":1})", "zz"));
        std::string defaultsJson = "{";
        for (const char* section : {"server", "media", "logging", "routing", "tls", "admin"})
        {
            auto sectionSchema = rootProps->getObject(section);
            std::string s(section);
            CPPUNIT_ASSERT_MESSAGE(s, schemaKeys(sectionSchema) == loaderKeys("{\"" + s + "\":{\"zz\":1}}", s + ".zz"));
            // Build {"section": {key: default, ...}} from the schema's defaults.
            Poco::JSON::Object defaults;
            auto props = sectionSchema->getObject("properties");
            for (const auto& name : props->getNames())
                if (props->getObject(name)->has("default")) defaults.set(name, props->getObject(name)->get("default"));
            // The admin section's one required key has no default (it is a secret).
            if (s == "admin") defaults.set("operatorToken", std::string(kAdminToken));
            std::ostringstream out;
            defaults.stringify(out);
            defaultsJson += (defaultsJson.size() > 1 ? "," : "") + ("\"" + s + "\":") + out.str();
        }
        auto pluginSchema = rootProps->getObject("plugins")->getObject("items");
        CPPUNIT_ASSERT(schemaKeys(pluginSchema) == loaderKeys(R"({"plugins":[{"id":"a","zz":1}]})", "plugins[0].zz"));
        CPPUNIT_ASSERT(schemaKeys(rootProps->getObject("server")->getObject("properties")->getObject("tls")) ==
                       loaderKeys(R"({"server":{"tls":{"certificate":"c","privateKey":"k","zz":1}}})", "server.tls.zz"));
        defaultsJson += "}";

        HostConfig fromSchema = loaderWith().loadString(defaultsJson);
        HostConfig builtIn = loaderWith().loadString("{}");
        CPPUNIT_ASSERT_EQUAL(builtIn.server.listen, fromSchema.server.listen);
        CPPUNIT_ASSERT_EQUAL(builtIn.server.threads, fromSchema.server.threads);
        CPPUNIT_ASSERT_EQUAL(builtIn.server.maxQueued, fromSchema.server.maxQueued);
        CPPUNIT_ASSERT_EQUAL(builtIn.server.backlog, fromSchema.server.backlog);
        CPPUNIT_ASSERT_EQUAL(builtIn.server.maxBodyBytes, fromSchema.server.maxBodyBytes);
        CPPUNIT_ASSERT_EQUAL(builtIn.media.loops, fromSchema.media.loops);
        CPPUNIT_ASSERT_EQUAL(builtIn.media.maxMessageBytes, fromSchema.media.maxMessageBytes);
        CPPUNIT_ASSERT_EQUAL(builtIn.media.writeQueueBytes, fromSchema.media.writeQueueBytes);
        CPPUNIT_ASSERT_EQUAL(builtIn.media.connectTimeoutMs, fromSchema.media.connectTimeoutMs);
        CPPUNIT_ASSERT_EQUAL(builtIn.media.connectorThreads, fromSchema.media.connectorThreads);
        CPPUNIT_ASSERT(builtIn.logging.format == fromSchema.logging.format);
        CPPUNIT_ASSERT(builtIn.logging.level == fromSchema.logging.level);
        CPPUNIT_ASSERT_EQUAL(builtIn.routing.streamStartTimeoutMs, fromSchema.routing.streamStartTimeoutMs);
        CPPUNIT_ASSERT_EQUAL(builtIn.routing.drainTimeoutMs, fromSchema.routing.drainTimeoutMs);
        CPPUNIT_ASSERT_EQUAL(builtIn.routing.prewarmAgent, fromSchema.routing.prewarmAgent);
        CPPUNIT_ASSERT_EQUAL(builtIn.tls.verifyPeer, fromSchema.tls.verifyPeer);
        CPPUNIT_ASSERT(schemaKeys(rootProps->getObject("admin")) ==
                       loaderKeys(std::string(R"({"admin":{"operatorToken":")") + kAdminToken + R"(","zz":1}})", "admin.zz"));
        HostConfig adminBuiltIn = loaderWith().loadString(std::string(R"({"admin":{"operatorToken":")") + kAdminToken + "\"}}");
        CPPUNIT_ASSERT(fromSchema.admin.enabled);
        CPPUNIT_ASSERT_EQUAL(adminBuiltIn.admin.listen, fromSchema.admin.listen);
        CPPUNIT_ASSERT_EQUAL(adminBuiltIn.admin.listenPort, fromSchema.admin.listenPort);
        CPPUNIT_ASSERT_EQUAL(adminBuiltIn.admin.threads, fromSchema.admin.threads);
        // The literal-token branch carries the length rules; the other branch admits "${VAR}" (checked after expansion).
        auto tokenSchema = rootProps->getObject("admin")->getObject("properties")->getObject("operatorToken")
                               ->getArray("anyOf")->getObject(0);
        CPPUNIT_ASSERT_EQUAL(static_cast<int>(ConfigLoader::kMinOperatorTokenLength), tokenSchema->getValue<int>("minLength"));
        CPPUNIT_ASSERT_EQUAL(static_cast<int>(ConfigLoader::kMaxOperatorTokenLength), tokenSchema->getValue<int>("maxLength"));
    }

    void adminSectionDefaultsAndToken()
    {
        HostConfig c = loaderWith({{"PATCHBAY_ADMIN_TOKEN", kAdminToken}})
                           .loadString(R"({"admin":{"operatorToken":"${PATCHBAY_ADMIN_TOKEN}"}})");
        CPPUNIT_ASSERT(c.admin.enabled);
        CPPUNIT_ASSERT_EQUAL(std::string("127.0.0.1:8081"), c.admin.listen);
        CPPUNIT_ASSERT_EQUAL(std::string("127.0.0.1"), c.admin.listenHost);
        CPPUNIT_ASSERT_EQUAL(std::uint16_t(8081), c.admin.listenPort);
        CPPUNIT_ASSERT_EQUAL(4, c.admin.threads);
        CPPUNIT_ASSERT_EQUAL(std::string(kAdminToken), c.admin.operatorToken);

        c = loaderWith().loadString(std::string(R"({"admin":{"listen":"[::1]:0","threads":2,"operatorToken":")") + kAdminToken + "\"}}");
        CPPUNIT_ASSERT_EQUAL(std::string("::1"), c.admin.listenHost);
        CPPUNIT_ASSERT_EQUAL(std::uint16_t(0), c.admin.listenPort);
        CPPUNIT_ASSERT_EQUAL(2, c.admin.threads);

        // "" disables the listener; no token is needed then.
        c = loaderWith().loadString(R"({"admin":{"listen":""}})");
        CPPUNIT_ASSERT(!c.admin.enabled);
        CPPUNIT_ASSERT(c.admin.operatorToken.empty());
    }

    void adminSectionErrors()
    {
        auto issues = issuesOf(R"({"admin":{}})");
        ASSERT_ISSUE(issues, "admin.operatorToken", "required when admin.listen is set");
        issues = issuesOf(R"({"admin":{"operatorToken":"${PATCHBAY_ADMIN_TOKEN}"}})");
        ASSERT_ISSUE(issues, "admin.operatorToken", "PATCHBAY_ADMIN_TOKEN");
        issues = issuesOf(R"({"admin":{"operatorToken":"short-secret-value"}})");
        ASSERT_ISSUE(issues, "admin.operatorToken", "24 to 1024 characters");
        issues = issuesOf(std::string(R"({"admin":{"operatorToken":"has a space in it, 24+ chars long"}})"));
        ASSERT_ISSUE(issues, "admin.operatorToken", "printable ASCII");
        issues = issuesOf(R"({"admin":{"operatorToken":123456789012345678901234}})");
        ASSERT_ISSUE(issues, "admin.operatorToken", "out of range");
        issues = issuesOf(R"({"admin":{"operatorToken":true}})");
        ASSERT_ISSUE(issues, "admin.operatorToken", "expected a string");
        issues = issuesOf(std::string(R"({"admin":{"listen":"8081","threads":0,"tokn":1,"operatorToken":")") + kAdminToken + "\"}}");
        ASSERT_ISSUE(issues, "admin.listen", "host:port");
        ASSERT_ISSUE(issues, "admin.threads", "1..256");
        ASSERT_ISSUE(issues, "admin.tokn", "unknown key");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(dump(issues), std::size_t(3), issues.size());
        issues = issuesOf(R"({"admin":[]})");
        ASSERT_ISSUE(issues, "admin", "expected an object");
        // A secret never appears in a message, whatever is wrong with it.
        const std::string secret = "s3cr3t-but-too-short";
        issues = issuesOf(R"({"admin":{"operatorToken":")" + secret + "\"}}");
        CPPUNIT_ASSERT(dump(issues).find(secret) == std::string::npos);
        const std::string spaced = "a secret with spaces that is long enough";
        issues = issuesOf(R"({"admin":{"operatorToken":")" + spaced + "\"}}");
        CPPUNIT_ASSERT(dump(issues).find(spaced) == std::string::npos);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ConfigSchemaTest);
