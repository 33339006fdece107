// ProcessStartupTest.cpp: PatchbayProcessTest cases for the command line, config errors and plugin failures at startup.
#include "PatchbayProcessTest.h"

#include <cstdlib>
#include <filesystem>

#include <patchbay/sdk/Abi.h>

using namespace patchbay::tests;

namespace {

bool contains(const std::string& text, const std::string& needle)
{
    return text.find(needle) != std::string::npos;
}

#define PB_ASSERT_CONTAINS(text, needle) \
    CPPUNIT_ASSERT_MESSAGE("expected to find \"" + std::string(needle) + "\" in:\n" + (text), contains((text), (needle)))

} // namespace

// --- command line ---------------------------------------------------------------------------

void PatchbayProcessTest::versionPrintsVersionAbiAndSignature()
{
    ExitStatus status = run({"--version"});
    PB_ASSERT_EXIT(0, status, _child->err());
    const std::string out = _child->out();
    PB_ASSERT_CONTAINS(out, std::string("patchbay ") + PATCHBAY_EXPECTED_VERSION);
    PB_ASSERT_CONTAINS(out, "plugin ABI " + std::to_string(PATCHBAY_ABI_MAJOR) + "." + std::to_string(PATCHBAY_ABI_MINOR));
    // The exact signature: it is what an operator compares against a plugin's refusal message.
    PB_ASSERT_CONTAINS(out, std::string("build signature ") + PATCHBAY_BUILD_SIGNATURE);

    status = run({"-v"});
    PB_ASSERT_EXIT(0, status, _child->err());
    CPPUNIT_ASSERT_EQUAL(out, _child->out());
}

void PatchbayProcessTest::helpExitsZero()
{
    ExitStatus status = run({"--help"});
    PB_ASSERT_EXIT(0, status, _child->err());
    PB_ASSERT_CONTAINS(_child->out(), "usage: patchbay --config FILE");
    PB_ASSERT_CONTAINS(_child->out(), "--check-config");
    CPPUNIT_ASSERT_EQUAL(std::string(), _child->err());
}

void PatchbayProcessTest::unknownOptionIsUsageError()
{
    ExitStatus status = run({"--frobnicate"});
    PB_ASSERT_EXIT(2, status, _child->err());
    PB_ASSERT_CONTAINS(_child->err(), "'--frobnicate'");
    PB_ASSERT_CONTAINS(_child->err(), "usage: patchbay");
    // Usage on stderr only: a script parsing stdout must not see it.
    CPPUNIT_ASSERT_EQUAL(std::string(), _child->out());

    // "--config" without its value is the same kind of mistake.
    status = run({"--config"});
    PB_ASSERT_EXIT(2, status, _child->err());
    PB_ASSERT_CONTAINS(_child->err(), "usage: patchbay");
}

void PatchbayProcessTest::missingConfigOptionIsUsageError()
{
    ExitStatus status = run({});
    PB_ASSERT_EXIT(2, status, _child->err());
    PB_ASSERT_CONTAINS(_child->err(), "--config FILE is required");
    PB_ASSERT_CONTAINS(_child->err(), "usage: patchbay");

    // --check-config alone still needs a file.
    status = run({"--check-config"});
    PB_ASSERT_EXIT(2, status, _child->err());
    PB_ASSERT_CONTAINS(_child->err(), "--config FILE is required");
}

// --- config errors: exit 2, each problem on a "patchbay: config error:" line with its key path --

void PatchbayProcessTest::missingConfigFile()
{
    const std::string path = _dir->file("does-not-exist.json");
    ExitStatus status = run({"--config", path});
    PB_ASSERT_EXIT(2, status, _child->err());
    const auto lines = linesStartingWith(_child->err(), "patchbay: config error: ");
    CPPUNIT_ASSERT_EQUAL_MESSAGE(_child->err(), std::size_t(1), lines.size());
    PB_ASSERT_CONTAINS(lines[0], path);
    PB_ASSERT_CONTAINS(lines[0], "cannot open");
}

