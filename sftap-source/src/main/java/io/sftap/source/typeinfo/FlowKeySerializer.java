package io.sftap.source.typeinfo;

import io.sftap.source.wire.FlowKey;
import java.io.IOException;
import org.apache.flink.annotation.Internal;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Compact, deterministic serializer of {@link FlowKey}: the bytes of the key in RocksDB and on the
 * wire between operators. 17 bytes for an IPv4 flow, 41 for IPv6.
 *
 * <p>Layout 1: {@code ipVersion u8, protocol u8, hop u8, addr1 (len u8, bytes), port1 u16,
 * addr2 (len u8, bytes), port2 u16}; a null address has length 255. Equal keys (by {@link
 * FlowKey#equals}) have equal bytes, as RocksDB needs. Ports are 16-bit by construction (the
 * decoder reads them from 16-bit fields). Change the layout only with a new {@link Snapshot}
 * version: a savepoint's keys are these bytes.
 */
@Internal
public final class FlowKeySerializer extends TypeSerializerSingleton<FlowKey> {
    private static final long serialVersionUID = 1L;

    public static final int LAYOUT = 1;
    public static final FlowKeySerializer INSTANCE = new FlowKeySerializer();

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public FlowKey createInstance() {
        return new FlowKey();
    }

    @Override
    public FlowKey copy(FlowKey from) {
        return new FlowKey(from.hop, from.ipVersion, from.protocol,
                Bytes.copyOf(from.addr1), from.port1, Bytes.copyOf(from.addr2), from.port2);
    }

    @Override
    public FlowKey copy(FlowKey from, FlowKey reuse) {
        return copy(from);
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(FlowKey k, DataOutputView out) throws IOException {
        out.writeByte(k.ipVersion);
        out.writeByte(k.protocol);
        out.writeByte(k.hop);
        Bytes.writeAddress(k.addr1, out);
        out.writeShort(k.port1);
        Bytes.writeAddress(k.addr2, out);
        out.writeShort(k.port2);
    }

    @Override
    public FlowKey deserialize(DataInputView in) throws IOException {
        FlowKey k = new FlowKey();
        k.ipVersion = in.readByte();
        k.protocol = in.readByte();
        k.hop = in.readByte();
        k.addr1 = Bytes.readAddress(in);
        k.port1 = in.readUnsignedShort();
        k.addr2 = Bytes.readAddress(in);
        k.port2 = in.readUnsignedShort();
        return k;
    }

    @Override
    public FlowKey deserialize(FlowKey reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        out.write(in, 3);
        Bytes.copyAddress(in, out);
        out.write(in, 2);
        Bytes.copyAddress(in, out);
        out.write(in, 2);
    }

    @Override
    public TypeSerializerSnapshot<FlowKey> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Versioned snapshot: the key layout a savepoint was written with. */
    public static final class Snapshot extends VersionedSnapshot<FlowKey> {
        public Snapshot() {
            super(() -> INSTANCE, LAYOUT);
        }
    }
}
