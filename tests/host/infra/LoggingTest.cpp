// LoggingTest.cpp: CppUnit suite for LogManager / SpdlogLogger / LogLineFormatter — JSON escaping, CallSid field, levels, text layout.
#include "logging/LogLineFormatter.h"
#include "logging/LogManager.h"

#include "patchbay/sdk/support/JsonDocument.h"

#include <cppunit/extensions/HelperMacros.h>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <spdlog/sinks/ostream_sink.h>

#include <cstdio>
#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

using namespace patchbay::host;
using patchbay::sdk::LogLevel;

namespace {

struct Capture
{
    std::ostringstream stream;
    std::shared_ptr<spdlog::sinks::ostream_sink_mt> sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(stream);

    std::vector<std::string> lines() const
    {
        std::vector<std::string> out;
        std::istringstream in(stream.str());
        for (std::string line; std::getline(in, line);)
            out.push_back(line);
        return out;
    }
};

LoggingConfig jsonConfig()
{
    LoggingConfig c;
    c.format = LogFormat::Json;
    return c;
}

Poco::JSON::Object::Ptr parseLine(const std::string& line)
{
    // The SDK parser is strict about UTF-8 and control characters; Poco's is not.
    patchbay::sdk::support::JsonDocument strict;
    std::string error;
    CPPUNIT_ASSERT_MESSAGE("not strict JSON (" + error + "): " + line, strict.parse(line, &error));
    Poco::JSON::Parser parser;
    return parser.parse(line).extract<Poco::JSON::Object::Ptr>();
}

} // namespace

class LoggingTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(LoggingTest);
    CPPUNIT_TEST(jsonLineFields);
    CPPUNIT_TEST(jsonEscapesQuotesNewlinesControls);
    CPPUNIT_TEST(jsonReplacesInvalidUtf8);
    CPPUNIT_TEST(jsonOmitsEmptyCallSid);
    CPPUNIT_TEST(textLayout);
    CPPUNIT_TEST(textEscapesControlCharacters);
    CPPUNIT_TEST(perLoggerLevels);
    CPPUNIT_TEST(setLevelAtRuntime);
    CPPUNIT_TEST(loggersAreCachedAndShareTheSink);
    CPPUNIT_TEST(concurrentLinesStayWhole);
    CPPUNIT_TEST(fileSink);
    CPPUNIT_TEST_SUITE_END();

