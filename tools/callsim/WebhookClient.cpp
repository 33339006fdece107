// WebhookClient.cpp: the webhook worker threads; one new connection per request, like Twilio's fetches.
#include "WebhookClient.h"

#include "TwimlParser.h"

#include <Poco/Exception.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>

#include <chrono>

namespace patchbay {
namespace callsim {

WebhookClient::WebhookClient(std::string host, std::uint16_t port, int threads):
    _host(std::move(host)),
    _port(port)
{
    for (int i = 0; i < threads; ++i)
        _threads.emplace_back([this] { run(); });
}

WebhookClient::~WebhookClient()
{
    shutdown();
}

void WebhookClient::post(std::string path, std::string body, Headers headers, Done done)
{
    {
        std::lock_guard<std::mutex> lock(_mutex);
        _jobs.push_back(Job{std::move(path), std::move(body), std::move(headers), std::move(done)});
    }
    _cv.notify_one();
}

void WebhookClient::shutdown()
{
    {
        std::lock_guard<std::mutex> lock(_mutex);
        if (_stopping)
            return;
        _stopping = true;
        _jobs.clear();
    }
    _cv.notify_all();
    for (auto& t : _threads)
        t.join();
}

void WebhookClient::run()
{
    for (;;)
    {
        Job job;
        {
            std::unique_lock<std::mutex> lock(_mutex);
            _cv.wait(lock, [this] { return _stopping || !_jobs.empty(); });
            if (_stopping)
                return;
            job = std::move(_jobs.front());
            _jobs.pop_front();
        }
        job.done(execute(job));
    }
}

WebhookResult WebhookClient::execute(const Job& job)
{
    WebhookResult result;
    const auto start = std::chrono::steady_clock::now();
    try
    {
        Poco::Net::HTTPClientSession session(_host, _port);
        // Twilio gives the whole exchange 15 s (twilio.md §1.1).
        session.setTimeout(Poco::Timespan(15, 0));
        Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_POST, job.path, Poco::Net::HTTPMessage::HTTP_1_1);
        request.setContentType("application/x-www-form-urlencoded; charset=utf-8");
        request.setContentLength(static_cast<std::streamsize>(job.body.size()));
        request.set("User-Agent", "TwilioProxy/1.1");
        request.set("Accept", "*/*");
        for (const auto& [name, value] : job.headers)
            request.set(name, value);
        session.sendRequest(request) << job.body;
        Poco::Net::HTTPResponse response;
        std::istream& in = session.receiveResponse(response);
        std::string body;
        Poco::StreamCopier::copyToString(in, body);
        result.status = static_cast<int>(response.getStatus());
        if (result.status == 200)
        {
            result.twiml = TwimlParser::parse(body);
            if (result.twiml.kind == TwimlOutcome::Kind::Invalid)
                result.body = body.substr(0, 200);
        }
        else
            result.body = body.substr(0, 200);
    }
    catch (const Poco::Exception& e)
    {
        result.status = 0;
        result.error = e.displayText();
    }
    catch (const std::exception& e)
    {
        result.status = 0;
        result.error = e.what();
    }
    result.elapsedMs = static_cast<std::uint32_t>(
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count());
    return result;
}

} // namespace callsim
} // namespace patchbay
