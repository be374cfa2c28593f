package io.sftap.sinks.socket;

import io.sftap.source.unix.UnixServerSockets;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;

/**
 * The home directory of the abstract interfaces ({@code home/tcp/http}, {@code home/udp/dns}, ...):
 * creates folders and makes socket paths ready to bind.
 *
 * <p>Sockets carry other people's traffic, so folders this class creates get {@code rwxr-x---}
 * (0750) and sockets {@code rw-rw----} (0660), both with the configured group if one is given.
 * Folders that already exist (the home itself, say {@code /tmp}) are left as they are.
 */
public final class SocketDirectory {
    static final Set<PosixFilePermission> FOLDER_PERMISSIONS = PosixFilePermissions.fromString("rwxr-x---");
    static final Set<PosixFilePermission> SOCKET_PERMISSIONS = PosixFilePermissions.fromString("rw-rw----");

    static final int MAX_SOCKET_PATH_BYTES = UnixServerSockets.MAX_PATH_BYTES;

    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;

    private final Path home;
    private final GroupPrincipal group;

    /**
     * Creates the home directory if needed and checks that it is a writable directory.
     *
     * @param groupName UNIX group that may read the sockets, or null to keep the process's group
     */
    public SocketDirectory(Path home, String groupName) throws IOException {
        this.home = home.toAbsolutePath().normalize();
        this.group = groupName == null ? null : lookupGroup(this.home, groupName);
        if (Files.exists(this.home) && !Files.isDirectory(this.home)) {
            throw new IOException("socket home " + this.home + " is not a directory");
        }
        createFolders(this.home);
        if (!Files.isWritable(this.home)) {
            throw new IOException("socket home " + this.home + " is not writable by user "
                    + System.getProperty("user.name") + "; choose another home or fix its permissions");
        }
    }

    public Path home() {
        return home;
    }

    /**
     * Resolves {@code relative} (e.g. {@code tcp/http}) under the home, creates its folders, and
     * removes a stale socket file there.
     *
     * @throws IllegalArgumentException if the path is absolute or leaves the home
     * @throws IOException if a file that is not a socket is in the way, or the path is too long
     */
    public Path prepare(String relative) throws IOException {
        Path path = resolve(relative);
        int length = path.toString().getBytes(StandardCharsets.UTF_8).length;
        if (length > MAX_SOCKET_PATH_BYTES) {
            throw new IOException("socket path " + path + " is " + length + " bytes; UNIX socket paths"
                    + " are limited to " + MAX_SOCKET_PATH_BYTES + " bytes, choose a shorter home");
        }
        createFolders(path.getParent());
        if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            if (!isSocket(path)) {
                throw new IOException("refusing to replace " + path + ": it is " + describe(path)
                        + ", not a socket; remove it or choose another home");
            }
            Files.delete(path);
        }
        return path;
    }

    /** Restricts a freshly bound socket to its owner and group (0660). */
    public void secure(Path socket) throws IOException {
        Files.setPosixFilePermissions(socket, SOCKET_PERMISSIONS);
        if (group != null) {
            Files.setAttribute(socket, "posix:group", group, LinkOption.NOFOLLOW_LINKS);
        }
    }

    /** The absolute path of {@code relative} under the home. */
    public Path resolve(String relative) {
        if (relative == null || relative.isBlank()) {
            throw new IllegalArgumentException("socket path is empty");
        }
        Path rel = Paths.get(relative).normalize();
        if (rel.isAbsolute() || rel.startsWith("..") || rel.toString().isEmpty()) {
            throw new IllegalArgumentException("socket path '" + relative
                    + "' must be relative to the home and stay inside it (like tcp/http)");
        }
        return home.resolve(rel);
    }

    /** True if {@code path} is a UNIX-domain socket file. */
    public static boolean isSocket(Path path) throws IOException {
        int mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        return (mode & S_IFMT) == S_IFSOCK;
    }

    private static String describe(Path path) {
        if (Files.isSymbolicLink(path)) {
            return "a symbolic link";
        }
        if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
            return "a directory";
        }
        if (Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
            return "a regular file";
        }
        return "a special file";
    }

    /** Creates the missing folders down to {@code dir}, each 0750 with the group. */
    private void createFolders(Path dir) throws IOException {
        Deque<Path> missing = new ArrayDeque<>();
        for (Path p = dir; p != null && !Files.exists(p); p = p.getParent()) {
            missing.push(p);
        }
        while (!missing.isEmpty()) {
            Path p = missing.pop();
            try {
                Files.createDirectory(p);
            } catch (FileAlreadyExistsException e) {
                // Another writer of the same job created it first; it set the permissions.
                if (!Files.isDirectory(p)) {
                    throw new IOException("cannot create folder " + p + ": a file is in the way", e);
                }
                continue;
            }
            // Set explicitly: permissions given at creation are filtered by the umask.
            Files.setPosixFilePermissions(p, FOLDER_PERMISSIONS);
            if (group != null) {
                Files.setAttribute(p, "posix:group", group, LinkOption.NOFOLLOW_LINKS);
            }
        }
        if (!Files.isDirectory(dir)) {
            throw new IOException("cannot create folder " + dir + ": a file is in the way");
        }
    }

    private static GroupPrincipal lookupGroup(Path near, String name) throws IOException {
        try {
            return near.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByGroupName(name);
        } catch (IOException e) {
            throw new IOException("unknown UNIX group '" + name + "' for the interface sockets", e);
        }
    }
}