void PatchbayProcessTest::syntaxErrorNamesLineAndColumn()
{
    // Trailing comma: the error is where the next member name should have been.
    const std::string path = writeConfig("{\n  \"server\": {\n    \"listen\": \"127.0.0.1:1\",\n  }\n}\n");
    ExitStatus status = run({"--config", path});
    PB_ASSERT_EXIT(2, status, _child->err());
    const auto lines = linesStartingWith(_child->err(), "patchbay: config error: ");
    CPPUNIT_ASSERT_EQUAL_MESSAGE(_child->err(), std::size_t(1), lines.size());
    PB_ASSERT_CONTAINS(lines[0], "syntax error at line 4, column 3");
    PB_ASSERT_CONTAINS(lines[0], "patchbay.json");
}

void PatchbayProcessTest::unknownKeyNamesPath()
{
    const std::string path = writeConfig("{\"server\": {\"listn\": \"127.0.0.1:8080\"}}");
    ExitStatus status = run({"--config", path});
    PB_ASSERT_EXIT(2, status, _child->err());
    const auto lines = linesStartingWith(_child->err(), "patchbay: config error: ");
    CPPUNIT_ASSERT_EQUAL_MESSAGE(_child->err(), std::size_t(1), lines.size());
    PB_ASSERT_CONTAINS(lines[0], "server.listn: unknown key");
    // Naming what is allowed turns a typo into a one-glance fix.
    PB_ASSERT_CONTAINS(lines[0], "listen");
}

void PatchbayProcessTest::wrongTypeNamesPath()
{
    // Two mistakes: both reported, one line each, so the file is fixed in one round trip.
    const std::string path = writeConfig("{\"server\": {\"threads\": \"16\"}, \"routing\": {\"drainTimeoutMs\": true}}");
    ExitStatus status = run({"--config", path});
    PB_ASSERT_EXIT(2, status, _child->err());
    const auto lines = linesStartingWith(_child->err(), "patchbay: config error: ");
    CPPUNIT_ASSERT_EQUAL_MESSAGE(_child->err(), std::size_t(2), lines.size());
    PB_ASSERT_CONTAINS(_child->err(), "server.threads: expected an integer");
    PB_ASSERT_CONTAINS(_child->err(), "routing.drainTimeoutMs: expected");
}

void PatchbayProcessTest::unloadableServerCertificateIsConfigError()
{
    // A certificate path that does not exist is the operator's mistake: exit 2, naming the file.
    const std::string missing = _dir->file("missing-cert.pem");
    const std::string serverTls =
        ", \"tls\": {\"certificate\": " + jsonQuote(missing) + ", \"privateKey\": " + jsonQuote(_dir->file("missing-key.pem")) + "}";
    const std::string path = writeConfig(serveConfig(freePort(), "", "", serverTls));
    ExitStatus status = run({"--config", path});
    PB_ASSERT_EXIT(2, status, _child->err());
    PB_ASSERT_CONTAINS(_child->err(), "config error: server.tls");
    PB_ASSERT_CONTAINS(_child->err(), missing);
}

void PatchbayProcessTest::unsetVariableNamesVariableAndPath()
{
    const std::string var = "PATCHBAY_PROCESS_TEST_SURELY_UNSET_VAR";
    CPPUNIT_ASSERT_MESSAGE(var + " is set in the test environment", std::getenv(var.c_str()) == nullptr);
    const std::string path =
        writeConfig("{\"plugins\": [{\"id\": \"fx-good\", \"config\": {\"apiKey\": \"prefix-${" + var + "}\"}}]}");
    ExitStatus status = run({"--config", path});
    PB_ASSERT_EXIT(2, status, _child->err());
    const auto lines = linesStartingWith(_child->err(), "patchbay: config error: ");
    CPPUNIT_ASSERT_EQUAL_MESSAGE(_child->err(), std::size_t(1), lines.size());
    PB_ASSERT_CONTAINS(lines[0], "plugins[0].config.apiKey");
    PB_ASSERT_CONTAINS(lines[0], var);
    PB_ASSERT_CONTAINS(lines[0], "not set");

    // The same file loads once the variable exists (passed to the child only) — proof the line
    // above was about the variable and nothing else.
    status = run({"--config", path, "--check-config"}, {{var, "secret"}});
    CPPUNIT_ASSERT_MESSAGE(_child->err(), !contains(_child->err(), "config error"));
}

