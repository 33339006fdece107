// TwimlParser.cpp: TwiML via Poco's DOM parser; the first verb decides the outcome, as it would on Twilio.
#include "TwimlParser.h"

#include <Poco/AutoPtr.h>
#include <Poco/DOM/DOMParser.h>
#include <Poco/DOM/Document.h>
#include <Poco/DOM/Element.h>
#include <Poco/DOM/Node.h>
#include <Poco/DOM/NodeList.h>
#include <Poco/Exception.h>

namespace patchbay {
namespace callsim {

const char* TwimlOutcome::kindName(Kind kind)
{
    switch (kind)
    {
    case Kind::Invalid: return "invalid";
    case Kind::Empty: return "empty";
    case Kind::Connect: return "connect";
    case Kind::Reject: return "reject";
    case Kind::Say: return "say";
    case Kind::Dial: return "dial";
    case Kind::Hangup: return "hangup";
    case Kind::Other: return "other";
    }
    return "?";
}

namespace {

using Poco::XML::Element;
using Poco::XML::Node;

Element* firstChildElement(Node* parent, const std::string& name = std::string())
{
    for (Node* n = parent ? parent->firstChild() : nullptr; n; n = n->nextSibling())
        if (n->nodeType() == Node::ELEMENT_NODE && (name.empty() || n->nodeName() == name))
            return static_cast<Element*>(n);
    return nullptr;
}

Element* nextElement(Node* node)
{
    for (Node* n = node->nextSibling(); n; n = n->nextSibling())
        if (n->nodeType() == Node::ELEMENT_NODE)
            return static_cast<Element*>(n);
    return nullptr;
}

} // namespace

TwimlOutcome TwimlParser::parse(const std::string& xml)
{
    TwimlOutcome out;
    try
    {
        Poco::XML::DOMParser parser;
        Poco::AutoPtr<Poco::XML::Document> doc = parser.parseString(xml);
        Element* root = doc->documentElement();
        if (!root || root->nodeName() != "Response")
        {
            out.error = "root element is not <Response>";
            return out;
        }
        Element* verb = firstChildElement(root);
        if (!verb)
        {
            out.kind = TwimlOutcome::Kind::Empty;
            return out;
        }
        out.verb = verb->nodeName();
        if (out.verb == "Connect")
        {
            Element* stream = firstChildElement(verb, "Stream");
            if (!stream || stream->getAttribute("url").empty())
            {
                out.error = "<Connect> without <Stream url>";
                return out;
            }
            out.kind = TwimlOutcome::Kind::Connect;
            out.streamUrl = stream->getAttribute("url");
            for (Element* p = firstChildElement(stream, "Parameter"); p; p = nextElement(p))
                if (p->nodeName() == "Parameter")
                    out.parameters.emplace_back(p->getAttribute("name"), p->getAttribute("value"));
        }
        else if (out.verb == "Reject")
        {
            out.kind = TwimlOutcome::Kind::Reject;
            out.reason = verb->getAttribute("reason").empty() ? "rejected" : verb->getAttribute("reason");
        }
        else if (out.verb == "Say")
        {
            out.kind = TwimlOutcome::Kind::Say;
            out.say = verb->innerText();
            for (Element* e = nextElement(verb); e; e = nextElement(e))
                if (e->nodeName() == "Dial")
                    out.dial = e->innerText();
        }
        else if (out.verb == "Dial")
        {
            out.kind = TwimlOutcome::Kind::Dial;
            out.dial = verb->innerText();
        }
        else if (out.verb == "Hangup")
            out.kind = TwimlOutcome::Kind::Hangup;
        else
            out.kind = TwimlOutcome::Kind::Other;
    }
    catch (const Poco::Exception& e)
    {
        out.kind = TwimlOutcome::Kind::Invalid;
        out.error = "TwiML does not parse: " + e.displayText();
    }
    catch (const std::exception& e)
    {
        out.kind = TwimlOutcome::Kind::Invalid;
        out.error = std::string("TwiML does not parse: ") + e.what();
    }
    return out;
}

} // namespace callsim
} // namespace patchbay
