// CallSimReport.cpp: aggregation and rendering of a callsim run.
#include "CallSimReport.h"

#include <patchbay/sdk/support/JsonWriter.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <sstream>

namespace patchbay {
namespace callsim {

namespace {

/// Microseconds as milliseconds with three decimals (what the JSON and text reports show).
double millis(std::int64_t micros)
{
    return static_cast<double>(micros) / 1000.0;
}

} // namespace

CallSimReport::CallSimReport(const CallSimOptions& options, std::vector<const CallResult*> calls, tools::SampleSet rtt,
    std::uint64_t elapsedMs):
    _options(options),
    _calls(std::move(calls)),
    _rtt(std::move(rtt)),
    _elapsedMs(elapsedMs)
{
    for (const CallResult* c : _calls)
    {
        ++_outcomes[CallResult::outcomeName(c->outcome)];
        if (c->outcome == CallResult::Outcome::Failed || c->outcome == CallResult::Outcome::Rejected ||
            c->outcome == CallResult::Outcome::Fallback)
            ++_reasons[std::string(CallResult::outcomeName(c->outcome)) + ": " + c->detail];
        if (c->connected)
        {
            ++_connected;
            ++_closeCodes[c->closeCode];
            if (c->framesSent > 0 && c->echoed == 0)
                ++_callsWithoutEcho;
        }
        if (c->clears > 0)
            ++_callsWithClear;
        if (c->firstAudioMicros >= 0)
        {
            const auto micros = static_cast<std::uint32_t>(
                std::min<std::int64_t>(c->firstAudioMicros, std::numeric_limits<std::uint32_t>::max()));
            _firstAudio.add(micros);
            _firstAudioSum += micros;
        }
        _sum.framesSent += c->framesSent;
        _sum.echoed += c->echoed;
        _sum.lost += c->lost;
        _sum.corrupted += c->corrupted;
        _sum.duplicates += c->duplicates;
        _sum.reordered += c->reordered;
        _sum.staleAfterClear += c->staleAfterClear;
        _sum.foreignAudio += c->foreignAudio;
        _sum.foreignBytes += c->foreignBytes;
        _sum.clears += c->clears;
        _sum.marksReceived += c->marksReceived;
        _sum.marksEchoed += c->marksEchoed;
        _sum.badMessages += c->badMessages;
    }
    check();
}

double CallSimReport::firstAudioMeanMs() const
{
    if (_firstAudio.size() == 0)
        return 0.0;
    // Rounded to the µs so the JSON shows three decimals, like the other figures.
    return std::round(static_cast<double>(_firstAudioSum) / static_cast<double>(_firstAudio.size())) / 1000.0;
}

void CallSimReport::expectAll(CallResult::Outcome outcome, const char* what)
{
    const std::uint64_t n = _outcomes[CallResult::outcomeName(outcome)];
    if (n != _calls.size())
        _failures.push_back(std::to_string(_calls.size() - n) + " of " + std::to_string(_calls.size()) + " calls did not end " +
            what);
}

void CallSimReport::check()
{
    const std::string& e = _options.expect;
    if (e.empty())
        return;
    if (e == "echo")
    {
        expectAll(CallResult::Outcome::Completed, "completed (connected, streamed, hung up by us)");
        auto zero = [this](std::uint64_t v, const char* what) {
            if (v != 0)
                _failures.push_back(std::to_string(v) + " " + what);
        };
        zero(_sum.lost, "frames lost");
        zero(_sum.corrupted, "corrupted echoes");
        zero(_sum.duplicates, "duplicate echoes");
        zero(_sum.staleAfterClear, "stale echoes after a clear");
        zero(_sum.badMessages, "bad messages from the gateway");
        zero(_callsWithoutEcho, "connected calls without any echo");
    }
    else if (e == "reject" || e == "busy")
    {
        expectAll(CallResult::Outcome::Rejected, "with <Reject>");
        if (e == "busy")
            for (const CallResult* c : _calls)
                if (c->outcome == CallResult::Outcome::Rejected && c->detail != "busy")
                {
                    _failures.push_back("a call was rejected with reason '" + c->detail + "', not busy");
                    break;
                }
    }
    else if (e == "fallback")
        expectAll(CallResult::Outcome::Fallback, "with the fallback TwiML (<Say>/<Dial>)");
    else if (e == "forbidden")
        expectAll(CallResult::Outcome::Forbidden, "with HTTP 403");
}

std::string CallSimReport::toJson()
{
    using sdk::support::JsonWriter;
    std::string out;
    JsonWriter w(out);
    const double ms = 1000.0;
    w.beginObject();
    w.key("calls").beginObject();
    w.key("attempted").value(static_cast<std::uint64_t>(_calls.size()));
    w.key("connected").value(_connected);
    for (const char* name : {"completed", "rejected", "forbidden", "fallback", "failed", "pending"})
        w.key(name).value(_outcomes[name]);
    w.key("withClear").value(_callsWithClear);
    w.key("withoutEcho").value(_callsWithoutEcho);
    w.endObject();
    w.key("reasons").beginObject();
    for (const auto& [reason, count] : _reasons)
        w.key(reason).value(count);
    w.endObject();
    w.key("frames").beginObject();
    w.key("sent").value(_sum.framesSent).key("echoed").value(_sum.echoed).key("lost").value(_sum.lost);
    w.key("corrupted").value(_sum.corrupted).key("duplicates").value(_sum.duplicates).key("reordered").value(_sum.reordered);
    w.key("staleAfterClear").value(_sum.staleAfterClear);
    w.key("foreignAudioMessages").value(_sum.foreignAudio).key("foreignAudioBytes").value(_sum.foreignBytes);
    w.endObject();
    w.key("clears").value(_sum.clears);
    w.key("marks").beginObject().key("received").value(_sum.marksReceived).key("echoed").value(_sum.marksEchoed).endObject();
    w.key("badMessages").value(_sum.badMessages);
    w.key("rttMs").beginObject();
    w.key("samples").value(static_cast<std::uint64_t>(_rtt.size()));
    w.key("p50").value(_rtt.percentile(0.50) / ms).key("p90").value(_rtt.percentile(0.90) / ms);
    w.key("p99").value(_rtt.percentile(0.99) / ms).key("max").value(_rtt.max() / ms);
    w.endObject();
    // `start` sent → first media from the gateway, over the calls that received any (steady clock).
    w.key("firstAudioMs").beginObject();
    w.key("count").value(static_cast<std::uint64_t>(_firstAudio.size()));
    if (_firstAudio.size() == 0)
        w.key("p50").null().key("p95").null().key("max").null().key("mean").null();
    else
    {
        w.key("p50").value(millis(_firstAudio.percentile(0.50))).key("p95").value(millis(_firstAudio.percentile(0.95)));
        w.key("max").value(millis(_firstAudio.max())).key("mean").value(firstAudioMeanMs());
    }
    w.endObject();
    w.key("closeCodes").beginObject();
    for (const auto& [code, count] : _closeCodes)
        w.key(std::to_string(code)).value(count);
    w.endObject();
    w.key("elapsedMs").value(_elapsedMs);
    w.key("expect").value(_options.expect);
    w.key("pass").value(passed());
    w.key("failures").beginArray();
    for (const auto& f : _failures)
        w.value(f);
    w.endArray();
    if (_options.perCall)
    {
        w.key("perCall").beginArray();
        for (const CallResult* c : _calls)
        {
            w.beginObject();
            w.key("callSid").value(c->callSid).key("streamSid").value(c->streamSid);
            w.key("outcome").value(CallResult::outcomeName(c->outcome)).key("detail").value(c->detail);
            w.key("webhookStatus").value(c->webhookStatus).key("webhookMs").value(c->webhookMs);
            w.key("connected").value(c->connected);
            w.key("framesSent").value(c->framesSent).key("echoed").value(c->echoed).key("lost").value(c->lost);
            w.key("corrupted").value(c->corrupted).key("duplicates").value(c->duplicates);
            w.key("reordered").value(c->reordered).key("staleAfterClear").value(c->staleAfterClear);
            w.key("foreignAudioMessages").value(c->foreignAudio).key("clears").value(c->clears);
            w.key("marksReceived").value(c->marksReceived).key("marksEchoed").value(c->marksEchoed);
            w.key("badMessages").value(c->badMessages).key("dtmfSent").value(c->dtmfSent);
            w.key("firstAudioMs");
            if (c->firstAudioMicros < 0)
                w.null();
            else
                w.value(millis(c->firstAudioMicros));
            w.key("closeCode").value(c->closeCode).key("closeReason").value(c->closeReason);
            w.endObject();
        }
        w.endArray();
    }
    w.endObject();
    out += '\n';
    return out;
}

std::string CallSimReport::toText()
{
    std::ostringstream out;
    char line[256];
    out << "calls: " << _calls.size() << " attempted, " << _connected << " connected, " << _outcomes["completed"]
        << " completed, " << _outcomes["rejected"] << " rejected, " << _outcomes["forbidden"] << " forbidden, "
        << _outcomes["fallback"] << " fallback, " << _outcomes["failed"] << " failed\n";
    for (const auto& [reason, count] : _reasons)
        out << "  " << count << " x " << reason << "\n";
    out << "frames: " << _sum.framesSent << " sent, " << _sum.echoed << " echoed, " << _sum.lost << " lost, "
        << _sum.corrupted << " corrupted, " << _sum.duplicates << " duplicate, " << _sum.reordered << " reordered, "
        << _sum.staleAfterClear << " stale after clear\n";
    out << "agent audio (not echoes): " << _sum.foreignAudio << " messages, " << _sum.foreignBytes << " bytes\n";
    out << "clears: " << _sum.clears << " (" << _callsWithClear << " calls); marks: " << _sum.marksReceived
        << " received, " << _sum.marksEchoed << " echoed; bad messages: " << _sum.badMessages << "\n";
    std::snprintf(line, sizeof line, "rtt ms: p50 %.2f  p90 %.2f  p99 %.2f  max %.2f  (%zu samples)\n",
        _rtt.percentile(0.5) / 1000.0, _rtt.percentile(0.9) / 1000.0, _rtt.percentile(0.99) / 1000.0, _rtt.max() / 1000.0,
        _rtt.size());
    out << line;
    if (_firstAudio.size() == 0)
        out << "first audio ms (start -> first media): none received\n";
    else
    {
        std::snprintf(line, sizeof line,
            "first audio ms (start -> first media): p50 %.3f  p95 %.3f  max %.3f  mean %.3f  (%zu calls)\n",
            millis(_firstAudio.percentile(0.5)), millis(_firstAudio.percentile(0.95)), millis(_firstAudio.max()),
            firstAudioMeanMs(), _firstAudio.size());
        out << line;
    }
    out << "elapsed: " << _elapsedMs << " ms\n";
    if (!_options.expect.empty())
    {
        out << "expect " << _options.expect << ": " << (passed() ? "PASS" : "FAIL") << "\n";
        for (const auto& f : _failures)
            out << "  " << f << "\n";
    }
    return out.str();
}

} // namespace callsim
} // namespace patchbay
