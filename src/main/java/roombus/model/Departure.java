package roombus.model;

/**
 * The outcome of a connection leaving a room: {@code left} is true when the user has no connection
 * there any more and gave up their seat; {@code count} is then the room's occupancy.
 */
public record Departure(String room, boolean left, int count) {

  public static Departure stayed(String room) {
    return new Departure(room, false, 0);
  }
}
