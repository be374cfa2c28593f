package io.sftap.job.replicate.listen;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/** Versioned serializer of {@link ListenSplit}s (version 1: the endpoint's written form). */
public final class ListenSplitSerializer implements SimpleVersionedSerializer<ListenSplit> {
    public static final int CURRENT_VERSION = 1;

    @Override
    public int getVersion() {
        return CURRENT_VERSION;
    }

    @Override
    public byte[] serialize(ListenSplit split) throws IOException {
        return serializeAll(List.of(split));
    }

    @Override
    public ListenSplit deserialize(int version, byte[] bytes) throws IOException {
        List<ListenSplit> all = deserializeAll(version, bytes);
        if (all.size() != 1) {
            throw new IOException("expected one listen split, found " + all.size());
        }
        return all.get(0);
    }

    static byte[] serializeAll(List<ListenSplit> splits) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(splits.size());
            for (ListenSplit s : splits) {
                out.writeUTF(s.endpoint.toString());
            }
        }
        return bytes.toByteArray();
    }

    static List<ListenSplit> deserializeAll(int version, byte[] bytes) throws IOException {
        if (version != CURRENT_VERSION) {
            throw new IOException("unknown listen split version " + version);
        }
        try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(bytes))) {
            int n = in.readInt();
            List<ListenSplit> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                out.add(new ListenSplit(ListenEndpoint.parse(in.readUTF())));
            }
            return out;
        }
    }
}
