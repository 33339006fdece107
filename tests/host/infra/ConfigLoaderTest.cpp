// ConfigLoaderTest.cpp: CppUnit suite for ConfigLoader — parsing, ${ENV} interpolation and strict validation with key paths.
#include "config/ConfigLoader.h"
#include "ConfigTestSupport.h"

#include <cppunit/extensions/HelperMacros.h>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

using namespace patchbay::host;
using namespace patchbay::host::testing;

namespace {

const char* kDemo = R"({
  "server": { "listen": "127.0.0.1:8080", "threads": 8 },
  "logging": { "format": "text", "level": "debug", "levels": { "plugin.twilio": "trace", "http": "warn" } },
  "plugins": [
    { "id": "tenant-sqlite", "config": { "path": "${DATA_DIR:-./data}/patchbay.db" } },
    { "id": "twilio", "required": true,
      "config": { "publicUrl": "${PUBLIC_URL}", "streamTokenSecret": "${STREAM_SECRET}", "developmentMode": true } },
    { "id": "elevenlabs", "enabled": false, "path": "/opt/x/libpatchbay-elevenlabs.so", "config": { "apiKey": "${EL_KEY:-}" } }
  ],
  "routing": { "tenantStore": "tenant-sqlite", "defaultAgent": "elevenlabs", "streamStartTimeoutMs": 10000 },
  "tls": { "verifyPeer": false }
})";

} // namespace

class ConfigLoaderTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(ConfigLoaderTest);
    CPPUNIT_TEST(emptyObjectGivesDefaults);
    CPPUNIT_TEST(demoConfigLoads);
    CPPUNIT_TEST(pluginConfigIsInterpolatedJsonText);
    CPPUNIT_TEST(productionExampleLoads);
    CPPUNIT_TEST(repositoryDemoConfigLoads);
    CPPUNIT_TEST(interpolationDefaultAndEscape);
    CPPUNIT_TEST(missingEnvVarNamesPathAndVariable);
    CPPUNIT_TEST(malformedReference);
    CPPUNIT_TEST(unknownKeys);
    CPPUNIT_TEST(wrongTypes);
    CPPUNIT_TEST(badPluginIds);
    CPPUNIT_TEST(duplicatePluginId);
    CPPUNIT_TEST(syntaxErrorHasLineAndColumn);
    CPPUNIT_TEST(duplicateKeysReported);
    CPPUNIT_TEST(multipleErrorsCollected);
    CPPUNIT_TEST(routingMustNameConfiguredPlugins);
    CPPUNIT_TEST(listenFormats);
    CPPUNIT_TEST(serverTlsNeedsBothFiles);
    CPPUNIT_TEST(loadFileMissingAndRealEnvironment);
    CPPUNIT_TEST(errorLinesArePrintable);
    CPPUNIT_TEST_SUITE_END();

