package io.sftap.job.classify;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads the {@code global} section: SF-TAP's keys plus sftap's extensions (snake_case). */
final class GlobalSettingsParser {
    private static final Logger LOG = LoggerFactory.getLogger(GlobalSettingsParser.class);

    static final List<String> KEYS = List.of(
            // SF-TAP
            "home", "timeout", "lru", "cache", "tcp_threads", "regex_threads",
            // sftap extensions
            "hop_limit", "classify_bytes", "pickup_without_syn", "max_out_of_order_bytes",
            "max_out_of_order_segments", "udp_timeout", "icmp_timeout", "fragment_timeout",
            "max_fragments", "max_datagram_bytes", "group");

    private static final int DAY = 86_400;

    private GlobalSettingsParser() {}

    static GlobalSettings parse(SectionReader s) throws RulesException {
        s.requireKnownKeys(KEYS);
        GlobalSettings g = new GlobalSettings();
        String home = s.string("home");
        if (home != null) {
            if (home.isBlank()) {
                throw s.error("home", "'home' must be a directory path");
            }
            g.home = home.trim();
        }
        g.tcpTimeoutSeconds = s.integer("timeout", g.tcpTimeoutSeconds, 1, DAY);
        // SF-TAP's tuning knobs for its own regex cache and threads: meaningless here (Flink
        // parallelism decides), accepted so that old files load.
        for (String ignored : List.of("lru", "cache")) {
            if (s.has(ignored)) {
                s.bool(ignored, true);
                LOG.debug("global.{} is accepted for SF-TAP compatibility and ignored", ignored);
            }
        }
        for (String ignored : List.of("tcp_threads", "regex_threads")) {
            if (s.has(ignored)) {
                s.integer(ignored, 1, 1, 1024);
                LOG.debug("global.{} is ignored: Flink's parallelism sets the number of workers", ignored);
            }
        }
        g.hopLimit = s.integer("hop_limit", g.hopLimit, 0, 255);
        g.classifyBytes = s.integer("classify_bytes", g.classifyBytes, 1, 1 << 20);
        g.pickupWithoutSyn = s.bool("pickup_without_syn", g.pickupWithoutSyn);
        g.maxOutOfOrderBytes = s.integer("max_out_of_order_bytes", g.maxOutOfOrderBytes, 0, Integer.MAX_VALUE);
        g.maxOutOfOrderSegments = s.integer("max_out_of_order_segments", g.maxOutOfOrderSegments, 0, Integer.MAX_VALUE);
        g.udpTimeoutSeconds = s.integer("udp_timeout", g.udpTimeoutSeconds, 1, DAY);
        g.icmpTimeoutSeconds = s.integer("icmp_timeout", g.icmpTimeoutSeconds, 1, DAY);
        g.fragmentTimeoutSeconds = s.integer("fragment_timeout", g.fragmentTimeoutSeconds, 1, DAY);
        g.maxFragmentsPerDatagram = s.integer("max_fragments", g.maxFragmentsPerDatagram, 1, 65535);
        g.maxDatagramBytes = s.integer("max_datagram_bytes", g.maxDatagramBytes, 68, 1 << 20);
        String group = s.string("group");
        if (group != null && !group.isBlank()) {
            g.group = group.trim();
        }
        return g;
    }
}
