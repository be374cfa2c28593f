package io.sftap.job.replicate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sftap replicate} between real senders and real collectors, each in its own network
 * namespace: logger (UDP, TCP in both RFC 6587 framings, IPv6, a datagram larger than the MTU) to
 * rsyslog, snmptrap to snmptrapd, nfreplay to nfcapd, pmacctd's sfprobe to a capture, and one
 * datagram stream to 14 collectors on one port. Every collector must see the original sender's
 * address as the UDP source, read from its own output or a capture in its namespace.
 *
 * <p>Needs root (namespaces, raw sockets); installs the Debian packages of the peers when missing.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class ReplicatorNetnsITCase {
    private static final String SENDER = "198.18.1.1";
    private static final String SENDER6 = "2001:db8:1::1";
    private static final String REPLICATOR = "198.18.1.254";
    private static final int FANOUT = 14;
    private static final int FANOUT_DATAGRAMS = 300;
    private static final String[] PACKAGES = {"rsyslog", "snmp", "snmptrapd", "nfdump", "pmacct", "tcpdump", "bsdutils"};
    private static final String[] TOOLS = {"rsyslogd", "snmptrap", "snmptrapd", "nfcapd", "nfreplay", "nfpcapd", "nfdump", "pmacctd", "tcpdump", "logger", "python3"};

    @TempDir
    static Path dir;

    private static NetnsLab lab;
    private static Process replicator;
    private static Process nfcapd;
    private static Path replicatorLog;

    @BeforeAll
    static void setUp() throws Exception {
        if (!"root".equals(System.getProperty("user.name"))) {
            throw new IllegalStateException("ReplicatorNetnsITCase needs root: it creates network namespaces and the replicator sends through raw sockets");
        }
        installPeers();
        lab = new NetnsLab("sr" + ProcessHandle.current().pid() % 100000, 4 + FANOUT);
        startCollectors();
        Path rules = dir.resolve("rules.yaml");
        Files.writeString(rules, rulesFile());
        replicatorLog = dir.resolve("replicator.log");
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "--add-opens=java.base/java.util=ALL-UNNAMED", "--add-opens=java.base/java.lang=ALL-UNNAMED",
                "-Xmx512m", "-cp", System.getProperty("java.class.path")));
        Path log4j = Path.of(System.getProperty("user.dir")).resolveSibling("deploy").resolve("log4j2-cli.properties");
        if (Files.exists(log4j)) {
            cmd.add("-Dlog4j2.configurationFile=" + log4j);
        }
        cmd.addAll(List.of("io.sftap.job.cli.SftapCli", "replicate", "-c", rules.toString(),
                "--listen", "udp:514", "--listen", "udp:162", "--listen", "udp:2055", "--listen", "udp:6343",
                "--listen", "udp:5514", "--syslog-tcp", "514", "--progress-interval", "0"));
        replicator = lab.start("rep", replicatorLog, cmd.toArray(new String[0]));
        await("replicator listening on every endpoint (log: " + replicatorLog + ")", Duration.ofSeconds(60), () -> {
            String udp = lab.exec("rep", 5, "ss", "-Hlnu");
            String tcp = lab.exec("rep", 5, "ss", "-Hlnt");
            return udp.contains(":5514") && udp.contains(":514") && udp.contains(":6343") && tcp.contains(":514");
        });
    }

    private static void installPeers() throws Exception {
        List<String> missing = new ArrayList<>();
        for (String t : TOOLS) {
            if (!onPath(t)) {
                missing.add(t);
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        List<String> cmd = new ArrayList<>(List.of("apt-get", "install", "-y", "-q", "--no-install-recommends"));
        cmd.addAll(List.of(PACKAGES));
        try {
            NetnsLab.run(300, cmd.toArray(new String[0]));
        } catch (IOException e) {
            throw new IllegalStateException("the replicator ITs need " + missing + " (Debian packages "
                    + String.join(" ", PACKAGES) + ") and installing them failed: " + e.getMessage());
        }
    }

    private static boolean onPath(String tool) {
        for (String d : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(d, tool))) {
                return true;
            }
        }
        return Files.isExecutable(Path.of("/usr/sbin", tool)) || Files.isExecutable(Path.of("/sbin", tool));
    }

    private static String rulesFile() {
        StringBuilder sb = new StringBuilder(String.join("\n",
                "forward:",
                "  syslog4:",
                "    port: 514",
                "    from: 198.18.1.0/24",
                "    to: { addr: 198.18.2.1, source: preserve }",
                "  syslog6:",
                "    port: 514",
                "    from: '2001:db8:1::/64'",
                "    to: { addr: '2001:db8:2::1', source: preserve }",
                "  traps:",
                "    port: 162",
                "    to: { addr: 198.18.2.2, source: preserve }",
                "  netflow:",
                "    port: 2055",
                "    to: { addr: 198.18.2.3, source: preserve }",
                "  sflow:",
                "    port: 6343",
                "    to: { addr: 198.18.2.4, source: preserve }",
                "  fanout:",
                "    port: 5514",
                "    to:",
                ""));
        for (int i = 0; i < FANOUT; i++) {
            sb.append("      - { addr: ").append(NetnsLab.collector4(5 + i)).append(", source: preserve }\n");
        }
        return sb.toString();
    }

    private static void startCollectors() throws IOException {
        Path rsyslogConf = dir.resolve("rsyslog.conf");
        Files.writeString(rsyslogConf, String.join("\n",
                "global(workDirectory=\"" + dir + "\" net.enableDNS=\"off\" maxMessageSize=\"64k\")",
                "module(load=\"imudp\")",
                "input(type=\"imudp\" address=\"198.18.2.1\" port=\"514\")",
                "input(type=\"imudp\" address=\"2001:db8:2::1\" port=\"514\")",
                "template(name=\"src\" type=\"string\" string=\"%fromhost-ip% %syslogtag% %msg%\\n\")",
                "*.* action(type=\"omfile\" file=\"" + dir.resolve("rsyslog.out") + "\" template=\"src\")",
                ""));
        lab.start("c1", dir.resolve("rsyslogd.log"), "rsyslogd", "-n", "-f", rsyslogConf.toString(), "-i", dir.resolve("rsyslogd.pid").toString());

        Files.writeString(dir.resolve("snmptrapd.conf"), "disableAuthorization yes\n");
        lab.start("c2", dir.resolve("snmptrapd.log"), "snmptrapd", "-f", "-n", "-m", "", "-Lf", dir.resolve("snmptrapd.out").toString(),
                "-C", "-c", dir.resolve("snmptrapd.conf").toString(), "-p", dir.resolve("snmptrapd.pid").toString(), "udp:198.18.2.2:162");

        Files.createDirectories(dir.resolve("nfcapd"));
        nfcapd = lab.start("c3", dir.resolve("nfcapd.log"), "nfcapd", "-w", dir.resolve("nfcapd").toString(), "-p", "2055", "-b", "198.18.2.3",
                "-P", dir.resolve("nfcapd.pid").toString());

        lab.start("c4", dir.resolve("sflow.capture"), "tcpdump", "-i", "e0", "-n", "-l", "udp", "port", "6343");

        Path receiver = dir.resolve("receiver.py");
        Files.writeString(receiver, String.join("\n",
                "import socket, sys",
                "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)",
                "s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)",
                "s.bind((sys.argv[1], int(sys.argv[2])))",
                "with open(sys.argv[3], 'w', buffering=1) as f:",
                "    while True:",
                "        d, a = s.recvfrom(65535)",
                "        f.write('%s %d %s\\n' % (a[0], a[1], d.decode('ascii', 'replace')))",
                ""));
        for (int i = 0; i < FANOUT; i++) {
            int c = 5 + i;
            lab.start("c" + c, dir.resolve("fanout" + c + ".err"), "python3", receiver.toString(),
                    NetnsLab.collector4(c), "5514", dir.resolve("fanout" + c + ".out").toString());
        }
    }

    @Test
    @Order(1)
    void syslogOverUdpReachesRsyslogFromTheSendersAddressIpv4AndIpv6() throws Exception {
        lab.exec("snd", 10, "logger", "-d", "-n", REPLICATOR, "-P", "514", "-t", "itudp", "udp four");
        lab.exec("snd", 10, "logger", "-d", "-n", "2001:db8:1::fe", "-P", "514", "-t", "itudp6", "udp six");
        String out = awaitFile(dir.resolve("rsyslog.out"), s -> s.contains("udp four") && s.contains("udp six"));
        assertThat(out).contains(SENDER + " itudp udp four").contains(SENDER6 + " itudp6 udp six");
    }

    @Test
    @Order(2)
    void aSyslogDatagramLargerThanTheMtuArrivesWhole() throws Exception {
        String big = "big-" + "x".repeat(6000) + "-end";
        lab.exec("snd", 10, "logger", "-d", "-n", REPLICATOR, "-P", "514", "--size", "9000", "-t", "itbig", big);
        String out = awaitFile(dir.resolve("rsyslog.out"), s -> s.contains("-end"));
        assertThat(out).contains(SENDER + " itbig " + big);
    }

    @Test
    @Order(3)
    void syslogOverTcpInBothFramingsGoesOnAsUdpFromTheClient() throws Exception {
        lab.exec("snd", 10, "logger", "-T", "--octet-count", "-n", REPLICATOR, "-P", "514", "-t", "itoctet", "counted frame");
        lab.exec("snd", 10, "logger", "-T", "-n", REPLICATOR, "-P", "514", "-t", "itlf", "newline frame");
        String out = awaitFile(dir.resolve("rsyslog.out"), s -> s.contains("counted frame") && s.contains("newline frame"));
        assertThat(out).contains(SENDER + " itoctet counted frame").contains(SENDER + " itlf newline frame");
    }

    @Test
    @Order(4)
    void snmpTrapsReachSnmptrapdFromTheAgentsAddress() throws Exception {
        lab.exec("snd", 10, "snmptrap", "-m", "", "-v", "2c", "-c", "public", REPLICATOR + ":162", "",
                "1.3.6.1.6.3.1.1.5.1", "1.3.6.1.2.1.1.5.0", "s", "sftap-trap-it");
        String out = awaitFile(dir.resolve("snmptrapd.out"), s -> s.contains("sftap-trap-it"));
        assertThat(out).containsPattern("UDP: \\[" + Pattern.quote(SENDER) + "\\]:\\d+->\\[198\\.18\\.2\\.2\\]:162");
    }

    @Test
    @Order(5)
    void netflowReachesNfcapdWithTheExporterAsRouter() throws Exception {
        Path flows = dir.resolve("pcapflows");
        Files.createDirectories(flows);
        Path sample = Path.of(System.getProperty("user.dir")).resolveSibling("samples").resolve("sample.pcap");
        NetnsLab.run(30, "nfpcapd", "-r", sample.toString(), "-w", flows.toString());
        String file;
        try (var s = Files.list(flows)) {
            file = s.filter(p -> p.getFileName().toString().startsWith("nfcapd.")).findFirst().orElseThrow().toString();
        }
        lab.exec("snd", 20, "nfreplay", "-r", file, "-H", REPLICATOR, "-p", "2055", "-v", "9");
        await("nfcapd counted the replicated flows", Duration.ofSeconds(10), () -> udpDatagramsReceived("c3") > 0);
        Thread.sleep(500);
        NetnsLab.stop(nfcapd); // nfcapd writes its current file on exit
        String routers = NetnsLab.run(30, "nfdump", "-q", "-R", dir.resolve("nfcapd").toString(), "-o", "fmt:%ra");
        assertThat(routers.lines().map(String::trim).filter(l -> !l.isEmpty()).distinct()).containsExactly(SENDER);
    }

    @Test
    @Order(6)
    void sflowFromPmacctdSfprobeArrivesFromTheAgentsAddress() throws Exception {
        Path sample = Path.of(System.getProperty("user.dir")).resolveSibling("samples").resolve("sample.pcap");
        Path conf = dir.resolve("sfprobe.conf");
        Files.writeString(conf, String.join("\n",
                "daemonize: false",
                "pcap_savefile: " + sample,
                "plugins: sfprobe",
                "sfprobe_receiver: " + REPLICATOR + ":6343",
                "sfprobe_agentip: " + SENDER,
                "sampling_rate: 1",
                ""));
        String log = lab.execAnyExit("snd", 20, "pmacctd", "-f", conf.toString());
        assertThat(log).contains("Exporting flows to [" + REPLICATOR + "]:6343");
        String capture = awaitFile(dir.resolve("sflow.capture"), s -> s.contains("sFlow"));
        assertThat(capture).containsPattern("IP " + Pattern.quote(SENDER) + "\\.\\d+ > 198\\.18\\.2\\.4\\.6343: sFlowv5");
        assertThat(capture).doesNotContain("198.18.2.254.");
    }

    @Test
    @Order(7)
    void fourteenCollectorsOnOnePortEachGetEveryDatagramFromTheOriginalSender() throws Exception {
        String sender = String.join("\n",
                "import socket, time",
                "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)",
                "s.bind(('" + SENDER + "', 40123))",
                "for i in range(" + FANOUT_DATAGRAMS + "):",
                "    s.sendto(('fanout-%05d' % i).encode(), ('" + REPLICATOR + "', 5514))",
                "    if i % 50 == 49: time.sleep(0.01)",
                "");
        Path script = dir.resolve("sender.py");
        Files.writeString(script, sender);
        lab.exec("snd", 20, "python3", script.toString());
        for (int i = 0; i < FANOUT; i++) {
            Path out = dir.resolve("fanout" + (5 + i) + ".out");
            String got = awaitFile(out, s -> s.lines().count() >= FANOUT_DATAGRAMS);
            List<String> lines = got.lines().toList();
            assertThat(lines).as("collector %d", 5 + i).hasSize(FANOUT_DATAGRAMS);
            assertThat(lines).allMatch(l -> l.startsWith(SENDER + " 40123 fanout-"));
            assertThat(lines.get(FANOUT_DATAGRAMS - 1)).endsWith(String.format("fanout-%05d", FANOUT_DATAGRAMS - 1));
        }
    }

    @Test
    @Order(8)
    void theSummaryCountsEveryCopyPerRuleAndCollector() throws Exception {
        NetnsLab.stop(replicator); // SIGTERM: the replicator prints its counters and exits
        String log = Files.readString(replicatorLog, StandardCharsets.UTF_8);
        for (int i = 0; i < FANOUT; i++) {
            assertThat(counter(log, "replicate.fanout." + NetnsLab.collector4(5 + i) + ":5514.sent")).isEqualTo(FANOUT_DATAGRAMS);
            assertThat(counter(log, "replicate.fanout." + NetnsLab.collector4(5 + i) + ":5514.drops")).isZero();
        }
        assertThat(counter(log, "replicate.syslog4.198.18.2.1:514.sent")).isEqualTo(4);
        assertThat(counter(log, "replicate.syslog6.[2001:db8:2::1]:514.sent")).isEqualTo(1);
        assertThat(counter(log, "listen.tcp_syslog_messages")).isEqualTo(2);
        assertThat(counter(log, "replicate.traps.198.18.2.2:162.errors")).isZero();
    }

    /** UDP datagrams the kernel of a collector's namespace delivered (nfcapd reports nothing before it exits). */
    private static long udpDatagramsReceived(String collector) throws IOException, InterruptedException {
        String s = lab.exec(collector, 5, "cat", "/proc/net/snmp");
        Matcher m = Pattern.compile("Udp: (\\d+)").matcher(s.substring(s.lastIndexOf("Udp:")));
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    private static long counter(String log, String name) {
        Matcher m = Pattern.compile("^\\s+" + Pattern.quote(name) + "\\s+(\\d+)$", Pattern.MULTILINE).matcher(log);
        assertThat(m.find()).as("counter %s in the summary:%n%s", name, log).isTrue();
        return Long.parseLong(m.group(1));
    }

    private static String awaitFile(Path file, Predicate<String> ready) throws Exception {
        String[] last = {""};
        await(file.getFileName() + " to show the copies", Duration.ofSeconds(15), () -> {
            last[0] = Files.exists(file) ? Files.readString(file, StandardCharsets.ISO_8859_1) : "";
            return ready.test(last[0]);
        });
        return last[0];
    }

    /** A condition to wait for. */
    interface Check {
        boolean ok() throws Exception;
    }

    private static void await(String what, Duration timeout, Check check) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!check.ok()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what + "; replicator log:\n"
                        + (replicatorLog != null && Files.exists(replicatorLog) ? Files.readString(replicatorLog) : "(none)"));
            }
            if (replicator != null && !replicator.isAlive()) {
                throw new AssertionError("the replicator exited: " + Files.readString(replicatorLog));
            }
            Thread.sleep(100);
        }
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (lab != null) {
            lab.close();
        }
    }
}
