package io.sftap.source.typeinfo;

import io.sftap.source.wire.Packet;
import java.io.IOException;
import org.apache.flink.annotation.Internal;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Compact serializer of {@link Packet} for the network shuffle between operators (packets are not
 * kept in state: the defragmenter stores its own codec's bytes).
 *
 * <p>Layout 1: {@code timestampNanos i64, ipVersion u8, protocol u8, bits u8 (1 fragment,
 * 2 moreFragments, bits 2-3 streamEvent), hop i32, srcAddr, dstAddr (len u8, bytes; 255 for null), srcPort u16,
 * dstPort u16, seq i32, ack i32, tcpFlags u16, payloadWireLength i32, fragmentId i32,
 * fragmentOffset i32, payload (len i32, bytes)}.
 */
@Internal
public final class PacketSerializer extends TypeSerializerSingleton<Packet> {
    private static final long serialVersionUID = 1L;

    public static final int LAYOUT = 1;
    public static final PacketSerializer INSTANCE = new PacketSerializer();

    private static final int FRAGMENT = 1;
    private static final int MORE_FRAGMENTS = 2;
    private static final int STREAM_EVENT_SHIFT = 2;

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public Packet createInstance() {
        return new Packet();
    }

    @Override
    public Packet copy(Packet from) {
        Packet p = new Packet();
        p.timestampNanos = from.timestampNanos;
        p.ipVersion = from.ipVersion;
        p.protocol = from.protocol;
        p.srcAddr = Bytes.copyOf(from.srcAddr);
        p.dstAddr = Bytes.copyOf(from.dstAddr);
        p.srcPort = from.srcPort;
        p.dstPort = from.dstPort;
        p.seq = from.seq;
        p.ack = from.ack;
        p.tcpFlags = from.tcpFlags;
        p.fragment = from.fragment;
        p.fragmentId = from.fragmentId;
        p.fragmentOffset = from.fragmentOffset;
        p.moreFragments = from.moreFragments;
        p.payload = from.payload.length == 0 ? Packet.EMPTY : from.payload.clone();
        p.payloadWireLength = from.payloadWireLength;
        p.hop = from.hop;
        p.streamEvent = from.streamEvent;
        return p;
    }

    @Override
    public Packet copy(Packet from, Packet reuse) {
        return copy(from);
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(Packet p, DataOutputView out) throws IOException {
        out.writeLong(p.timestampNanos);
        out.writeByte(p.ipVersion);
        out.writeByte(p.protocol);
        out.writeByte((p.fragment ? FRAGMENT : 0) | (p.moreFragments ? MORE_FRAGMENTS : 0)
                | (p.streamEvent & 3) << STREAM_EVENT_SHIFT);
        out.writeInt(p.hop);
        Bytes.writeAddress(p.srcAddr, out);
        Bytes.writeAddress(p.dstAddr, out);
        out.writeShort(p.srcPort);
        out.writeShort(p.dstPort);
        // Both shapes are written in full: a few bytes more, but the record equals the one sent.
        out.writeInt(p.seq);
        out.writeInt(p.ack);
        out.writeShort(p.tcpFlags);
        out.writeInt(p.payloadWireLength);
        out.writeInt(p.fragmentId);
        out.writeInt(p.fragmentOffset);
        out.writeInt(p.payload.length);
        out.write(p.payload);
    }

    @Override
    public Packet deserialize(DataInputView in) throws IOException {
        Packet p = new Packet();
        p.timestampNanos = in.readLong();
        p.ipVersion = in.readByte();
        p.protocol = in.readByte();
        int bits = in.readUnsignedByte();
        p.fragment = (bits & FRAGMENT) != 0;
        p.moreFragments = (bits & MORE_FRAGMENTS) != 0;
        p.streamEvent = (byte) ((bits >>> STREAM_EVENT_SHIFT) & 3);
        p.hop = in.readInt();
        p.srcAddr = Bytes.readAddress(in);
        p.dstAddr = Bytes.readAddress(in);
        p.srcPort = in.readUnsignedShort();
        p.dstPort = in.readUnsignedShort();
        p.seq = in.readInt();
        p.ack = in.readInt();
        p.tcpFlags = in.readUnsignedShort();
        p.payloadWireLength = in.readInt();
        p.fragmentId = in.readInt();
        p.fragmentOffset = in.readInt();
        int n = in.readInt();
        if (n > 0) {
            p.payload = new byte[n];
            in.readFully(p.payload);
        }
        return p;
    }

    @Override
    public Packet deserialize(Packet reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        serialize(deserialize(in), out);
    }

    @Override
    public TypeSerializerSnapshot<Packet> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Versioned snapshot of the packet layout. */
    public static final class Snapshot extends VersionedSnapshot<Packet> {
        public Snapshot() {
            super(() -> INSTANCE, LAYOUT);
        }
    }
}