public:
    void emptyObjectGivesDefaults()
    {
        HostConfig c = loaderWith().loadString("{}");
        CPPUNIT_ASSERT_EQUAL(std::string("0.0.0.0:8080"), c.server.listen);
        CPPUNIT_ASSERT_EQUAL(std::uint16_t(8080), c.server.listenPort);
        CPPUNIT_ASSERT_EQUAL(16, c.server.threads);
        CPPUNIT_ASSERT_EQUAL(256, c.server.maxQueued);
        CPPUNIT_ASSERT_EQUAL(1024, c.server.backlog);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1) << 20, c.server.maxBodyBytes);
        CPPUNIT_ASSERT(!c.server.tls);
        CPPUNIT_ASSERT_EQUAL(0, c.media.loops);
        CPPUNIT_ASSERT_EQUAL(std::size_t(4) << 20, c.media.writeQueueBytes);
        CPPUNIT_ASSERT_EQUAL(std::uint32_t(5000), c.media.connectTimeoutMs);
        CPPUNIT_ASSERT_EQUAL(2, c.media.connectorThreads);
        CPPUNIT_ASSERT(c.logging.format == LogFormat::Text);
        CPPUNIT_ASSERT(c.logging.level == LogThreshold::Info);
        CPPUNIT_ASSERT(c.logging.file.empty());
        CPPUNIT_ASSERT(c.pluginDir.empty());
        CPPUNIT_ASSERT(c.plugins.empty());
        CPPUNIT_ASSERT_EQUAL(std::uint32_t(15000), c.routing.streamStartTimeoutMs);
        CPPUNIT_ASSERT_EQUAL(std::uint32_t(30000), c.routing.drainTimeoutMs);
        CPPUNIT_ASSERT(c.tls.verifyPeer);
        CPPUNIT_ASSERT(c.tls.caFile.empty());
        CPPUNIT_ASSERT(!c.admin.enabled); // no admin section, no admin listener
    }

    void demoConfigLoads()
    {
        HostConfig c = loaderWith({{"PUBLIC_URL", "https://pb.example.com"}, {"STREAM_SECRET", "s3cr3t"}})
                           .loadString(kDemo, "demo.json");
        CPPUNIT_ASSERT_EQUAL(std::string("127.0.0.1"), c.server.listenHost);
        CPPUNIT_ASSERT_EQUAL(std::uint16_t(8080), c.server.listenPort);
        CPPUNIT_ASSERT_EQUAL(8, c.server.threads);
        CPPUNIT_ASSERT(c.logging.level == LogThreshold::Debug);
        CPPUNIT_ASSERT(c.logging.levels.at("plugin.twilio") == LogThreshold::Trace);
        CPPUNIT_ASSERT(c.logging.levels.at("http") == LogThreshold::Warn);
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), c.plugins.size());
        CPPUNIT_ASSERT_EQUAL(std::string("tenant-sqlite"), c.plugins[0].id);
        CPPUNIT_ASSERT(c.plugins[0].enabled);
        CPPUNIT_ASSERT(!c.plugins[0].required);
        CPPUNIT_ASSERT_EQUAL(std::string("/usr/lib/pb/libpatchbay-tenant-sqlite.so"),
                             c.plugins[0].libraryPath("/usr/lib/pb"));
        CPPUNIT_ASSERT(c.plugins[1].required);
        CPPUNIT_ASSERT(!c.plugins[2].enabled);
        CPPUNIT_ASSERT_EQUAL(std::string("/opt/x/libpatchbay-elevenlabs.so"), c.plugins[2].libraryPath("/ignored"));
        CPPUNIT_ASSERT_EQUAL(std::string("tenant-sqlite"), c.routing.tenantStore);
        CPPUNIT_ASSERT_EQUAL(std::string("elevenlabs"), c.routing.defaultAgent);
        CPPUNIT_ASSERT_EQUAL(std::uint32_t(10000), c.routing.streamStartTimeoutMs);
        CPPUNIT_ASSERT(!c.tls.verifyPeer);
        CPPUNIT_ASSERT_EQUAL(std::string("demo.json"), c.sourceName);
    }

    void pluginConfigIsInterpolatedJsonText()
    {
        HostConfig c = loaderWith({{"PUBLIC_URL", "https://pb.example.com"}, {"STREAM_SECRET", "a\"b\\c"}})
                           .loadString(kDemo);
        Poco::JSON::Parser parser;
        auto twilio = parser.parse(c.plugins[1].configJson).extract<Poco::JSON::Object::Ptr>();
        CPPUNIT_ASSERT_EQUAL(std::string("https://pb.example.com"), twilio->getValue<std::string>("publicUrl"));
        CPPUNIT_ASSERT_EQUAL(std::string("a\"b\\c"), twilio->getValue<std::string>("streamTokenSecret"));
        CPPUNIT_ASSERT(twilio->getValue<bool>("developmentMode"));
        auto store = Poco::JSON::Parser().parse(c.plugins[0].configJson).extract<Poco::JSON::Object::Ptr>();
        CPPUNIT_ASSERT_EQUAL(std::string("./data/patchbay.db"), store->getValue<std::string>("path"));
        auto el = Poco::JSON::Parser().parse(c.plugins[2].configJson).extract<Poco::JSON::Object::Ptr>();
        CPPUNIT_ASSERT_EQUAL(std::string(""), el->getValue<std::string>("apiKey"));

        HostConfig noConfig = loaderWith().loadString(R"({"plugins":[{"id":"x"}]})");
        CPPUNIT_ASSERT_EQUAL(std::string("{}"), noConfig.plugins[0].configJson);
    }

    void productionExampleLoads()
    {
        HostConfig c = loaderWith({{"PATCHBAY_PUBLIC_URL", "https://pb.example.com"},
                                   {"PATCHBAY_STREAM_TOKEN_SECRET", "x"},
                                   {"ELEVENLABS_API_KEY", "y"}})
                           .loadFile(std::string(PATCHBAY_SOURCE_DIR) + "/config/production.example.json");
        CPPUNIT_ASSERT(c.server.tls.has_value());
        CPPUNIT_ASSERT_EQUAL(std::string("/etc/patchbay/tls/fullchain.pem"), c.server.tls->certificate);
        CPPUNIT_ASSERT(c.logging.format == LogFormat::Json);
        CPPUNIT_ASSERT_EQUAL(std::string("/usr/lib/patchbay/plugins"), c.pluginDir);
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), c.plugins.size());

        // Without the secrets it must say which ones are missing.
        try
        {
            loaderWith().loadFile(std::string(PATCHBAY_SOURCE_DIR) + "/config/production.example.json");
            CPPUNIT_FAIL("expected ConfigError");
        }
        catch (const ConfigError& e)
        {
            CPPUNIT_ASSERT_EQUAL(std::size_t(3), e.issues().size());
            ASSERT_ISSUE(e.issues(), "plugins[1].config.publicUrl", "PATCHBAY_PUBLIC_URL");
            ASSERT_ISSUE(e.issues(), "plugins[2].config.apiKey", "ELEVENLABS_API_KEY");
        }
    }

    /// config/demo.json (owned by the demo scripts) must load with nothing set in the environment.
    void repositoryDemoConfigLoads()
    {
        const std::string path = std::string(PATCHBAY_SOURCE_DIR) + "/config/demo.json";
        if (!std::ifstream(path)) return;
        HostConfig c = loaderWith().loadFile(path);
        CPPUNIT_ASSERT(!c.plugins.empty());
        CPPUNIT_ASSERT(c.logging.level == LogThreshold::Info);
        HostConfig debug = loaderWith({{"PATCHBAY_LOG_LEVEL", "debug"}, {"PATCHBAY_PORT", "9090"}}).loadFile(path);
        CPPUNIT_ASSERT(debug.logging.level == LogThreshold::Debug);
        CPPUNIT_ASSERT_EQUAL(std::uint16_t(9090), debug.server.listenPort);
    }

    void interpolationDefaultAndEscape()
    {
        EnvInterpolator env(envOf({{"A", "alpha"}, {"EMPTY", ""}}));
        auto expand = [&](const std::string& in) {
            std::string out, error;
            CPPUNIT_ASSERT_MESSAGE(error, env.expand(in, out, error));
            return out;
        };
        CPPUNIT_ASSERT_EQUAL(std::string("alpha"), expand("${A}"));
        CPPUNIT_ASSERT_EQUAL(std::string("x-alpha-y-alpha"), expand("x-${A}-y-${A}"));
        CPPUNIT_ASSERT_EQUAL(std::string("alpha"), expand("${A:-zzz}"));
        CPPUNIT_ASSERT_EQUAL(std::string("zzz"), expand("${UNSET:-zzz}"));
        CPPUNIT_ASSERT_EQUAL(std::string("zzz"), expand("${EMPTY:-zzz}"));
        CPPUNIT_ASSERT_EQUAL(std::string(""), expand("${EMPTY}"));
        CPPUNIT_ASSERT_EQUAL(std::string(""), expand("${UNSET:-}"));
        CPPUNIT_ASSERT_EQUAL(std::string("http://h:1/p"), expand("${UNSET:-http://h:1/p}"));
        CPPUNIT_ASSERT_EQUAL(std::string("${A}"), expand("$${A}"));
        CPPUNIT_ASSERT_EQUAL(std::string("p$${A}"), expand("p$$${A}"));
        CPPUNIT_ASSERT_EQUAL(std::string("${A}=alpha"), expand("$${A}=${A}"));
        CPPUNIT_ASSERT_EQUAL(std::string("cost $5 and $"), expand("cost $5 and $"));
        CPPUNIT_ASSERT_EQUAL(std::string("${A:-x}"), expand("$${A:-x}"));

        // Through the loader: escapes survive into plugin config and top-level strings.
        HostConfig c = loaderWith({{"A", "alpha"}})
                           .loadString(R"({"pluginDir":"$${A}/${A}","plugins":[{"id":"p","config":{"k":["${A}","$${B}"]}}]})");
        CPPUNIT_ASSERT_EQUAL(std::string("${A}/alpha"), c.pluginDir);
        CPPUNIT_ASSERT_EQUAL(std::string(R"({"k":["alpha","${B}"]})"), c.plugins[0].configJson);
    }

    void missingEnvVarNamesPathAndVariable()
    {
        auto issues = issuesOf(R"({"plugins":[{"id":"a"},{"id":"b","config":{"path":"${NOPE}/x"}}]})");
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), issues.size());
        CPPUNIT_ASSERT_EQUAL(std::string("plugins[1].config.path"), issues[0].path);
        CPPUNIT_ASSERT(issues[0].message.find("NOPE") != std::string::npos);
        CPPUNIT_ASSERT(issues[0].message.find("not set") != std::string::npos);

        issues = issuesOf(R"({"server":{"listen":"${LISTEN}"}})");
        ASSERT_ISSUE(issues, "server.listen", "LISTEN");
        issues = issuesOf(R"({"logging":{"levels":{"plugin.x":"${LVL}"}}})");
        ASSERT_ISSUE(issues, "logging.levels[\"plugin.x\"]", "LVL");
    }

    void malformedReference()
    {
        auto issues = issuesOf(R"({"pluginDir":"${OPEN"})");
        ASSERT_ISSUE(issues, "pluginDir", "unterminated");
        issues = issuesOf(R"({"pluginDir":"${1BAD}"})");
        ASSERT_ISSUE(issues, "pluginDir", "invalid variable reference");
        issues = issuesOf(R"({"pluginDir":"${}"})");
        ASSERT_ISSUE(issues, "pluginDir", "invalid variable reference");
    }

    void unknownKeys()
    {
        auto issues = issuesOf(R"({"sever":{},"server":{"listne":"x"},"plugins":[{"id":"a","enable":false}]})");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(dump(issues), std::size_t(3), issues.size());
        ASSERT_ISSUE(issues, "sever", "unknown key");
        ASSERT_ISSUE(issues, "server.listne", "unknown key");
        ASSERT_ISSUE(issues, "plugins[0].enable", "unknown key");
        // Plugin config is the plugin's business: anything goes there.
        loaderWith().loadString(R"({"plugins":[{"id":"a","config":{"anything":{"deep":[1,2]}}}]})");
        // "$schema" is accepted for editors.
        loaderWith().loadString(R"({"$schema":"./schema.json"})");
    }

    void wrongTypes()
    {
        auto issues = issuesOf(R"({
            "server": {"threads": "16", "maxQueued": 2.5, "backlog": true, "listen": 8080, "maxBodyBytes": -1},
            "media": [],
            "logging": {"format": "xml", "level": "verbose", "levels": {"x": 3}},
            "pluginDir": 5,
            "plugins": {"id": "a"},
            "routing": {"drainTimeoutMs": null},
            "tls": {"verifyPeer": "yes"}
        })");
        ASSERT_ISSUE(issues, "server.threads", "expected an integer in 1..1024, got the string \"16\"");
        ASSERT_ISSUE(issues, "server.maxQueued", "got the number 2.5");
        ASSERT_ISSUE(issues, "server.backlog", "got true");
        ASSERT_ISSUE(issues, "server.listen", "expected a string, got the number 8080");
        ASSERT_ISSUE(issues, "server.maxBodyBytes", "expected an integer");
        ASSERT_ISSUE(issues, "media", "expected an object, got an array");
        ASSERT_ISSUE(issues, "logging.format", "expected one of \"text\" or \"json\", got the string \"xml\"");
        ASSERT_ISSUE(issues, "logging.level", "\"critical\"");
        ASSERT_ISSUE(issues, "logging.levels.x", "got the number 3");
        ASSERT_ISSUE(issues, "pluginDir", "expected a string");
        ASSERT_ISSUE(issues, "plugins", "expected an array, got an object");
        ASSERT_ISSUE(issues, "routing.drainTimeoutMs", "got null");
        ASSERT_ISSUE(issues, "tls.verifyPeer", "expected true or false");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(dump(issues), std::size_t(13), issues.size());

        issues = issuesOf(R"({"server":{"threads":0}})");
        ASSERT_ISSUE(issues, "server.threads", "1..1024, got the number 0");
        issues = issuesOf(R"({"server":{"threads":1025}})");
        ASSERT_ISSUE(issues, "server.threads", "1..1024");
        issues = issuesOf(R"({"server":{"threads":99999999999999999999}})");
        ASSERT_ISSUE(issues, "server.threads", "out of range");
        CPPUNIT_ASSERT_EQUAL(16, loaderWith().loadString(R"({"server":{"threads":16.0}})").server.threads);
        issues = issuesOf(R"([1,2])");
        ASSERT_ISSUE(issues, "", "top level");
    }

    void badPluginIds()
    {
        auto issues = issuesOf(R"({"plugins":[{"id":"Twilio"},{"id":""},{"id":"a_b"},
            {"id":"abcdefghijabcdefghijabcdefghijabc"},{"path":"/x.so"},{"id":7},"twilio"]})");
        ASSERT_ISSUE(issues, "plugins[0].id", "invalid plugin id");
        ASSERT_ISSUE(issues, "plugins[1].id", "invalid plugin id");
        ASSERT_ISSUE(issues, "plugins[2].id", "a-z, 0-9 and '-'");
        ASSERT_ISSUE(issues, "plugins[3].id", "invalid plugin id");
        ASSERT_ISSUE(issues, "plugins[4].id", "required");
        ASSERT_ISSUE(issues, "plugins[5].id", "expected a string");
        ASSERT_ISSUE(issues, "plugins[6]", "expected an object");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(dump(issues), std::size_t(7), issues.size());
        loaderWith().loadString(R"({"plugins":[{"id":"abcdefghijabcdefghijabcdefghijab"},{"id":"0-9"}]})");
    }

    void duplicatePluginId()
    {
        auto issues = issuesOf(R"({"plugins":[{"id":"twilio"},{"id":"store"},{"id":"twilio"}]})");
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), issues.size());
        ASSERT_ISSUE(issues, "plugins[2].id", "duplicate plugin id \"twilio\"");
    }

    void syntaxErrorHasLineAndColumn()
    {
        auto issues = issuesOf("{\n  \"server\": {\n    \"threads\": 8,\n  }\n}");
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), issues.size());
        CPPUNIT_ASSERT_EQUAL(std::string(""), issues[0].path);
        CPPUNIT_ASSERT_MESSAGE(issues[0].message, issues[0].message.find("line 4, column 3") != std::string::npos);

        issues = issuesOf("{\"a\": tru}");
        CPPUNIT_ASSERT_MESSAGE(issues[0].message, issues[0].message.find("line 1, column") != std::string::npos);
        issues = issuesOf("");
        CPPUNIT_ASSERT_MESSAGE(issues[0].message, issues[0].message.find("syntax error") != std::string::npos);
        auto lc = ConfigLoader::lineColumn("ab\ncd\nef", 7);
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), lc.first);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), lc.second);
    }

    void duplicateKeysReported()
    {
        auto issues = issuesOf(R"({"server":{"threads":4},"plugins":[{"id":"a","id":"b"}],"server":{}})");
        ASSERT_ISSUE(issues, "plugins[0].id", "duplicate key");
        ASSERT_ISSUE(issues, "server", "duplicate key");
    }

    void multipleErrorsCollected()
    {
        auto issues = issuesOf(R"({
            "server": {"threads": -5, "bogus": 1},
            "media": {"loops": "many"},
            "plugins": [{"id": "BAD"}, {"id": "ok", "config": {"k": "${MISSING}"}}],
            "routing": {"tenantStore": "nope"}
        })");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(dump(issues), std::size_t(6), issues.size());
        ASSERT_ISSUE(issues, "server.threads", "1..1024");
        ASSERT_ISSUE(issues, "server.bogus", "unknown key");
        ASSERT_ISSUE(issues, "media.loops", "expected an integer");
        ASSERT_ISSUE(issues, "plugins[0].id", "invalid plugin id");
        ASSERT_ISSUE(issues, "plugins[1].config.k", "MISSING");
        ASSERT_ISSUE(issues, "routing.tenantStore", "\"nope\"");
    }

    void routingMustNameConfiguredPlugins()
    {
        auto issues =
            issuesOf(R"({"plugins":[{"id":"a"}],"routing":{"tenantStore":"b","defaultAgent":"c","inboundProvider":"d"}})");
        ASSERT_ISSUE(issues, "routing.tenantStore", "configured: a");
        ASSERT_ISSUE(issues, "routing.defaultAgent", "not in plugins[]");
        ASSERT_ISSUE(issues, "routing.inboundProvider", "\"d\", which is not in plugins[]");
        auto c = loaderWith().loadString(R"({"plugins":[{"id":"a"}],"routing":{"tenantStore":"a","defaultAgent":""}})");
        CPPUNIT_ASSERT_EQUAL(std::string("a"), c.routing.tenantStore);
        CPPUNIT_ASSERT(c.routing.inboundProvider.empty()); // the only inbound plugin running, whichever it is
        c = loaderWith().loadString(R"({"plugins":[{"id":"a"},{"id":"b"}],"routing":{"inboundProvider":"b"}})");
        CPPUNIT_ASSERT_EQUAL(std::string("b"), c.routing.inboundProvider);
    }

    void listenFormats()
    {
        auto c = loaderWith().loadString(R"({"server":{"listen":"[::1]:9000"}})");
        CPPUNIT_ASSERT_EQUAL(std::string("::1"), c.server.listenHost);
        CPPUNIT_ASSERT_EQUAL(std::uint16_t(9000), c.server.listenPort);
        c = loaderWith().loadString(R"({"server":{"listen":"localhost:0"}})");
        CPPUNIT_ASSERT_EQUAL(std::uint16_t(0), c.server.listenPort);
        for (const char* bad : {"8080", ":8080", "host:", "host:65536", "::1:80", "h:8o80", "[::1:80"})
        {
            auto issues = issuesOf(std::string(R"({"server":{"listen":")") + bad + "\"}}");
            ASSERT_ISSUE(issues, "server.listen", "host:port");
        }
    }

    void serverTlsNeedsBothFiles()
    {
        auto issues = issuesOf(R"({"server":{"tls":{"certificate":"c.pem"}}})");
        ASSERT_ISSUE(issues, "server.tls.privateKey", "required");
        issues = issuesOf(R"({"server":{"tls":{"certificate":"","privateKey":"k"}}})");
        ASSERT_ISSUE(issues, "server.tls.certificate", "non-empty");
        auto c = loaderWith().loadString(R"({"server":{"tls":{"certificate":"c.pem","privateKey":"k.pem"}}})");
        CPPUNIT_ASSERT_EQUAL(std::string("k.pem"), c.server.tls->privateKey);
    }

    void loadFileMissingAndRealEnvironment()
    {
        try
        {
            ConfigLoader().loadFile("/nonexistent/patchbay.json");
            CPPUNIT_FAIL("expected ConfigError");
        }
        catch (const ConfigError& e)
        {
            CPPUNIT_ASSERT_EQUAL(std::string("/nonexistent/patchbay.json"), e.source());
            CPPUNIT_ASSERT(e.issues().at(0).message.find("cannot open") != std::string::npos);
        }
        std::string path = std::string(PATCHBAY_BINARY_DIR) + "/infra-config-test.json";
        {
            std::ofstream out(path);
            out << R"({"logging":{"file":"${PATCHBAY_INFRA_TEST_LOG}"}})";
        }
        ::setenv("PATCHBAY_INFRA_TEST_LOG", "/var/log/pb.log", 1);
        HostConfig c = ConfigLoader().loadFile(path);
        ::unsetenv("PATCHBAY_INFRA_TEST_LOG");
        std::remove(path.c_str());
        CPPUNIT_ASSERT_EQUAL(std::string("/var/log/pb.log"), c.logging.file);
        CPPUNIT_ASSERT_EQUAL(path, c.sourceName);
    }

    void errorLinesArePrintable()
    {
        try
        {
            loaderWith().loadString(R"({"server":{"threads":0},"x":1})", "/etc/pb.json");
            CPPUNIT_FAIL("expected ConfigError");
        }
        catch (const ConfigError& e)
        {
            auto lines = e.lines();
            CPPUNIT_ASSERT_EQUAL(std::size_t(2), lines.size());
            CPPUNIT_ASSERT(std::find(lines.begin(), lines.end(),
                                     "/etc/pb.json: x: unknown key (allowed here: $schema, server, media, logging, "
                                     "pluginDir, plugins, routing, tls, admin)") != lines.end());
            CPPUNIT_ASSERT(std::string(e.what()).find("(and 1 more)") != std::string::npos);
        }
    }



};

CPPUNIT_TEST_SUITE_REGISTRATION(ConfigLoaderTest);
