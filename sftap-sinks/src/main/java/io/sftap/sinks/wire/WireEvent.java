package io.sftap.sinks.wire;

import io.sftap.sinks.event.FlowEvent;

/**
 * One decoded wire event: the event, and the {@code len} its header stated (which differs from
 * {@code event.data.length} on a {@code body: no} interface, where no bytes follow).
 */
public record WireEvent(FlowEvent event, int length) {}
