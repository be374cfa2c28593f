package io.sftap.sinks.replicate;

/** Hands out the counters of each (forwarding rule, collector) pair; the same object on every call. */
public interface ReplicationCounters {
    DestinationCounters of(String rule, String destination);

    /** Counter-name form of a rule name: {@code forward.syslog} becomes {@code syslog}. */
    static String ruleName(String rule) {
        return rule != null && rule.startsWith("forward.") ? rule.substring("forward.".length()) : String.valueOf(rule);
    }
}
