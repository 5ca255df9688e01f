package roombus.embedded;

import java.nio.file.Path;

/**
 * The embedded engine alone in its own JVM, so that a test can kill it with SIGKILL: {@code
 * EngineProcess <dataDir> [checkpointEveryMs]}.
 */
public final class EngineProcess {

  private EngineProcess() {}

  public static void main(String[] args) throws Exception {
    long checkpointEveryMs =
        args.length > 1 ? Long.parseLong(args[1]) : EmbeddedBackend.CHECKPOINT_EVERY_MS;
    EmbeddedMongo engine = EmbeddedMongo.start(Path.of(args[0]), "127.0.0.1", 0, checkpointEveryMs);
    System.out.println("LISTENING " + engine.connectionString());
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
