package ovsj.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Map;
import ovsj.odp.unixctl.UnixSockets;

/**
 * Where ovsj's sockets live by default (OVS's rundir): {@code $OVSJ_RUNDIR}, else
 * {@code $XDG_RUNTIME_DIR/ovsj}, else {@code /tmp/ovsj}. It is created with mode 0700 if missing; an
 * existing one must belong to the user and be closed to others, because whoever can write into it
 * can put a socket of their own where a client expects ours.
 */
final class RunDir {
  /** The default file names inside the run directory. */
  static final String NETLINK_SOCKET = "nl.sock";

  static final String UNIXCTL_SOCKET = "ctl.sock";

  /** What {@code --help} says about the defaults. */
  static final String HELP =
      "RUNDIR is $OVSJ_RUNDIR, else $XDG_RUNTIME_DIR/ovsj, else /tmp/ovsj (created with mode 0700).";

  private RunDir() {}

  /** The run directory named by {@code env} (not created). */
  static Path resolve(Map<String, String> env) {
    String own = env.get("OVSJ_RUNDIR");
    if (own != null && !own.isEmpty()) {
      return Path.of(own);
    }
    String xdg = env.get("XDG_RUNTIME_DIR");
    if (xdg != null && !xdg.isEmpty()) {
      return Path.of(xdg, "ovsj");
    }
    return Path.of("/tmp", "ovsj");
  }

  /** Creates {@code dir} (mode 0700) if missing; refuses one that others could write into. */
  static Path ensure(Path dir) throws IOException {
    UnixSockets.createPrivateDirectories(dir);
    PosixFileAttributes a =
        Files.readAttributes(dir, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    if (!a.isDirectory()) {
      throw new IOException("run directory " + dir + " is not a directory");
    }
    String me = System.getProperty("user.name");
    if (!a.owner().getName().equals(me)) {
      throw new IOException(
          "run directory " + dir + " belongs to " + a.owner().getName() + ", not " + me
              + " (set OVSJ_RUNDIR to a directory of your own)");
    }
    if (a.permissions().contains(PosixFilePermission.GROUP_WRITE)
        || a.permissions().contains(PosixFilePermission.OTHERS_WRITE)) {
      throw new IOException(
          "run directory " + dir + " is writable by others (chmod 700 it, or set OVSJ_RUNDIR)");
    }
    return dir;
  }
}
