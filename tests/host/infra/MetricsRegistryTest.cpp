// MetricsRegistryTest.cpp: CppUnit suite for MetricsRegistry — exact Prometheus text, label escaping, concurrency, rejected registrations.
#include "metrics/MetricsRegistry.h"

#include <cppunit/extensions/HelperMacros.h>

#include <cmath>
#include <limits>
#include <thread>

using namespace patchbay::host;

class MetricsRegistryTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(MetricsRegistryTest);
    CPPUNIT_TEST(emptyRegistryRendersNothing);
    CPPUNIT_TEST(counterAndGaugeRendering);
    CPPUNIT_TEST(histogramRendering);
    CPPUNIT_TEST(labelEscapingAndHelpEscaping);
    CPPUNIT_TEST(sameNameAndLabelsReturnSameMetric);
    CPPUNIT_TEST(concurrentIncrements);
    CPPUNIT_TEST(invalidNamesGiveNoopAndCount);
    CPPUNIT_TEST(typeConflictGivesNoop);
    CPPUNIT_TEST(histogramBoundsValidation);
    CPPUNIT_TEST(valueFormatting);
    CPPUNIT_TEST_SUITE_END();

public:
    void emptyRegistryRendersNothing()
    {
        MetricsRegistry r;
        CPPUNIT_ASSERT_EQUAL(std::string(""), r.renderPrometheus());
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(0), r.registrationErrors());
    }

    void counterAndGaugeRendering()
    {
        MetricsRegistry r;
        auto& completed = r.counter("calls_total", "Calls by outcome.", {{"outcome", "completed"}});
        auto& failed = r.counter("calls_total", "Calls by outcome.", {{"outcome", "failed"}});
        auto& plain = r.counter("patchbay_webhooks_total", "Webhooks received.");
        auto& active = r.gauge("calls_active", "Calls in progress.", {{"tenant", "t1"}, {"direction", "inbound"}});
        completed.inc();
        completed.inc(2);
        failed.inc(0.5);
        failed.inc(-3); // ignored: counters never go down
        plain.inc();
        active.set(5);
        active.add(-2);
        const std::string expected =
            "# HELP patchbay_calls_active Calls in progress.\n"
            "# TYPE patchbay_calls_active gauge\n"
            "patchbay_calls_active{direction=\"inbound\",tenant=\"t1\"} 3\n"
            "# HELP patchbay_calls_total Calls by outcome.\n"
            "# TYPE patchbay_calls_total counter\n"
            "patchbay_calls_total{outcome=\"completed\"} 3\n"
            "patchbay_calls_total{outcome=\"failed\"} 0.5\n"
            "# HELP patchbay_webhooks_total Webhooks received.\n"
            "# TYPE patchbay_webhooks_total counter\n"
            "patchbay_webhooks_total 1\n";
        CPPUNIT_ASSERT_EQUAL(expected, r.renderPrometheus());
        // Rendering is stable.
        CPPUNIT_ASSERT_EQUAL(expected, r.renderPrometheus());
    }

    void histogramRendering()
    {
        MetricsRegistry r;
        auto& h = r.histogram("webhook_seconds", "Webhook latency.", {0.005, 0.1, 1}, {{"route", "voice"}});
        auto& bare = r.histogram("connect_seconds", "Agent connect time.", {1});
        h.observe(0.001);
        h.observe(0.005); // le is inclusive
        h.observe(0.05);
        h.observe(2.5);
        h.observe(std::numeric_limits<double>::quiet_NaN()); // ignored
        bare.observe(0.25);
        const std::string expected =
            "# HELP patchbay_connect_seconds Agent connect time.\n"
            "# TYPE patchbay_connect_seconds histogram\n"
            "patchbay_connect_seconds_bucket{le=\"1\"} 1\n"
            "patchbay_connect_seconds_bucket{le=\"+Inf\"} 1\n"
            "patchbay_connect_seconds_sum 0.25\n"
            "patchbay_connect_seconds_count 1\n"
            "# HELP patchbay_webhook_seconds Webhook latency.\n"
            "# TYPE patchbay_webhook_seconds histogram\n"
            "patchbay_webhook_seconds_bucket{route=\"voice\",le=\"0.005\"} 2\n"
            "patchbay_webhook_seconds_bucket{route=\"voice\",le=\"0.1\"} 3\n"
            "patchbay_webhook_seconds_bucket{route=\"voice\",le=\"1\"} 3\n"
            "patchbay_webhook_seconds_bucket{route=\"voice\",le=\"+Inf\"} 4\n"
            "patchbay_webhook_seconds_sum{route=\"voice\"} 2.556\n"
            "patchbay_webhook_seconds_count{route=\"voice\"} 4\n";
        CPPUNIT_ASSERT_EQUAL(expected, r.renderPrometheus());
    }

    void labelEscapingAndHelpEscaping()
    {
        MetricsRegistry r;
        r.counter("odd_total", "Help with \\ backslash\nand newline \"quotes\" kept.", {{"v", "a\\b\"c\nd"}}).inc();
        const std::string expected = "# HELP patchbay_odd_total Help with \\\\ backslash\\nand newline \"quotes\" kept.\n"
                                     "# TYPE patchbay_odd_total counter\n"
                                     "patchbay_odd_total{v=\"a\\\\b\\\"c\\nd\"} 1\n";
        CPPUNIT_ASSERT_EQUAL(expected, r.renderPrometheus());
    }

    void sameNameAndLabelsReturnSameMetric()
    {
        MetricsRegistry r;
        auto& a = r.counter("x_total", "X.", {{"a", "1"}, {"b", "2"}});
        auto& b = r.counter("patchbay_x_total", "other help ignored", {{"b", "2"}, {"a", "1"}});
        CPPUNIT_ASSERT(&a == &b);
        auto& c = r.counter("x_total", "X.", {{"a", "1"}, {"b", "3"}});
        CPPUNIT_ASSERT(&a != &c);
        auto& h1 = r.histogram("h", "H.", {1, 2});
        auto& h2 = r.histogram("h", "H.", {1, 2});
        CPPUNIT_ASSERT(&h1 == &h2);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(0), r.registrationErrors());
    }

    void concurrentIncrements()
    {
        MetricsRegistry r;
        auto& c = r.counter("hits_total", "Hits.");
        auto& g = r.gauge("level", "Level.");
        auto& h = r.histogram("size", "Size.", {10, 100});
        std::vector<std::thread> threads;
        constexpr int kPerThread = 100000;
        for (int t = 0; t < 8; ++t)
            threads.emplace_back([&, t] {
                // Half the threads also register concurrently, which takes the mutex.
                auto& mine = r.counter("hits_total", "Hits.");
                for (int i = 0; i < kPerThread; ++i)
                {
                    (t % 2 ? mine : c).inc();
                    g.add(1);
                    g.add(-0.5);
                    h.observe(i % 3 == 0 ? 5 : 50);
                }
            });
        for (auto& t : threads)
            t.join();
        std::string text = r.renderPrometheus();
        CPPUNIT_ASSERT_MESSAGE(text, text.find("patchbay_hits_total 800000\n") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(text, text.find("patchbay_level 400000\n") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(text, text.find("patchbay_size_count 800000\n") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(text, text.find("patchbay_size_bucket{le=\"10\"} 266672\n") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(text, text.find("patchbay_size_bucket{le=\"+Inf\"} 800000\n") != std::string::npos);
    }

    void invalidNamesGiveNoopAndCount()
    {
        MetricsRegistry r;
        auto& bad1 = r.counter("bad-name", "x");
        auto& bad2 = r.counter("9lives", "x");
        auto& bad3 = r.gauge("ok_gauge", "x", {{"bad-label", "v"}});
        auto& bad4 = r.gauge("ok_gauge", "x", {{"__reserved", "v"}});
        auto& bad5 = r.gauge("ok_gauge", "x", {{"a", "1"}, {"a", "2"}});
        auto& bad6 = r.histogram("ok_hist", "x", {1}, {{"le", "1"}});
        CPPUNIT_ASSERT(r.lastRegistrationError().find("\"le\" is reserved") != std::string::npos);
        auto& bad7 = r.counter("", "x");
        CPPUNIT_ASSERT(&bad1 == &bad2);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(7), r.registrationErrors());
        CPPUNIT_ASSERT(r.lastRegistrationError().find("invalid metric name \"\"") != std::string::npos);
        // The no-op metrics are safe to use.
        bad1.inc();
        bad3.set(1);
        bad4.add(1);
        bad5.set(2);
        bad6.observe(1);
        bad7.inc();
        CPPUNIT_ASSERT_EQUAL(std::string(""), r.renderPrometheus());
        CPPUNIT_ASSERT(MetricsRegistry::isValidMetricName("a:b_c9"));
        CPPUNIT_ASSERT(!MetricsRegistry::isValidLabelName("a:b"));
    }

    void typeConflictGivesNoop()
    {
        MetricsRegistry r;
        auto& c = r.counter("thing", "T.");
        auto& g = r.gauge("thing", "T.");
        g.set(42);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(1), r.registrationErrors());
        CPPUNIT_ASSERT(r.lastRegistrationError().find("already registered as a counter") != std::string::npos);
        c.inc();
        CPPUNIT_ASSERT(r.renderPrometheus().find("patchbay_thing 1\n") != std::string::npos);
        // A histogram's derived series names are taken too.
        r.histogram("lat", "L.", {1});
        r.counter("lat_count", "C.");
        r.gauge("dur_sum", "D.");
        r.histogram("dur", "D.", {1});
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(3), r.registrationErrors());
    }

    void histogramBoundsValidation()
    {
        MetricsRegistry r;
        r.histogram("a", "A.", {2, 1});
        r.histogram("b", "B.", {1, 1});
        r.histogram("c", "C.", {1, std::numeric_limits<double>::infinity()});
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(3), r.registrationErrors());
        r.histogram("d", "D.", {1, 2});
        r.histogram("d", "D.", {1, 3});
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(4), r.registrationErrors());
        auto& e = r.histogram("e", "E.", {});
        e.observe(7);
        CPPUNIT_ASSERT(r.renderPrometheus().find("patchbay_e_bucket{le=\"+Inf\"} 1\npatchbay_e_sum 7\npatchbay_e_count 1\n") !=
                       std::string::npos);
    }

    void valueFormatting()
    {
        CPPUNIT_ASSERT_EQUAL(std::string("0"), MetricsRegistry::formatValue(0));
        CPPUNIT_ASSERT_EQUAL(std::string("3"), MetricsRegistry::formatValue(3));
        CPPUNIT_ASSERT_EQUAL(std::string("-2.5"), MetricsRegistry::formatValue(-2.5));
        CPPUNIT_ASSERT_EQUAL(std::string("0.1"), MetricsRegistry::formatValue(0.1));
        CPPUNIT_ASSERT_EQUAL(std::string("800000"), MetricsRegistry::formatValue(800000));
        CPPUNIT_ASSERT_EQUAL(std::string("-12345678901234"), MetricsRegistry::formatValue(-12345678901234.0));
        CPPUNIT_ASSERT_EQUAL(std::string("1e+20"), MetricsRegistry::formatValue(1e20));
        CPPUNIT_ASSERT_EQUAL(std::string("+Inf"), MetricsRegistry::formatValue(INFINITY));
        CPPUNIT_ASSERT_EQUAL(std::string("-Inf"), MetricsRegistry::formatValue(-INFINITY));
        CPPUNIT_ASSERT_EQUAL(std::string("NaN"), MetricsRegistry::formatValue(NAN));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(MetricsRegistryTest);
