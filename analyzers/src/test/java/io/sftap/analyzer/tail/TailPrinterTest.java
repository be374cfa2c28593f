package io.sftap.analyzer.tail;

import static org.assertj.core.api.Assertions.assertThat;

import io.sftap.analyzer.sdk.AnalyzerEvent;
import io.sftap.analyzer.sdk.EventStreamReader;
import io.sftap.analyzer.sdk.Format;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The tcpdump-like lines of {@link TailPrinter}. */
class TailPrinterTest {
    private static final String WIRE =
            "ip1=10.0.0.1,ip2=10.0.0.2,port1=40000,port2=80,hop=0,l3=ipv4,l4=tcp,event=CREATED,time=1700000000.5\n"
            + "ip1=10.0.0.1,ip2=10.0.0.2,port1=40000,port2=80,hop=0,l3=ipv4,l4=tcp,event=DATA,from=2,match=down,len=20,time=1700000000.75\n"
            + "HTTP/1.1 200 OK\r\n\u0000\u00ff\u0001"
            + "ip1=2001:db8::1,ip2=2001:db8::2,port1=1,port2=2,hop=1,l3=ipv6,l4=tcp,event=DESTROYED,reason=TIMEOUT,time=1700000099\n";

    @Test
    void printsOneLinePerEventAndAHexPreviewForData() throws Exception {
        List<AnalyzerEvent> events = new EventStreamReader(Format.TEXT).feed(WIRE.getBytes(StandardCharsets.ISO_8859_1));
        TailPrinter p = new TailPrinter(18, new PrintStream(new ByteArrayOutputStream()));

        String out = p.format(null, events.get(0)) + p.format("http1", events.get(1)) + p.format(null, events.get(2));

        assertThat(out).isEqualTo(
                "2023-11-14T22:13:20.500000Z CREATED   10.0.0.1:40000 <> 10.0.0.2:80 tcp hop=0\n"
                + "2023-11-14T22:13:20.750000Z [http1] DATA      10.0.0.2:80 > 10.0.0.1:40000 tcp hop=0 match=down len=20\n"
                + "  0000  48 54 54 50 2f 31 2e 31  20 32 30 30 20 4f 4b 0d  HTTP/1.1 200 OK.\n"
                + "  0010  0a 00                                             ..\n"
                + "2023-11-14T22:14:59.000000Z DESTROYED [2001:db8::1]:1 <> [2001:db8::2]:2 tcp hop=1 reason=TIMEOUT\n");
    }
}
