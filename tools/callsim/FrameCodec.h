// FrameCodec.h: the caller's μ-law frames — a tagged header (magic, call, frame id) over a tone — and their verification.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace patchbay {
namespace callsim {

/// Layout of every frame: 'P' 'B' 'F' '1', call tag (4 bytes, big-endian), frame id (4 bytes,
/// big-endian), then a 400 Hz tone. The tone repeats exactly every 20 samples, so the tail of
/// every frame is the same template and an echo is verified byte for byte without storing it.
class FrameCodec
{
public:
    static constexpr std::size_t kHeaderSize = 12;

    enum class Check
    {
        Ok,        ///< one of our frames, intact
        Foreign,   ///< not one of our frames (e.g. the agent's greeting)
        Corrupted  ///< carries our magic but differs from what that call/frame must contain
    };

    explicit FrameCodec(std::size_t frameBytes);

    std::size_t frameBytes() const { return _template.size(); }

    /// Appends the base64 of frame `frameId` of call `callTag` to out.
    void appendBase64(std::uint32_t callTag, std::uint32_t frameId, std::string& out) const;

    /// Checks decoded payload bytes against what call `callTag` sends; frameId receives the id.
    Check verify(std::string_view bytes, std::uint32_t callTag, std::uint32_t& frameId) const;

private:
    std::string _template;
};

} // namespace callsim
} // namespace patchbay
