package io.sftap.analyzer.sdk;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds the socket files of an interface under the home directory.
 *
 * <p>{@code http} means {@code tcp/http}, {@code udp/http} or {@code icmp/http} if that socket
 * exists, otherwise every balance slot {@code http0..httpN-1} there. A name with a slash
 * ({@code tcp/http}) is taken relative to the home; a name with {@code * ? [} is a glob relative
 * to the home ({@code tcp/http[0-3]}).
 */
public final class InterfaceSockets {
    private static final List<String> PROTOCOL_DIRS = List.of("tcp", "udp", "icmp");
    /** By folder, then balance slot: http10 sorts after http9. */
    private static final Comparator<Path> SLOT_ORDER = Comparator.comparing((Path f) -> f.getParent())
            .thenComparingInt(f -> f.getFileName().toString().length())
            .thenComparing(f -> f.getFileName().toString());

    private InterfaceSockets() {}

    /** The sockets of {@code iface}, sorted by path; empty when none exists (yet). */
    public static List<Path> resolve(Path home, String iface) throws IOException {
        if (iface.isEmpty()) {
            throw new IllegalArgumentException("interface name is empty");
        }
        if (iface.chars().anyMatch(c -> c == '*' || c == '?' || c == '[')) {
            return glob(home, iface);
        }
        List<Path> dirs = new ArrayList<>();
        String name = iface;
        int slash = iface.lastIndexOf('/');
        if (slash >= 0) {
            dirs.add(home.resolve(iface.substring(0, slash)));
            name = iface.substring(slash + 1);
        } else {
            PROTOCOL_DIRS.forEach(d -> dirs.add(home.resolve(d)));
        }
        List<Path> found = new ArrayList<>();
        for (Path dir : dirs) {
            Path exact = dir.resolve(name);
            if (isSocket(exact)) {
                found.add(exact);
            } else {
                found.addAll(slots(dir, name));
            }
        }
        found.sort(SLOT_ORDER);
        return found;
    }

    /** The socket of balance slot {@code slot} of {@code iface}; empty when it does not exist. */
    public static List<Path> resolveSlot(Path home, String iface, int slot) throws IOException {
        return resolve(home, iface + slot).stream().filter(InterfaceSockets::isSocket).toList();
    }

    private static List<Path> slots(Path dir, String name) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        Pattern p = Pattern.compile(Pattern.quote(name) + "\\d+");
        List<Path> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(f -> p.matcher(f.getFileName().toString()).matches())
                    .filter(InterfaceSockets::isSocket)
                    .forEach(out::add);
        }
        out.sort(SLOT_ORDER);
        return out;
    }

    private static List<Path> glob(Path home, String pattern) throws IOException {
        PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
        if (!Files.isDirectory(home)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(home, 3)) {
            // A name starting with '.' is a socket sftap is still publishing (bound, not yet renamed).
            return s.filter(f -> m.matches(home.relativize(f)))
                    .filter(f -> !f.getFileName().toString().startsWith("."))
                    .filter(InterfaceSockets::isSocket).sorted().toList();
        }
    }

    /** A UNIX socket file (not a directory, not a regular file). */
    public static boolean isSocket(Path p) {
        try {
            BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
            return a.isOther();
        } catch (IOException e) {
            return false;
        }
    }
}
