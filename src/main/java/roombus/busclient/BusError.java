package roombus.busclient;

import io.vertx.core.json.JsonObject;

/**
 * An {@code err} frame from the hub, as an exception: a refused register or send, a failed reply.
 * Also how a {@link BusClient#send send} fails when no reply comes ({@link #TIMEOUT}) or the
 * connection ends first ({@link #CLOSED}).
 */
public final class BusError extends RuntimeException {

  /** No reply within the client's reply timeout. */
  public static final String TIMEOUT = "TIMEOUT";

  /** The connection ended before the reply came. */
  public static final String CLOSED = "CLOSED";

  private final String address;
  private final int failureCode;
  private final String failureType;
  private final Object body;

  public BusError(
      String address, int failureCode, String failureType, String message, Object body) {
    super(message, null, false, false); // the hub's reason is the whole story: no stack trace
    this.address = address;
    this.failureCode = failureCode;
    this.failureType = failureType;
    this.body = body;
  }

  /**
   * The error an {@code err} frame carries, or null when the frame is something else. Refusals of
   * the stock bridge carry only {@code body} ({@code "access_denied"}); failures carry {@code
   * failureCode}, {@code failureType} and {@code message}; roombus sends both kinds.
   */
  public static BusError of(JsonObject frame) {
    if (!"err".equals(frame.getValue("type"))) return null;
    Object body = frame.getValue("body");
    String failureType =
        frame.getValue("failureType") instanceof String t ? t : body instanceof String b ? b : null;
    String message =
        frame.getValue("message") instanceof String m
            ? m
            : body != null ? String.valueOf(body) : failureType;
    int code = frame.getValue("failureCode") instanceof Number n ? n.intValue() : -1;
    return new BusError(
        frame.getValue("address") instanceof String a ? a : null, code, failureType, message, body);
  }

  /**
   * The address the error is about (a refused register's, a failed send's reply address), or null.
   */
  public String address() {
    return address;
  }

  /** An HTTP-like status ({@code 403}, {@code 429}, ...), or -1 when the frame had none. */
  public int failureCode() {
    return failureCode;
  }

  /**
   * A short machine-readable kind: {@code access_denied}, {@code room_full}, {@link #TIMEOUT}, ...
   * or null.
   */
  public String failureType() {
    return failureType;
  }

  public Object body() {
    return body;
  }
}
