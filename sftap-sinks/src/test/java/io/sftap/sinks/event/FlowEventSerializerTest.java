package io.sftap.sinks.event;

import static org.assertj.core.api.Assertions.assertThat;

import io.sftap.source.typeinfo.CompactTypeInfo;
import io.sftap.source.wire.Direction;
import io.sftap.source.wire.FlowKey;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/** FlowEvent travels with its compact serializer, which keeps every field of every event shape. */
class FlowEventSerializerTest {
    private static final FlowKey V4 = new FlowKey(0, 4, 6, new byte[] {10, 0, 0, 1}, 40000, new byte[] {10, 0, 0, 2}, 80);
    private static final FlowKey V6 = new FlowKey(3, 6, 17, new byte[16], 53, ipv6Last(1), 5353);

    @Test
    void flowEventTypeIsTheCompactOneNotPojoOrKryo() {
        TypeInformation<FlowEvent> type = TypeInformation.of(FlowEvent.class);
        assertThat(type).isInstanceOf(CompactTypeInfo.class);
        assertThat(type.createSerializer(new ExecutionConfig().getSerializerConfig()))
                .isSameAs(FlowEventSerializer.INSTANCE);
    }

    @Test
    void everyEventShapeRoundTripsFieldByField() throws Exception {
        for (FlowEvent e : shapes()) {
            DataOutputSerializer out = new DataOutputSerializer(64);
            FlowEventSerializer.INSTANCE.serialize(e, out);
            FlowEvent back = FlowEventSerializer.INSTANCE.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
            assertThat(back).as(e.toString()).usingRecursiveComparison().isEqualTo(e);
        }
    }

    @Test
    void copyIsDeepForTheDataBytes() {
        FlowEvent e = FlowEvent.data(V4, Direction.FROM_ENDPOINT1, Match.UP, new byte[] {1, 2, 3}, 9)
                .routeTo("http", "tcp/http", false, true);
        FlowEvent c = FlowEventSerializer.INSTANCE.copy(e);
        e.data[0] = 42;
        assertThat(c.data).containsExactly(1, 2, 3);
        assertThat(c).usingRecursiveComparison().ignoringFields("data").isEqualTo(e);
    }

    @Test
    void eventsWrittenBackToBackAreReadBackInOrder() throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(64);
        List<FlowEvent> in = shapes();
        for (FlowEvent e : in) {
            FlowEventSerializer.INSTANCE.serialize(e, out);
        }
        DataInputDeserializer read = new DataInputDeserializer(out.getCopyOfBuffer());
        List<FlowEvent> back = new ArrayList<>();
        for (int i = 0; i < in.size(); i++) {
            back.add(FlowEventSerializer.INSTANCE.deserialize(read));
        }
        assertThat(read.available()).isZero();
        assertThat(back).usingRecursiveFieldByFieldElementComparator().isEqualTo(in);
    }

    private static List<FlowEvent> shapes() {
        List<FlowEvent> events = new ArrayList<>();
        events.add(FlowEvent.created(V4, 1_700_000_000_000_000_001L).routeTo("http", "tcp/http3", false, true));
        events.add(FlowEvent.data(V4, Direction.FROM_ENDPOINT2, Match.DOWN, "HTTP/1.1 200 OK\r\n".getBytes(), 5)
                .routeTo("http", "tcp/http", true, false));
        events.add(FlowEvent.data(V6, Direction.FROM_ENDPOINT1, Match.NONE, new byte[70_000], Long.MAX_VALUE)
                .routeTo("dns_udp", "udp/dns_udp", false, true));
        events.add(FlowEvent.destroyed(V4, Reason.COMPROMISED, -1).routeTo("default", "tcp/default", true, true));
        events.add(FlowEvent.destroyed(V6, Reason.TIMEOUT, 0)); // not routed yet: null names
        events.add(FlowEvent.data(V4, Direction.NONE, Match.NONE, new byte[0], 7).routeTo("\u00efface", "tcp/\u00ef", false, false));
        return events;
    }

    private static byte[] ipv6Last(int b) {
        byte[] a = new byte[16];
        a[15] = (byte) b;
        return a;
    }
}
