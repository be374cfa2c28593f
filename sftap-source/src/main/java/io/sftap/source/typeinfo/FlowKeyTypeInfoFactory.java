package io.sftap.source.typeinfo;

import io.sftap.source.wire.FlowKey;
import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.annotation.Internal;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/** Gives {@link FlowKey} its compact serializer wherever Flink extracts its type. */
@Internal
public final class FlowKeyTypeInfoFactory extends TypeInfoFactory<FlowKey> {
    public static final TypeInformation<FlowKey> TYPE = new CompactTypeInfo<>(FlowKey.class, FlowKeySerializer.INSTANCE);

    @Override
    public TypeInformation<FlowKey> createTypeInfo(Type t, Map<String, TypeInformation<?>> genericParameters) {
        return TYPE;
    }
}
