package io.sftap.job.flow;

import static org.assertj.core.api.Assertions.assertThat;

import io.sftap.job.classify.RulesFile;
import io.sftap.job.classify.SftapConfig;
import io.sftap.sinks.event.EventType;
import io.sftap.sinks.event.FlowEvent;
import io.sftap.sinks.event.Match;
import io.sftap.sinks.event.Reason;
import io.sftap.source.synth.FrameBuilder;
import io.sftap.source.synth.TcpSessionWriter;
import io.sftap.source.wire.Addresses;
import io.sftap.source.wire.Direction;
import io.sftap.source.wire.FlowKey;
import io.sftap.source.wire.FrameDecoder;
import io.sftap.source.wire.Packet;
import io.sftap.source.wire.TcpFlags;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class FlowProcessorTest {
    static final String RULES = String.join("\n",
            "global:",
            "  home: /tmp/sftap-test",
            "  timeout: 30",
            "tcp_default:",
            "  if: default",
            "  proto: TCP",
            "udp_default:",
            "  if: default",
            "  proto: UDP",
            "http:",
            "  up: '^[-a-zA-Z]+ .+ HTTP/1\\.[01]\\r\\n'",
            "  down: '^HTTP/1\\.[01] [1-9][0-9]{2} .+\\r\\n'",
            "  proto: TCP",
            "  if: http",
            "dns_udp:",
            "  proto: UDP",
            "  if: dns",
            "  port: 53",
            "");

    static final byte[] CLIENT = Addresses.parse("10.0.0.2");
    static final byte[] SERVER = Addresses.parse("10.0.0.1");
    static final long T0 = 1_700_000_000_000_000_000L;

    final List<FlowEvent> events = new ArrayList<>();
    final List<Packet> packets = new ArrayList<>();
    final FrameDecoder decoder = new FrameDecoder();

    SftapConfig config(String extraGlobal) throws Exception {
        return RulesFile.parse(RULES.replace("  timeout: 30", "  timeout: 30\n" + extraGlobal), "test.yaml");
    }

    void capture(long ts, byte[] frame) {
        Packet p = new Packet();
        assertThat(decoder.decode(1, frame, 0, frame.length, ts, p)).isNull();
        packets.add(p);
    }

    FlowState run(SftapConfig config, FlowState state) {
        FlowProcessor processor = new FlowProcessor(FlowSettings.of(config.global));
        for (Packet p : packets) {
            state = p.isTcp()
                    ? processor.onTcp(state, FlowKey.of(p), p, config.rules, events::add, FlowCounters.NONE)
                    : state;
            if (p.isUdp()) {
                processor.onUdp(FlowKey.of(p), p, config.rules, events::add);
            }
        }
        return state;
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static String text(FlowEvent e) {
        return new String(e.data, StandardCharsets.ISO_8859_1);
    }

    List<EventType> types() {
        return events.stream().map(e -> e.type).collect(Collectors.toList());
    }

    @Test
    void httpSessionGivesCreatedDataDataDestroyedOnTheHttpSocket() throws Exception {
        new TcpSessionWriter(this::capture, CLIENT, 40000, SERVER, 80, T0)
                .handshake()
                .clientSends(ascii("GET / HTTP/1.1\r\nHost: x\r\n\r\n"))
                .serverSends(ascii("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"))
                .close();

        FlowState state = run(config(""), null);

        assertThat(types()).containsExactly(EventType.CREATED, EventType.DATA, EventType.DATA, EventType.DESTROYED);
        assertThat(events).allSatisfy(e -> assertThat(e.socket).isEqualTo("tcp/http"));
        assertThat(events.get(0).timestampNanos).isEqualTo(T0);
        // The server 10.0.0.1 is endpoint1 (smaller address); the client matched 'up'.
        assertThat(events.get(1).from).isEqualTo(Direction.FROM_ENDPOINT2);
        assertThat(events.get(1).match).isEqualTo(Match.UP);
        assertThat(text(events.get(1))).startsWith("GET / HTTP/1.1");
        assertThat(events.get(2).from).isEqualTo(Direction.FROM_ENDPOINT1);
        assertThat(events.get(2).match).isEqualTo(Match.DOWN);
        assertThat(events.get(3).reason).isEqualTo(Reason.NORMAL);
        assertThat(state.closed).as("closed flows linger as tombstones").isTrue();
    }

    @Test
    void dataIsBufferedUntilClassifiedThenFlushedInCaptureOrder() throws Exception {
        TcpSessionWriter s = new TcpSessionWriter(this::capture, CLIENT, 40000, SERVER, 80, T0).handshake();
        s.clientSends(ascii("GET /a HTTP/1.1\r\n\r\n"));
        int afterRequest = packets.size();
        s.serverSends(ascii("HTTP/1.1 200 OK\r\n\r\n"));

        FlowProcessor processor = new FlowProcessor(FlowSettings.of(config("").global));
        FlowState state = null;
        SftapConfig config = config("");
        for (int i = 0; i < afterRequest; i++) {
            Packet p = packets.get(i);
            state = processor.onTcp(state, FlowKey.of(p), p, config.rules, events::add, FlowCounters.NONE);
        }
        assertThat(events).as("one direction only: not classified yet").isEmpty();
        // Survives a trip through keyed state while unclassified.
        state = FlowStateCodec.decode(FlowStateCodec.encode(state));
        for (int i = afterRequest; i < packets.size(); i++) {
            Packet p = packets.get(i);
            state = processor.onTcp(state, FlowKey.of(p), p, config.rules, events::add, FlowCounters.NONE);
        }
        assertThat(types()).containsExactly(EventType.CREATED, EventType.DATA, EventType.DATA);
        assertThat(text(events.get(1))).startsWith("GET /a");
        assertThat(events.get(1).timestampNanos).isLessThan(events.get(2).timestampNanos);
    }

    @Test
    void flowWithoutSynIsPickedUpByDefaultAndIgnoredWhenTheRulesSayNo() throws Exception {
        capture(T0, FrameBuilder.tcp(CLIENT, 40000, SERVER, 80, 1000, 2000, TcpFlags.ACK | TcpFlags.PSH,
                ascii("GET / HTTP/1.1\r\n\r\n")));
        capture(T0 + 1, FrameBuilder.tcp(SERVER, 80, CLIENT, 40000, 2000, 1018, TcpFlags.ACK | TcpFlags.PSH,
                ascii("HTTP/1.1 200 OK\r\n\r\n")));

        FlowState picked = run(config(""), null);
        assertThat(types()).containsExactly(EventType.CREATED, EventType.DATA, EventType.DATA);
        assertThat(picked).isNotNull();

        events.clear();
        FlowState ignored = run(config("  pickup_without_syn: no"), null);
        assertThat(events).isEmpty();
        assertThat(ignored).isNull();
    }

    @Test
    void pureAckOfAnUnknownFlowOpensAMidStreamFlowOnlyWhenPickupIsOn() throws Exception {
        capture(T0, FrameBuilder.tcp(CLIENT, 40000, SERVER, 443, 1, 1, TcpFlags.ACK, new byte[0]));
        FlowState picked = run(config(""), null);
        assertThat(picked).isNotNull();
        assertThat(events).as("nothing to say until it ends").isEmpty();

        assertThat(run(config("  pickup_without_syn: no"), null)).isNull();
    }

    @Test
    void cleanCloseIsAcknowledgedOnlyByTheLastAckAndAResetNever() throws Exception {
        closedRequestSession();
        Packet lastAck = packets.remove(packets.size() - 1);
        FlowState closing = run(config(""), null);
        assertThat(types()).endsWith(EventType.DESTROYED);
        assertThat(closing.closed).isTrue();
        assertThat(closing.closeAcknowledged).as("second FIN not yet acknowledged").isFalse();

        packets.clear();
        packets.add(lastAck);
        FlowState closed = run(config(""), closing);
        assertThat(closed.closeAcknowledged).isTrue();
        assertThat(closed.tcp).isNull();
        assertThat(types()).as("the last ACK makes no event").endsWith(EventType.DESTROYED);

        packets.clear();
        events.clear();
        new TcpSessionWriter(this::capture, CLIENT, 40001, SERVER, 80, T0).handshake().reset();
        FlowState reset = run(config(""), null);
        assertThat(reset.closed).isTrue();
        assertThat(reset.closeAcknowledged).isFalse();
    }

    @Test
    void lastAckOfASlowCloseIsAbsorbedAfterTheLingerWithinTheIdleTimeout() throws Exception {
        closedRequestSession();
        Packet lastAck = packets.remove(packets.size() - 1);
        FlowState closing = run(config(""), null);
        long secondFin = packets.get(packets.size() - 1).timestampNanos;

        packets.clear();
        events.clear();
        lastAck.timestampNanos = secondFin + 2 * FlowSettings.CLOSED_LINGER_NANOS; // 10 s later
        packets.add(lastAck);
        FlowState closed = run(config(""), closing);
        assertThat(closed).isSameAs(closing);
        assertThat(closed.closeAcknowledged).isTrue();
        assertThat(events).as("no new flow").isEmpty();
    }

    @Test
    void segmentAfterTheTombstoneLingerOpensANewFlowEvenBeforeItsTimer() throws Exception {
        closedRequestSession();
        FlowState tombstone = run(config(""), null);
        SftapConfig config = config("");
        long linger = deadline(config, tombstone);

        packets.clear();
        events.clear();
        capture(linger, FrameBuilder.tcp(CLIENT, 40000, SERVER, 80, 5000, 6000, TcpFlags.ACK | TcpFlags.PSH, ascii("x")));
        assertThat(run(config, tombstone)).as("absorbed up to the deadline").isSameAs(tombstone);
        assertThat(events).isEmpty();

        long extended = deadline(config, tombstone);
        assertThat(extended).as("a stray moves the deadline").isGreaterThan(linger);
        packets.clear();
        capture(extended + 1, FrameBuilder.tcp(CLIENT, 40000, SERVER, 80, 5001, 6000, TcpFlags.ACK | TcpFlags.PSH, ascii("y")));
        FlowState reopened = run(config, tombstone);
        assertThat(reopened.closed).isFalse();
        assertThat(types()).isEmpty(); // a mid-stream flow: nothing to say until classified or ended
        assertThat(reopened).isNotSameAs(tombstone);
    }

    /** A request on port 80, closed by a FIN handshake whose last packet is the final ACK. */
    private void closedRequestSession() {
        new TcpSessionWriter(this::capture, CLIENT, 40000, SERVER, 80, T0)
                .handshake()
                .clientSends(ascii("GET / HTTP/1.1\r\n\r\n"))
                .close();
    }

    private static long deadline(SftapConfig config, FlowState state) {
        return FlowSettings.of(config.global).deadlineNanos(state);
    }

    @Test
    void resetEndsTheFlowWithReasonReset() throws Exception {
        new TcpSessionWriter(this::capture, CLIENT, 40000, SERVER, 22, T0)
                .handshake()
                .clientSends(ascii("SSH-2.0-x\r\n"))
                .reset();
        run(config(""), null);
        assertThat(types()).containsExactly(EventType.CREATED, EventType.DATA, EventType.DESTROYED);
        assertThat(events.get(2).reason).isEqualTo(Reason.RESET);
        assertThat(events.get(0).socket).as("no rule matches: default").isEqualTo("tcp/default");
    }

    @Test
    void idleFlowTimesOutAtTheTimerTime() throws Exception {
        new TcpSessionWriter(this::capture, CLIENT, 40000, SERVER, 80, T0)
                .handshake()
                .clientSends(ascii("GET / HTTP/1.1\r\n\r\n"));
        SftapConfig config = config("");
        FlowState state = run(config, null);
        FlowProcessor processor = new FlowProcessor(FlowSettings.of(config.global));
        long fired = processor.settings().deadlineNanos(state);

        FlowState after = processor.onTimeout(state, FlowKey.of(packets.get(0)), fired, config.rules, events::add,
                FlowCounters.NONE);

        assertThat(after).isNull();
        assertThat(types()).containsExactly(EventType.CREATED, EventType.DATA, EventType.DESTROYED);
        assertThat(events.get(2).reason).isEqualTo(Reason.TIMEOUT);
        assertThat(events.get(2).timestampNanos).isEqualTo(fired);
    }

    @Test
    void retransmissionAfterCloseOpensNoNewFlowButANewSynDoes() throws Exception {
        TcpSessionWriter s = new TcpSessionWriter(this::capture, CLIENT, 40000, SERVER, 80, T0)
                .handshake()
                .clientSends(ascii("GET / HTTP/1.1\r\n\r\n"))
                .serverSends(ascii("HTTP/1.1 200 OK\r\n\r\n"))
                .close();
        Packet request = packets.get(3);
        packets.add(request); // a late retransmission of the request
        new TcpSessionWriter(this::capture, CLIENT, 40000, SERVER, 80, s.now() + 1_000_000L)
                .initialSequences(77, 99)
                .handshake()
                .clientSends(ascii("GET /again HTTP/1.1\r\n\r\n"))
                .serverSends(ascii("HTTP/1.1 200 OK\r\n\r\n"))
                .close();

        run(config(""), null);

        assertThat(types()).containsExactly(
                EventType.CREATED, EventType.DATA, EventType.DATA, EventType.DESTROYED,
                EventType.CREATED, EventType.DATA, EventType.DATA, EventType.DESTROYED);
        assertThat(text(events.get(5))).startsWith("GET /again");
    }

    @Test
    void udpDatagramsGiveDataEventsOnlyWithMatchNoneForPortRules() throws Exception {
        capture(T0, FrameBuilder.udp(CLIENT, 5353, SERVER, 53, ascii("query")));
        capture(T0 + 1, FrameBuilder.udp(SERVER, 53, CLIENT, 5353, ascii("answer")));
        capture(T0 + 2, FrameBuilder.udp(CLIENT, 999, SERVER, 1000, ascii("other")));

        run(config(""), null);

        assertThat(types()).containsOnly(EventType.DATA).hasSize(3);
        assertThat(events.get(0).socket).isEqualTo("udp/dns");
        assertThat(events.get(0).match).isEqualTo(Match.NONE);
        assertThat(text(events.get(1))).isEqualTo("answer");
        assertThat(events.get(2).socket).isEqualTo("udp/default");
    }
}
