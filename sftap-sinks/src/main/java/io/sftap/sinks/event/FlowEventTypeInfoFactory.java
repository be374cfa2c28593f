package io.sftap.sinks.event;

import io.sftap.source.typeinfo.CompactTypeInfo;
import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.annotation.Internal;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/** Gives {@link FlowEvent} its compact serializer wherever Flink extracts its type. */
@Internal
public final class FlowEventTypeInfoFactory extends TypeInfoFactory<FlowEvent> {
    public static final TypeInformation<FlowEvent> TYPE = new CompactTypeInfo<>(FlowEvent.class, FlowEventSerializer.INSTANCE);

    @Override
    public TypeInformation<FlowEvent> createTypeInfo(Type t, Map<String, TypeInformation<?>> genericParameters) {
        return TYPE;
    }
}
