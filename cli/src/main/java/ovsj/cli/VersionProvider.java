package ovsj.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** {@code ovsj --version}: the project version (filtered in at build time) and the JVM. */
final class VersionProvider implements IVersionProvider {

  @Override
  public String[] getVersion() {
    String version = "(unknown version)";
    try (InputStream in = VersionProvider.class.getResourceAsStream("version.properties")) {
      if (in != null) {
        Properties p = new Properties();
        p.load(in);
        version = p.getProperty("version", version);
      }
    } catch (IOException e) {
      // keep the placeholder: --version must not fail
    }
    return new String[] {
      "ovsj " + version,
      "Java " + Runtime.version() + " (" + System.getProperty("java.vm.vendor", "?") + ")",
    };
  }
}
