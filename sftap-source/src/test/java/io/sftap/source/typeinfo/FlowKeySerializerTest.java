package io.sftap.source.typeinfo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sftap.source.wire.FlowKey;
import io.sftap.source.wire.Packet;
import java.io.IOException;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SerializerTestBase;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/** FlowKey's compact serializer: Flink's serializer contract, deterministic key bytes, versioned snapshot. */
class FlowKeySerializerTest extends SerializerTestBase<FlowKey> {
    private static final byte[] V4_A = {10, 0, 0, 1};
    private static final byte[] V4_B = {(byte) 192, (byte) 168, 1, (byte) 200};
    private static final byte[] V6_A = new byte[16];
    private static final byte[] V6_B = new byte[16];

    static {
        V6_A[0] = 0x20;
        V6_A[1] = 0x01;
        V6_A[15] = 1;
        V6_B[0] = (byte) 0xfe;
        V6_B[1] = (byte) 0x80;
        V6_B[15] = (byte) 0xff;
    }

    @Override
    protected TypeSerializer<FlowKey> createSerializer() {
        return FlowKeySerializer.INSTANCE;
    }

    @Override
    protected int getLength() {
        return -1;
    }

    @Override
    protected Class<FlowKey> getTypeClass() {
        return FlowKey.class;
    }

    @Override
    protected FlowKey[] getTestData() {
        return new FlowKey[] {
            new FlowKey(0, 4, 6, V4_A, 443, V4_B, 51000),
            new FlowKey(0, 4, 17, V4_A, 53, V4_B, 65535),
            new FlowKey(3, 6, 6, V6_A, 0, V6_B, 80),
            new FlowKey(255, 4, 1, V4_A, 0, V4_A, 0),
            new FlowKey(),
        };
    }

    @Test
    void flowKeyTypeIsTheCompactOneEverywhere() {
        TypeInformation<FlowKey> type = TypeInformation.of(FlowKey.class);
        assertThat(type).isEqualTo(FlowKeyTypeInfoFactory.TYPE);
        assertThat(type.isKeyType()).isTrue();
        assertThat(type.createSerializer(new org.apache.flink.api.common.serialization.SerializerConfigImpl()))
                .isSameAs(FlowKeySerializer.INSTANCE);
    }

    @Test
    void equalKeysHaveEqualBytesWhicheverDirectionMadeThem() throws IOException {
        Packet up = packet(V4_B, 51000, V4_A, 443);
        Packet down = packet(V4_A, 443, V4_B, 51000);
        FlowKey a = FlowKey.of(up);
        FlowKey b = FlowKey.of(down);
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(bytes(a)).isEqualTo(bytes(b)).isEqualTo(bytes(FlowKeySerializer.INSTANCE.copy(a)));
    }

    @Test
    void writesTheDocumentedCompactLayout() throws IOException {
        byte[] v4 = bytes(new FlowKey(0, 4, 6, V4_A, 443, V4_B, 51000));
        assertThat(v4).containsExactly(
                4, 6, 0, 4, 10, 0, 0, 1, 0x01, (byte) 0xbb, 4, (byte) 192, (byte) 168, 1, (byte) 200,
                (byte) 0xc7, 0x38);
        assertThat(bytes(new FlowKey(1, 6, 17, V6_A, 1, V6_B, 2))).hasSize(41);
    }

    @Test
    void differentKeysHaveDifferentBytes() throws IOException {
        FlowKey base = new FlowKey(0, 4, 6, V4_A, 443, V4_B, 51000);
        FlowKey[] others = {
            new FlowKey(1, 4, 6, V4_A, 443, V4_B, 51000),
            new FlowKey(0, 4, 17, V4_A, 443, V4_B, 51000),
            new FlowKey(0, 4, 6, V4_A, 444, V4_B, 51000),
            new FlowKey(0, 4, 6, V4_A, 443, V4_B, 51001),
            new FlowKey(0, 4, 6, V4_A, 443, V4_A, 51000),
        };
        for (FlowKey other : others) {
            assertThat(bytes(other)).as("%s", other).isNotEqualTo(bytes(base));
        }
    }

    @Test
    void snapshotRestoresOnlyTheSameLayout() throws IOException {
        TypeSerializerSnapshot<FlowKey> written = FlowKeySerializer.INSTANCE.snapshotConfiguration();
        DataOutputSerializer out = new DataOutputSerializer(64);
        TypeSerializerSnapshot.writeVersionedSnapshot(out, written);
        TypeSerializerSnapshot<FlowKey> read = TypeSerializerSnapshot.readVersionedSnapshot(
                new DataInputDeserializer(out.getCopyOfBuffer()), getClass().getClassLoader());
        assertThat(read.getCurrentVersion()).isEqualTo(FlowKeySerializer.LAYOUT);
        assertThat(read.restoreSerializer()).isSameAs(FlowKeySerializer.INSTANCE);
        TypeSerializerSchemaCompatibility<FlowKey> compat =
                FlowKeySerializer.INSTANCE.snapshotConfiguration().resolveSchemaCompatibility(read);
        assertThat(compat.isCompatibleAsIs()).isTrue();

        FlowKeySerializer.Snapshot future = new FlowKeySerializer.Snapshot();
        assertThatThrownBy(() -> future.readSnapshot(FlowKeySerializer.LAYOUT + 1, null, null))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("layout " + (FlowKeySerializer.LAYOUT + 1));
    }

    private static byte[] bytes(FlowKey k) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        FlowKeySerializer.INSTANCE.serialize(k, out);
        return out.getCopyOfBuffer();
    }

    private static Packet packet(byte[] src, int srcPort, byte[] dst, int dstPort) {
        Packet p = new Packet();
        p.ipVersion = 4;
        p.protocol = 6;
        p.srcAddr = src.clone();
        p.dstAddr = dst.clone();
        p.srcPort = srcPort;
        p.dstPort = dstPort;
        return p;
    }
}