public:
    void jsonLineFields()
    {
        Capture cap;
        LogManager logs(jsonConfig(), cap.sink);
        logs.pluginLogger("twilio").info("call admitted", "CA123");
        auto lines = cap.lines();
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), lines.size());
        auto obj = parseLine(lines[0]);
        CPPUNIT_ASSERT_EQUAL(std::string("info"), obj->getValue<std::string>("level"));
        CPPUNIT_ASSERT_EQUAL(std::string("plugin.twilio"), obj->getValue<std::string>("logger"));
        CPPUNIT_ASSERT_EQUAL(std::string("CA123"), obj->getValue<std::string>("callSid"));
        CPPUNIT_ASSERT_EQUAL(std::string("call admitted"), obj->getValue<std::string>("msg"));
        std::string ts = obj->getValue<std::string>("ts");
        CPPUNIT_ASSERT_MESSAGE(ts, std::regex_match(ts, std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)")));
        // Field order is part of the format (grep-friendly, stable for log shippers).
        CPPUNIT_ASSERT_EQUAL(std::string::size_type(0), lines[0].find("{\"ts\":\""));
        CPPUNIT_ASSERT(lines[0].find("\",\"level\":\"info\",\"logger\":\"plugin.twilio\",\"callSid\":\"CA123\",\"msg\":\"call admitted\"}") !=
                       std::string::npos);
    }

    void jsonEscapesQuotesNewlinesControls()
    {
        Capture cap;
        LogManager logs(jsonConfig(), cap.sink);
        const std::string nasty = std::string("say \"hi\" \\ back\nline2\r\ttab \x01\x1f\x7f end") + '\0' + "nul";
        logs.logger("host").warn(nasty, "CA\"1\n");
        auto lines = cap.lines();
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), lines.size());
        auto obj = parseLine(lines[0]);
        CPPUNIT_ASSERT_EQUAL(nasty, obj->getValue<std::string>("msg"));
        CPPUNIT_ASSERT_EQUAL(std::string("CA\"1\n"), obj->getValue<std::string>("callSid"));
        CPPUNIT_ASSERT_EQUAL(std::string("warn"), obj->getValue<std::string>("level"));
        CPPUNIT_ASSERT(lines[0].find("\\u0001\\u001f") != std::string::npos);
        CPPUNIT_ASSERT(lines[0].find("\\u0000nul") != std::string::npos);
    }

    void jsonReplacesInvalidUtf8()
    {
        Capture cap;
        LogManager logs(jsonConfig(), cap.sink);
        const std::string fffd = "\xEF\xBF\xBD";
        struct Case
        {
            std::string in, expected;
        };
        std::vector<Case> cases{
            {"caf\xC3\xA9 \xF0\x9F\x98\x80", "caf\xC3\xA9 \xF0\x9F\x98\x80"}, // valid 2- and 4-byte sequences kept
            {"bad \xFF byte", "bad " + fffd + " byte"},
            {"cut \xC3", "cut " + fffd},                                        // truncated at the end
            {"overlong \xC0\xAF", "overlong " + fffd + fffd},
            {"surrogate \xED\xA0\x80!", "surrogate " + fffd + fffd + fffd + "!"},
            {"too big \xF4\x90\x80\x80", "too big " + fffd + fffd + fffd + fffd},
            {"cont \x80\x80", "cont " + fffd + fffd},
        };
        for (const auto& c : cases)
            logs.logger("host").info(c.in, "CA\xFF");
        auto lines = cap.lines();
        CPPUNIT_ASSERT_EQUAL(cases.size(), lines.size());
        for (std::size_t i = 0; i < cases.size(); ++i)
        {
            auto obj = parseLine(lines[i]);
            CPPUNIT_ASSERT_EQUAL(cases[i].expected, obj->getValue<std::string>("msg"));
            CPPUNIT_ASSERT_EQUAL("CA" + fffd, obj->getValue<std::string>("callSid"));
        }
    }

    void jsonOmitsEmptyCallSid()
    {
        Capture cap;
        LogManager logs(jsonConfig(), cap.sink);
        logs.logger("core").error("no call here");
        auto obj = parseLine(cap.lines().at(0));
        CPPUNIT_ASSERT(!obj->has("callSid"));
        CPPUNIT_ASSERT_EQUAL(std::string("error"), obj->getValue<std::string>("level"));
    }

    void textLayout()
    {
        Capture cap;
        LoggingConfig config;
        config.level = LogThreshold::Trace;
        LogManager logs(config, cap.sink);
        logs.pluginLogger("twilio").info("stream started", "CA123");
        logs.logger("host").log(LogLevel::Critical, "", "shutting down");
        logs.logger("media").log(LogLevel::Trace, "CA9", "tick");
        auto lines = cap.lines();
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), lines.size());
        std::regex ts(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z )");
        CPPUNIT_ASSERT_MESSAGE(lines[0],
                               std::regex_match(lines[0], std::regex(R"(\S+Z info  \[plugin\.twilio\] call=CA123 stream started)")));
        CPPUNIT_ASSERT_MESSAGE(lines[0], std::regex_search(lines[0], ts));
        CPPUNIT_ASSERT_MESSAGE(lines[1], std::regex_match(lines[1], std::regex(R"(\S+Z critical \[host\] shutting down)")));
        CPPUNIT_ASSERT_MESSAGE(lines[2], std::regex_match(lines[2], std::regex(R"(\S+Z trace \[media\] call=CA9 tick)")));
    }

    void textEscapesControlCharacters()
    {
        Capture cap;
        LogManager logs(LoggingConfig{}, cap.sink);
        logs.logger("http").info("forged\n2026-01-01T00:00:00.000Z info  [host] admin login \x01 \xFF");
        auto lines = cap.lines();
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), lines.size());
        CPPUNIT_ASSERT(lines[0].find("forged\\n2026") != std::string::npos);
        CPPUNIT_ASSERT(lines[0].find("\\x01 \xEF\xBF\xBD") != std::string::npos);
    }

    void perLoggerLevels()
    {
        Capture cap;
        LoggingConfig config = jsonConfig();
        config.level = LogThreshold::Info;
        config.levels["plugin.twilio"] = LogThreshold::Debug;
        config.levels["plugin"] = LogThreshold::Error;
        config.levels["http"] = LogThreshold::Off;
        LogManager logs(config, cap.sink);

        auto& twilio = logs.pluginLogger("twilio");
        auto& eleven = logs.pluginLogger("elevenlabs");
        auto& http = logs.logger("http");
        auto& host = logs.logger("host");
        CPPUNIT_ASSERT(twilio.enabled(LogLevel::Debug));
        CPPUNIT_ASSERT(!twilio.enabled(LogLevel::Trace));
        CPPUNIT_ASSERT(!eleven.enabled(LogLevel::Warn));
        CPPUNIT_ASSERT(eleven.enabled(LogLevel::Error));
        CPPUNIT_ASSERT(!http.enabled(LogLevel::Critical));
        CPPUNIT_ASSERT(host.enabled(LogLevel::Info));
        CPPUNIT_ASSERT(!host.enabled(LogLevel::Debug));
        CPPUNIT_ASSERT(logs.levelFor("plugin.twilio.sub") == LogThreshold::Debug);

        twilio.debug("t-debug");
        twilio.log(LogLevel::Trace, "", "t-trace");
        eleven.warn("e-warn");
        eleven.error("e-error");
        http.error("h-error");
        host.debug("host-debug");
        host.info("host-info");
        std::vector<std::string> msgs;
        for (const auto& line : cap.lines())
            msgs.push_back(parseLine(line)->getValue<std::string>("msg"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), msgs.size());
        CPPUNIT_ASSERT_EQUAL(std::string("t-debug"), msgs[0]);
        CPPUNIT_ASSERT_EQUAL(std::string("e-error"), msgs[1]);
        CPPUNIT_ASSERT_EQUAL(std::string("host-info"), msgs[2]);
    }

    void setLevelAtRuntime()
    {
        Capture cap;
        LogManager logs(jsonConfig(), cap.sink);
        auto& a = logs.pluginLogger("a");
        CPPUNIT_ASSERT(!a.enabled(LogLevel::Debug));
        logs.setLevel("plugin", LogThreshold::Trace);
        CPPUNIT_ASSERT(a.enabled(LogLevel::Trace));
        CPPUNIT_ASSERT(logs.pluginLogger("b").enabled(LogLevel::Trace));
        CPPUNIT_ASSERT(!logs.logger("host").enabled(LogLevel::Debug));
    }

    void loggersAreCachedAndShareTheSink()
    {
        Capture cap;
        LogManager logs(jsonConfig(), cap.sink);
        CPPUNIT_ASSERT(&logs.logger("host") == &logs.logger("host"));
        CPPUNIT_ASSERT(&logs.logger("host") != &logs.logger("media"));
        auto spd = logs.spdlogLogger("core");
        spd->info("via spdlog {}", 42);
        logs.logger("host").info("via sdk");
        auto lines = cap.lines();
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), lines.size());
        CPPUNIT_ASSERT_EQUAL(std::string("via spdlog 42"), parseLine(lines[0])->getValue<std::string>("msg"));
        CPPUNIT_ASSERT_EQUAL(std::string("core"), parseLine(lines[0])->getValue<std::string>("logger"));
        // Braces in an sdk message are text, not format placeholders.
        logs.logger("host").info("{} {:x}");
        CPPUNIT_ASSERT_EQUAL(std::string("{} {:x}"), parseLine(cap.lines().at(2))->getValue<std::string>("msg"));
    }

    void concurrentLinesStayWhole()
    {
        Capture cap;
        LogManager logs(jsonConfig(), cap.sink);
        std::vector<std::thread> threads;
        for (int t = 0; t < 8; ++t)
            threads.emplace_back([&logs, t] {
                auto& log = logs.pluginLogger("p" + std::to_string(t % 3));
                std::string sid = "CA" + std::to_string(t);
                for (int i = 0; i < 200; ++i)
                    log.info("line " + std::to_string(i) + " \"q\"\n", sid);
            });
        for (auto& th : threads)
            th.join();
        auto lines = cap.lines();
        CPPUNIT_ASSERT_EQUAL(std::size_t(1600), lines.size());
        for (const auto& line : lines)
        {
            auto obj = parseLine(line);
            // The CallSid belongs to the thread that logged the line, never a neighbour's.
            std::string sid = obj->getValue<std::string>("callSid");
            std::string logger = obj->getValue<std::string>("logger");
            int t = std::stoi(sid.substr(2));
            CPPUNIT_ASSERT_EQUAL("plugin.p" + std::to_string(t % 3), logger);
        }
    }

    void fileSink()
    {
        std::string path = std::string(PATCHBAY_BINARY_DIR) + "/infra-logging-test.log";
        std::remove(path.c_str());
        {
            LoggingConfig config = jsonConfig();
            config.file = path;
            LogManager logs(config);
            logs.logger("host").info("to the file", "CA7");
        }
        std::ifstream in(path);
        std::string line;
        CPPUNIT_ASSERT(std::getline(in, line));
        CPPUNIT_ASSERT_EQUAL(std::string("CA7"), parseLine(line)->getValue<std::string>("callSid"));
        std::remove(path.c_str());
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(LoggingTest);
