// AdminClient.cpp: request/response over Poco HTTP(S) sessions and the mapping of problem+json bodies to exit codes.
#include "AdminClient.h"

#include "CtlError.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/ParseHandler.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SSLException.h>
#include <Poco/StreamCopier.h>

#include <memory>
#include <sstream>

namespace patchbay {
namespace ctl {

namespace {

std::string textField(const Poco::JSON::Object::Ptr& object, const std::string& name)
{
    if (!object || !object->has(name) || object->get(name).isEmpty())
        return std::string();
    try
    {
        return object->get(name).convert<std::string>();
    }
    catch (const Poco::Exception&)
    {
        return std::string();
    }
}

/// One line for stderr: "title: detail (field: x)". Newlines in server text would break the
/// one-line promise that scripts rely on, so they are flattened.
std::string problemLine(const AdminClient::Response& response, const std::string& reason)
{
    Poco::JSON::Object::Ptr problem;
    if (response.json.type() == typeid(Poco::JSON::Object::Ptr))
        problem = response.json.extract<Poco::JSON::Object::Ptr>();
    std::string title = textField(problem, "title");
    const std::string detail = textField(problem, "detail");
    const std::string field = textField(problem, "field");
    if (title.empty())
        title = reason;
    std::string line = "HTTP " + std::to_string(response.status) + " " + title;
    if (!detail.empty() && detail != title)
        line += ": " + detail;
    if (!field.empty())
        line += " (field: " + field + ")";
    if (!problem && !response.body.empty() && response.json.isEmpty())
        line += ": " + response.body.substr(0, 200);
    for (char& c : line)
        if (c == '\n' || c == '\r')
            c = ' ';
    return line;
}

} // namespace

AdminClient::AdminClient(const std::string& baseUrl, std::string token):
    _token(std::move(token))
{
    try
    {
        _base = Poco::URI(baseUrl);
    }
    catch (const Poco::Exception& e)
    {
        throw CtlError::usage("invalid --url '" + baseUrl + "': " + e.message(), "expected e.g. http://127.0.0.1:8081");
    }
    if ((_base.getScheme() != "http" && _base.getScheme() != "https") || _base.getHost().empty())
        throw CtlError::usage("invalid --url '" + baseUrl + "'", "expected http(s)://HOST[:PORT], e.g. http://127.0.0.1:8081");
    _prefix = _base.getPath();
    while (!_prefix.empty() && _prefix.back() == '/')
        _prefix.pop_back();
}

std::string AdminClient::where() const
{
    return _base.getScheme() + "://" + _base.getAuthority();
}

std::string AdminClient::segment(const std::string& text)
{
    std::string encoded;
    Poco::URI::encode(text, "/?#[]@!$&'()*+,;=:% ", encoded);
    return encoded;
}

Poco::Dynamic::Var AdminClient::parseJson(const std::string& text)
{
    Poco::JSON::Parser parser(new Poco::JSON::ParseHandler(true));
    return parser.parse(text);
}

AdminClient::Response AdminClient::call(const std::string& method, const std::string& path, const Query& query,
                                        const std::string& body)
{
    std::string target = _prefix + path;
    char separator = '?';
    for (const auto& [name, value] : query)
    {
        std::string encoded;
        Poco::URI::encode(value, "!#$&'()*+,/:;=?@[]% ", encoded);
        target += separator + name + "=" + encoded;
        separator = '&';
    }

    std::unique_ptr<Poco::Net::HTTPClientSession> session;
    Response response;
    std::string reason;
    try
    {
        if (_base.getScheme() == "https")
        {
            Poco::Net::Context::Ptr context = new Poco::Net::Context(
                Poco::Net::Context::TLS_CLIENT_USE, "", Poco::Net::Context::VERIFY_RELAXED, 9, true);
            session = std::make_unique<Poco::Net::HTTPSClientSession>(_base.getHost(), _base.getPort(), context);
        }
        else
            session = std::make_unique<Poco::Net::HTTPClientSession>(_base.getHost(), _base.getPort());
        session->setTimeout(Poco::Timespan(10, 0), Poco::Timespan(10, 0), Poco::Timespan(_receiveTimeoutSeconds, 0));

        Poco::Net::HTTPRequest request(method, target, Poco::Net::HTTPMessage::HTTP_1_1);
        request.set("Accept", "application/json, application/problem+json");
        request.set("User-Agent", "patchbayctl");
        if (!_token.empty())
            request.set("Authorization", "Bearer " + _token);
        if (!body.empty())
        {
            request.setContentType("application/json");
            request.setContentLength(static_cast<std::streamsize>(body.size()));
        }
        else if (method == "POST" || method == "PUT")
            request.setContentLength(0);
        std::ostream& out = session->sendRequest(request);
        out << body;

        Poco::Net::HTTPResponse httpResponse;
        std::istream& in = session->receiveResponse(httpResponse);
        Poco::StreamCopier::copyToString(in, response.body);
        response.status = static_cast<int>(httpResponse.getStatus());
        reason = httpResponse.getReason();
    }
    catch (const Poco::Net::SSLException& e)
    {
        throw CtlError(ExitCode::Connection, "cannot connect to " + where() + ": TLS: " + e.message());
    }
    catch (const Poco::Exception& e)
    {
        // Refused, unreachable, unknown host, timeout, reset: the caller cannot tell whether a
        // request that was cut off mid-way took effect, so all of them are "connection" failures.
        throw CtlError(ExitCode::Connection, "cannot connect to " + where() + ": " + e.displayText());
    }

    if (!response.body.empty())
    {
        try
        {
            response.json = parseJson(response.body);
        }
        catch (const Poco::Exception&)
        {
            if (response.status >= 200 && response.status < 300)
                throw CtlError(ExitCode::ApiError, "HTTP " + std::to_string(response.status) + " from " + where() +
                                                       " " + path + " is not JSON");
        }
    }
    if (response.status >= 200 && response.status < 300)
        return response;
    if (response.status == 401 || response.status == 403)
    {
        std::string hint = response.status == 401 ? "check --token / PATCHBAY_ADMIN_TOKEN"
                                                   : "this token may not do that (a tenant token sees only its tenant)";
        throw CtlError(ExitCode::Auth, problemLine(response, reason), hint);
    }
    throw CtlError(ExitCode::ApiError, problemLine(response, reason));
}

} // namespace ctl
} // namespace patchbay
