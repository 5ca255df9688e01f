package roombus.model;

/**
 * Why the hub would not do what a user asked: a domain outcome, not a fault. Services and stores
 * fail with it; the HTTP and bridge edges turn the {@link Reason} into a status and a sentence
 * ({@code roombus.common.ApiError#of}). {@code detail} says more where the reason alone does not
 * (which field of a request was wrong), and is shown to the user as it is.
 */
public final class Refusal extends RuntimeException {

  /** What went wrong, in the words of the domain. */
  public enum Reason {
    /** The request itself is malformed or out of range; {@link #detail()} says how. */
    INVALID,
    NO_SUCH_ROOM,
    NO_SUCH_USER,
    NO_SUCH_GIF,
    /** The user has not entered the room (or its password was never given). */
    NOT_ENTERED,
    PASSWORD_REQUIRED,
    WRONG_PASSWORD,
    /** Only the room's owner may do this. */
    NOT_OWNER,
    /** The owner removed this user from the room. */
    REMOVED,
    ROOM_FULL,
    /** The user posts faster than allowed. */
    TOO_FAST,
    /** The hub cannot take more work right now; nothing was stored. */
    BUSY
  }

  private final Reason reason;
  private final String detail;

  public Refusal(Reason reason) {
    this(reason, null);
  }

  public Refusal(Reason reason, String detail) {
    super(detail == null ? reason.name() : reason.name() + ": " + detail, null, false, false);
    this.reason = reason;
    this.detail = detail;
  }

  public static Refusal invalid(String detail) {
    return new Refusal(Reason.INVALID, detail);
  }

  public Reason reason() {
    return reason;
  }

  /** More precise words for the user, or {@code null}. */
  public String detail() {
    return detail;
  }

  public boolean is(Reason reason) {
    return this.reason == reason;
  }
}
