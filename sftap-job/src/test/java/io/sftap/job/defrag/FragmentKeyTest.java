package io.sftap.job.defrag;

import static io.sftap.job.defrag.FragmentFixtures.v4;
import static io.sftap.job.defrag.FragmentFixtures.v6;
import static org.assertj.core.api.Assertions.assertThat;

import io.sftap.source.wire.IpProtocols;
import io.sftap.source.wire.Packet;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.junit.jupiter.api.Test;

class FragmentKeyTest {

    @Test
    void equalsByValueAcrossArrayCopies() {
        Packet a = v4(7, 0, true, 'A', 8);
        Packet b = v4(7, 8, false, 'B', 8);
        assertThat(a.srcAddr).isNotSameAs(b.srcAddr);
        assertThat(FragmentKey.of(a)).isEqualTo(FragmentKey.of(b));
        assertThat(FragmentKey.of(a).hashCode()).isEqualTo(FragmentKey.of(b).hashCode());
    }

    @Test
    void ipv4KeysOnProtocolButIpv6DoesNot() {
        Packet v4Icmp = v4(7, 0, true, 'A', 8);
        Packet v4Udp = v4(7, 0, true, 'A', 8);
        v4Udp.protocol = IpProtocols.UDP;
        assertThat(FragmentKey.of(v4Icmp)).isNotEqualTo(FragmentKey.of(v4Udp));

        Packet v6First = v6(7, 0, true, 'A', 8);
        Packet v6Later = v6(7, 8, false, 'B', 8);
        v6Later.protocol = 0;
        assertThat(FragmentKey.of(v6First)).isEqualTo(FragmentKey.of(v6Later));
    }

    @Test
    void differsByIdAddressesAndHop() {
        FragmentKey base = FragmentKey.of(v4(7, 0, true, 'A', 8));
        Packet otherId = v4(8, 0, true, 'A', 8);
        Packet swapped = v4(7, 0, true, 'A', 8);
        swapped.srcAddr = FragmentFixtures.V4_DST.clone();
        swapped.dstAddr = FragmentFixtures.V4_SRC.clone();
        Packet reinjected = v4(7, 0, true, 'A', 8);
        reinjected.hop = 1;

        assertThat(FragmentKey.of(otherId)).isNotEqualTo(base);
        assertThat(FragmentKey.of(swapped)).as("fragments travel one way").isNotEqualTo(base);
        assertThat(FragmentKey.of(reinjected)).isNotEqualTo(base);
    }

    @Test
    void isAFlinkPojoSoItNeverFallsBackToKryo() {
        assertThat(FragmentKeySelector.KEY_TYPE).isInstanceOf(PojoTypeInfo.class);
        assertThat(FragmentKeySelector.KEY_TYPE.isKeyType()).isTrue();
    }
}
