package io.sftap.job.time;

import static org.assertj.core.api.Assertions.assertThat;

import io.sftap.source.wire.Packet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.junit.jupiter.api.Test;

class CaptureWatermarksTest {
    long wallClock = 1_000_000L;
    final List<Long> emitted = new ArrayList<>();
    final WatermarkOutput out = new WatermarkOutput() {
        @Override
        public void emitWatermark(Watermark watermark) {
            emitted.add(watermark.getTimestamp());
        }

        @Override
        public void markIdle() {}

        @Override
        public void markActive() {}
    };
    final CaptureWatermarks watermarks =
            new CaptureWatermarks(Duration.ofSeconds(1), Duration.ofSeconds(2), () -> wallClock);

    @Test
    void followsPacketTimeWhilePacketsFlow() {
        watermarks.onEvent(new Packet(), 50_000L, out);
        watermarks.onPeriodicEmit(out);
        wallClock += 500;
        watermarks.onEvent(new Packet(), 50_400L, out);
        watermarks.onPeriodicEmit(out);
        assertThat(emitted).containsExactly(48_999L, 49_399L);
    }

    @Test
    void runsOnWithRealTimeAfterQuiet() {
        watermarks.onEvent(new Packet(), 50_000L, out);
        watermarks.onPeriodicEmit(out);
        wallClock += 2_000; // not yet quiet
        watermarks.onPeriodicEmit(out);
        wallClock += 30_000;
        watermarks.onPeriodicEmit(out);
        assertThat(emitted).containsExactly(48_999L, 80_000L);
    }

    @Test
    void oldCaptureTimeIsNotOverrunWhilePacketsArrive() {
        // An injected capture from years ago: real time is far ahead, but packets keep coming.
        for (int i = 0; i < 10; i++) {
            watermarks.onEvent(new Packet(), 1_000L + i * 10_000L, out);
            wallClock += 100;
            watermarks.onPeriodicEmit(out);
        }
        assertThat(emitted.get(emitted.size() - 1)).isEqualTo(91_000L - 1_001L);
    }

    @Test
    void neverGoesBackAndSaysNothingBeforeTheFirstPacket() {
        watermarks.onPeriodicEmit(out);
        assertThat(emitted).isEmpty();
        watermarks.onEvent(new Packet(), 50_000L, out);
        watermarks.onPeriodicEmit(out);
        watermarks.onEvent(new Packet(), 10_000L, out); // a late packet
        watermarks.onPeriodicEmit(out);
        assertThat(emitted).containsExactly(48_999L);
    }
}
