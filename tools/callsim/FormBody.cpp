// FormBody.cpp: percent-encoding of form fields.
#include "FormBody.h"

namespace patchbay {
namespace callsim {

void FormBody::appendEncoded(std::string& out, const std::string& text)
{
    static constexpr char kHex[] = "0123456789ABCDEF";
    for (const char ch : text)
    {
        const auto c = static_cast<unsigned char>(ch);
        const bool plain = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
            c == '.' || c == '_' || c == '~';
        if (plain)
            out += ch;
        else if (c == ' ')
            out += '+';
        else
        {
            out += '%';
            out += kHex[c >> 4];
            out += kHex[c & 0x0F];
        }
    }
}

std::string FormBody::encode(const Params& params)
{
    std::string out;
    for (const auto& [name, value] : params)
    {
        if (!out.empty())
            out += '&';
        appendEncoded(out, name);
        out += '=';
        appendEncoded(out, value);
    }
    return out;
}

} // namespace callsim
} // namespace patchbay
