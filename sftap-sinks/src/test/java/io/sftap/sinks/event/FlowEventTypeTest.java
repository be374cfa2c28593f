package io.sftap.sinks.event;

import static org.assertj.core.api.Assertions.assertThat;

import io.sftap.source.wire.FlowKey;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.GenericTypeInfo;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.junit.jupiter.api.Test;

/** FlowEvent stays a Flink POJO (no Kryo). */
class FlowEventTypeTest {

    @Test
    void flowEventTravelsAsPojoWithoutKryo() {
        TypeInformation<FlowEvent> type = TypeInformation.of(FlowEvent.class);
        assertThat(type).isInstanceOf(PojoTypeInfo.class);
        PojoTypeInfo<FlowEvent> pojo = (PojoTypeInfo<FlowEvent>) type;
        assertThat(pojo.getTypeAt(pojo.getFieldIndex("key"))).isInstanceOf(PojoTypeInfo.class);
        assertThat(TypeInformation.of(FlowKey.class)).isInstanceOf(PojoTypeInfo.class);
        for (int i = 0; i < pojo.getArity(); i++) {
            assertThat(pojo.getTypeAt(i)).as("field %s must not need Kryo", pojo.getFieldNames()[i])
                    .isNotInstanceOf(GenericTypeInfo.class);
        }
    }
}
