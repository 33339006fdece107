// TwimlBuilderTest.cpp: exact TwiML output, escaping of hostile values, and well-formedness checked with Poco::XML.
#include "protocol/TwimlBuilder.h"

#include <Poco/AutoPtr.h>
#include <Poco/DOM/DOMParser.h>
#include <Poco/DOM/Document.h>
#include <Poco/DOM/Element.h>
#include <Poco/DOM/NodeList.h>
#include <Poco/Exception.h>
#include <Poco/SAX/SAXException.h>

#include <cppunit/extensions/HelperMacros.h>

#include "TwimlXml.h"

using patchbay::twilio::ConnectStreamSpec;
using patchbay::twilio::RejectReason;
using patchbay::twilio::TwimlBuilder;

using patchbay::testsupport::child;
using patchbay::testsupport::parseXml;

namespace {

const std::string kHeader = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>";
const std::string kHostile = "a&b<c>d\"e'f &amp; ]]> <!-- x --> \n\t\r end";

} // namespace

class TwimlBuilderTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(TwimlBuilderTest);
    CPPUNIT_TEST(testConnectStreamExact);
    CPPUNIT_TEST(testConnectStreamMinimal);
    CPPUNIT_TEST(testConnectStreamHostileValues);
    CPPUNIT_TEST(testReject);
    CPPUNIT_TEST(testSayAndHangup);
    CPPUNIT_TEST(testDialAndHangup);
    CPPUNIT_TEST(testFallback);
    CPPUNIT_TEST(testHangupAndEmpty);
    CPPUNIT_TEST(testUnrepresentableCharacters);
    CPPUNIT_TEST(testUnicodeAndMarkupFromData);
    CPPUNIT_TEST_SUITE_END();

