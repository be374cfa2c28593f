package io.sftap.job.defrag;

import io.sftap.source.wire.Packet;
import org.apache.flink.annotation.Internal;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;

/** Keys IP fragments by their datagram ({@link FragmentKey#of}), with the key's POJO type declared. */
@Internal
public final class FragmentKeySelector
        implements KeySelector<Packet, FragmentKey>, ResultTypeQueryable<FragmentKey> {
    private static final long serialVersionUID = 1L;

    /** The key type: a Flink POJO, so key serialization never falls back to Kryo. */
    public static final TypeInformation<FragmentKey> KEY_TYPE = TypeInformation.of(FragmentKey.class);

    @Override
    public FragmentKey getKey(Packet fragment) {
        return FragmentKey.of(fragment);
    }

    @Override
    public TypeInformation<FragmentKey> getProducedType() {
        return KEY_TYPE;
    }
}
