// DoctorCommands.cpp: `patchbayctl doctor` — every number's carrier setup and the public endpoints, one line per check, exit 5 on any failure.
#include "AdminClient.h"
#include "Arguments.h"
#include "CommandGroup.h"
#include "CtlContext.h"
#include "CtlError.h"
#include "JsonText.h"

#include <Poco/JSON/Array.h>

#include <ostream>

namespace patchbay {
namespace ctl {

namespace {

using Ptr = Poco::JSON::Object::Ptr;

/// Problems and fixes come from the carrier plugin: kept to one line each, whatever they contain.
std::string oneLine(std::string text)
{
    for (char& c : text)
        if (c == '\n' || c == '\r' || c == '\t')
            c = ' ';
    return text;
}

int doctor(CtlContext& context, const std::vector<std::string>& argv)
{
    Arguments args("doctor", "", "Check the gateway's carrier setup end to end (operator token).");
    args.note("Checks, without changing anything:\n"
              "  - every assigned number at the carrier: does its voice URL, method and status callback point at\n"
              "    this gateway's publicUrl?\n"
              "  - the way in, through publicUrl as the carrier calls it (DNS, TLS, proxy included): a correctly\n"
              "    signed test webhook is answered, a badly signed one is refused (403), the media-stream\n"
              "    WebSocket handshake completes. The test call goes to a number nobody owns: no call is admitted.\n"
              "Prints one line per check: 'OK  subject' or 'FAIL  subject: problem; fix: what to do'.\n"
              "It waits for the carrier's API (up to 5 minutes with many numbers).");
    args.exitCodes("exit codes: 0 all checks ok, 1 API error, 2 usage error, 3 cannot connect, 4 authentication failure,\n"
                   "            5 at least one check failed");
    if (!context.begin(args, argv))
        return 0;
    AdminClient& client = context.client();
    client.setReceiveTimeout(300);
    const auto response = client.call("GET", "/v1/doctor");
    const Ptr body = JsonText::object(response.json);
    const bool ok = JsonText::text(body, "ok") == "true";
    if (context.json())
    {
        context.printJson(response.json);
        return ok ? 0 : static_cast<int>(ExitCode::ChecksFailed);
    }
    std::ostream& out = context.out();
    const auto checks = JsonText::array(body, "checks");
    std::size_t failed = 0, total = checks ? checks->size() : 0;
    for (std::size_t i = 0; i < total; ++i)
    {
        const Ptr c = checks->getObject(static_cast<unsigned>(i));
        const std::string subject = oneLine(JsonText::text(c, "subject"));
        if (JsonText::text(c, "ok") == "true")
        {
            out << "OK    " << subject << "\n";
            continue;
        }
        ++failed;
        out << "FAIL  " << subject << ": " << oneLine(JsonText::text(c, "problem"));
        const std::string fix = oneLine(JsonText::text(c, "fix"));
        if (!fix.empty())
            out << "; fix: " << fix;
        out << "\n";
    }
    if (failed == 0 && ok)
        out << "all " << total << " checks passed\n";
    else
        out << failed << " of " << total << " checks failed\n";
    return ok && failed == 0 ? 0 : static_cast<int>(ExitCode::ChecksFailed);
}

} // namespace

CommandGroup doctorCommands()
{
    CommandGroup group("doctor", "Check numbers and public endpoints at the carrier.");
    group.add("", "", doctor);
    return group;
}

} // namespace ctl
} // namespace patchbay
