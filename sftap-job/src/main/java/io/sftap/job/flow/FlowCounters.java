package io.sftap.job.flow;

import io.sftap.sinks.event.Reason;

/** What the flow processor counts; the Flink function backs it with metrics. */
public interface FlowCounters {
    /** Why a packet did not reach any flow. */
    enum Ignored {
        /** TCP segment without SYN of a flow we do not hold, while {@code pickup_without_syn: no}. */
        TCP_NO_SYN,
        /** Packet of a connection that already closed (retransmission, final ACK). */
        TCP_AFTER_CLOSE,
        /** L7-loopback flow past {@code global.hop_limit}. */
        HOP_LIMIT
    }

    void flowCreated();

    void flowDestroyed(Reason reason);

    void ignored(Ignored why);

    /** Counters that count nothing. */
    FlowCounters NONE = new FlowCounters() {
        @Override
        public void flowCreated() {}

        @Override
        public void flowDestroyed(Reason reason) {}

        @Override
        public void ignored(Ignored why) {}
    };
}
