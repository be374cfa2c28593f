package io.sftap.sinks;

import java.time.Duration;
import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.MemorySize;

/** Options of the {@link UnixSocketSink}; the builder's defaults come from here. */
@PublicEvolving
public final class UnixSocketSinkOptions {
    public static final ConfigOption<String> HOME = ConfigOptions.key("sftap.sink.home")
            .stringType()
            .defaultValue("/tmp/sf-tap")
            .withDescription("Directory under which the interface sockets live (SF-TAP's global.home).");

    public static final ConfigOption<String> GROUP = ConfigOptions.key("sftap.sink.group")
            .stringType()
            .noDefaultValue()
            .withDescription("UNIX group given to the socket folders and sockets (0750 / 0660);"
                    + " unset keeps the process's group.");

    public static final ConfigOption<MemorySize> CONNECTION_BUFFER = ConfigOptions.key("sftap.sink.connection-buffer")
            .memoryType()
            .defaultValue(MemorySize.ofMebiBytes(4))
            .withDescription("Bytes queued per analyzer connection beyond the kernel's socket buffer;"
                    + " when full, whole events are dropped for that analyzer and counted as overflow.");

    public static final ConfigOption<Duration> WAIT_FOR_ANALYZERS = ConfigOptions.key("sftap.sink.wait-for-analyzers")
            .durationType()
            .noDefaultValue()
            .withDescription("Before its first event, each writer waits up to this long for an analyzer on"
                    + " every socket it owns (useful when replaying files). Unset: do not wait.");

    public static final ConfigOption<Duration> DRAIN_TIMEOUT = ConfigOptions.key("sftap.sink.drain-timeout")
            .durationType()
            .defaultValue(Duration.ofSeconds(10))
            .withDescription("At end of input, how long to wait for analyzers to take queued events"
                    + " before the sockets close.");

    private UnixSocketSinkOptions() {}
}
