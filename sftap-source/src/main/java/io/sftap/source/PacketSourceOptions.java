package io.sftap.source;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/** Configuration options of the capture source. */
@PublicEvolving
public final class PacketSourceOptions {
    public static final ConfigOption<Integer> FRAMES_PER_BATCH =
            ConfigOptions.key("sftap.source.frames-per-batch")
                    .intType()
                    .defaultValue(1024)
                    .withDescription("Frames the fetcher thread reads and decodes per batch handed to the task thread.");

    private PacketSourceOptions() {}
}
