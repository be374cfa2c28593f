package io.sftap.job.loopback;

import static org.assertj.core.api.Assertions.assertThat;

import io.sftap.job.classify.RulesFile;
import io.sftap.job.classify.SftapConfig;
import io.sftap.job.flow.FlowCounters;
import io.sftap.job.flow.FlowProcessor;
import io.sftap.job.flow.FlowSettings;
import io.sftap.job.flow.FlowState;
import io.sftap.sinks.event.EventType;
import io.sftap.sinks.event.FlowEvent;
import io.sftap.sinks.event.Match;
import io.sftap.sinks.event.Reason;
import io.sftap.source.wire.FlowKey;
import io.sftap.source.wire.Packet;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Re-injected flows through {@link FlowProcessor#onStream}: classified again, hop-limited. */
class LoopbackStreamClassificationTest {
    static final String RULES = String.join("\n",
            "global:",
            "  home: /tmp/sftap-test",
            "  hop_limit: 2",
            "tcp_default:",
            "  if: default",
            "  proto: TCP",
            "udp_default:",
            "  if: default",
            "  proto: UDP",
            "http:",
            "  up: '^[A-Z]+ [^ ]+ HTTP/1\\.[01]\\r\\n'",
            "  down: '^HTTP/1\\.[01] [1-9][0-9]{2} '",
            "  proto: TCP",
            "  if: http",
            "dns_udp:",
            "  proto: UDP",
            "  if: dns",
            "  port: 53",
            "");
    static final String TUNNEL = "ip1=10.0.0.1,ip2=10.0.0.2,port1=80,port2=40000,l3=ipv4,l4=tcp";

    final List<FlowEvent> events = new ArrayList<>();
    final Map<FlowCounters.Ignored, Integer> ignored = new EnumMap<>(FlowCounters.Ignored.class);
    final List<Reason> destroyed = new ArrayList<>();
    final FlowCounters counters = new FlowCounters() {
        @Override
        public void flowCreated() {}

        @Override
        public void flowDestroyed(Reason reason) {
            destroyed.add(reason);
        }

        @Override
        public void ignored(Ignored why) {
            ignored.merge(why, 1, Integer::sum);
        }
    };

    SftapConfig config;
    FlowProcessor processor;

    LoopbackStreamClassificationTest() throws Exception {
        config = RulesFile.parse(RULES, "test.yaml");
        processor = new FlowProcessor(FlowSettings.of(config.global));
    }

    FlowState feed(FlowState state, String text) throws Exception {
        byte[] b = text.getBytes(StandardCharsets.ISO_8859_1);
        for (Packet p : new LoopbackDecoder(false, () -> 0L).feed(b, 0, b.length)) {
            state = processor.onStream(state, FlowKey.of(p), p, config.rules, events::add, counters);
        }
        return state;
    }

    @Test
    void classifiesAReinjectedTcpFlowAgainWithoutReassembly() throws Exception {
        String f = TUNNEL + ",hop=0";
        FlowState s = feed(null, f + ",event=CREATED,time=1\n"
                + f + ",event=DATA,from=2,len=18,time=2\nGET / HTTP/1.1\r\n\r\n"
                + f + ",event=DATA,from=1,len=19,time=3\nHTTP/1.1 200 OK\r\n\r\n"
                + f + ",event=DESTROYED,time=4\n");

        assertThat(events).extracting(e -> e.type)
                .containsExactly(EventType.CREATED, EventType.DATA, EventType.DATA, EventType.DESTROYED);
        assertThat(events).allSatisfy(e -> {
            assertThat(e.iface).isEqualTo("http");
            assertThat(e.key.hop).isEqualTo((byte) 1);
        });
        assertThat(events.get(0).timestampNanos).isEqualTo(1_000_000_000L);
        assertThat(events.get(1).match).as("the request's side is up").isEqualTo(Match.UP);
        assertThat(events.get(2).match).isEqualTo(Match.DOWN);
        assertThat(new String(events.get(1).data, StandardCharsets.ISO_8859_1)).isEqualTo("GET / HTTP/1.1\r\n\r\n");
        assertThat(events.get(3).reason).isEqualTo(Reason.NORMAL);
        assertThat(destroyed).containsExactly(Reason.NORMAL);
        assertThat(s).as("no tombstone: the loopback has no late segments").isNull();
    }

    @Test
    void dropsAndCountsEventsPastTheHopLimit() throws Exception {
        String atLimit = TUNNEL + ",hop=1"; // becomes hop 2 = hop_limit: still served
        String past = TUNNEL + ",hop=2";    // becomes hop 3 > hop_limit
        feed(null, past + ",event=CREATED\n" + past + ",event=DATA,from=2,len=2\nhi" + past + ",event=DESTROYED\n");
        assertThat(events).isEmpty();
        assertThat(ignored).containsEntry(FlowCounters.Ignored.HOP_LIMIT, 3);

        feed(null, atLimit + ",event=CREATED\n" + atLimit + ",event=DESTROYED\n");
        assertThat(events).extracting(e -> e.type).containsExactly(EventType.CREATED, EventType.DESTROYED);
        assertThat(events.get(0).key.hop).isEqualTo((byte) 2);
    }

    @Test
    void classifiesReinjectedUdpPerDatagramAndKeepsNoState() throws Exception {
        String u = "ip1=10.0.0.1,ip2=10.0.0.53,port1=5000,port2=53,hop=0,l3=ipv4,l4=udp";
        FlowState s = feed(null, u + ",event=CREATED\n" + u + ",event=DATA,from=1,len=3\nabc" + u + ",event=DESTROYED\n");
        assertThat(s).isNull();
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.type).isEqualTo(EventType.DATA);
            assertThat(e.iface).isEqualTo("dns");
            assertThat(e.key.hop).isEqualTo((byte) 1);
        });
    }

    @Test
    void opensOnDataWithoutCreatedAndEndsCleanlyOnAnExplicitTimeout() throws Exception {
        String f = TUNNEL + ",hop=0";
        FlowState s = feed(null, f + ",event=DATA,from=2,len=4,time=5\nPING");
        assertThat(events).as("one side, no pattern yet: buffered").isEmpty();

        FlowKey key = FlowKey.of(new LoopbackDecoder(false, () -> 0L)
                .feed((f + ",event=CREATED\n").getBytes(StandardCharsets.ISO_8859_1), 0, f.length() + 15).get(0));
        assertThat(processor.onTimeout(s, key, 40_000_000_000L, config.rules, events::add, counters)).isNull();

        assertThat(events).extracting(e -> e.type)
                .containsExactly(EventType.CREATED, EventType.DATA, EventType.DESTROYED);
        assertThat(events.get(0).iface).isEqualTo("default");
        assertThat(events.get(2).reason).isEqualTo(Reason.TIMEOUT);
    }
}
