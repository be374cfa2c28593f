package io.sftap.job.loopback;

import io.sftap.source.wire.Direction;

/**
 * Reads the {@code from} of text loopback headers, which comes in two conventions: 1/2 (what the
 * interfaces write and the analyzers' SDK sends) and 0/1 (what SF-TAP's loopback parser read).
 *
 * <p>One instance per connection. {@code from=0} can only mean the 0/1 convention and {@code
 * from=2} only the 1/2 one; the first of them fixes the connection's convention. Until then
 * {@code from=1} is read as endpoint 1 (the documented convention), so a 0/1 writer should send a
 * flow's endpoint-1 data first or its earliest {@code from=1} data is misread.
 */
final class FromConvention {
    private Boolean zeroBased; // null until a 0 or a 2 was seen

    /** The sender of a text {@code from} value, or null when the value is none of 0, 1, 2. */
    Direction read(String value) {
        switch (value) {
            case "0":
                if (Boolean.FALSE.equals(zeroBased)) {
                    return null;
                }
                zeroBased = true;
                return Direction.FROM_ENDPOINT1;
            case "2":
                if (Boolean.TRUE.equals(zeroBased)) {
                    return null;
                }
                zeroBased = false;
                return Direction.FROM_ENDPOINT2;
            case "1":
                return Boolean.TRUE.equals(zeroBased) ? Direction.FROM_ENDPOINT2 : Direction.FROM_ENDPOINT1;
            default:
                return null;
        }
    }

    /** Whether the connection is known to use 0/1 (for messages). */
    String describe() {
        return zeroBased == null ? "undetermined" : zeroBased ? "0/1" : "1/2";
    }
}
