package roombus.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads what the kernel says about the server process(es) under test: CPU time from {@code
 * /proc/<pid>/stat} and resident memory from {@code /proc/<pid>/status}. Linux only; a pid that
 * cannot be read counts as zero.
 */
final class ServerProbe {

  /** Clock ticks per second of {@code /proc/<pid>/stat} (USER_HZ, 100 on every Linux we run on). */
  private static final double TICKS = 100.0;

  private final List<Long> pids;

  /**
   * The given processes and their descendants: a hub started with {@code java -jar} runs in a child
   * JVM of the process that was started (see JvmTuning), and both count.
   */
  ServerProbe(List<Long> pids) {
    java.util.LinkedHashSet<Long> all = new java.util.LinkedHashSet<>(pids);
    for (long pid : pids) {
      ProcessHandle.of(pid).ifPresent(p -> p.descendants().forEach(child -> all.add(child.pid())));
    }
    this.pids = List.copyOf(all);
  }

  boolean enabled() {
    return !pids.isEmpty();
  }

  List<Long> pids() {
    return pids;
  }

  /** User plus system CPU seconds of all the pids. */
  double cpuSeconds() {
    double sum = 0;
    for (long pid : pids) sum += cpuSeconds(String.valueOf(pid));
    return sum;
  }

  /** Resident memory of all the pids together, in KiB. */
  long rssKb() {
    long sum = 0;
    for (long pid : pids) sum += statusKb(String.valueOf(pid), "VmRSS:");
    return sum;
  }

  /**
   * The kernel's high-water mark of resident memory (since the process started), summed, in KiB.
   */
  long peakRssSinceStartKb() {
    long sum = 0;
    for (long pid : pids) sum += statusKb(String.valueOf(pid), "VmHWM:");
    return sum;
  }

  /** Starts counting the CPU that the server and this load generator spend from now on. */
  CpuWindow cpuWindow() {
    return new CpuWindow(this);
  }

  /** CPU seconds spent since a window opened: by the server's processes and by the generator. */
  static final class CpuWindow {
    private final ServerProbe probe;
    private final double serverStart;
    private final double selfStart;
    private double server;
    private double self;

    private CpuWindow(ServerProbe probe) {
      this.probe = probe;
      this.serverStart = probe.cpuSeconds();
      this.selfStart = selfCpuSeconds();
    }

    /** Closes the window; {@link #server()} and {@link #self()} then say what it took. */
    CpuWindow close() {
      server = probe.cpuSeconds() - serverStart;
      self = selfCpuSeconds() - selfStart;
      return this;
    }

    /** CPU seconds of the server's processes in the window. */
    double server() {
      return server;
    }

    /** CPU seconds of the load generator in the window. */
    double self() {
      return self;
    }
  }

  /** CPU seconds of this load generator's own process. */
  static double selfCpuSeconds() {
    return cpuSeconds("self");
  }

  private static double cpuSeconds(String pid) {
    try {
      String stat = Files.readString(Path.of("/proc", pid, "stat"));
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      // after "pid (comm) ": state is field 3 of the man page, utime 14, stime 15
      return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS;
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  private static long statusKb(String pid, String key) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", pid, "status"))) {
        if (line.startsWith(key))
          return Long.parseLong(line.substring(key.length()).trim().split("\\s+")[0]);
      }
    } catch (IOException | RuntimeException e) {
      // gone or unreadable
    }
    return 0;
  }
}