void PatchbayProcessTest::duplicatePluginIdNamesPath()
{
    const std::string path = writeConfig("{\"plugins\": [" + pluginEntry("fx-good", PATCHBAY_PLUGIN_FX_GOOD, false) + ", " +
                                         pluginEntry("fx-good", PATCHBAY_PLUGIN_FX_GOOD, false) + "]}");
    ExitStatus status = run({"--config", path});
    PB_ASSERT_EXIT(2, status, _child->err());
    const auto lines = linesStartingWith(_child->err(), "patchbay: config error: ");
    CPPUNIT_ASSERT_EQUAL_MESSAGE(_child->err(), std::size_t(1), lines.size());
    PB_ASSERT_CONTAINS(lines[0], "plugins[1].id: duplicate plugin id \"fx-good\"");
    // Config errors come before any plugin is touched.
    CPPUNIT_ASSERT_MESSAGE(_child->err(), !contains(_child->err(), "loaded from"));
}

// --- --check-config ---------------------------------------------------------------------------

void PatchbayProcessTest::checkConfigAcceptsGoodPlugin()
{
    const std::string path = writeConfig(serveConfig(freePort(), pluginEntry("fx-good", PATCHBAY_PLUGIN_FX_GOOD, true)));
    ExitStatus status = run({"--config", path, "--check-config"});
    PB_ASSERT_EXIT(0, status, _child->err());
    PB_ASSERT_CONTAINS(_child->out(), "config OK");
    PB_ASSERT_CONTAINS(_child->out(), "1 of 1 plugins loadable");
    // A check starts nothing: no plugin init, no listener.
    CPPUNIT_ASSERT_MESSAGE(_child->err(), !contains(_child->err(), "fx-good init"));
    CPPUNIT_ASSERT_MESSAGE(_child->err(), !contains(_child->err(), "listening on"));
}

void PatchbayProcessTest::checkConfigRefusesAbiMajorMismatch()
{
    const std::string path =
        writeConfig(serveConfig(freePort(), pluginEntry("fx-abi-major", PATCHBAY_PLUGIN_FX_ABI_MAJOR, true)));
    ExitStatus status = run({"--config", path, "--check-config"});
    PB_ASSERT_EXIT(2, status, _child->err());
    CPPUNIT_ASSERT_MESSAGE(_child->out(), !contains(_child->out(), "config OK"));
    const auto lines = linesStartingWith(_child->err(), "patchbay: ");
    CPPUNIT_ASSERT_EQUAL_MESSAGE(_child->err(), std::size_t(1), lines.size());
    const std::string& line = lines[0];
    PB_ASSERT_CONTAINS(line, "fx-abi-major");
    PB_ASSERT_CONTAINS(line, "ABI major 2");                                  // the fixture's
    PB_ASSERT_CONTAINS(line, "host " + std::to_string(PATCHBAY_ABI_MAJOR));   // ours
    PB_ASSERT_CONTAINS(line, "rebuild");
}

// --- --check-config: each plugin's own "config" object (Plugin::checkConfig, SDK 1.3) --------

namespace {

const std::string kTwilioConfig =
    "{\"publicUrl\": \"https://gw.example.test\", \"streamTokenSecret\": \"" + std::string(40, 's') + "\"}";

} // namespace

void PatchbayProcessTest::checkConfigAcceptsEveryPluginConfig()
{
    const std::string db = _dir->file("store/t.db");
    const std::string plugins =
        pluginEntry("tenant-sqlite", PATCHBAY_PLUGIN_TENANT_SQLITE, true, "{\"path\": " + jsonQuote(db) + "}") + ",\n    " +
        pluginEntry("elevenlabs", PATCHBAY_PLUGIN_ELEVENLABS, true, "{\"silenceTimeoutMs\": 1000}") + ",\n    " +
        pluginEntry("twilio", PATCHBAY_PLUGIN_TWILIO, true, kTwilioConfig) + ",\n    " +
        pluginEntry("fx-good", PATCHBAY_PLUGIN_FX_GOOD, false);
    const std::string path = writeConfig(serveConfig(freePort(), plugins));
    ExitStatus status = run({"--config", path, "--check-config"});
    PB_ASSERT_EXIT(0, status, _child->err());
    const std::string out = _child->out();
    for (const char* id : {"tenant-sqlite", "elevenlabs", "twilio"})
        PB_ASSERT_CONTAINS(out, "patchbay: plugin " + std::string(id) + ": config OK\n");
    // fx-good has no checkConfig: said so, and not an error.
    PB_ASSERT_CONTAINS(out, "patchbay: plugin fx-good: config cannot be checked ahead (declined: ");
    PB_ASSERT_CONTAINS(out, "4 of 4 plugins loadable");
    CPPUNIT_ASSERT_MESSAGE(_child->err(), !contains(_child->err(), "config error"));
    // Checked, not started: no init, no database, not even its directory.
    CPPUNIT_ASSERT_MESSAGE(_child->err(), !contains(_child->err(), "tenant store ready"));
    CPPUNIT_ASSERT_MESSAGE(db, !std::filesystem::exists(_dir->file("store")));
}

