// MediaStreamSessionTest.cpp: one stream both ways — audio queued before start, marks and clears, DTMF, bad input, stop.
#include "MediaStreamFixture.h"

using namespace mediatest;

class MediaStreamSessionTest : public MediaStreamFixture
{
    CPPUNIT_TEST_SUITE(MediaStreamSessionTest);
    CPPUNIT_TEST(agentAudioBeforeStartIsQueuedAndSentInOrder);
    CPPUNIT_TEST(preStartQueueOverflowDropsOldestAndWarnsOnce);
    CPPUNIT_TEST(markEvery200msOfAudioAndPlayedAccounting);
    CPPUNIT_TEST(marksEchoedAfterClearCountAsFlushed);
    CPPUNIT_TEST(coreMarksReturnToTheCore);
    CPPUNIT_TEST(coreMarkGoesRightBehindItsAudioAndRestartsTheInterval);
    CPPUNIT_TEST(dtmfIsForwardedAndBadDigitsIgnored);
    CPPUNIT_TEST(badInputOnOneStreamLeavesTheOtherAlone);
    CPPUNIT_TEST(eventsBeforeStartAreIgnored);
    CPPUNIT_TEST(fullWriteQueueDropsWithoutMarkAndWarnsOnce);
    CPPUNIT_TEST(stopEndsTheLegOnce);
    CPPUNIT_TEST_SUITE_END();

public:
    // ---- agent audio before start ----

