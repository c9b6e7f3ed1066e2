package ovsj.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A subcommand whose implementation does not exist yet: it says so on stderr and exits 1.
 */
abstract class NotBuiltCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  /** What is missing, as a sentence, for example "the daemon is not built yet". */
  abstract String notBuilt();

  @Override
  public Integer call() {
    var err = spec.commandLine().getErr();
    err.println(spec.qualifiedName() + ": " + notBuilt() + " (see README)");
    err.flush();
    return 1;
  }
}