void PatchbayProcessTest::checkConfigNamesPluginAndKey()
{
    // One letter's case wrong in elevenlabs, a number for a URL in twilio: both reported, exit 2.
    const std::string plugins =
        tenantSqliteEntry() + ",\n    " +
        pluginEntry("elevenlabs", PATCHBAY_PLUGIN_ELEVENLABS, true, "{\"silenceTimeoutMS\": 1000}") + ",\n    " +
        pluginEntry("twilio", PATCHBAY_PLUGIN_TWILIO, false,
                    "{\"publicUrl\": 5, \"streamTokenSecret\": \"" + std::string(40, 's') + "\"}");
    const std::string path = writeConfig(serveConfig(freePort(), plugins));
    ExitStatus status = run({"--config", path, "--check-config"});
    PB_ASSERT_EXIT(2, status, _child->err());
    const std::string err = _child->err();
    const auto errors = linesStartingWith(err, "patchbay: plugin ");
    CPPUNIT_ASSERT_EQUAL_MESSAGE(err, std::size_t(2), errors.size());
    PB_ASSERT_CONTAINS(errors[0], "patchbay: plugin elevenlabs: config error: unknown config key 'silenceTimeoutMS'");
    PB_ASSERT_CONTAINS(errors[0], "silenceTimeoutMs"); // the known keys, so the fix is in the line
    PB_ASSERT_CONTAINS(errors[1], "patchbay: plugin twilio: config error: config.publicUrl must be a string");
    PB_ASSERT_CONTAINS(err, "patchbay: config check failed (");
    PB_ASSERT_CONTAINS(err, "2 of 3 plugin configs wrong");
    // The good one is still reported, and nothing claims the whole file is fine.
    PB_ASSERT_CONTAINS(_child->out(), "patchbay: plugin tenant-sqlite: config OK");
    CPPUNIT_ASSERT_MESSAGE(_child->out(), !contains(_child->out(), "patchbay: config OK"));
    CPPUNIT_ASSERT_MESSAGE(_child->err(), !contains(_child->err(), "listening on"));
}

void PatchbayProcessTest::checkConfigSurvivesThrowingCheck()
{
    // A plugin whose checkConfig throws: reported against it, exit 2, no crash (a signal would fail PB_ASSERT_EXIT).
    const std::string plugins = pluginEntry("fx-check-config", PATCHBAY_PLUGIN_FX_CHECK_CONFIG, false, "{\"explode\": true}");
    const std::string path = writeConfig(serveConfig(freePort(), plugins));
    ExitStatus status = run({"--config", path, "--check-config"});
    PB_ASSERT_EXIT(2, status, _child->err());
    const auto lines = linesStartingWith(_child->err(), "patchbay: plugin ");
    CPPUNIT_ASSERT_EQUAL_MESSAGE(_child->err(), std::size_t(1), lines.size());
    PB_ASSERT_CONTAINS(lines[0], "patchbay: plugin fx-check-config: config error: checkConfig() threw std::runtime_error: "
                                 "config check exploded");
    CPPUNIT_ASSERT_MESSAGE(_child->err(), !contains(_child->err(), "fx-check-config init"));

    // The same plugin with a config it accepts: exit 0.
    const std::string good = writeConfig(
        serveConfig(freePort(), pluginEntry("fx-check-config", PATCHBAY_PLUGIN_FX_CHECK_CONFIG, false, "{}")), "good.json");
    status = run({"--config", good, "--check-config"});
    PB_ASSERT_EXIT(0, status, _child->err());
    PB_ASSERT_CONTAINS(_child->out(), "patchbay: plugin fx-check-config: config OK");
}

// --- plugin failures at startup ---------------------------------------------------------------

