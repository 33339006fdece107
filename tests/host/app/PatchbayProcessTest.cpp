// PatchbayProcessTest.cpp: registration and shared helpers of the process-level suite (start, run, configs, exit checks).
#include "PatchbayProcessTest.h"

#include <sstream>

using namespace patchbay::tests;

CPPUNIT_TEST_SUITE_REGISTRATION(PatchbayProcessTest);

namespace {

// Deadlines only guard against hangs; nothing here measures speed.
constexpr std::chrono::seconds kRunDeadline{30};
constexpr std::chrono::seconds kServeDeadline{20};
constexpr std::chrono::seconds kStopDeadline{10};

} // namespace

void PatchbayProcessTest::setUp()
{
    _dir = std::make_unique<TempDir>();
}

void PatchbayProcessTest::tearDown()
{
    // A failed assertion leaves the child running; never let it outlive the test.
    if (_child) _child->kill();
    _child.reset();
    _dir.reset();
}

ChildProcess& PatchbayProcessTest::start(const std::vector<std::string>& args, const ChildProcess::Env& env)
{
    if (_child) _child->kill();
    _child.reset();
    _child = std::make_unique<ChildProcess>(PATCHBAY_EXE, args, env);
    return *_child;
}

ExitStatus PatchbayProcessTest::run(const std::vector<std::string>& args, const ChildProcess::Env& env)
{
    ChildProcess& child = start(args, env);
    auto status = child.finish(kRunDeadline);
    if (!status)
        CPPUNIT_FAIL("patchbay did not exit within " + std::to_string(kRunDeadline.count()) + " s; stderr so far:\n" +
                     child.err());
    return *status;
}

std::string PatchbayProcessTest::writeConfig(const std::string& json, const std::string& name)
{
    return _dir->write(name, json);
}

std::string PatchbayProcessTest::serveConfig(std::uint16_t port, const std::string& plugins, const std::string& extra,
                                             const std::string& serverExtra, const std::string& logging) const
{
    // media.loops 1: the default is one loop per core, which buys nothing here. pluginDir points at
    // the temp dir so a stray default-named library elsewhere can never be picked up.
    std::ostringstream json;
    json << "{\n"
         << "  \"server\": {\"listen\": \"127.0.0.1:" << port << "\"" << serverExtra << "},\n"
         << "  \"media\": {\"loops\": 1},\n"
         << "  \"logging\": " << (logging.empty() ? std::string("{\"level\": \"info\"}") : logging) << ",\n"
         << "  \"pluginDir\": " << jsonQuote(_dir->path()) << ",\n"
         << "  \"plugins\": [" << plugins << "]" << extra << "\n"
         << "}\n";
    return json.str();
}

std::string PatchbayProcessTest::pluginEntry(const std::string& id, const std::string& library, bool required,
                                             const std::string& config)
{
    return "{\"id\": " + jsonQuote(id) + ", \"path\": " + jsonQuote(library) + ", \"required\": " +
           (required ? "true" : "false") + ", \"config\": " + config + "}";
}

std::string PatchbayProcessTest::tenantSqliteEntry() const
{
    return pluginEntry("tenant-sqlite", PATCHBAY_PLUGIN_TENANT_SQLITE, true, "{\"path\": " + jsonQuote(_dir->file("t.db")) + "}");
}

ChildProcess& PatchbayProcessTest::startServing(const std::string& configPath, std::uint16_t port)
{
    ChildProcess& child = start({"--config", configPath});
    if (!waitUntilServing(child, port, kServeDeadline))
    {
        auto status = child.finish(std::chrono::milliseconds(500));
        CPPUNIT_FAIL("patchbay is not serving on port " + std::to_string(port) + " (" +
                     (status ? status->describe() : std::string("still running")) + "); stderr:\n" + child.err());
    }
    return child;
}

std::string PatchbayProcessTest::stopCleanly(int sig)
{
    CPPUNIT_ASSERT(_child);
    _child->signal(sig);
    auto status = _child->finish(kStopDeadline);
    if (!status)
        CPPUNIT_FAIL("patchbay did not exit within " + std::to_string(kStopDeadline.count()) + " s of signal " +
                     std::to_string(sig) + "; stderr:\n" + _child->err());
    PB_ASSERT_EXIT(0, *status, _child->err());
    return _child->err();
}

std::vector<std::string> PatchbayProcessTest::linesStartingWith(const std::string& text, const std::string& prefix)
{
    std::vector<std::string> out;
    for (const auto& line : splitLines(text))
        if (line.rfind(prefix, 0) == 0) out.push_back(line);
    return out;
}

void PatchbayProcessTest::assertExit(int expected, const ExitStatus& status, const std::string& err,
                                     const CppUnit::SourceLine& where)
{
    if (status.isExit(expected)) return;
    CppUnit::Asserter::fail(CppUnit::Message("wrong exit status", "expected exit code " + std::to_string(expected) +
                                                                      ", got " + status.describe(),
                                             "stderr:\n" + err),
                            where);
}
