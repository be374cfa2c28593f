package io.sftap.source.typeinfo;

import static org.assertj.core.api.Assertions.assertThat;

import io.sftap.source.wire.Packet;
import io.sftap.source.wire.TcpFlags;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SerializerTestBase;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.junit.jupiter.api.Test;

/** Packet's compact serializer keeps every field of both shapes (whole datagram and fragment). */
class PacketSerializerTest extends SerializerTestBase<Packet> {

    @Override
    protected TypeSerializer<Packet> createSerializer() {
        return PacketSerializer.INSTANCE;
    }

    @Override
    protected int getLength() {
        return -1;
    }

    @Override
    protected Class<Packet> getTypeClass() {
        return Packet.class;
    }

    @Override
    protected Packet[] getTestData() {
        Packet tcp = new Packet();
        tcp.timestampNanos = 1_700_000_000_123_456_789L;
        tcp.ipVersion = 4;
        tcp.protocol = 6;
        tcp.srcAddr = new byte[] {10, 0, 0, 1};
        tcp.dstAddr = new byte[] {10, 0, 0, 2};
        tcp.srcPort = 65535;
        tcp.dstPort = 80;
        tcp.seq = 0xfffffff0;
        tcp.ack = 7;
        tcp.tcpFlags = TcpFlags.ACK | TcpFlags.PSH | 0x100;
        tcp.payload = "GET / HTTP/1.1\r\n\r\n".getBytes();
        tcp.payloadWireLength = 1400;
        tcp.hop = 2;

        Packet fragment = new Packet();
        fragment.timestampNanos = 5;
        fragment.ipVersion = 6;
        fragment.protocol = 17;
        fragment.srcAddr = new byte[16];
        fragment.dstAddr = new byte[16];
        fragment.dstAddr[15] = 1;
        fragment.fragment = true;
        fragment.moreFragments = true;
        fragment.fragmentId = 0xdeadbeef;
        fragment.fragmentOffset = 1448;
        fragment.payload = new byte[1448];

        Packet reinjected = new Packet();
        reinjected.ipVersion = 4;
        reinjected.protocol = 6;
        reinjected.srcAddr = new byte[] {10, 0, 0, 3};
        reinjected.dstAddr = new byte[] {10, 0, 0, 4};
        reinjected.hop = 1;
        reinjected.streamEvent = Packet.STREAM_DESTROYED;

        return new Packet[] {tcp, fragment, reinjected, new Packet()};
    }

    @Test
    void packetTypeIsTheCompactOne() {
        assertThat(TypeInformation.of(Packet.class)).isEqualTo(PacketTypeInfoFactory.TYPE);
    }
}
