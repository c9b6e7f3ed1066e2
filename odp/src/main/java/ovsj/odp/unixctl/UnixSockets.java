package ovsj.odp.unixctl;

import java.io.IOException;
import java.net.BindException;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Listening UNIX stream sockets the way ovsj's servers want them: owner-only (0600), one server per
 * path, stale files from a crashed server replaced. Shared by the unixctl server and the datapath's
 * netlink socket (both modules depend on odp; the daemon must not depend on the datapath).
 */
public final class UnixSockets {
    /** {@code sizeof(sockaddr_un.sun_path) - 1}: Linux refuses longer paths. */
    public static final int MAX_PATH_BYTES = 107;

    private UnixSockets() {
    }

    /**
     * Binds and listens on {@code path}. If a socket file is already there and a connect to it
     * succeeds, some server is serving it: throws an {@link IOException} that says
     * "another {@code who} is already serving PATH". If the file is there but nobody listens (a
     * server that died without cleaning up), it is deleted and the path reused. A path that exists
     * but is not a socket is never deleted. A missing parent directory is created with mode 0700.
     *
     * <p>The socket is chmod'ed to 0600 right after bind; between bind and chmod it has the umask's
     * mode, which is why the default run directory is 0700 (callers that pick their own path should
     * pick a private directory too).
     */
    public static ServerSocketChannel bindExclusive(Path path, String who) throws IOException {
        Path abs = path.toAbsolutePath();
        if (abs.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_PATH_BYTES) {
            throw new IOException("socket path " + abs + " is longer than " + MAX_PATH_BYTES
                    + " bytes, the limit of a UNIX socket address");
        }
        createPrivateDirectories(abs.getParent());
        BasicFileAttributes attrs = attributes(abs);
        if (attrs != null) {
            if (!attrs.isOther()) { // a socket is "other" to Java
                throw new IOException(abs + " exists and is not a socket; refusing to replace it");
            }
            if (probe(abs)) {
                throw alreadyServing(who, abs);
            }
            Files.deleteIfExists(abs); // stale
        }
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            server.bind(UnixDomainSocketAddress.of(abs));
        } catch (BindException e) {
            // Lost a race with another server that bound between our check and our bind.
            server.close();
            throw alreadyServing(who, abs);
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        try {
            Files.setPosixFilePermissions(abs, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException | RuntimeException e) {
            server.close();
            Files.deleteIfExists(abs);
            throw e;
        }
        return server;
    }

    /** Whether something accepts connections on {@code path} right now. */
    public static boolean isServed(Path path) {
        try {
            return probe(path);
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * True if a connect succeeds, false if it is refused (nobody listens: a stale file); any other
     * failure (say, no permission) is thrown, because then the file must not be deleted.
     */
    private static boolean probe(Path path) throws IOException {
        try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            probe.connect(UnixDomainSocketAddress.of(path));
            return true;
        } catch (SocketException e) {
            String m = String.valueOf(e.getMessage());
            if (m.contains("refused") || m.contains("No such file")) {
                return false;
            }
            throw new IOException("cannot tell whether " + path + " is in use: " + m, e);
        }
    }

    /** Creates {@code dir} and any missing parents with mode 0700; an existing directory is kept. */
    public static void createPrivateDirectories(Path dir) throws IOException {
        if (dir == null || Files.isDirectory(dir)) {
            return;
        }
        createPrivateDirectories(dir.getParent());
        try {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------")));
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(dir)) {
                throw e;
            }
            return; // someone else made it meanwhile: theirs to keep as it is
        }
        // createDirectory's attribute is filtered by the umask; say it again.
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    }

    private static BasicFileAttributes attributes(Path p) throws IOException {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (java.nio.file.NoSuchFileException e) {
            return null;
        }
    }

    private static IOException alreadyServing(String who, Path path) {
        return new IOException("another " + who + " is already serving " + path);
    }
}
