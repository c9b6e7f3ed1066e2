package ovsj.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The {@code ovsj} command: the entry point of the launcher script.
 *
 * <p>Exit status: 0 on success, 1 when a command fails (or is not built yet), 2 on a usage error
 * (unknown option or subcommand, bad argument).
 */
@Command(
    name = "ovsj",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Open vSwitch datapath and userspace daemon in Java.",
    subcommands = {
      RunCommand.class,
      DatapathCommand.class,
      DpctlCommand.class,
      AppctlCommand.class,
      BenchCommand.class,
    })
public final class Main implements Callable<Integer> {

  @Spec CommandSpec spec;

  public static void main(String[] args) {
    System.exit(newCommandLine().execute(args));
  }

  /**
   * The fully configured command line that {@link #main} executes; tests use it too so that they
   * exercise the same error handling.
   */
  public static CommandLine newCommandLine() {
    CommandLine cmd = new CommandLine(new Main());
    cmd.setExecutionExceptionHandler(Main::onExecutionException);
    return cmd;
  }

  /** {@code ovsj} alone is a usage error: it needs a subcommand. */
  @Override
  public Integer call() {
    throw new ParameterException(spec.commandLine(), "Missing required subcommand");
  }

  /** An exception escaping a command: one line on stderr, exit 1, no stack trace. */
  private static int onExecutionException(
      Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
    PrintWriter err = cmd.getErr();
    String message = e.getMessage() != null ? e.getMessage() : e.getClass().getName();
    err.println(cmd.getCommandSpec().qualifiedName() + ": " + message);
    err.flush();
    return 1;
  }
}
