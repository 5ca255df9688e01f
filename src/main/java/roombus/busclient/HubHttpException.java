package roombus.busclient;

/**
 * The hub answered an API call with a status other than 2xx; the message holds its {@code error}.
 */
public final class HubHttpException extends RuntimeException {

  private final int status;

  HubHttpException(String message, int status) {
    super(message, null, false, false); // shown to users as it is: no stack trace
    this.status = status;
  }

  public int status() {
    return status;
  }
}