void PatchbayProcessTest::assertRequiredFailureStops(const std::string& id, const std::string& library,
                                                     const std::string& reason)
{
    const std::uint16_t port = freePort();
    const std::string path = writeConfig(serveConfig(port, pluginEntry(id, library, true)));
    ExitStatus status = run({"--config", path});
    PB_ASSERT_EXIT(2, status, _child->err());
    const auto lines = linesStartingWith(_child->err(), "patchbay: startup failed:");
    CPPUNIT_ASSERT_EQUAL_MESSAGE(_child->err(), std::size_t(1), lines.size());
    PB_ASSERT_CONTAINS(lines[0], "'" + id + "'");
    PB_ASSERT_CONTAINS(lines[0], reason);
    PB_ASSERT_CONTAINS(lines[0], "required");
    // It stopped before the listener: nothing may ever have answered on the port.
    CPPUNIT_ASSERT_MESSAGE(_child->err(), !contains(_child->err(), "listening on"));
}

void PatchbayProcessTest::requiredInitFailureStopsStartup()
{
    assertRequiredFailureStops("fx-init-fails", PATCHBAY_PLUGIN_FX_INIT_FAILS, "database unreachable");
}

void PatchbayProcessTest::requiredInitThrowStopsStartup()
{
    // The exception is contained by the host and reported with its type and text.
    assertRequiredFailureStops("fx-init-throws", PATCHBAY_PLUGIN_FX_INIT_THROWS, "init exploded");
    PB_ASSERT_CONTAINS(_child->err(), "std::runtime_error");
}

void PatchbayProcessTest::requiredStartFailureStopsStartup()
{
    assertRequiredFailureStops("fx-start-fails", PATCHBAY_PLUGIN_FX_START_FAILS, "listener port taken");
    // It had initialised, so it must have been shut down before the process exited.
    PB_ASSERT_CONTAINS(_child->err(), "fx-start-fails shutdown");
}

void PatchbayProcessTest::optionalFailingPluginsAreLeftOut()
{
    const std::uint16_t port = freePort();
    const std::string plugins = tenantSqliteEntry() + ",\n    " +
                                pluginEntry("fx-init-fails", PATCHBAY_PLUGIN_FX_INIT_FAILS, false) + ",\n    " +
                                pluginEntry("fx-init-throws", PATCHBAY_PLUGIN_FX_INIT_THROWS, false) + ",\n    " +
                                pluginEntry("fx-start-fails", PATCHBAY_PLUGIN_FX_START_FAILS, false) + ",\n    " +
                                pluginEntry("fx-init-declines", PATCHBAY_PLUGIN_FX_INIT_DECLINES, false);
    const std::string path =
        writeConfig(serveConfig(port, plugins, ",\n  \"routing\": {\"tenantStore\": \"tenant-sqlite\"}"));
    startServing(path, port);

    const HttpReply ready = httpRequest(port, "GET", "/readyz");
    CPPUNIT_ASSERT_EQUAL_MESSAGE(ready.body, 200, ready.status);
    // The plugin whose start failed registered a route in init; it must be gone, not left dangling
    // on a plugin that is no longer running.
    CPPUNIT_ASSERT_EQUAL(404, httpRequest(port, "POST", "/fx-start-fails/hook").status);

    const std::string err = _child->err();
    CPPUNIT_ASSERT_MESSAGE(err, linesStartingWith(err, "patchbay: startup failed").empty());
    for (const char* id : {"fx-init-fails", "fx-init-throws"})
        PB_ASSERT_CONTAINS(err, "plugin '" + std::string(id) + "' init failed");
    PB_ASSERT_CONTAINS(err, "plugin 'fx-start-fails' start failed");
    PB_ASSERT_CONTAINS(err, "plugin 'fx-init-declines' init declined");
    for (const char* id : {"fx-init-fails", "fx-init-throws", "fx-start-fails", "fx-init-declines"})
    {
        bool saidRunsWithout = false;
        for (const auto& line : splitLines(err))
            if (contains(line, "plugin '" + std::string(id) + "'") && contains(line, "running without it"))
                saidRunsWithout = true;
        CPPUNIT_ASSERT_MESSAGE(std::string(id) + " not reported as left out:\n" + err, saidRunsWithout);
    }
    stopCleanly();
}
