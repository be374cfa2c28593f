package io.sftap.source.pcap;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Builds pcapng files block by block for reader tests; each section picks its own byte order. */
final class PcapngBuilder {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private ByteOrder order = ByteOrder.LITTLE_ENDIAN;

    PcapngBuilder section(ByteOrder sectionOrder) {
        order = sectionOrder;
        ByteBuffer body = body(16).putInt(PcapngFileReader.BYTE_ORDER_MAGIC).putShort((short) 1).putShort((short) 0).putLong(-1);
        return block(PcapngFileReader.SECTION_HEADER, body);
    }

    /** An interface; {@code tsresol} < 0 leaves the option out, and so does {@code tsoffset} == 0. */
    PcapngBuilder iface(int linkType, int snapLength, int tsresol, long tsoffset) {
        ByteBuffer body = body(64).putShort((short) linkType).putShort((short) 0).putInt(snapLength);
        // An option we do not read first (if_name), to check option skipping and padding.
        body.putShort((short) 2).putShort((short) 3).put(new byte[] {'e', 't', 'h', 0});
        if (tsresol >= 0) {
            body.putShort((short) 9).putShort((short) 1).put((byte) tsresol).put(new byte[3]);
        }
        if (tsoffset != 0) {
            body.putShort((short) 14).putShort((short) 8).putLong(tsoffset);
        }
        body.putShort((short) 0).putShort((short) 0);
        return block(PcapngFileReader.INTERFACE_DESCRIPTION, body);
    }

    PcapngBuilder enhanced(int interfaceId, long units, byte[] data, int originalLength) {
        ByteBuffer body = body(20 + padded(data.length) + 8)
                .putInt(interfaceId).putInt((int) (units >>> 32)).putInt((int) units)
                .putInt(data.length).putInt(originalLength).put(data).put(new byte[padded(data.length) - data.length]);
        // An options section with an opt_comment, which readers must not mistake for data.
        body.putShort((short) 1).putShort((short) 0).putShort((short) 0).putShort((short) 0);
        return block(PcapngFileReader.ENHANCED_PACKET, body);
    }

    PcapngBuilder obsoletePacket(int interfaceId, long units, byte[] data) {
        ByteBuffer body = body(20 + padded(data.length))
                .putShort((short) interfaceId).putShort((short) 0).putInt((int) (units >>> 32)).putInt((int) units)
                .putInt(data.length).putInt(data.length).put(data).put(new byte[padded(data.length) - data.length]);
        return block(PcapngFileReader.PACKET_OBSOLETE, body);
    }

    PcapngBuilder simple(byte[] data, int originalLength) {
        ByteBuffer body = body(4 + padded(data.length)).putInt(originalLength).put(data)
                .put(new byte[padded(data.length) - data.length]);
        return block(PcapngFileReader.SIMPLE_PACKET, body);
    }

    /** A block type the reader does not know (here an Interface Statistics Block). */
    PcapngBuilder unknown(int type, int bodyLength) {
        return block(type, body(bodyLength).put(new byte[bodyLength]));
    }

    /** Raw bytes, for corrupt files. */
    PcapngBuilder raw(byte[] bytes) {
        out.writeBytes(bytes);
        return this;
    }

    byte[] build() {
        return out.toByteArray();
    }

    int size() {
        return out.size();
    }

    private ByteBuffer body(int capacity) {
        return ByteBuffer.allocate(capacity).order(order);
    }

    private PcapngBuilder block(int type, ByteBuffer body) {
        int length = 12 + padded(body.position());
        ByteBuffer b = ByteBuffer.allocate(length).order(order);
        b.putInt(type).putInt(length).put(body.array(), 0, body.position());
        b.position(length - 4);
        b.putInt(length);
        out.writeBytes(b.array());
        return this;
    }

    private static int padded(int n) {
        return (n + 3) & ~3;
    }
}
