package io.sftap.analyzer.http;

import io.sftap.analyzer.sdk.Format;
import io.sftap.analyzer.sdk.InterfaceClient;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The HTTP analyzer: reads an sftap HTTP interface and prints one JSON object per request and
 * response pair on stdout, one per line.
 *
 * <pre>{@code
 * java -cp sftap-analyzers.jar io.sftap.analyzer.http.HttpAnalyzer --home /tmp/sf-tap --if http | jq .
 * }</pre>
 */
@Command(name = "sftap-http", mixinStandardHelpOptions = true,
        description = "Prints one JSON line per HTTP request/response pair read from an sftap interface.")
public final class HttpAnalyzer implements Callable<Integer> {

    @Option(names = "--home", defaultValue = "/tmp/sf-tap", description = "sftap home directory (default: ${DEFAULT-VALUE})")
    Path home;

    @Option(names = "--if", defaultValue = "http",
            description = "interface name; all balance slots are read (default: ${DEFAULT-VALUE})")
    String iface;

    @Option(names = "--slot", description = "read only this balance slot (<if><slot>)")
    Integer slot;

    @Option(names = "--format", defaultValue = "text", description = "wire format of the interface: text|binary (default: ${DEFAULT-VALUE})")
    String format;

    @Option(names = "--body", description = "include the decoded body (gzip/deflate undone) as text or base64")
    boolean body;

    @Option(names = "--max-body", defaultValue = "1048576", description = "body bytes kept per message with --body (default: ${DEFAULT-VALUE})")
    int maxBody;

    @Option(names = "--once", description = "exit when the sockets close instead of reconnecting")
    boolean once;

    private final PrintStream out;

    public HttpAnalyzer() {
        this(System.out);
    }

    /** An analyzer printing to {@code out} (tests). */
    public HttpAnalyzer(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new HttpAnalyzer()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Format f = Format.parse(format);
        if (maxBody < 0) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--max-body must not be negative");
        }
        HttpEventListener listener =
                new HttpEventListener(new HttpExchangeJson(body, (int) Math.min(Integer.MAX_VALUE - 16, Math.max(maxBody, 1) * 8L)), body ? maxBody : 0, out);
        InterfaceClient.Builder b = InterfaceClient.builder()
                .setHome(home)
                .setInterface(iface)
                .setFormat(f)
                .setListener(listener)
                .setReconnect(!once);
        if (slot != null) {
            b.setSlot(slot);
        }
        try (InterfaceClient client = b.build()) {
            client.start();
            client.awaitTermination();
        } catch (java.io.IOException e) {
            System.err.println("sftap-http: " + e.getMessage());
            return 1;
        }
        return 0;
    }
}
