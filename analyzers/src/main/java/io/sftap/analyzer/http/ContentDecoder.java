package io.sftap.analyzer.http;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.zip.DataFormatException;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;

/** Undoes a body's Content-Encoding (gzip, x-gzip, deflate); other codings are left as they are. */
final class ContentDecoder {
    /** Result of decoding: the bytes, and an error when the coding was unknown or broken. */
    record Decoded(byte[] bytes, String error) {}

    private ContentDecoder() {}

    /** Decodes {@code body}, keeping at most {@code limit} output bytes (guards against zip bombs). */
    static Decoded decode(String contentEncoding, byte[] body, int limit) {
        if (contentEncoding == null || contentEncoding.isBlank()) {
            return new Decoded(body, null);
        }
        String[] codings = contentEncoding.toLowerCase(Locale.ROOT).split(",");
        byte[] b = body;
        // Codings are listed in the order applied: undo them from the last.
        for (int i = codings.length - 1; i >= 0; i--) {
            String c = codings[i].strip();
            try {
                switch (c) {
                    case "identity":
                        break;
                    case "gzip":
                    case "x-gzip":
                        b = gunzip(b, limit);
                        break;
                    case "deflate":
                        b = inflate(b, limit);
                        break;
                    default:
                        return new Decoded(b, "unsupported content-encoding '" + c + "'");
                }
            } catch (IOException | DataFormatException e) {
                return new Decoded(body, c + " decoding failed: " + e.getMessage());
            }
        }
        return new Decoded(b, null);
    }

    private static byte[] gunzip(byte[] in, int limit) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream z = new GZIPInputStream(new ByteArrayInputStream(in))) {
            copy(z, out, limit);
        } catch (EOFException truncated) {
            // A cut-off body: keep what could be decoded.
        }
        return out.toByteArray();
    }

    /** HTTP "deflate" is zlib-wrapped, but some servers send raw deflate; accept both. */
    private static byte[] inflate(byte[] in, int limit) throws DataFormatException {
        try {
            return inflate(in, limit, false);
        } catch (DataFormatException zlibFailed) {
            return inflate(in, limit, true);
        }
    }

    private static byte[] inflate(byte[] in, int limit, boolean raw) throws DataFormatException {
        Inflater inf = new Inflater(raw);
        try {
            inf.setInput(in);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] chunk = new byte[8192];
            while (!inf.finished() && out.size() < limit) {
                int n = inf.inflate(chunk);
                if (n == 0 && (inf.needsInput() || inf.needsDictionary())) {
                    break;
                }
                out.write(chunk, 0, Math.min(n, limit - out.size()));
            }
            return out.toByteArray();
        } finally {
            inf.end();
        }
    }

    private static void copy(InputStream in, ByteArrayOutputStream out, int limit) throws IOException {
        byte[] chunk = new byte[8192];
        int n;
        while (out.size() < limit && (n = in.read(chunk)) >= 0) {
            out.write(chunk, 0, Math.min(n, limit - out.size()));
        }
    }
}
