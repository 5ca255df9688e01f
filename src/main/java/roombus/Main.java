package roombus;

import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import roombus.client.ChatClient;

/**
 * Starts a roombus node: {@code java -jar roombus.jar [--cluster]}; or the command-line chat
 * client: {@code java -jar roombus.jar client [options]}; or the load tool: {@code java -jar
 * roombus.jar bench [options]}.
 */
public final class Main {

  private Main() {}

  /**
   * Netty checks a buffer's reference count and bounds on every byte read or written; the checks
   * catch bugs in code that frees buffers by hand, which roombus does not do, and they were a
   * visible share of a node's CPU (every frame, every stored document). As Vert.x's own benchmarks
   * run, they are off unless set explicitly ({@code -Dio.netty.buffer.checkAccessible=true}). Must
   * run before Netty loads.
   */
  private static void skipBufferSafetyChecks() {
    for (String check :
        new String[] {"io.netty.buffer.checkAccessible", "io.netty.buffer.checkBounds"}) {
      if (System.getProperty(check) == null) System.setProperty(check, "false");
    }
  }

  public static void main(String[] args) throws InterruptedException {
    skipBufferSafetyChecks();
    if (args.length > 0 && "client".equals(args[0])) {
      ChatClient.main(Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    if (args.length > 0 && "bench".equals(args[0])) {
      System.exit(
          roombus.bench.LoadBench.run(
              Arrays.copyOfRange(args, 1, args.length), System.out, System.err));
    }
    if (JvmTuning.shouldRelaunch(System.getenv())) {
      System.exit(JvmTuning.relaunch(args, System.getenv()));
    }
    JvmTuning.followLauncher();
    HubConfig config;
    try {
      config = HubConfig.load(args);
    } catch (IllegalArgumentException e) {
      System.err.println("roombus: " + e.getMessage());
      System.exit(2);
      return;
    }
    // before the first logger of the hub is made: slf4j-simple reads a logger's level when it
    // creates it
    System.setProperty("org.slf4j.simpleLogger.log.roombus", config.logLevel());
    Logger log = LoggerFactory.getLogger(Main.class);
    log.info("event=config {}", config.describe());
    CountDownLatch started = new CountDownLatch(1);
    Hub.start(config)
        .onSuccess(
            hub -> {
              // SIGTERM (or Ctrl-C): drain (not ready, clients told to reconnect elsewhere, store
              // writes
              // finished), then leave the cluster, flush the store and exit
              Runtime.getRuntime()
                  .addShutdownHook(
                      new Thread(
                          () -> {
                            try {
                              hub.drain().eventually(hub::close).await();
                              log.info("event=node_stopped");
                            } catch (Exception e) {
                              log.warn("Clean shutdown failed: {}", e.getMessage());
                            }
                          },
                          "roombus-shutdown"));
              started.countDown();
            })
        .onFailure(
            err -> {
              log.error("roombus could not start: {}", err.getMessage(), err);
              System.exit(1);
            });
    started.await();
  }
}
