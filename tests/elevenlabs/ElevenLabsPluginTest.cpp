// ElevenLabsPluginTest.cpp: the elevenlabs plugin's config keys, defaults, validation and init/shutdown.
#include <cppunit/extensions/HelperMacros.h>

#include <dlfcn.h>

#include <string>

#include "ElevenLabsConfig.h"
#include "ElevenLabsPlugin.h"
#include "patchbay/sdk/testing/FakeHostServices.h"
#include "patchbay/sdk/testing/RecordingCallChannel.h"

using namespace patchbay;
using namespace patchbay::elevenlabs;

class ElevenLabsPluginTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(ElevenLabsPluginTest);
    CPPUNIT_TEST(testDefaults);
    CPPUNIT_TEST(testEveryKey);
    CPPUNIT_TEST(testUnknownKeyNamed);
    CPPUNIT_TEST(testWrongTypesNamed);
    CPPUNIT_TEST(testNotAnObject);
    CPPUNIT_TEST(testSecretNeverInMessages);
    CPPUNIT_TEST(testInitRegistersMetricsOnly);
    CPPUNIT_TEST(testInitFailsOnBadConfig);
    CPPUNIT_TEST(testCheckConfigAcceptsWhatInitAccepts);
    CPPUNIT_TEST(testCheckConfigRefusesLikeInit);
    CPPUNIT_TEST(testCheckConfigHasNoSideEffects);
    CPPUNIT_TEST(testOpenBeforeInitUnavailable);
    CPPUNIT_TEST(testShutdownStopsSessions);
    CPPUNIT_TEST(testModuleEntryPoints);
    CPPUNIT_TEST_SUITE_END();

