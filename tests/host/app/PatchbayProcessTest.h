// PatchbayProcessTest.h: the process-level suite — the real patchbay binary, its exit codes, stderr, HTTP front and signals.
#ifndef PATCHBAY_TESTS_HOST_APP_PATCHBAY_PROCESS_TEST_H
#define PATCHBAY_TESTS_HOST_APP_PATCHBAY_PROCESS_TEST_H

#include <cppunit/extensions/HelperMacros.h>

#include <chrono>
#include <csignal>
#include <memory>
#include <string>
#include <vector>

#include "ProcessHarness.h"

/// The test methods are split over ProcessStartupTest.cpp (command line, config errors, plugin
/// failures) and ProcessServingTest.cpp (serving, abuse, port clash, JSON logs); shared helpers
/// live in PatchbayProcessTest.cpp.
class PatchbayProcessTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(PatchbayProcessTest);
    CPPUNIT_TEST(versionPrintsVersionAbiAndSignature);
    CPPUNIT_TEST(helpExitsZero);
    CPPUNIT_TEST(unknownOptionIsUsageError);
    CPPUNIT_TEST(missingConfigOptionIsUsageError);
    CPPUNIT_TEST(missingConfigFile);
    CPPUNIT_TEST(syntaxErrorNamesLineAndColumn);
    CPPUNIT_TEST(unknownKeyNamesPath);
    CPPUNIT_TEST(wrongTypeNamesPath);
    CPPUNIT_TEST(unloadableServerCertificateIsConfigError);
    CPPUNIT_TEST(unsetVariableNamesVariableAndPath);
    CPPUNIT_TEST(duplicatePluginIdNamesPath);
    CPPUNIT_TEST(checkConfigAcceptsGoodPlugin);
    CPPUNIT_TEST(checkConfigRefusesAbiMajorMismatch);
    CPPUNIT_TEST(checkConfigAcceptsEveryPluginConfig);
    CPPUNIT_TEST(checkConfigNamesPluginAndKey);
    CPPUNIT_TEST(checkConfigSurvivesThrowingCheck);
    CPPUNIT_TEST(requiredInitFailureStopsStartup);
    CPPUNIT_TEST(requiredInitThrowStopsStartup);
    CPPUNIT_TEST(requiredStartFailureStopsStartup);
    CPPUNIT_TEST(optionalFailingPluginsAreLeftOut);
    CPPUNIT_TEST(servesHealthReadinessAndMetrics);
    CPPUNIT_TEST(unknownPathAndWrongMethod);
    CPPUNIT_TEST(sigintAlsoStopsCleanly);
    CPPUNIT_TEST(survivesHostileClients);
    CPPUNIT_TEST(portInUseIsRuntimeFailure);
    CPPUNIT_TEST(jsonLogLinesAllParse);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override;
    void tearDown() override;

    // ProcessStartupTest.cpp
    void versionPrintsVersionAbiAndSignature();
    void helpExitsZero();
    void unknownOptionIsUsageError();
    void missingConfigOptionIsUsageError();
    void missingConfigFile();
    void syntaxErrorNamesLineAndColumn();
    void unknownKeyNamesPath();
    void wrongTypeNamesPath();
    void unloadableServerCertificateIsConfigError();
    void unsetVariableNamesVariableAndPath();
    void duplicatePluginIdNamesPath();
    void checkConfigAcceptsGoodPlugin();
    void checkConfigRefusesAbiMajorMismatch();
    void checkConfigAcceptsEveryPluginConfig();
    void checkConfigNamesPluginAndKey();
    void checkConfigSurvivesThrowingCheck();
    void requiredInitFailureStopsStartup();
    void requiredInitThrowStopsStartup();
    void requiredStartFailureStopsStartup();
    void optionalFailingPluginsAreLeftOut();

    // ProcessServingTest.cpp
    void servesHealthReadinessAndMetrics();
    void unknownPathAndWrongMethod();
    void sigintAlsoStopsCleanly();
    void survivesHostileClients();
    void portInUseIsRuntimeFailure();
    void jsonLogLinesAllParse();

private:
    /// Starts the binary; the child is owned by the fixture so tearDown kills it whatever happened.
    patchbay::tests::ChildProcess& start(const std::vector<std::string>& args,
                                         const patchbay::tests::ChildProcess::Env& env = {});

    /// Runs the binary to completion (generous deadline, only against hangs) with complete output.
    patchbay::tests::ExitStatus run(const std::vector<std::string>& args, const patchbay::tests::ChildProcess::Env& env = {});

    /// Writes `json` as the config file and returns its path.
    std::string writeConfig(const std::string& json, const std::string& name = "patchbay.json");

    /// A runnable config: loopback listener on `port`, one media loop, the given plugin entries
    /// (a JSON array body) and extra top-level members (",\"routing\": {...}" style, may be empty).
    std::string serveConfig(std::uint16_t port, const std::string& plugins, const std::string& extra = "",
                            const std::string& serverExtra = "", const std::string& logging = "") const;

    /// A plugin entry with an explicit library path, so the host's plugin-dir lookup never matters.
    static std::string pluginEntry(const std::string& id, const std::string& library, bool required,
                                   const std::string& config = "{}");

    /// The tenant-sqlite entry with its database in the temp dir.
    std::string tenantSqliteEntry() const;

    /// Starts a serving process and waits until /healthz answers; fails the test with stderr if not.
    patchbay::tests::ChildProcess& startServing(const std::string& configPath, std::uint16_t port);

    /// SIGTERM (or `sig`) and expect exit 0 within 10 s; returns the complete stderr.
    std::string stopCleanly(int sig = SIGTERM);

    /// Lines of `text` that start with `prefix`.
    static std::vector<std::string> linesStartingWith(const std::string& text, const std::string& prefix);

    /// Asserts an exit code, printing how the child ended and its stderr when it is wrong.
    static void assertExit(int expected, const patchbay::tests::ExitStatus& status, const std::string& err,
                           const CppUnit::SourceLine& where);

    /// A required fixture that fails during startup: exit 2, one "patchbay: startup failed:" line
    /// naming the plugin and `reason`.
    void assertRequiredFailureStops(const std::string& id, const std::string& library, const std::string& reason);

    std::unique_ptr<patchbay::tests::TempDir> _dir;
    std::unique_ptr<patchbay::tests::ChildProcess> _child;
};

#define PB_ASSERT_EXIT(expected, status, err) assertExit((expected), (status), (err), CPPUNIT_SOURCELINE())

#endif
