package roombus.security;

import java.lang.management.ManagementFactory;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * Many HTTP requests, a few at a time, as a careless or hostile client sends them; and the heap
 * they leave.
 */
final class Flood {

  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  private Flood() {}

  /**
   * Sends {@code request.apply(i)} for every i below {@code count}, at most {@code parallel} at a
   * time, and waits for every answer. Returns how many answers had each status (-1: no answer, the
   * connection failed).
   */
  static Map<Integer, Integer> send(int count, int parallel, IntFunction<HttpRequest> request) {
    Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
    Semaphore inFlight = new Semaphore(parallel);
    CompletableFuture<?>[] all = new CompletableFuture<?>[count];
    try {
      for (int i = 0; i < count; i++) {
        if (!inFlight.tryAcquire(60, TimeUnit.SECONDS))
          throw new AssertionError("The hub stopped answering");
        HttpRequest sent = request.apply(i);
        all[i] =
            HTTP.sendAsync(sent, HttpResponse.BodyHandlers.discarding())
                // a kept-alive connection the hub closed just as it was reused: once more on a
                // fresh one
                .exceptionallyCompose(
                    stale -> HTTP.sendAsync(sent, HttpResponse.BodyHandlers.discarding()))
                .handle(
                    (response, err) -> {
                      statuses.merge(err == null ? response.statusCode() : -1, 1, Integer::sum);
                      inFlight.release();
                      return null;
                    });
      }
      CompletableFuture.allOf(all).get(120, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("Flood interrupted: " + e, e);
    }
    return new TreeMap<>(statuses);
  }

  /** A request with a 30 s timeout, to be completed by the caller. */
  static HttpRequest.Builder request(String url) {
    return HttpRequest.newBuilder(java.net.URI.create(url)).timeout(Duration.ofSeconds(30));
  }

  /** Bytes of heap in use after a full collection (this JVM runs the hub under test). */
  static long heapAfterGc() {
    System.gc();
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
