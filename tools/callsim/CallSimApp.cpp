// CallSimApp.cpp: event loops, call scheduling with ramp, completion wait and shutdown order.
#include "CallSimApp.h"

#include "CallDriver.h"
#include "CallSimContext.h"
#include "CallSimReport.h"
#include "SimCall.h"

#include <patchbay/media/EventLoopGroup.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <iostream>
#include <memory>
#include <mutex>
#include <random>

namespace patchbay {
namespace callsim {

int CallSimApp::run()
{
    const CallSimOptions& o = _options;
    const auto started = std::chrono::steady_clock::now();

    std::mt19937_64 random{std::random_device{}()};
    std::string runId;
    {
        static constexpr char kHex[] = "0123456789abcdef";
        std::uint64_t bits = random();
        for (int i = 0; i < 16; ++i, bits >>= 4)
            runId += kHex[bits & 0xF];
    }

    FrameCodec codec(static_cast<std::size_t>(o.frameMs) * 8);
    WebhookClient webhooks(o.gatewayHost, o.gatewayPort, o.httpThreads);
    media::WebSocketConnector connector(static_cast<std::size_t>(o.connectThreads));

    std::mutex mutex;
    std::condition_variable doneCv;
    std::atomic<int> remaining{o.calls};
    CallSimContext context{o, codec, webhooks, connector, media::WebSocketOptions(), runId, [&] {
                               if (remaining.fetch_sub(1) == 1)
                               {
                                   std::lock_guard<std::mutex> lock(mutex);
                                   doneCv.notify_all();
                               }
                           }};
    context.socketOptions.connectTimeout = std::chrono::milliseconds(10000);
    context.socketOptions.closeTimeout = std::chrono::milliseconds(2000);

    media::EventLoopGroup loops(o.loops, "callsim");
    std::vector<std::unique_ptr<CallDriver>> drivers;
    for (std::size_t i = 0; i < loops.size(); ++i)
        drivers.push_back(std::make_unique<CallDriver>(loops.at(i), o.frameMs));
    loops.start();
    for (auto& driver : drivers)
        driver->loop().post([d = driver.get()] { d->start(); });

    std::vector<std::shared_ptr<SimCall>> calls;
    calls.reserve(static_cast<std::size_t>(o.calls));
    for (int i = 0; i < o.calls; ++i)
    {
        CallDriver& driver = *drivers[static_cast<std::size_t>(i) % drivers.size()];
        auto call = std::make_shared<SimCall>(context, driver, static_cast<std::uint32_t>(i));
        calls.push_back(call);
        const auto delay = std::chrono::milliseconds(o.calls > 1 ? std::uint64_t(o.rampMs) * i / o.calls : 0);
        driver.loop().post([call, delay, &driver] {
            if (delay.count() == 0)
                call->start();
            else
                driver.loop().runAfter(delay, [call] { call->start(); });
        });
    }

    const std::uint64_t timeoutMs =
        o.timeoutMs ? o.timeoutMs : std::uint64_t(o.rampMs) + o.ringMs + o.durationMs + o.graceMs + 30000;
    {
        std::unique_lock<std::mutex> lock(mutex);
        if (!doneCv.wait_for(lock, std::chrono::milliseconds(timeoutMs), [&] { return remaining.load() == 0; }))
            std::cerr << "patchbay-callsim: run timed out after " << timeoutMs << " ms with " << remaining.load()
                      << " calls unfinished\n";
    }

    // Stop producers first, then the loops (which close whatever is still open).
    webhooks.shutdown();
    connector.shutdown();
    loops.stop();

    tools::SampleSet rtt;
    for (auto& driver : drivers)
        rtt.merge(driver->rtt());
    std::vector<const CallResult*> results;
    for (auto& call : calls)
    {
        call->finalize();
        results.push_back(&call->result());
    }
    const auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
    CallSimReport report(o, std::move(results), std::move(rtt), static_cast<std::uint64_t>(elapsed.count()));
    std::cout << (o.json ? report.toJson() : report.toText()) << std::flush;
    return report.passed() ? 0 : 1;
}

} // namespace callsim
} // namespace patchbay