public:
    void testDefaults()
    {
        for (const char* text : {"", "  \n", "{}", "null"})
        {
            ElevenLabsConfig c;
            c.baseUrl = "changed";
            CPPUNIT_ASSERT_MESSAGE(text, ElevenLabsConfig::parse(text, c).isOk());
            CPPUNIT_ASSERT_EQUAL(std::string("wss://api.elevenlabs.io"), c.baseUrl);
            CPPUNIT_ASSERT(c.apiKey.empty());
            CPPUNIT_ASSERT_EQUAL(std::uint32_t(5000), c.connectTimeoutMs);
            CPPUNIT_ASSERT_EQUAL(std::string("https://api.elevenlabs.io"), c.signedUrlBase);
            CPPUNIT_ASSERT_MESSAGE("requireUlaw is opt-in: the core transcodes", !c.requireUlaw);
        }
    }

    void testEveryKey()
    {
        ElevenLabsConfig c;
        const auto status = ElevenLabsConfig::parse(
            R"({"baseUrl":"ws://127.0.0.1:9100/","apiKey":"sk_test","connectTimeoutMs":250,"signedUrlBase":"http://127.0.0.1:9101/","requireUlaw":true})",
            c);
        CPPUNIT_ASSERT_MESSAGE(status.toString(), status.isOk());
        CPPUNIT_ASSERT_EQUAL(std::string("ws://127.0.0.1:9100"), c.baseUrl);
        CPPUNIT_ASSERT_EQUAL(std::string("sk_test"), c.apiKey);
        CPPUNIT_ASSERT_EQUAL(std::uint32_t(250), c.connectTimeoutMs);
        CPPUNIT_ASSERT_EQUAL(std::string("http://127.0.0.1:9101"), c.signedUrlBase);
        CPPUNIT_ASSERT(c.requireUlaw);
    }

    void testUnknownKeyNamed()
    {
        ElevenLabsConfig c;
        const auto status = ElevenLabsConfig::parse(R"({"baseUrl":"wss://x","apikey":"oops"})", c);
        CPPUNIT_ASSERT(status.code() == sdk::StatusCode::InvalidArgument);
        CPPUNIT_ASSERT_MESSAGE(status.message(), status.message().find("'apikey'") != std::string::npos);
    }

    void testWrongTypesNamed()
    {
        const std::pair<const char*, const char*> cases[] = {
            {R"({"baseUrl":"https://api.elevenlabs.io"})", "baseUrl"},
            {R"({"baseUrl":5})", "baseUrl"},
            {R"({"apiKey":123})", "apiKey"},
            {R"({"connectTimeoutMs":"5000"})", "connectTimeoutMs"},
            {R"({"connectTimeoutMs":0})", "connectTimeoutMs"},
            {R"({"connectTimeoutMs":1.5})", "connectTimeoutMs"},
            {R"({"connectTimeoutMs":999999999})", "connectTimeoutMs"},
            {R"({"signedUrlBase":"wss://api.elevenlabs.io"})", "signedUrlBase"},
            {R"({"requireUlaw":"yes"})", "requireUlaw"},
        };
        for (const auto& [text, key] : cases)
        {
            ElevenLabsConfig c;
            const auto status = ElevenLabsConfig::parse(text, c);
            CPPUNIT_ASSERT_MESSAGE(text, status.code() == sdk::StatusCode::InvalidArgument);
            CPPUNIT_ASSERT_MESSAGE(status.message(), status.message().find(std::string("'") + key + "'") != std::string::npos);
        }
    }

    void testNotAnObject()
    {
        ElevenLabsConfig c;
        CPPUNIT_ASSERT(ElevenLabsConfig::parse("[1]", c).code() == sdk::StatusCode::InvalidArgument);
        CPPUNIT_ASSERT(ElevenLabsConfig::parse("{\"baseUrl\":", c).code() == sdk::StatusCode::InvalidArgument);
    }

    void testSecretNeverInMessages()
    {
        // A config whose later key is bad must not echo the key value that came before.
        ElevenLabsConfig c;
        const auto status = ElevenLabsConfig::parse(R"({"apiKey":"sk_live_SECRET","requireUlaw":1})", c);
        CPPUNIT_ASSERT(!status.isOk());
        CPPUNIT_ASSERT(status.message().find("sk_live_SECRET") == std::string::npos);

        sdk::testing::FakeHostServices host("elevenlabs");
        ElevenLabsPlugin plugin;
        CPPUNIT_ASSERT(plugin.init(host, R"({"apiKey":"sk_live_SECRET"})").isOk());
        CPPUNIT_ASSERT_MESSAGE(host.recordingLogger().dump(), !host.recordingLogger().contains("sk_live_SECRET"));
        plugin.shutdown();
    }

    void testInitRegistersMetricsOnly()
    {
        sdk::testing::FakeHostServices host("elevenlabs");
        ElevenLabsPlugin plugin;
        CPPUNIT_ASSERT(plugin.init(host, "{}").isOk());
        CPPUNIT_ASSERT(plugin.agentProvider() == &plugin);
        CPPUNIT_ASSERT(plugin.inboundProvider() == nullptr);
        CPPUNIT_ASSERT(plugin.tenantStore() == nullptr);
        auto& metrics = host.fakeMetrics();
        CPPUNIT_ASSERT(metrics.has("elevenlabs_sessions_opened_total"));
        CPPUNIT_ASSERT(metrics.has("elevenlabs_sessions_failed_total"));
        CPPUNIT_ASSERT(metrics.has("elevenlabs_messages_received_total", {{"type", "audio"}}));
        CPPUNIT_ASSERT(metrics.has("elevenlabs_messages_received_total", {{"type", "unknown"}}));
        CPPUNIT_ASSERT(metrics.has("elevenlabs_unknown_message_types_total"));
        CPPUNIT_ASSERT(metrics.has("elevenlabs_audio_dropped_total", {{"direction", "to_caller"}, {"reason", "interrupted"}}));
        CPPUNIT_ASSERT(host.httpRoutes().empty());
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), host.outboundCount());
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), host.pendingBlockingTasks());
        plugin.shutdown();
    }

    void testInitFailsOnBadConfig()
    {
        sdk::testing::FakeHostServices host("elevenlabs");
        ElevenLabsPlugin plugin;
        const auto status = plugin.init(host, R"({"timeout":5})");
        CPPUNIT_ASSERT(status.code() == sdk::StatusCode::InvalidArgument);
        CPPUNIT_ASSERT(status.message().find("'timeout'") != std::string::npos);
    }

    // --check-config (SDK 1.3): the same verdicts as init(), without a host.

    void testCheckConfigAcceptsWhatInitAccepts()
    {
        const ElevenLabsPlugin plugin{};
        for (const char* text : {"", "{}", "null",
                                 R"({"baseUrl":"wss://api.elevenlabs.io","apiKey":"sk_x","connectTimeoutMs":1,)"
                                 R"("silenceTimeoutMs":0,"stallTimeoutMs":100,"signedUrlBase":"https://api.elevenlabs.io",)"
                                 R"("requireUlaw":true,"webhookSecret":"0123456789abcdef","postCallPath":"/el/post",)"
                                 R"("postCallMaxBodyBytes":1024,"initiationSecret":"fedcba9876543210","initiationPath":"/el/init"})"})
        {
            const sdk::Status status = plugin.checkConfig(text);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(text, std::string("ok"), status.toString());
        }
    }

    void testCheckConfigRefusesLikeInit()
    {
        // Typo (the case of one letter), wrong type, out of range, cross-key rule.
        const std::pair<const char*, const char*> cases[] = {
            {R"({"silenceTimeoutMS":1000})", "'silenceTimeoutMS'"},
            {R"({"connectTimeoutMs":"5000"})", "'connectTimeoutMs'"},
            {R"({"silenceTimeoutMs":600001})", "'silenceTimeoutMs' must be an integer between 0 (off) and 600000"},
            {R"({"stallTimeoutMs":99})", "'stallTimeoutMs'"},
            {R"({"webhookSecret":"short"})", "'webhookSecret' must be a string of at least 16 characters"},
            {R"({"webhookSecret":"0123456789abcdef","initiationSecret":"0123456789abcdef","postCallPath":"/x","initiationPath":"/x"})",
             "'postCallPath' and 'initiationPath' must differ"},
            {R"([1,2])", "must be a JSON object"},
            {R"({"baseUrl":)", "not valid JSON"},
        };
        const ElevenLabsPlugin checker{};
        for (const auto& [config, expected] : cases)
        {
            const sdk::Status checked = checker.checkConfig(config);
            CPPUNIT_ASSERT_MESSAGE(std::string(config) + " -> " + checked.toString(),
                                   checked.code() == sdk::StatusCode::InvalidArgument);
            CPPUNIT_ASSERT_MESSAGE(std::string(config) + " -> " + checked.message(),
                                   checked.message().find(expected) != std::string::npos);
            // Word for word what init() says about the same text.
            sdk::testing::FakeHostServices host("elevenlabs");
            ElevenLabsPlugin plugin;
            CPPUNIT_ASSERT_EQUAL(plugin.init(host, config).toString(), checked.toString());
        }
        // The unknown-key message lists the known keys, so the fix is one glance away.
        CPPUNIT_ASSERT(checker.checkConfig(R"({"silenceTimeoutMS":1})").message().find("silenceTimeoutMs") !=
                       std::string::npos);
        // A secret that came before the bad key is never echoed.
        CPPUNIT_ASSERT(checker.checkConfig(R"({"apiKey":"sk_live_SECRET","requireUlaw":1})").message().find("SECRET") ==
                       std::string::npos);
    }

    void testCheckConfigHasNoSideEffects()
    {
        // Checked on an object that is never initialised: it keeps its defaults and stays unusable,
        // and a later init() sees none of the checked text.
        ElevenLabsPlugin plugin;
        const std::string good = R"({"baseUrl":"ws://127.0.0.1:9","webhookSecret":"0123456789abcdef"})";
        CPPUNIT_ASSERT(plugin.checkConfig(good).isOk());
        CPPUNIT_ASSERT_EQUAL(std::string("wss://api.elevenlabs.io"), plugin.config().baseUrl);
        CPPUNIT_ASSERT(plugin.config().webhookSecret.empty());
        sdk::testing::RecordingCallChannel channel;
        sdk::testing::FakeEventLoop loop;
        sdk::AgentSessionRequest request;
        request.agent.agentId = "agent_1";
        CPPUNIT_ASSERT(plugin.openSession(request, channel, loop).status().code() == sdk::StatusCode::Unavailable);

        // After init(), a check of other text changes neither the config nor the routes.
        sdk::testing::FakeHostServices host("elevenlabs");
        CPPUNIT_ASSERT(plugin.init(host, "{}").isOk());
        CPPUNIT_ASSERT(plugin.checkConfig(good).isOk());
        CPPUNIT_ASSERT_EQUAL(std::string("wss://api.elevenlabs.io"), plugin.config().baseUrl);
        CPPUNIT_ASSERT(host.httpRoutes().empty());
        plugin.shutdown();
    }

    void testOpenBeforeInitUnavailable()
    {
        ElevenLabsPlugin plugin;
        sdk::testing::FakeEventLoop loop;
        sdk::testing::RecordingCallChannel channel;
        sdk::AgentSessionRequest request;
        request.agent.agentId = "agent_1";
        auto result = plugin.openSession(request, channel, loop);
        CPPUNIT_ASSERT(!result.isOk());
        CPPUNIT_ASSERT(result.status().code() == sdk::StatusCode::Unavailable);
    }

    void testShutdownStopsSessions()
    {
        sdk::testing::FakeHostServices host("elevenlabs");
        ElevenLabsPlugin plugin;
        CPPUNIT_ASSERT(plugin.init(host, "{}").isOk());
        plugin.shutdown();
        sdk::testing::RecordingCallChannel channel;
        sdk::AgentSessionRequest request;
        request.agent.agentId = "agent_1";
        auto result = plugin.openSession(request, channel, host.loop());
        CPPUNIT_ASSERT(result.status().code() == sdk::StatusCode::Unavailable);
    }

    // The built module, loaded the way the host loads it: descriptor, create, init, destroy.
    void testModuleEntryPoints()
    {
        const std::string path = std::string(PATCHBAY_PLUGIN_DIR) + "/libpatchbay-elevenlabs.so";
        void* library = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
        if (!library)
        {
            const char* why = dlerror();
            CPPUNIT_FAIL(why ? why : "dlopen failed");
        }
        using Describe = const patchbay_plugin_descriptor* (*)();
        using Create = void* (*)();
        using Destroy = void (*)(void*);
        auto describe = reinterpret_cast<Describe>(dlsym(library, PATCHBAY_SYMBOL_DESCRIBE));
        auto create = reinterpret_cast<Create>(dlsym(library, PATCHBAY_SYMBOL_CREATE));
        auto destroy = reinterpret_cast<Destroy>(dlsym(library, PATCHBAY_SYMBOL_DESTROY));
        CPPUNIT_ASSERT(describe && create && destroy);

        const patchbay_plugin_descriptor* d = describe();
        CPPUNIT_ASSERT(d != nullptr);
        CPPUNIT_ASSERT_EQUAL(std::uint32_t(sizeof(patchbay_plugin_descriptor)), d->struct_size);
        CPPUNIT_ASSERT_EQUAL(std::uint32_t(PATCHBAY_ABI_MAJOR), d->abi_major);
        CPPUNIT_ASSERT_EQUAL(std::string(PATCHBAY_BUILD_SIGNATURE), std::string(d->build_signature));
        CPPUNIT_ASSERT_EQUAL(std::string("elevenlabs"), std::string(d->id));
        CPPUNIT_ASSERT_EQUAL(std::string("0.1.0"), std::string(d->version));
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(PATCHBAY_CAP_AGENT), std::uint64_t(d->capabilities));

        auto* plugin = static_cast<sdk::Plugin*>(create());
        CPPUNIT_ASSERT(plugin != nullptr);
        // checkConfig through the base class, as the host calls it on the object it created.
        CPPUNIT_ASSERT_EQUAL(std::string("ok"), plugin->checkConfig(R"({"baseUrl":"ws://127.0.0.1:1"})").toString());
        const sdk::Status typo = plugin->checkConfig(R"({"silenceTimeoutMS":1})");
        CPPUNIT_ASSERT_MESSAGE(typo.toString(), typo.code() == sdk::StatusCode::InvalidArgument &&
                                                    typo.message().find("'silenceTimeoutMS'") != std::string::npos);
        sdk::testing::FakeHostServices host("elevenlabs");
        CPPUNIT_ASSERT(plugin->init(host, R"({"baseUrl":"ws://127.0.0.1:1"})").isOk());
        CPPUNIT_ASSERT(plugin->agentProvider() != nullptr);
        CPPUNIT_ASSERT(plugin->inboundProvider() == nullptr);
        plugin->stop();
        plugin->shutdown();
        destroy(plugin);
        // Never dlclose: the host keeps plugins mapped for the life of the process.
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ElevenLabsPluginTest);
