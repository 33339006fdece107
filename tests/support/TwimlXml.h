// TwimlXml.h: parsing TwiML answers in tests — a well-formedness check and required child elements.
#pragma once

#include <cppunit/extensions/HelperMacros.h>

#include <Poco/AutoPtr.h>
#include <Poco/DOM/DOMParser.h>
#include <Poco/DOM/Document.h>
#include <Poco/DOM/Element.h>
#include <Poco/Exception.h>

#include <string>

namespace patchbay::testsupport {

/// The document, or a test failure that shows the text when it is not well-formed XML.
inline Poco::AutoPtr<Poco::XML::Document> parseXml(const std::string& xml)
{
    Poco::XML::DOMParser parser;
    try
    {
        return parser.parseString(xml);
    }
    catch (const Poco::Exception& e)
    {
        CPPUNIT_FAIL("not well-formed XML: " + e.displayText() + "\n" + xml);
    }
    return {};
}

/// The first child element called name; a test failure when there is none.
inline Poco::XML::Element* child(Poco::XML::Element* parent, const std::string& name)
{
    Poco::XML::Element* element = parent ? parent->getChildElement(name) : nullptr;
    CPPUNIT_ASSERT_MESSAGE("missing <" + name + ">", element != nullptr);
    return element;
}

} // namespace patchbay::testsupport
