package roombus;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A node started with a bare {@code java -jar roombus.jar} runs with the JVM settings a chat hub
 * needs.
 *
 * <p>Without flags the JVM sizes itself for a batch job on the whole machine: G1 with a heap of up
 * to a quarter of the memory, which it fills before it collects, so a hub holding idle sockets
 * grows far past what it uses, and G1's concurrent threads compete with the event loops on a small
 * machine. A {@code java} process cannot change its own collector or heap limit, so a node started
 * without any heap or collector flag starts itself again, once, with {@link #DEFAULT_FLAGS} (or
 * those of {@code ROOMBUS_JVM_OPTS}), and waits for it: the same command, a well-sized node. Flags
 * given on the command line mean the operator chose; {@code ROOMBUS_RELAUNCH=false} turns this off.
 *
 * <p>The first process only waits: a SIGTERM or Ctrl-C to it is passed on (the node drains and
 * stops), and if it is killed outright the node stops too, as if it had been killed itself.
 */
final class JvmTuning {

  /** docs/performance.md says why each is there. */
  static final List<String> DEFAULT_FLAGS =
      List.of(
          "-XX:+UseParallelGC",
          "-Xms256m",
          "-Xmx640m",
          "-Xmn96m",
          "-XX:-UsePSAdaptiveSurvivorSizePolicy",
          "-XX:MinHeapFreeRatio=20",
          "-XX:MaxDirectMemorySize=256m",
          "-Xss512k",
          "-XX:-TieredCompilation",
          "-XX:PerfDataSamplingInterval=1000");

  private static final String RELAUNCHED = "roombus.relaunched";

  private JvmTuning() {}

  /**
   * Whether this process should start the node again with tuned flags instead of running it itself.
   */
  static boolean shouldRelaunch(Map<String, String> env) {
    if ("false".equalsIgnoreCase(env.getOrDefault("ROOMBUS_RELAUNCH", "true"))) return false;
    if (System.getProperty(RELAUNCHED) != null || jar() == null) return false;
    return ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .noneMatch(JvmTuning::choosesMemory);
  }

  private static boolean choosesMemory(String flag) {
    return flag.startsWith("-Xmx")
        || flag.startsWith("-Xms")
        || flag.startsWith("-XX:MaxRAM")
        || flag.startsWith("-XX:InitialRAM")
        || (flag.startsWith("-XX:+Use") && flag.endsWith("GC"));
  }

  /** Runs the node in a tuned JVM and answers its exit status. */
  static int relaunch(String[] args, Map<String, String> env) throws InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(
        ProcessHandle.current()
            .info()
            .command()
            .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    String custom = env.get("ROOMBUS_JVM_OPTS");
    command.addAll(
        custom == null || custom.isBlank()
            ? DEFAULT_FLAGS
            : Arrays.asList(custom.trim().split("\\s+")));
    command.addAll(
        ManagementFactory.getRuntimeMXBean()
            .getInputArguments()); // -D… and agents given to this one
    command.add("-D" + RELAUNCHED + "=" + ProcessHandle.current().pid());
    command.add("-jar");
    command.add(jar());
    command.addAll(Arrays.asList(args));
    Process node;
    try {
      node = new ProcessBuilder(command).inheritIO().start();
    } catch (java.io.IOException e) {
      System.err.println(
          "roombus: could not start the tuned JVM ("
              + e.getMessage()
              + "); set ROOMBUS_RELAUNCH=false");
      return 1;
    }
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  if (!node.isAlive()) return;
                  node.destroy(); // SIGTERM: the node drains and stops cleanly
                  try {
                    node.waitFor();
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                },
                "roombus-relay"));
    return node.waitFor();
  }

  /** In the relaunched node: if the waiting process is killed outright, stop as abruptly. */
  static void followLauncher() {
    String launcher = System.getProperty(RELAUNCHED);
    if (launcher == null) return;
    ProcessHandle.of(Long.parseLong(launcher))
        .ifPresent(parent -> parent.onExit().thenRun(() -> Runtime.getRuntime().halt(137)));
  }

  /** The jar this process runs from, or null when it does not run from one (tests, an IDE). */
  private static String jar() {
    String classPath = System.getProperty("java.class.path", "");
    if (classPath.isEmpty()
        || classPath.contains(java.io.File.pathSeparator)
        || !classPath.endsWith(".jar")) return null;
    return Files.isRegularFile(Path.of(classPath)) ? classPath : null;
  }
}