    void agentAudioBeforeStartIsQueuedAndSentInOrder()
    {
        const std::string sid = "CA00000000000000000000000000000030";
        const std::string token = admit(sid);
        const std::size_t i = connect(token);
        auto s = session(i);
        CPPUNIT_ASSERT(s);
        s->onAudio(frame("AAAA"));
        s->onMark("greeting-done");
        s->onAudio(frame("BBBB"));
        sdk::AudioFrame raw;
        raw.encoding = sdk::PayloadEncoding::Raw;
        raw.payload = std::string_view("\x01\x02\x03", 3);
        s->onAudio(raw);
        CPPUNIT_ASSERT(sent(i).empty()); // no streamSid yet: nothing can be addressed
        CPPUNIT_ASSERT_EQUAL(std::size_t(4), s->pending().size());
        _host->deliverInboundText(i, startMessage(sid, token, "MZ7"));
        // 9 bytes of audio in all: far from a mark of our own, but the core's goes out where it was placed.
        const std::vector<std::string> expected{mediaOut("MZ7", "AAAA"), markOut("MZ7", "greeting-done"), mediaOut("MZ7", "BBBB"),
                                                mediaOut("MZ7", "AQID")};
        CPPUNIT_ASSERT(expected == sent(i));
        CPPUNIT_ASSERT(s->pending().empty());
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(9), s->playout().sentBytes());
        // A clear before start just empties the queued audio (marks still go out, to be answered).
        const std::string sid2 = "CA00000000000000000000000000000031";
        const std::string token2 = admit(sid2);
        const std::size_t j = connect(token2);
        session(j)->onAudio(frame("AAAA"));
        session(j)->onMark("m");
        session(j)->onClear();
        _host->deliverInboundText(j, startMessage(sid2, token2, "MZ8"));
        CPPUNIT_ASSERT(std::vector<std::string>{markOut("MZ8", "m")} == sent(j));
    }

    void preStartQueueOverflowDropsOldestAndWarnsOnce()
    {
        const std::string sid = "CA00000000000000000000000000000032";
        const std::string token = admit(sid);
        const std::size_t i = connect(token);
        auto s = session(i);
        const std::string chunk(4000, 'A'); // ~3 KB of μ-law each
        const std::size_t fit = twilio::PendingOutbound::kDefaultMaxBytes / chunk.size();
        for (std::size_t n = 0; n < fit + 10; ++n)
        {
            std::string payload = chunk;
            payload.replace(0, std::to_string(n).size(), std::to_string(n)); // tell them apart
            s->onAudio(frame(payload));
        }
        CPPUNIT_ASSERT_EQUAL(10.0, metric("patchbay_twilio_stream_prestart_dropped_total"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), _host->recordingLogger().count("waiting for start is full"));
        _host->deliverInboundText(i, startMessage(sid, token, "MZ1"));
        CPPUNIT_ASSERT_EQUAL(2 * fit, sent(i).size());
        CPPUNIT_ASSERT(sent(i).front().find("\"payload\":\"10AAA") != std::string::npos); // 0..9 were the oldest
    }

    // ---- marks ----

    /// @return the base64 of `n` bytes of μ-law silence-ish audio (one 20 ms chunk for 160).
    static std::string chunkOf(std::size_t n, char fill = '\xff')
    {
        return sdk::support::Base64::encode(std::string(n, fill));
    }

    /// Indexes in sent(i), from `from` on, of the messages that are marks.
    std::vector<std::size_t> markIndexes(std::size_t i, std::size_t from = 0)
    {
        std::vector<std::size_t> at;
        for (std::size_t n = from; n < sent(i).size(); ++n)
            if (sent(i)[n].find(R"("event":"mark")") != std::string::npos) at.push_back(n);
        return at;
    }

    void markEvery200msOfAudioAndPlayedAccounting()
    {
        const std::string sid = "CA00000000000000000000000000000040";
        const std::size_t i = started(sid, "MZ1");
        sdk::InboundLeg* l = leg(sid);
        const std::string chunk = chunkOf(160); // 20 ms
        for (int n = 0; n < 25; ++n) l->onAudio(frame(chunk));
        // 25 media, and a mark of ours behind the 10th and the 20th chunk only.
        CPPUNIT_ASSERT_EQUAL(std::size_t(27), sent(i).size());
        CPPUNIT_ASSERT(std::vector<std::size_t>({10, 21}) == markIndexes(i));
        CPPUNIT_ASSERT_EQUAL(markOut("MZ1", "pb-1"), sent(i)[10]);
        CPPUNIT_ASSERT_EQUAL(markOut("MZ1", "pb-2"), sent(i)[21]);
        for (std::size_t n : {0, 9, 11, 20, 22, 26}) CPPUNIT_ASSERT_EQUAL(mediaOut("MZ1", chunk), sent(i)[n]);
        _host->deliverInboundText(i, markIn("MZ1", "pb-1"));
        CPPUNIT_ASSERT_EQUAL(1.0, metric("patchbay_twilio_stream_marks_total", {{"result", "played"}}));
        CPPUNIT_ASSERT_EQUAL(200.0, metric("patchbay_twilio_stream_played_ms_total")); // the 10 chunks before it
        _host->deliverInboundText(i, markIn("MZ1", "pb-2"));
        CPPUNIT_ASSERT_EQUAL(2.0, metric("patchbay_twilio_stream_marks_total", {{"result", "played"}}));
        CPPUNIT_ASSERT_EQUAL(400.0, metric("patchbay_twilio_stream_played_ms_total"));
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(3200), session(i)->playout().playedBytes());
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(4000), session(i)->playout().sentBytes());
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), session(i)->playout().outstanding());
        CPPUNIT_ASSERT_EQUAL(0.0, metric("patchbay_twilio_stream_marks_total", {{"result", "skipped"}}));
        // Our marks are ours: the core never hears of them.
        CPPUNIT_ASSERT(_host->fakeRouter().channel(sid)->marks().empty());
        // The 5 chunks after the last mark were sent but are not known to be heard; the summary says so.
        _host->closeInbound(i, 1000, "");
        CPPUNIT_ASSERT(_host->recordingLogger().contains("500 ms of agent audio sent, 400 ms heard (confirmed by marks), 0 ms flushed by 0 clear(s), "
                                                         "100 ms unconfirmed (neither heard nor flushed as far as marks tell; 100 ms of it after the last mark)"));
    }

    void marksEchoedAfterClearCountAsFlushed()
    {
        const std::string sid = "CA00000000000000000000000000000041";
        const std::size_t i = started(sid, "MZ1");
        sdk::InboundLeg* l = leg(sid);
        const std::string chunk = chunkOf(160, '\x7f');
        for (int n = 0; n < 10; ++n) l->onAudio(frame(chunk)); // pb-1
        _host->deliverInboundText(i, markIn("MZ1", "pb-1"));   // played before the barge-in
        for (int n = 0; n < 13; ++n) l->onAudio(frame(chunk)); // pb-2, then 3 chunks with no mark behind them
        CPPUNIT_ASSERT_EQUAL(markOut("MZ1", "pb-2"), sent(i)[21]);
        l->onClear();
        CPPUNIT_ASSERT_EQUAL(std::string(R"({"event":"clear","streamSid":"MZ1"})"), sent(i).back());
        // No echo will ever report the unmarked 60 ms: they count as flushed right away.
        CPPUNIT_ASSERT_EQUAL(60.0, metric("patchbay_twilio_stream_flushed_ms_total"));
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(480), session(i)->playout().flushedBytes());
        // The agent's next turn: the clear restarted the interval, so the mark follows its 10th chunk.
        const std::size_t turn = sent(i).size();
        for (int n = 0; n < 10; ++n) l->onAudio(frame(chunk));
        CPPUNIT_ASSERT(std::vector<std::size_t>({turn + 10}) == markIndexes(i, turn));
        CPPUNIT_ASSERT_EQUAL(markOut("MZ1", "pb-3"), sent(i).back());
        // Twilio answers the pending mark at once, then the new one when it has played.
        _host->deliverInboundText(i, markIn("MZ1", "pb-2"));
        _host->deliverInboundText(i, markIn("MZ1", "pb-3"));
        CPPUNIT_ASSERT_EQUAL(2.0, metric("patchbay_twilio_stream_marks_total", {{"result", "played"}}));
        CPPUNIT_ASSERT_EQUAL(1.0, metric("patchbay_twilio_stream_marks_total", {{"result", "flushed"}}));
        CPPUNIT_ASSERT_EQUAL(260.0, metric("patchbay_twilio_stream_flushed_ms_total"));
        CPPUNIT_ASSERT_EQUAL(400.0, metric("patchbay_twilio_stream_played_ms_total"));
        // A stray echo is counted, not believed.
        _host->deliverInboundText(i, markIn("MZ1", "pb-2"));
        CPPUNIT_ASSERT_EQUAL(1.0, metric("patchbay_twilio_stream_marks_total", {{"result", "unknown"}}));
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(3200), session(i)->playout().playedBytes());
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(2080), session(i)->playout().flushedBytes());
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(0), session(i)->playout().unconfirmedBytes());
        _host->closeInbound(i, 1000, "");
        CPPUNIT_ASSERT(_host->recordingLogger().contains("660 ms of agent audio sent, 400 ms heard (confirmed by marks), 260 ms flushed by 1 clear(s)"));
        CPPUNIT_ASSERT(!_host->recordingLogger().contains("unconfirmed"));
    }

    void coreMarksReturnToTheCore()
    {
        const std::string sid = "CA00000000000000000000000000000042";
        const std::size_t i = started(sid, "MZ1");
        sdk::InboundLeg* l = leg(sid);
        l->onAudio(frame("AAAA"));
        l->onMark("turn-1");
        l->onClear();
        l->onMark("turn-2");
        const std::vector<std::string> out{mediaOut("MZ1", "AAAA"), markOut("MZ1", "turn-1"), R"({"event":"clear","streamSid":"MZ1"})",
                                           markOut("MZ1", "turn-2")};
        CPPUNIT_ASSERT(out == sent(i));
        _host->deliverInboundText(i, markIn("MZ1", "turn-1"));
        _host->deliverInboundText(i, markIn("MZ1", "turn-2"));
        // Each core mark is answered exactly once (MediaSink::onMark: played or flushed).
        const std::vector<std::string> expected{"turn-1", "turn-2"};
        CPPUNIT_ASSERT(expected == _host->fakeRouter().channel(sid)->marks());
        CPPUNIT_ASSERT_EQUAL(1.0, metric("patchbay_twilio_stream_marks_total", {{"result", "flushed"}})); // turn-1, sent before the clear
        CPPUNIT_ASSERT_EQUAL(1.0, metric("patchbay_twilio_stream_marks_total", {{"result", "played"}}));  // turn-2
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(3), session(i)->playout().flushedBytes()); // AAAA, carried by turn-1
    }

    void coreMarkGoesRightBehindItsAudioAndRestartsTheInterval()
    {
        // The routing core's hang-up after playout waits for the echo of its own mark: it must follow
        // exactly the audio sent before it, whatever our marks are doing.
        const std::string sid = "CA00000000000000000000000000000043";
        const std::size_t i = started(sid, "MZ1");
        sdk::InboundLeg* l = leg(sid);
        const std::string chunk = chunkOf(160);
        for (int n = 0; n < 5; ++n) l->onAudio(frame(chunk));
        l->onMark("patchbay-hangup-1");
        CPPUNIT_ASSERT_EQUAL(std::size_t(6), sent(i).size());
        CPPUNIT_ASSERT_EQUAL(markOut("MZ1", "patchbay-hangup-1"), sent(i)[5]);
        // Counted from the core mark, our next mark follows the 10th chunk after it, not the 5th.
        for (int n = 0; n < 12; ++n) l->onAudio(frame(chunk));
        CPPUNIT_ASSERT(std::vector<std::size_t>({5, 16}) == markIndexes(i));
        CPPUNIT_ASSERT_EQUAL(markOut("MZ1", "pb-1"), sent(i)[16]);
        // Another core mark right behind the unmarked tail, then one right behind ours.
        l->onMark("patchbay-hangup-2");
        for (int n = 0; n < 8; ++n) l->onAudio(frame(chunk));
        l->onMark("patchbay-hangup-3");
        CPPUNIT_ASSERT_EQUAL(markOut("MZ1", "patchbay-hangup-2"), sent(i)[19]);
        CPPUNIT_ASSERT_EQUAL(markOut("MZ1", "patchbay-hangup-3"), sent(i).back());
        CPPUNIT_ASSERT(std::vector<std::size_t>({5, 16, 19, 28}) == markIndexes(i));
        for (const char* name : {"patchbay-hangup-1", "pb-1", "patchbay-hangup-2", "patchbay-hangup-3"}) _host->deliverInboundText(i, markIn("MZ1", name));
        // The core gets back its own three, in order; each accounted for exactly the audio before it.
        const std::vector<std::string> expected{"patchbay-hangup-1", "patchbay-hangup-2", "patchbay-hangup-3"};
        CPPUNIT_ASSERT(expected == _host->fakeRouter().channel(sid)->marks());
        CPPUNIT_ASSERT_EQUAL(4.0, metric("patchbay_twilio_stream_marks_total", {{"result", "played"}}));
        CPPUNIT_ASSERT_EQUAL(500.0, metric("patchbay_twilio_stream_played_ms_total")); // 5 + 10 + 2 + 8 chunks
        CPPUNIT_ASSERT_EQUAL(session(i)->playout().sentBytes(), session(i)->playout().playedBytes());
    }

    // ---- Twilio → core ----

    void dtmfIsForwardedAndBadDigitsIgnored()
    {
        const std::string sid = "CA00000000000000000000000000000050";
        const std::size_t i = started(sid, "MZ1");
        for (const char* digit : {"1", "#", "*", "x", "12", "D"})
            _host->deliverInboundText(i, std::string(R"({"event":"dtmf","sequenceNumber":"3","streamSid":"MZ1","dtmf":{"track":"inbound_track","digit":")") +
                                             digit + "\"}}");
        CPPUNIT_ASSERT_EQUAL(std::string("1#*D"), _host->fakeRouter().channel(sid)->dtmfDigits());
        CPPUNIT_ASSERT_EQUAL(2.0, metric("patchbay_twilio_stream_messages_ignored_total", {{"reason", "out_of_place"}}));
        CPPUNIT_ASSERT(!_host->inbound(i).connection->closeRequested());
    }

    void badInputOnOneStreamLeavesTheOtherAlone()
    {
        const std::string sidA = "CA00000000000000000000000000000051", sidB = "CA00000000000000000000000000000052";
        const std::size_t a = started(sidA, "MZa");
        const std::size_t b = started(sidB, "MZb");
        auto* channelA = _host->fakeRouter().channel(sidA);
        auto* channelB = _host->fakeRouter().channel(sidB);

        // Malformed JSON and unknown events: ignored, counted, one log line each; the call goes on.
        const std::size_t warnings = _host->recordingLogger().count("malformed media-stream message ignored");
        _host->deliverInboundText(a, "{not json");
        _host->deliverInboundText(a, R"({"event":"media","streamSid":"MZa","media":{"payload":7}})");
        _host->deliverInboundText(a, R"({"event":"transcription","streamSid":"MZa"})");
        _host->deliverInboundText(a, R"({"event":"transcription","streamSid":"MZa"})");
        _host->deliverInboundText(a, mediaIn("MZb", 2)); // another stream's message on this socket
        _host->deliverInboundText(a, mediaIn("MZa", 3));
        CPPUNIT_ASSERT(!_host->inbound(a).connection->closeRequested());
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), channelA->audio().size());
        CPPUNIT_ASSERT_EQUAL(warnings + 1, _host->recordingLogger().count("malformed media-stream message ignored"));
        CPPUNIT_ASSERT_EQUAL(2.0, metric("patchbay_twilio_stream_malformed_total"));
        CPPUNIT_ASSERT_EQUAL(2.0, metric("patchbay_twilio_stream_messages_ignored_total", {{"reason", "unknown_event"}}));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), _host->recordingLogger().count("unknown media-stream event 'transcription'"));

        // Oversized: not Twilio any more; the stream ends with 1009 and the leg as failed.
        std::string huge = mediaIn("MZa", 4, std::string(twilio::MediaStreamCodec::kMaxMessageSize, 'A'));
        _host->deliverInboundText(a, huge);
        CPPUNIT_ASSERT_EQUAL(std::uint16_t(1009), _host->inbound(a).connection->closeCode());
        CPPUNIT_ASSERT(channelA->endReason() == sdk::EndReason::InboundFailed);
        CPPUNIT_ASSERT_EQUAL(1.0, metric("patchbay_twilio_stream_messages_ignored_total", {{"reason", "oversized"}}));
        _host->deliverInboundText(a, mediaIn("MZa", 5)); // whatever still arrives while closing
        _host->closeInbound(a, 1009, "too big");
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), channelA->endedCount());
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), channelA->callsAfterEnd());

        // B never noticed.
        _host->deliverInboundText(b, mediaIn("MZb", 2));
        leg(sidB)->onAudio(frame("AAAA"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), channelB->audio().size());
        CPPUNIT_ASSERT(!channelB->hasEnded());
        CPPUNIT_ASSERT_EQUAL(mediaOut("MZb", "AAAA"), sent(b).at(0));
        CPPUNIT_ASSERT(!_host->inbound(b).connection->closeRequested());
    }

    void eventsBeforeStartAreIgnored()
    {
        const std::string sid = "CA00000000000000000000000000000053";
        const std::string token = admit(sid);
        const std::size_t i = connect(token);
        _host->deliverInboundText(i, mediaIn("MZ1", 2));
        _host->deliverInboundText(i, markIn("MZ1", "pb-1"));
        CPPUNIT_ASSERT(!_host->inbound(i).connection->closeRequested());
        CPPUNIT_ASSERT_EQUAL(2.0, metric("patchbay_twilio_stream_messages_ignored_total", {{"reason", "out_of_place"}}));
        // Oversized before start is a refusal like any other bad input.
        _host->deliverInboundText(i, std::string(twilio::MediaStreamCodec::kMaxMessageSize + 1, ' '));
        CPPUNIT_ASSERT_EQUAL(std::uint16_t(1009), _host->inbound(i).connection->closeCode());
        CPPUNIT_ASSERT(_host->fakeRouter().attachments().empty());
        CPPUNIT_ASSERT_EQUAL(1.0, metric("patchbay_twilio_streams_refused_total"));
    }

    void fullWriteQueueDropsWithoutMarkAndWarnsOnce()
    {
        const std::string sid = "CA00000000000000000000000000000054";
        const std::size_t i = started(sid, "MZ1");
        sdk::InboundLeg* l = leg(sid);
        const std::string chunk = chunkOf(160);
        _host->inbound(i).connection->setQueueFull(true);
        for (int n = 0; n < 5; ++n) l->onAudio(frame(chunk));
        CPPUNIT_ASSERT_EQUAL(5.0, metric("patchbay_twilio_stream_send_dropped_total"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), _host->recordingLogger().count("write queue to Twilio full"));
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(0), session(i)->playout().sentBytes());
        _host->inbound(i).connection->setQueueFull(false);
        // Dropped chunks never reached the caller, so they bring no mark closer either.
        for (int n = 0; n < 9; ++n) l->onAudio(frame(chunk));
        CPPUNIT_ASSERT(markIndexes(i).empty());
        l->onAudio(frame(chunk));
        CPPUNIT_ASSERT_EQUAL(markOut("MZ1", "pb-1"), sent(i).back());
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(1600), session(i)->playout().sentBytes());
    }

    void stopEndsTheLegOnce()
    {
        const std::string sid = "CA00000000000000000000000000000055";
        const std::size_t i = started(sid, "MZ1");
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), _activeLegs.load());
        _host->deliverInboundText(i, R"({"event":"stop","sequenceNumber":"5","streamSid":"MZ1","stop":{"accountSid":"AC1","callSid":"CA1"}})");
        auto* channel = _host->fakeRouter().channel(sid);
        CPPUNIT_ASSERT(channel->endReason() == sdk::EndReason::Completed);
        CPPUNIT_ASSERT_EQUAL(std::uint16_t(1000), _host->inbound(i).connection->closeCode());
        leg(sid)->onAudio(frame("AAAA")); // the core may still be mid-callback: ignored
        _host->deliverInboundText(i, mediaIn("MZ1", 6));
        _host->closeInbound(i, 1000, "");
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), channel->endedCount());
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), channel->callsAfterEnd());
        CPPUNIT_ASSERT(channel->audio().empty());
    }

};

CPPUNIT_TEST_SUITE_REGISTRATION(MediaStreamSessionTest);
