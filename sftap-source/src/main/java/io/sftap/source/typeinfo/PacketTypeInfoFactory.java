package io.sftap.source.typeinfo;

import io.sftap.source.wire.Packet;
import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.annotation.Internal;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/** Gives {@link Packet} its compact serializer wherever Flink extracts its type. */
@Internal
public final class PacketTypeInfoFactory extends TypeInfoFactory<Packet> {
    public static final TypeInformation<Packet> TYPE = new CompactTypeInfo<>(Packet.class, PacketSerializer.INSTANCE);

    @Override
    public TypeInformation<Packet> createTypeInfo(Type t, Map<String, TypeInformation<?>> genericParameters) {
        return TYPE;
    }
}
