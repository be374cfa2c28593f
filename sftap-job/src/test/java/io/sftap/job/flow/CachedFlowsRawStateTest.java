package io.sftap.job.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sftap.source.wire.FlowKey;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The cached flows' raw keyed state: written per key group at the offsets Flink records, read back whole. */
class CachedFlowsRawStateTest {
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    /** Key group → stream offset, as KeyedStateCheckpointOutputStream records them. */
    final Map<Integer, Integer> offsets = new LinkedHashMap<>();

    private static FlowKey flow(int port) {
        return new FlowKey(0, 4, 6, new byte[] {10, 0, 0, 1}, port, new byte[] {10, 0, 0, 2}, 80);
    }

    private static FlowKey flow6(int port) {
        byte[] a = new byte[16];
        byte[] b = new byte[16];
        a[0] = (byte) 0x20;
        b[15] = 1;
        return new FlowKey(0, 6, 6, a, port, b, 443);
    }

    private long write(EncodedStateCache cache, int first, int groups) throws IOException {
        return CachedFlowsRawState.write(cache.dirtyByKeyGroup(first, groups), out, g -> offsets.put(g, out.size()));
    }

    private List<String> readGroup(int keyGroup) throws Exception {
        List<String> flows = new ArrayList<>();
        InputStream in = new ByteArrayInputStream(out.toByteArray());
        in.skipNBytes(offsets.get(keyGroup));
        CachedFlowsRawState.read(in, keyGroup, (key, state) ->
                flows.add(FlowKeyBytes.read(key).port1 + "=" + Arrays.toString(state)));
        return flows;
    }

    @Test
    void everyKeyGroupOfTheRangeReadsBackItsOwnFlowsEmptyOnesToo() throws Exception {
        EncodedStateCache cache = new EncodedStateCache(1 << 20, (k, s, lacksTimer) -> { }, key -> key.port1 % 4 + 20);
        cache.putDirty(flow(1), new byte[] {1, 2, 3}, EncodedStateCache.NO_DEADLINE);
        cache.putDirty(flow(5), new byte[300], EncodedStateCache.NO_DEADLINE); // a length that takes two varint bytes
        cache.putDirty(flow6(2), new byte[] {}, EncodedStateCache.NO_DEADLINE);
        cache.putClean(flow(9), new byte[] {9}); // clean: keyed state holds it, not written

        long bytes = write(cache, 20, 4);

        assertThat(bytes).isEqualTo(out.size());
        assertThat(offsets).containsOnlyKeys(20, 21, 22, 23);
        assertThat(readGroup(21)).containsExactlyInAnyOrder("1=[1, 2, 3]", "5=" + Arrays.toString(new byte[300]));
        assertThat(readGroup(22)).containsExactly("2=[]");
        assertThat(readGroup(20)).isEmpty();
        assertThat(readGroup(23)).isEmpty();
    }

    @Test
    void anotherOperatorsRawStateIsRefusedByName() throws Exception {
        out.write(new byte[] {0, 0, 0, 7, 1, 0});
        offsets.put(5, 0);

        assertThatThrownBy(() -> readGroup(5))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("key group 5 is not sftap's cached flows");
    }

    @Test
    void aNewerLayoutIsRefused() throws Exception {
        EncodedStateCache cache = new EncodedStateCache(1 << 20, (k, s, lacksTimer) -> { });
        write(cache, 0, 1);
        byte[] b = out.toByteArray();
        b[4] = (byte) (CachedFlowsRawState.LAYOUT + 1);
        out.reset();
        out.write(b);

        assertThatThrownBy(() -> readGroup(0)).isInstanceOf(IOException.class).hasMessageContaining("layout 2");
    }

    @Test
    void aTruncatedGroupOrAnOverlongKeyIsRefused() throws Exception {
        EncodedStateCache cache = new EncodedStateCache(1 << 20, (k, s, lacksTimer) -> { });
        cache.putDirty(flow(1), new byte[] {1, 2, 3}, EncodedStateCache.NO_DEADLINE);
        write(cache, 0, 1);
        byte[] whole = out.toByteArray();

        out.reset();
        out.write(whole, 0, whole.length - 2);
        assertThatThrownBy(() -> readGroup(0)).isInstanceOf(IOException.class);

        out.reset();
        out.write(whole, 0, 6); // header and a count of one
        out.write(new byte[] {(byte) 0xff, 0x03}); // a key of 511 bytes
        assertThatThrownBy(() -> readGroup(0)).isInstanceOf(IOException.class).hasMessageContaining("claims 511 bytes");
    }

    /** A cache of {@code flows} dirty flows over key groups 40 to 46; group 43 holds more than a chunk. */
    private static EncodedStateCache manyFlows(int flows) throws Exception {
        EncodedStateCache cache = new EncodedStateCache(1L << 30, (k, s, lacksTimer) -> { }, key -> key.port1 % 7 + 40);
        for (int port = 0; port < flows; port++) {
            byte[] state = new byte[port % 7 == 3 && port < 2100 ? 8000 : port % 50];
            Arrays.fill(state, (byte) port);
            cache.putDirty(flow(port), state, EncodedStateCache.NO_DEADLINE);
        }
        return cache;
    }

    @Test
    void helperThreadsWriteTheSameBytesAtTheSameOffsetsAsTheTaskThreadAlone() throws Exception {
        EncodedStateCache cache = manyFlows(20_000);
        CachedFlowsRawState.write(cache.dirtyByKeyGroup(40, 7), out, g -> offsets.put(g, out.size()), 0);
        byte[] alone = out.toByteArray();
        Map<Integer, Integer> aloneOffsets = new LinkedHashMap<>(offsets);

        for (int encoders : new int[] {1, 2, 3}) {
            out.reset();
            offsets.clear();
            long bytes = CachedFlowsRawState.write(cache.dirtyByKeyGroup(40, 7), out, g -> offsets.put(g, out.size()), encoders);

            assertThat(bytes).as("%d encoders", encoders).isEqualTo(alone.length);
            assertThat(out.toByteArray()).as("%d encoders", encoders).isEqualTo(alone);
            assertThat(offsets).as("%d encoders", encoders).containsExactlyEntriesOf(aloneOffsets);
        }
        assertThat(aloneOffsets.get(44) - aloneOffsets.get(43)).isGreaterThan(2 * CachedFlowsRawState.GroupEncoder.CHUNK_BYTES);
        assertThat(readGroup(43)).hasSize(20_000 / 7).contains("3=" + Arrays.toString(filled(8000, 3)));
    }

    private static byte[] filled(int length, int value) {
        byte[] b = new byte[length];
        Arrays.fill(b, (byte) value);
        return b;
    }

    @Test
    void aStreamThatFailsEndsTheWriteAndEveryEncoderThread() throws Exception {
        EncodedStateCache cache = manyFlows(20_000);
        java.io.OutputStream failing = new java.io.OutputStream() {
            long written;

            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                written += len;
                if (written > 0) { // the first chunk: both encoders then wait for chunks back
                    throw new IOException("disk full");
                }
            }
        };

        assertThatThrownBy(() -> CachedFlowsRawState.write(cache.dirtyByKeyGroup(40, 7), failing, g -> { }, 2))
                .isInstanceOf(IOException.class)
                .hasMessage("disk full");
        assertThat(Thread.getAllStackTraces().keySet())
                .noneMatch(t -> t.getName().startsWith("sftap snapshot encoder") && t.isAlive());
    }
}
