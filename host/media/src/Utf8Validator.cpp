// Utf8Validator.cpp: byte-level UTF-8 state machine with an ASCII fast path.
#include <patchbay/media/Utf8Validator.h>

#include <cstring>

namespace patchbay {
namespace media {

bool Utf8Validator::feed(const char* data, std::size_t len)
{
    const auto* p = reinterpret_cast<const unsigned char*>(data);
    const auto* end = p + len;
    while (p < end)
    {
        if (_need == 0)
        {
            // Media-stream JSON is almost all ASCII: skip 8 bytes at a time while no high bit is set.
            while (end - p >= 8)
            {
                std::uint64_t word;
                std::memcpy(&word, p, 8);
                if (word & 0x8080808080808080ull)
                    break;
                p += 8;
            }
            if (p == end)
                break;
            unsigned char b = *p++;
            if (b < 0x80)
                continue;
            // Lead byte: the allowed range of the first continuation byte rules out overlongs,
            // UTF-16 surrogates (ED A0..BF) and anything above U+10FFFF (F4 90.. and F5..FF).
            _lo = 0x80;
            _hi = 0xBF;
            if (b >= 0xC2 && b <= 0xDF)
                _need = 1;
            else if (b == 0xE0)
            {
                _need = 2;
                _lo = 0xA0;
            }
            else if ((b >= 0xE1 && b <= 0xEC) || b == 0xEE || b == 0xEF)
                _need = 2;
            else if (b == 0xED)
            {
                _need = 2;
                _hi = 0x9F;
            }
            else if (b == 0xF0)
            {
                _need = 3;
                _lo = 0x90;
            }
            else if (b >= 0xF1 && b <= 0xF3)
                _need = 3;
            else if (b == 0xF4)
            {
                _need = 3;
                _hi = 0x8F;
            }
            else
                return false;
        }
        else
        {
            unsigned char b = *p++;
            if (b < _lo || b > _hi)
                return false;
            _lo = 0x80;
            _hi = 0xBF;
            --_need;
        }
    }
    return true;
}

} // namespace media
} // namespace patchbay
