// WebhookSender.cpp: the post-call webhook worker — HMAC signing and the blocking HTTP POST.
#include "WebhookSender.h"

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <ctime>

namespace patchbay {
namespace mockagent {

WebhookSender::WebhookSender(std::string url, std::string secret, MockAgentStats& stats):
    _url(std::move(url)),
    _secret(std::move(secret)),
    _stats(stats)
{
    if (enabled())
        _worker = std::thread([this] { run(); });
}

WebhookSender::~WebhookSender()
{
    stop();
}

void WebhookSender::post(std::string conversationId, std::string body)
{
    if (!enabled())
        return;
    std::lock_guard<std::mutex> lock(_mutex);
    if (_stopping)
        return;
    _queue.push_back(Item{std::move(conversationId), std::move(body)});
    _cv.notify_one();
}

void WebhookSender::stop()
{
    {
        std::lock_guard<std::mutex> lock(_mutex);
        _stopping = true;
        _cv.notify_one();
    }
    if (_worker.joinable())
        _worker.join();
}

std::string WebhookSender::signature(const std::string& secret, std::int64_t timestamp, const std::string& body)
{
    // The secret's UTF-8 bytes are the key as-is (not base64-decoded), and the body is signed exactly
    // as sent (§8.3 steps 4–5).
    const std::string t = std::to_string(timestamp);
    const std::string message = t + "." + body;
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
        reinterpret_cast<const unsigned char*>(message.data()), message.size(), digest, &length);
    static constexpr char kHex[] = "0123456789abcdef";
    std::string header = "t=" + t + ",v0=";
    for (unsigned int i = 0; i < length; ++i)
    {
        header += kHex[digest[i] >> 4];
        header += kHex[digest[i] & 0xF];
    }
    return header;
}

void WebhookSender::run()
{
    for (;;)
    {
        Item item;
        {
            std::unique_lock<std::mutex> lock(_mutex);
            _cv.wait(lock, [this] { return _stopping || !_queue.empty(); });
            if (_queue.empty())
                return; // stopping and drained
            item = std::move(_queue.front());
            _queue.pop_front();
        }
        deliver(item);
    }
}

void WebhookSender::deliver(const Item& item)
{
    MockAgentStats::WebhookRecord record{item.conversationId, 0, std::string()};
    try
    {
        const Poco::URI uri(_url);
        Poco::Net::HTTPClientSession session(uri.getHost(), uri.getPort());
        session.setTimeout(Poco::Timespan(10, 0));
        Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_POST, uri.getPathAndQuery().empty() ? "/" :
            uri.getPathAndQuery(), Poco::Net::HTTPMessage::HTTP_1_1);
        request.setContentType("application/json");
        request.setContentLength(static_cast<std::streamsize>(item.body.size()));
        request.set("ElevenLabs-Signature", signature(_secret, static_cast<std::int64_t>(std::time(nullptr)), item.body));
        request.set("User-Agent", "patchbay-mock-agent");
        session.sendRequest(request) << item.body;
        Poco::Net::HTTPResponse response;
        std::istream& in = session.receiveResponse(response);
        std::string ignored;
        Poco::StreamCopier::copyToString(in, ignored);
        record.status = static_cast<int>(response.getStatus());
    }
    catch (const Poco::Exception& e)
    {
        record.error = e.displayText();
    }
    catch (const std::exception& e)
    {
        record.error = e.what();
    }
    _stats.recordWebhook(std::move(record));
}

} // namespace mockagent
} // namespace patchbay
