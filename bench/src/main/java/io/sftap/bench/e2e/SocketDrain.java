package io.sftap.bench.e2e;

import io.sftap.bench.gen.FlowFingerprint;
import io.sftap.bench.gen.SocketTotals;
import io.sftap.sinks.event.FlowEvent;
import io.sftap.sinks.wire.WireEvent;
import io.sftap.sinks.wire.WireFormat;
import io.sftap.sinks.wire.WireFormatReader;
import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An analyzer that drains one interface socket as fast as it can, keeping only {@link SocketTotals}
 * (O(1) memory, whatever the number of flows). Connects with retries until the socket exists.
 */
final class SocketDrain implements Runnable {
    private final Path path;
    private final boolean binary;
    private final boolean body;
    private final AtomicLong firstEventNanos;
    final SocketTotals totals = new SocketTotals();
    volatile long events;
    /** DATA bytes read so far, published every 1024 events and at the end (progress for other threads). */
    volatile long dataBytesRead;
    /** CPU time this analyzer thread used, to tell the job's CPU from the benchmark's own. */
    volatile long cpuNanos;
    volatile Throwable failure;

    SocketDrain(Path path, boolean binary, boolean body, AtomicLong firstEventNanos) {
        this.path = path;
        this.binary = binary;
        this.body = body;
        this.firstEventNanos = firstEventNanos;
    }

    @Override
    public void run() {
        try (SocketChannel channel = connect(); InputStream in = Channels.newInputStream(channel)) {
            WireFormatReader reader = new WireFormatReader(in, WireFormat.of(binary), body);
            long n = 0;
            for (WireEvent w = reader.next(); w != null; w = reader.next()) {
                if (n++ == 0) {
                    firstEventNanos.compareAndSet(0, System.nanoTime());
                }
                count(w.event());
                if ((n & 1023) == 0) {
                    events = n;
                    dataBytesRead = totals.dataBytes;
                }
            }
            events = n;
            dataBytesRead = totals.dataBytes;
        } catch (Throwable t) {
            failure = t;
        } finally {
            cpuNanos = java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
        }
    }

    private void count(FlowEvent e) {
        switch (e.type) {
            case CREATED:
                totals.created++;
                break;
            case DESTROYED:
                totals.destroyed++;
                break;
            default:
                totals.dataEvents++;
                totals.dataBytes += e.data.length;
                totals.fingerprint += FlowFingerprint.of(e.key, e.from) * e.data.length;
        }
    }

    private SocketChannel connect() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (true) {
            SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            try {
                channel.connect(UnixDomainSocketAddress.of(path));
                return channel;
            } catch (IOException notYet) {
                channel.close();
                if (System.nanoTime() > deadline) {
                    throw notYet;
                }
                Thread.sleep(10);
            }
        }
    }
}
