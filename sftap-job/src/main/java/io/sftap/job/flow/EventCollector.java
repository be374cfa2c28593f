package io.sftap.job.flow;

import io.sftap.sinks.event.FlowEvent;

/** Where the flow processor puts the events it makes. */
@FunctionalInterface
public interface EventCollector {
    void emit(FlowEvent event);
}
