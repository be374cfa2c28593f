package io.sftap.job.loopback;

import static org.assertj.core.api.Assertions.assertThat;

import io.sftap.source.wire.FlowKey;
import io.sftap.source.wire.Packet;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which flows closing a loopback connection ends. */
class LoopbackFlowsTest {
    static List<Packet> decode(String text) throws Exception {
        byte[] b = text.getBytes(StandardCharsets.ISO_8859_1);
        return new LoopbackDecoder(false, () -> 0L).feed(b, 0, b.length);
    }

    @Test
    void endsOnlyTheTcpFlowsLeftOpenWithTheirLatestTime() throws Exception {
        String a = "ip1=10.0.0.1,ip2=10.0.0.2,port1=1,port2=2,hop=0,l3=ipv4,l4=tcp";
        String b = "ip1=10.0.0.1,ip2=10.0.0.2,port1=3,port2=4,hop=0,l3=ipv4,l4=tcp";
        String u = "ip1=10.0.0.1,ip2=10.0.0.2,port1=5,port2=6,hop=0,l3=ipv4,l4=udp";
        LoopbackFlows flows = new LoopbackFlows();
        for (Packet p : decode(a + ",event=CREATED,time=1\n" + b + ",event=CREATED,time=2\n"
                + a + ",event=DATA,from=2,len=1,time=7\nx" + b + ",event=DESTROYED,time=3\n"
                + u + ",event=DATA,from=1,len=1,time=4\ny")) {
            flows.track(p);
        }
        List<Packet> ends = flows.destroyAll();

        assertThat(ends).singleElement().satisfies(p -> {
            assertThat(p.streamEvent).isEqualTo(Packet.STREAM_DESTROYED);
            assertThat(p.srcPort).isEqualTo(1);
            assertThat(p.hop).isEqualTo(1);
            assertThat(p.timestampNanos).isEqualTo(7_000_000_000L);
        });
        assertThat(FlowKey.of(ends.get(0))).isEqualTo(FlowKey.of(decode(a + ",event=CREATED\n").get(0)));
        assertThat(flows.destroyAll()).isEmpty();
    }
}
