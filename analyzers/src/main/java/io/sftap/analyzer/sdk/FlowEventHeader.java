package io.sftap.analyzer.sdk;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;

/**
 * The header of one interface event, in either wire format.
 *
 * @param flow the flow the event belongs to
 * @param event CREATED, DATA or DESTROYED
 * @param from sender of DATA: 1 (endpoint 1) or 2 (endpoint 2); 0 when none
 * @param match which rule pattern the sender's direction satisfied; NONE outside DATA
 * @param reason why the flow ended; {@code null} except on DESTROYED (and on DESTROYED from a
 *     producer that does not send one)
 * @param time capture time of the packet, or the time a timeout fired; {@code null} when the
 *     producer sent none (SF-TAP's original text format has no {@code time})
 * @param len DATA length in bytes (also when {@code body: no} sends no bytes); 0 otherwise
 */
public record FlowEventHeader(
        FlowId flow, EventType event, int from, Match match, Reason reason, Instant time, int len) {

    public FlowEventHeader {
        Objects.requireNonNull(flow, "flow");
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(match, "match");
        if (from < 0 || from > 2) {
            throw new IllegalArgumentException("from must be 0 (none), 1 or 2, not " + from);
        }
        if (len < 0) {
            throw new IllegalArgumentException("len must not be negative: " + len);
        }
    }

    public static FlowEventHeader created(FlowId flow, Instant time) {
        return new FlowEventHeader(flow, EventType.CREATED, 0, Match.NONE, null, time, 0);
    }

    public static FlowEventHeader data(FlowId flow, int from, Match match, int len, Instant time) {
        return new FlowEventHeader(flow, EventType.DATA, from, match, null, time, len);
    }

    public static FlowEventHeader destroyed(FlowId flow, Reason reason, Instant time) {
        return new FlowEventHeader(flow, EventType.DESTROYED, 0, Match.NONE, reason, time, 0);
    }

    /** The time as decimal seconds (microsecond precision as SF-TAP prints it), or null. */
    public String timeText() {
        return time == null ? null : secondsText(time);
    }

    static String secondsText(Instant t) {
        return BigDecimal.valueOf(t.getEpochSecond())
                .add(BigDecimal.valueOf(t.getNano() / 1000, 6))
                .toPlainString();
    }

    static Instant parseSeconds(String s) {
        BigDecimal d = new BigDecimal(s);
        long sec = d.setScale(0, java.math.RoundingMode.FLOOR).longValueExact();
        long nanos = d.subtract(BigDecimal.valueOf(sec)).movePointRight(9)
                .setScale(0, java.math.RoundingMode.HALF_EVEN).longValueExact();
        return Instant.ofEpochSecond(sec, nanos);
    }
}