public:
    void testConnectStreamExact()
    {
        ConnectStreamSpec spec;
        spec.actionUrl = "https://gw.example.com/twilio/after-stream";
        spec.streamUrl = "wss://gw.example.com/media/3f9c0d7e";
        spec.streamName = "agent";
        spec.statusCallbackUrl = "https://gw.example.com/twilio/stream-status";
        spec.parameters = {{"tenant", "t_42"}, {"callToken", "3f9c0d7e"}};
        const std::string expected =
            kHeader +
            "<Response><Connect action=\"https://gw.example.com/twilio/after-stream\" method=\"POST\">"
            "<Stream url=\"wss://gw.example.com/media/3f9c0d7e\" name=\"agent\" "
            "statusCallback=\"https://gw.example.com/twilio/stream-status\" statusCallbackMethod=\"POST\">"
            "<Parameter name=\"tenant\" value=\"t_42\"/><Parameter name=\"callToken\" value=\"3f9c0d7e\"/>"
            "</Stream></Connect></Response>";
        const std::string xml = TwimlBuilder::connectStream(spec);
        CPPUNIT_ASSERT_EQUAL(expected, xml);
        auto doc = parseXml(xml);
        Poco::XML::Element* stream = child(child(doc->documentElement(), "Connect"), "Stream");
        Poco::AutoPtr<Poco::XML::NodeList> parameters = stream->getElementsByTagName("Parameter");
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), static_cast<std::size_t>(parameters->length()));
    }

    void testConnectStreamMinimal()
    {
        ConnectStreamSpec spec;
        spec.streamUrl = "wss://gw.example.com/media/tok";
        CPPUNIT_ASSERT_EQUAL(kHeader + "<Response><Connect><Stream url=\"wss://gw.example.com/media/tok\"/></Connect></Response>",
                             TwimlBuilder::connectStream(spec));
        spec.actionUrl = "https://a/b";
        spec.actionMethod = "GET";
        CPPUNIT_ASSERT(TwimlBuilder::connectStream(spec).find("<Connect action=\"https://a/b\" method=\"GET\">") !=
                       std::string::npos);
    }

    void testConnectStreamHostileValues()
    {
        ConnectStreamSpec spec;
        spec.actionUrl = "https://gw/after?x=1&y=\"2\"";
        spec.streamUrl = "wss://gw/media/" + kHostile;
        spec.streamName = kHostile;
        spec.statusCallbackUrl = "https://gw/status?a=<b>";
        spec.parameters = {{kHostile, kHostile}, {"\"/><Injected x=\"", "'/><Evil/>"}};
        const std::string xml = TwimlBuilder::connectStream(spec);
        CPPUNIT_ASSERT(xml.find("<Injected") == std::string::npos);
        CPPUNIT_ASSERT(xml.find("<Evil") == std::string::npos);
        CPPUNIT_ASSERT(xml.find("&amp;amp;") != std::string::npos);
        auto doc = parseXml(xml);
        Poco::XML::Element* connect = child(doc->documentElement(), "Connect");
        CPPUNIT_ASSERT_EQUAL(spec.actionUrl, connect->getAttribute("action"));
        Poco::XML::Element* stream = child(connect, "Stream");
        // Attribute values survive exactly, including the newline/tab/CR (sent as character references).
        CPPUNIT_ASSERT_EQUAL(spec.streamUrl, stream->getAttribute("url"));
        CPPUNIT_ASSERT_EQUAL(kHostile, stream->getAttribute("name"));
        CPPUNIT_ASSERT_EQUAL(spec.statusCallbackUrl, stream->getAttribute("statusCallback"));
        Poco::AutoPtr<Poco::XML::NodeList> parameters = stream->getElementsByTagName("Parameter");
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), static_cast<std::size_t>(parameters->length()));
        auto* first = static_cast<Poco::XML::Element*>(parameters->item(0));
        auto* second = static_cast<Poco::XML::Element*>(parameters->item(1));
        CPPUNIT_ASSERT_EQUAL(kHostile, first->getAttribute("name"));
        CPPUNIT_ASSERT_EQUAL(kHostile, first->getAttribute("value"));
        CPPUNIT_ASSERT_EQUAL(std::string("\"/><Injected x=\""), second->getAttribute("name"));
        CPPUNIT_ASSERT_EQUAL(std::string("'/><Evil/>"), second->getAttribute("value"));
    }

    void testReject()
    {
        CPPUNIT_ASSERT_EQUAL(kHeader + "<Response><Reject reason=\"rejected\"/></Response>", TwimlBuilder::reject());
        CPPUNIT_ASSERT_EQUAL(kHeader + "<Response><Reject reason=\"rejected\"/></Response>",
                             TwimlBuilder::reject(RejectReason::Rejected));
        CPPUNIT_ASSERT_EQUAL(kHeader + "<Response><Reject reason=\"busy\"/></Response>", TwimlBuilder::reject(RejectReason::Busy));
        parseXml(TwimlBuilder::reject(RejectReason::Busy));
    }

    void testSayAndHangup()
    {
        CPPUNIT_ASSERT_EQUAL(kHeader + "<Response><Say language=\"en-US\">We are unable to take your call right now. Goodbye."
                                       "</Say><Hangup/></Response>",
                             TwimlBuilder::sayAndHangup("We are unable to take your call right now. Goodbye."));
        CPPUNIT_ASSERT_EQUAL(kHeader + "<Response><Say language=\"de-DE\" voice=\"Polly.Marlene\">Tsch\xC3\xBCss &amp; &lt;bye&gt;"
                                       "</Say><Hangup/></Response>",
                             TwimlBuilder::sayAndHangup("Tsch\xC3\xBCss & <bye>", "de-DE", "Polly.Marlene"));
        CPPUNIT_ASSERT_EQUAL(kHeader + "<Response><Say>x</Say><Hangup/></Response>", TwimlBuilder::sayAndHangup("x", "", ""));
        auto doc = parseXml(TwimlBuilder::sayAndHangup(kHostile, "en\"US", "v'<"));
        Poco::XML::Element* say = child(doc->documentElement(), "Say");
        CPPUNIT_ASSERT_EQUAL(std::string("en\"US"), say->getAttribute("language"));
        CPPUNIT_ASSERT_EQUAL(std::string("v'<"), say->getAttribute("voice"));
        CPPUNIT_ASSERT_EQUAL(kHostile, say->innerText());
        child(doc->documentElement(), "Hangup");
    }

    void testDialAndHangup()
    {
        CPPUNIT_ASSERT_EQUAL(kHeader + "<Response><Dial>+14155550100</Dial><Hangup/></Response>",
                             TwimlBuilder::dialAndHangup("+14155550100"));
        CPPUNIT_ASSERT_EQUAL(kHeader + "<Response><Dial callerId=\"+15005550006\" timeout=\"20\">+14155550100</Dial>"
                                       "<Hangup/></Response>",
                             TwimlBuilder::dialAndHangup("+14155550100", "+15005550006", 20));
        auto doc = parseXml(TwimlBuilder::dialAndHangup("<Number>x</Number>", "\"", 0));
        Poco::XML::Element* dial = child(doc->documentElement(), "Dial");
        CPPUNIT_ASSERT_EQUAL(std::string("<Number>x</Number>"), dial->innerText());
        CPPUNIT_ASSERT(dial->getChildElement("Number") == nullptr);
        CPPUNIT_ASSERT_EQUAL(std::string("0"), dial->getAttribute("timeout"));
    }

    void testFallback()
    {
        CPPUNIT_ASSERT_EQUAL(kHeader + "<Response><Say language=\"en-US\">Sorry.</Say><Dial>+14155550100</Dial><Hangup/></Response>",
                             TwimlBuilder::fallback(std::string_view("Sorry."), std::string_view("+14155550100")));
        CPPUNIT_ASSERT_EQUAL(kHeader + "<Response><Say language=\"en-US\">Sorry.</Say><Hangup/></Response>",
                             TwimlBuilder::fallback(std::string_view("Sorry."), std::nullopt));
        CPPUNIT_ASSERT_EQUAL(kHeader + "<Response><Dial>+1</Dial><Hangup/></Response>",
                             TwimlBuilder::fallback(std::nullopt, std::string_view("+1")));
        CPPUNIT_ASSERT_EQUAL(kHeader + "<Response><Hangup/></Response>", TwimlBuilder::fallback(std::nullopt, std::nullopt));
        CPPUNIT_ASSERT_EQUAL(kHeader + "<Response><Hangup/></Response>",
                             TwimlBuilder::fallback(std::string_view(), std::string_view()));
        parseXml(TwimlBuilder::fallback(std::string_view(kHostile), std::string_view(kHostile), "x&y", "z<"));
    }

    void testHangupAndEmpty()
    {
        CPPUNIT_ASSERT_EQUAL(kHeader + "<Response><Hangup/></Response>", TwimlBuilder::hangup());
        CPPUNIT_ASSERT_EQUAL(kHeader + "<Response/>", TwimlBuilder::empty());
        parseXml(TwimlBuilder::hangup());
        auto doc = parseXml(TwimlBuilder::empty());
        CPPUNIT_ASSERT_EQUAL(std::string("Response"), doc->documentElement()->tagName());
    }

    void testUnrepresentableCharacters()
    {
        // C0 controls are dropped, invalid UTF-8 and U+FFFE/U+FFFF become U+FFFD: still well-formed.
        static const char raw[] = "a\x01" "b\x00" "c\x1F" "d\xFF" "e\xC3" "(f\xEF\xBF\xBE" "g\xED\xA0\x80" "h";
        const std::string nasty(raw, sizeof raw - 1);
        const std::string xml = TwimlBuilder::sayAndHangup(nasty, nasty, nasty);
        auto doc = parseXml(xml);
        Poco::XML::Element* say = child(doc->documentElement(), "Say");
        const std::string r = "\xEF\xBF\xBD";
        const std::string expected = "abcd" + r + "e" + r + "(f" + r + "g" + r + r + r + "h";
        CPPUNIT_ASSERT_EQUAL(expected, say->innerText());
        CPPUNIT_ASSERT_EQUAL(expected, say->getAttribute("voice"));
        std::string escaped;
        TwimlBuilder::appendEscaped(escaped, "Jos\xC3\xA9 \xF0\x9F\x98\x80");
        CPPUNIT_ASSERT_EQUAL(std::string("Jos\xC3\xA9 \xF0\x9F\x98\x80"), escaped);
    }

    void testUnicodeAndMarkupFromData()
    {
        // Tenant data (fallback text, ids) reaches TwiML verbatim: markup escaped, UTF-8 kept as is.
        const std::string message = "<&\"'> Zoë — 中文 ☎ 🎉";
        const std::string xml = TwimlBuilder::fallback(message, std::string_view("+15550001111"));
        CPPUNIT_ASSERT_EQUAL(kHeader + "<Response><Say language=\"en-US\">&lt;&amp;&quot;&apos;&gt; Zoë — 中文 ☎ 🎉</Say>"
                                       "<Dial>+15550001111</Dial><Hangup/></Response>",
                             xml);
        auto doc = parseXml(xml);
        CPPUNIT_ASSERT_EQUAL(message, child(doc->documentElement(), "Say")->innerText());
        ConnectStreamSpec spec;
        spec.streamUrl = "wss://gw.example.com/m/t";
        spec.actionUrl = "https://gw.example.com/a?x=1&y=<2>";
        spec.statusCallbackUrl = "https://gw.example.com/s";
        spec.parameters = {{"tenant", "t'<&>\"ü🎉"}};
        auto stream = parseXml(TwimlBuilder::connectStream(spec));
        Poco::XML::Element* connect = child(stream->documentElement(), "Connect");
        CPPUNIT_ASSERT_EQUAL(spec.actionUrl, connect->getAttribute("action"));
        CPPUNIT_ASSERT_EQUAL(std::string("t'<&>\"ü🎉"), child(child(connect, "Stream"), "Parameter")->getAttribute("value"));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(TwimlBuilderTest);
