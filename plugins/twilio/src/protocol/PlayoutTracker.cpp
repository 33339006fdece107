// PlayoutTracker.cpp: the outstanding-mark ring and the played/flushed decision for each echo.
#include "protocol/PlayoutTracker.h"

#include <charconv>
#include <cstring>

namespace patchbay::twilio {

namespace {

// Echoes normally answer the oldest outstanding mark; look a little further in case Twilio lost
// some, but never scan the whole ring per echo.
constexpr std::size_t kMaxScan = 64;

bool parseSeq(std::string_view name, std::uint64_t& seq) noexcept
{
    if (name.size() <= PlayoutTracker::kMarkPrefix.size() || name.substr(0, PlayoutTracker::kMarkPrefix.size()) != PlayoutTracker::kMarkPrefix)
        return false;
    const std::string_view digits = name.substr(PlayoutTracker::kMarkPrefix.size());
    const auto result = std::from_chars(digits.data(), digits.data() + digits.size(), seq);
    return result.ec == std::errc() && result.ptr == digits.data() + digits.size();
}

} // namespace

bool PlayoutTracker::isGatewayMarkName(std::string_view name) noexcept
{
    std::uint64_t seq = 0;
    return parseSeq(name, seq);
}

std::string_view PlayoutTracker::nextMarkName()
{
    std::memcpy(_name, kMarkPrefix.data(), kMarkPrefix.size());
    char* end = std::to_chars(_name + kMarkPrefix.size(), _name + sizeof _name, _nextSeq).ptr;
    return std::string_view(_name, static_cast<std::size_t>(end - _name));
}

PlayoutTracker::Entry& PlayoutTracker::push()
{
    if (_count == _ring.size())
    {
        // Grow to the next power of two, unrolling the ring so index arithmetic stays a mask.
        // Starts small: with one mark per 200 ms, a handful are outstanding at a time (the ring
        // was the largest per-call allocation when it started at 64 entries).
        std::vector<Entry> bigger(_ring.empty() ? 8 : _ring.size() * 2);
        for (std::size_t i = 0; i < _count; ++i)
            bigger[i] = std::move(at(i));
        _ring.swap(bigger);
        _head = 0;
    }
    Entry& e = at(_count++);
    e.coreName.clear();
    e.flushed = false;
    e.bytes = _unmarkedBytes;
    _unmarkedBytes = 0;
    return e;
}

void PlayoutTracker::popFront() noexcept
{
    _head = (_head + 1) & (_ring.size() - 1);
    --_count;
}

void PlayoutTracker::chunkMarked(std::uint64_t bytes)
{
    _sentBytes += bytes;
    Entry& e = push();
    e.seq = _nextSeq++;
    e.core = false;
    e.bytes += bytes;
}

void PlayoutTracker::chunkUnmarked(std::uint64_t bytes)
{
    _sentBytes += bytes;
    _unmarkedBytes += bytes;
}

bool PlayoutTracker::coreMarkSent(std::string_view name)
{
    if (!hasRoom())
        return false;
    // push() hands it the unmarked audio before it: its echo accounts for that audio, so our
    // next mark is due a whole interval after it.
    Entry& e = push();
    e.seq = 0;
    e.core = true;
    e.coreName.assign(name.data(), name.size());
    return true;
}

std::uint64_t PlayoutTracker::cleared()
{
    ++_clears;
    for (std::size_t i = 0; i < _count; ++i)
        at(i).flushed = true;
    // Audio with no mark behind it is discarded too, and no echo will ever tell us so. With it
    // gone, the next mark of ours is due a whole interval of new audio later.
    const std::uint64_t unmarked = _unmarkedBytes;
    _flushedBytes += unmarked;
    _unmarkedBytes = 0;
    return unmarked;
}

PlayoutTracker::Echo PlayoutTracker::echoed(std::string_view name)
{
    Echo echo;
    std::uint64_t seq = 0;
    const bool ours = parseSeq(name, seq);
    const std::size_t scan = _count < kMaxScan ? _count : kMaxScan;
    std::size_t found = scan;
    for (std::size_t i = 0; i < scan; ++i)
    {
        const Entry& e = at(i);
        if (e.core ? e.coreName == name : (ours && e.seq == seq))
        {
            found = i;
            break;
        }
    }
    if (found == scan)
    {
        echo.core = !ours;
        return echo;
    }
    // Marks in front of the echoed one were never answered; Twilio answers in order, so they
    // never will be. Their audio is unaccounted for (neither played nor flushed).
    for (std::size_t i = 0; i < found; ++i)
        popFront();
    echo.skipped = found;
    Entry& e = at(0);
    echo.core = e.core;
    echo.bytes = e.bytes;
    echo.outcome = e.flushed ? Outcome::Flushed : Outcome::Played;
    (e.flushed ? _flushedBytes : _playedBytes) += e.bytes;
    popFront();
    return echo;
}

} // namespace patchbay::twilio
