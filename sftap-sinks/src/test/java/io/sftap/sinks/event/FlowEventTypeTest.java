package io.sftap.sinks.event;

import static org.assertj.core.api.Assertions.assertThat;

import io.sftap.source.typeinfo.FlowKeyTypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.GenericTypeInfo;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.junit.jupiter.api.Test;

/** FlowEvent stays a Flink POJO (no Kryo); its key uses FlowKey's compact serializer. */
class FlowEventTypeTest {

    @Test
    void flowEventTravelsAsPojoWithoutKryo() {
        TypeInformation<FlowEvent> type = TypeInformation.of(FlowEvent.class);
        assertThat(type).isInstanceOf(PojoTypeInfo.class);
        PojoTypeInfo<FlowEvent> pojo = (PojoTypeInfo<FlowEvent>) type;
        assertThat(pojo.getTypeAt(pojo.getFieldIndex("key"))).isEqualTo(FlowKeyTypeInfoFactory.TYPE);
        for (int i = 0; i < pojo.getArity(); i++) {
            assertThat(pojo.getTypeAt(i)).as("field %s must not need Kryo", pojo.getFieldNames()[i])
                    .isNotInstanceOf(GenericTypeInfo.class);
        }
    }
}
